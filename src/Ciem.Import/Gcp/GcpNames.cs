using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// The GCP readers' checks of <see cref="CloudNames"/>: a name outside Google's documented form gets one located
/// error naming the value and the form, and the caller quarantines the record.
/// </summary>
internal static class GcpNames
{
    public const string ProjectIdForm = "6 to 30 lowercase letters, digits and `-`, starting with a letter, not ending with `-`";

    private const string RoleIdForm = "3 to 64 letters, digits, `_` and `.`";

    private const string EmailForm =
        "`ID@PROJECT.iam.gserviceaccount.com` with an id of 6 to 30 lowercase letters, digits and `-`, starting"
        + " with a letter, not ending with `-`; or a Google-created account of lowercase dns labels";

    public static bool Check(DiagnosticBag diagnostics, string what, string field, string value, Func<string, bool> valid,
        string form, SourceLocation at)
    {
        if (!CloudNames.HasUnsafeText(value) && valid(value)) { return true; }
        diagnostics.Error(DiagnosticCodes.GcpBadName,
            $"{what} has a {field} `{CloudNames.Shown(value)}` outside Google's form ({form}); the record was quarantined", at);
        return false;
    }

    public static bool Email(string email, DiagnosticBag diagnostics, SourceLocation at) =>
        Check(diagnostics, "service account", "e-mail", email, CloudNames.IsGcpServiceAccountEmail, EmailForm, at);

    /// <summary>`roles/ID` (predefined), `projects/PROJECT/roles/ID` or `organizations/NUMBER/roles/ID`.</summary>
    public static bool RoleName(string name, DiagnosticBag diagnostics, SourceLocation at)
    {
        var marker = name.LastIndexOf("roles/", StringComparison.Ordinal);
        var id = name[(marker + "roles/".Length)..];
        var what = $"role `{CloudNames.Shown(name)}`";
        if (!Check(diagnostics, what, "role id", id, CloudNames.IsGcpRoleId, RoleIdForm, at)) { return false; }
        var parent = name[..marker].TrimEnd('/');
        if (parent.StartsWith("projects/", StringComparison.Ordinal))
        {
            return Check(diagnostics, what, "project id", parent["projects/".Length..],
                CloudNames.IsGcpProjectId, ProjectIdForm, at);
        }
        if (parent.StartsWith("organizations/", StringComparison.Ordinal))
        {
            return Check(diagnostics, what, "organization id", parent["organizations/".Length..],
                p => p.Length is > 0 and <= 32 && p.All(char.IsAsciiDigit), "digits", at);
        }
        return Check(diagnostics, what, "parent", parent, p => p.Length == 0,
            "`projects/PROJECT` or `organizations/NUMBER`", at);
    }
}
