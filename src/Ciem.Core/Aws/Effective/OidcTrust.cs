using System.Collections.Immutable;
using System.Text.Json;

namespace Ciem.Core.Aws.Effective;

/// <summary>
/// The CI repositories a role's trust policy lets assume it through an OIDC identity provider — an owner hint for a
/// role no tag owns (docs/directory.md, "Service identities and owners"):
/// <list type="bullet">
/// <item>GitHub Actions: `Principal.Federated` is `arn:…:oidc-provider/token.actions.githubusercontent.com` and the
/// `token.actions.githubusercontent.com:sub` condition names `repo:ORG/REPO:…` → `github:ORG/REPO`.</item>
/// <item>GitLab CI: an `oidc-provider/gitlab.com` (or a self-managed host) with `…:sub` `project_path:GROUP/PROJECT:…`
/// → `gitlab:GROUP/PROJECT`.</item>
/// </list>
/// Only `Allow` statements for `sts:AssumeRoleWithWebIdentity` count; a trust policy that is not JSON gives no hint.
/// </summary>
public static class OidcTrust
{
    public const string GitHubProvider = "token.actions.githubusercontent.com";

    /// <summary>`github:ORG/REPO` / `gitlab:GROUP/PROJECT` for each repository the trust names, in order, without duplicates.</summary>
    public static ImmutableArray<string> Repositories(string? trustPolicy)
    {
        if (string.IsNullOrWhiteSpace(trustPolicy)) { return []; }
        try
        {
            using var document = JsonDocument.Parse(trustPolicy);
            var result = new List<string>();
            foreach (var statement in Items(document.RootElement, "Statement"))
            {
                if (!string.Equals(Text(statement, "Effect"), "Allow", StringComparison.Ordinal)) { continue; }
                if (!Items(statement, "Action").Any(a => a.ValueKind == JsonValueKind.String && a.GetString() is "sts:AssumeRoleWithWebIdentity" or "sts:*" or "*")) { continue; }
                var providers = statement.TryGetProperty("Principal", out var principal) && principal.ValueKind == JsonValueKind.Object
                    ? Items(principal, "Federated").Select(f => f.ValueKind == JsonValueKind.String ? f.GetString() : null).OfType<string>().Select(ProviderHost).OfType<string>().ToList()
                    : [];
                if (providers.Count == 0 || !statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object) { continue; }
                foreach (var op in condition.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
                {
                    foreach (var key in op.Value.EnumerateObject())
                    {
                        var host = providers.FirstOrDefault(p => string.Equals(key.Name, p + ":sub", StringComparison.OrdinalIgnoreCase));
                        if (host is null) { continue; }
                        foreach (var value in key.Value.ValueKind == JsonValueKind.Array ? key.Value.EnumerateArray().ToArray() : [key.Value])
                        {
                            if (value.ValueKind == JsonValueKind.String && Repository(host, value.GetString()!) is { } repo && !result.Contains(repo)) { result.Add(repo); }
                        }
                    }
                }
            }
            return [.. result];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The repositories as one owner text (`github:acme/deploy`), or null when the trust names none.</summary>
    public static string? OwnerHint(string? trustPolicy) => Repositories(trustPolicy) is { IsEmpty: false } repos ? string.Join(", ", repos) : null;

    /// <summary>`token.actions.githubusercontent.com` of `arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com`.</summary>
    private static string? ProviderHost(string federated)
    {
        const string marker = ":oidc-provider/";
        var at = federated.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : federated[(at + marker.Length)..];
    }

    private static string? Repository(string host, string sub)
    {
        var parts = sub.Split(':');
        if (string.Equals(host, GitHubProvider, StringComparison.OrdinalIgnoreCase))
        {
            return parts.Length >= 2 && parts[0] == "repo" && parts[1].Length > 0 ? "github:" + parts[1] : null;
        }
        return parts.Length >= 2 && parts[0] == "project_path" && parts[1].Length > 0 ? "gitlab:" + parts[1] : null;
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) { return []; }
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : [value];
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
