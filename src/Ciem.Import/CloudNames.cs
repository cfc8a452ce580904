using Ciem.Core.Text;

namespace Ciem.Import;

/// <summary>
/// Azure's and Google Cloud's documented forms for the names that travel on into generated Terraform, reports and
/// terminals (AWS's are <see cref="Aws.IamNames"/>). A record whose name no cloud would accept did not come from that
/// cloud: it is quarantined at import. Whatever a cloud allows, a control character, a line break or `${` (HCL
/// interpolation) is always refused.
/// </summary>
public static class CloudNames
{
    /// <summary>
    /// The longest Azure `roleName`: "Maximum number of characters is 512"
    /// (learn.microsoft.com/azure/role-based-access-control/custom-roles, custom role properties).
    /// </summary>
    public const int AzureRoleNameMax = 512;

    /// <summary>Control characters (C0, C1, line breaks), the bidirectional overrides, or `${`: refused in any name.</summary>
    public static bool HasUnsafeText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var c in name)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return true;
            }
        }
        return name.Contains("${", StringComparison.Ordinal);
    }

    /// <summary>
    /// An Azure role definition's display name: "letters, numbers, spaces, and special characters", 1 to 512
    /// (learn.microsoft.com/azure/role-based-access-control/custom-roles, custom role properties, `roleName`).
    /// </summary>
    public static bool IsAzureRoleName(string name) =>
        name.Length is > 0 and <= AzureRoleNameMax && name.Trim().Length > 0 && !HasUnsafeText(name);

    /// <summary>
    /// A GCP role id: "alphanumeric characters, underscores (_), and periods (.)", 3 to 64
    /// (cloud.google.com/iam/docs/reference/rest/v1/projects.roles/create, `roleId`).
    /// </summary>
    public static bool IsGcpRoleId(string id) =>
        id.Length is >= 3 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    /// <summary>
    /// A GCP project id: "6 to 30 lowercase ASCII letters, digits, or hyphens", starting with a letter, no trailing
    /// hyphen (cloud.google.com/resource-manager/reference/rest/v3/projects, `projectId`). Legacy domain-scoped
    /// projects (`example.com:my-project`) keep their domain prefix, which is lowercase letters, digits, `.` and `-`.
    /// </summary>
    public static bool IsGcpProjectId(string id)
    {
        var colon = id.LastIndexOf(':');
        if (colon >= 0)
        {
            var domain = id[..colon];
            if (domain.Length is 0 or > 253
                || !domain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
            {
                return false;
            }
            id = id[(colon + 1)..];
        }
        return id.Length is >= 6 and <= 30 && char.IsAsciiLetterLower(id[0]) && id[^1] != '-'
            && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
    }

    /// <summary>
    /// A service account e-mail. An account a user created is `ID@PROJECT.iam.gserviceaccount.com`, its id 6 to 30
    /// matching `[a-z]([-a-z0-9]*[a-z0-9])` (cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create,
    /// `accountId`) and PROJECT a project id. Google creates the others (`NUMBER-compute@developer.gserviceaccount.com`,
    /// `PROJECT@appspot.gserviceaccount.com`, service agents): they are held to lowercase DNS labels, at most 64
    /// before the `@`.
    /// </summary>
    public static bool IsGcpServiceAccountEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@')) { return false; }
        var (local, domain) = (email[..at], email[(at + 1)..]);
        const string userCreated = ".iam.gserviceaccount.com";
        if (domain.EndsWith(userCreated, StringComparison.Ordinal))
        {
            return IsAccountId(local) && IsGcpProjectId(domain[..^userCreated.Length]);
        }
        return local.Length <= 64 && IsLabel(local) && domain.Length <= 253 && domain.Split('.').All(IsLabel);
    }

    /// <summary>A value quoted in a diagnostic: control characters as spaces, at most 80 characters.</summary>
    public static string Shown(string value)
    {
        var text = TerminalText.Value(value).Replace('`', '\'');
        return text.Length <= 80 ? text : text[..80] + "…";
    }

    private static bool IsAccountId(string id) => id.Length is >= 6 and <= 30 && char.IsAsciiLetterLower(id[0]) && IsLabel(id);

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
