namespace Ciem.Core.Azure;

/// <summary>
/// Azure scope paths (`/`, `/providers/Microsoft.Management/managementGroups/{mg}`, `/subscriptions/{sub}`,
/// `/subscriptions/{sub}/resourceGroups/{rg}`, `…/providers/{ns}/{type}/{name}[/{type}/{name}…]`). Comparison ignores
/// case; containment is a path prefix that ends on a segment boundary.
/// </summary>
public static class AzureScope
{
    public const string Root = "/";

    /// <summary>Trims whitespace and trailing slashes and makes sure of the leading slash; `""` becomes `/`.</summary>
    public static string Normalize(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var trimmed = scope.Trim().TrimEnd('/');
        if (trimmed.Length == 0) { return Root; }
        return trimmed[0] == '/' ? trimmed : "/" + trimmed;
    }

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="scope"/> or a path prefix of it on a segment boundary.</summary>
    public static bool Contains(string ancestor, string scope)
    {
        var a = Normalize(ancestor);
        var s = Normalize(scope);
        if (a == Root) { return true; }
        if (!s.StartsWith(a, StringComparison.OrdinalIgnoreCase)) { return false; }
        return s.Length == a.Length || s[a.Length] == '/';
    }

    public static bool AreEqual(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>The scope and its path prefixes, nearest first, ending with `/` (`/a/b/c/d` → `/a/b/c/d`, `/a/b`, `/`).</summary>
    /// <remarks>A `providers/{ns}` pair is not a scope of its own, so prefixes stop only where a scope can be.</remarks>
    public static IEnumerable<string> PathAncestry(string scope)
    {
        var current = Normalize(scope);
        while (current != Root)
        {
            if (IsScopeShaped(current)) { yield return current; }
            var slash = current.LastIndexOf('/');
            current = slash <= 0 ? Root : current[..slash];
        }
        yield return Root;
    }

    /// <summary>The subscription GUID of a scope at or below a subscription, or null.</summary>
    public static string? SubscriptionId(string scope)
    {
        var parts = Normalize(scope).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? parts[1] : null;
    }

    /// <summary>True for a management group scope (`/providers/Microsoft.Management/managementGroups/{mg}`).</summary>
    public static bool IsManagementGroup(string scope)
    {
        var parts = Normalize(scope).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 4 && parts[0].Equals("providers", StringComparison.OrdinalIgnoreCase)
            && parts[1].Equals("Microsoft.Management", StringComparison.OrdinalIgnoreCase)
            && parts[2].Equals("managementGroups", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True for `/subscriptions/{sub}` exactly.</summary>
    public static bool IsSubscription(string scope)
    {
        var parts = Normalize(scope).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The text after the last `/`.</summary>
    public static string LastSegment(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trimmed = id.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    private static bool IsScopeShaped(string path)
    {
        // Scopes have an even number of segments: name/value pairs, with `providers/{namespace}` counted as one type.
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindIndex(parts, p => p.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers < 0) { return parts.Length % 2 == 0; }
        if (providers % 2 != 0) { return false; }
        var after = parts.Length - providers - 2;
        return after > 0 && after % 2 == 0;
    }
}
