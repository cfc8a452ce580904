using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.Effective;

/// <summary>
/// Classifies IAM users and roles (see docs/effective-permissions.md): service-linked roles by path; Identity Center
/// roles by the `AWSReservedSSO_` name; roles that only services or workload identity providers can assume, and
/// users named or tagged as automation, are service identities; other users are people; other roles are roles.
/// </summary>
public static class IdentityClassifier
{
    private static readonly string[] ServiceMarkers = ["svc", "service", "bot", "ci", "cd", "deploy", "pipeline", "automation", "terraform", "jenkins", "github", "gitlab", "app", "api", "batch", "etl", "sync", "backup", "monitor", "agent"];

    private static readonly string[] OwnerTags = ["owner", "Owner", "team", "created-by"];

    public static IdentityKind Classify(IamUser user) => Classify(user, null);

    /// <summary>
    /// Classifies a user with its credential report row: tags decide first; then a user with an active access key and
    /// no console password is a service identity and one with a console password and no key is a person; otherwise
    /// (both, or neither, or no report) the path and name decide.
    /// </summary>
    public static IdentityKind Classify(IamUser user, CredentialReportEntry? credentials)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (KindFromTags(user) is { } tagged) { return tagged; }
        if (credentials is { PasswordEnabled: { } password })
        {
            if (credentials.HasActiveKeys && !password) { return IdentityKind.ServiceIdentity; }
            if (password && !credentials.HasActiveKeys) { return IdentityKind.HumanUser; }
        }
        if (user.Path.Contains("service", StringComparison.OrdinalIgnoreCase) || user.Path.Contains("system", StringComparison.OrdinalIgnoreCase)) { return IdentityKind.ServiceIdentity; }
        return NameLooksLikeAutomation(user.Name) ? IdentityKind.ServiceIdentity : IdentityKind.HumanUser;
    }

    /// <summary>The owner the tags name: `owner`, `Owner`, `team`, then `created-by` (first non-empty wins).</summary>
    public static string? OwnerOf(IEnumerable<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var list = tags as IReadOnlyCollection<KeyValuePair<string, string>> ?? [.. tags];
        foreach (var key in OwnerTags)
        {
            foreach (var (k, v) in list)
            {
                if (k == key && !string.IsNullOrWhiteSpace(v)) { return v; }
            }
        }
        return null;
    }

    /// <summary>The credential facts of a credential report row.</summary>
    public static IdentityCredentials CredentialsOf(CredentialReportEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var lastKey = entry.ActiveKeys.Concat([entry.AccessKey1, entry.AccessKey2]).Where(k => k.LastUsedDate is not null).MaxBy(k => k.LastUsedDate);
        var service = lastKey is not null && (entry.PasswordLastUsed is null || lastKey.LastUsedDate >= entry.PasswordLastUsed) ? lastKey.LastUsedService : entry.PasswordLastUsed is null ? null : "console";
        return new IdentityCredentials(entry.PasswordEnabled, entry.MfaActive, entry.ActiveKeys.Count(), entry.OldestActiveKey, entry.LastUsed, service);
    }

    private static IdentityKind? KindFromTags(IamUser user)
    {
        foreach (var (key, value) in user.Tags)
        {
            if (key.Equals("ciem:kind", StringComparison.OrdinalIgnoreCase) || key.Equals("identity-type", StringComparison.OrdinalIgnoreCase))
            {
                return value.Equals("human", StringComparison.OrdinalIgnoreCase) || value.Equals("person", StringComparison.OrdinalIgnoreCase) ? IdentityKind.HumanUser : IdentityKind.ServiceIdentity;
            }
        }
        return null;
    }

    public static IdentityKind Classify(IamRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (role.IsServiceLinked) { return IdentityKind.ServiceLinkedRole; }
        if (role.Name.StartsWith("AWSReservedSSO_", StringComparison.Ordinal) || role.Path.StartsWith("/aws-reserved/sso.amazonaws.com/", StringComparison.Ordinal)) { return IdentityKind.SsoRole; }
        return TrustIsWorkloadOnly(role.TrustPolicy) ? IdentityKind.ServiceIdentity : IdentityKind.Role;
    }

    private static bool NameLooksLikeAutomation(string name)
    {
        foreach (var token in name.ToLowerInvariant().Split(['-', '_', '.', '@', '+', '='], StringSplitOptions.RemoveEmptyEntries))
        {
            if (ServiceMarkers.Contains(token)) { return true; }
        }
        return false;
    }

    /// <summary>True when every Allow statement of the trust policy names only AWS services or OIDC/web-identity providers.</summary>
    private static bool TrustIsWorkloadOnly(string trustJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(trustJson);
            if (!doc.RootElement.TryGetProperty("Statement", out var statements)) { return false; }
            var any = false;
            foreach (var s in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : Enumerable.Repeat(statements, 1))
            {
                if (!s.TryGetProperty("Effect", out var e) || e.GetString() != "Allow") { continue; }
                if (!s.TryGetProperty("Principal", out var p) || p.ValueKind != JsonValueKind.Object) { return false; }
                foreach (var kind in p.EnumerateObject())
                {
                    if (kind.Name == "Service") { any = true; continue; }
                    if (kind.Name == "Federated")
                    {
                        var values = kind.Value.ValueKind == JsonValueKind.Array ? kind.Value.EnumerateArray().Select(v => v.GetString() ?? "") : [kind.Value.GetString() ?? ""];
                        if (values.All(v => v.Contains(":oidc-provider/", StringComparison.Ordinal) || !v.StartsWith("arn:", StringComparison.Ordinal))) { any = true; continue; }
                    }
                    return false;
                }
            }
            return any;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
