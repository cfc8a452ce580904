using Ciem.Core.Matching;

namespace Ciem.Core.Azure.Catalog;

/// <summary>
/// Azure RBAC's operation patterns: `*` stands for zero or more characters anywhere (`*`, `Microsoft.Storage/*`,
/// `*/read`, `Microsoft.Compute/virtualMachines/*/read`); every other character, `?` included, is literal, and
/// comparison ignores case (operation names are case-insensitive in Azure). Surrounding whitespace is ignored:
/// built-in roles contain `Microsoft.Network/virtualNetworks/read ` with a trailing space.
/// </summary>
public static class OperationPattern
{
    public static bool IsMatch(string pattern, string operation)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(operation);
        var trimmed = pattern.AsSpan().Trim();
        if (trimmed.IndexOfAny('?', '\\') >= 0)
        {
            return Wildcard.IsMatch(EscapeAllButStar(trimmed.ToString()), operation, ignoreCase: true, escapes: true);
        }
        return Wildcard.IsMatch(trimmed, operation, ignoreCase: true);
    }

    /// <summary>The literal text before the first `*` (the whole pattern when it has none).</summary>
    public static ReadOnlySpan<char> LiteralPrefix(ReadOnlySpan<char> pattern) =>
        pattern.IndexOf('*') is var star and >= 0 ? pattern[..star] : pattern;

    private static string EscapeAllButStar(string pattern)
    {
        var sb = new System.Text.StringBuilder(pattern.Length + 4);
        foreach (var c in pattern)
        {
            if (c is '?' or '\\') { sb.Append('\\'); }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
