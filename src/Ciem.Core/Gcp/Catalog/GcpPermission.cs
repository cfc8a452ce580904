using Ciem.Core.Matching;

namespace Ciem.Core.Gcp.Catalog;

/// <summary>
/// IAM permission names. Allow policies (through roles) use the v1 form `service.resource.verb`
/// (`iam.roles.delete`); deny policies use the v2 form `SERVICE_FQDN/resource.verb`
/// (`iam.googleapis.com/roles.delete`), where the FQDN is the v1 service followed by `.googleapis.com`
/// except for the documented exceptions in <see cref="V2ServiceAliases"/>. Deny rules may use `*` for a
/// whole service (`iam.googleapis.com/*`), a resource (`iam.googleapis.com/roles.*`) or a verb
/// (`iam.googleapis.com/*.delete`); <see cref="ToV1Pattern"/> maps them all to v1 patterns.
/// </summary>
public static class GcpPermission
{
    /// <summary>v2 service names whose v1 permission prefix differs.</summary>
    private static readonly Dictionary<string, string> V2ServiceAliases = new(StringComparer.Ordinal)
    {
        ["cloudresourcemanager"] = "resourcemanager",
    };

    /// <summary>
    /// Maps a deny-policy permission (v2, or already v1) to a v1 pattern where `*` matches any characters.
    /// Returns false for text that is neither form (empty, spaces, no service).
    /// </summary>
    public static bool TryToV1Pattern(string permission, out string pattern)
    {
        ArgumentNullException.ThrowIfNull(permission);
        pattern = "";
        var text = permission.Trim();
        if (text.Length == 0 || text.Contains(' ', StringComparison.Ordinal)) { return false; }
        if (text == "*") { pattern = "*"; return true; }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            // v1 form (or a bare pattern): must have service.resource.verb or wildcards.
            if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('*', StringComparison.Ordinal)) { return false; }
            pattern = text;
            return true;
        }
        var fqdn = text[..slash];
        var rest = text[(slash + 1)..];
        const string suffix = ".googleapis.com";
        if (!fqdn.EndsWith(suffix, StringComparison.Ordinal) || rest.Length == 0 || rest.Contains('/', StringComparison.Ordinal)) { return false; }
        var service = fqdn[..^suffix.Length];
        if (service.Length == 0) { return false; }
        if (V2ServiceAliases.TryGetValue(service, out var alias)) { service = alias; }
        pattern = rest == "*" ? service + ".*" : service + "." + rest;
        return true;
    }

    /// <summary>Same as <see cref="TryToV1Pattern"/> but throws on malformed text (for callers holding known-good input).</summary>
    public static string ToV1Pattern(string permission) =>
        TryToV1Pattern(permission, out var pattern) ? pattern : throw new ArgumentException($"`{permission}` is not an iam permission", nameof(permission));

    /// <summary>Whether a v1 pattern (from <see cref="ToV1Pattern"/>) matches a v1 permission; case-sensitive, as IAM is.</summary>
    public static bool Matches(string v1Pattern, string permission) =>
        Wildcard.HasWildcard(v1Pattern) ? Wildcard.IsMatch(v1Pattern, permission, ignoreCase: false) : string.Equals(v1Pattern, permission, StringComparison.Ordinal);

    /// <summary>The service of a v1 permission: `storage` for `storage.objects.get`.</summary>
    public static string Service(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var dot = permission.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? permission : permission[..dot];
    }

    /// <summary>
    /// A coarse access level from the verb (the last dot-separated part), in the vocabulary the AWS side uses:
    /// `setIamPolicy` → Permissions management; `getIamPolicy`, `get*`, `read*`, `search*`, `query*`, `export*`,
    /// `download*`, `access*` → Read; `list*` → List; `setLabels`/`setTags`/`*tagBindings*`/`*Tag*` verbs → Tagging;
    /// anything else → Write. Google publishes no access levels; this heuristic is documented in docs/gcp.md.
    /// </summary>
    public static string AccessLevel(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var dot = permission.LastIndexOf('.');
        var verb = dot < 0 ? permission : permission[(dot + 1)..];
        if (verb is "setIamPolicy") { return "Permissions management"; }
        if (verb.StartsWith("list", StringComparison.Ordinal)) { return "List"; }
        if (verb is "getIamPolicy" || verb.StartsWith("get", StringComparison.Ordinal) || verb.StartsWith("read", StringComparison.Ordinal)
            || verb.StartsWith("search", StringComparison.Ordinal) || verb.StartsWith("query", StringComparison.Ordinal)
            || verb.StartsWith("export", StringComparison.Ordinal) || verb.StartsWith("download", StringComparison.Ordinal)
            || verb.StartsWith("access", StringComparison.Ordinal))
        {
            return "Read";
        }
        if (verb is "setLabels" or "setTags" || permission.Contains(".tagBindings.", StringComparison.Ordinal)
            || verb.Contains("Tag", StringComparison.Ordinal))
        {
            return "Tagging";
        }
        return "Write";
    }
}
