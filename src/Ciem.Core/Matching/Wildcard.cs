namespace Ciem.Core.Matching;

/// <summary>
/// IAM's `*` (zero or more characters) and `?` (exactly one character) matching, without allocation.
/// When <c>escapes</c> is true, a backslash makes the next character literal: policy-variable expansion
/// uses it so that `${*}`, `${?}` and substituted values never act as wildcards.
/// </summary>
public static class Wildcard
{
    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase, bool escapes = false)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length)
            {
                var pc = pattern[p];
                if (pc == '*' )
                {
                    starP = ++p;
                    starT = t;
                    continue;
                }
                if (pc == '?')
                {
                    p++;
                    t++;
                    continue;
                }
                if (escapes && pc == '\\' && p + 1 < pattern.Length)
                {
                    if (CharEquals(pattern[p + 1], text[t], ignoreCase))
                    {
                        p += 2;
                        t++;
                        continue;
                    }
                }
                else if (CharEquals(pc, text[t], ignoreCase))
                {
                    p++;
                    t++;
                    continue;
                }
            }
            if (starP < 0) { return false; }
            p = starP;
            t = ++starT;
        }
        while (p < pattern.Length && pattern[p] == '*') { p++; }
        return p == pattern.Length;
    }

    private static bool CharEquals(char a, char b, bool ignoreCase)
    {
        if (a == b) { return true; }
        return ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
    }

    /// <summary>Escapes `*`, `?` and `\` so that <see cref="IsMatch"/> with escapes treats them literally.</summary>
    public static string Escape(string literal)
    {
        if (literal.AsSpan().IndexOfAny('*', '?', '\\') < 0) { return literal; }
        var sb = new System.Text.StringBuilder(literal.Length + 4);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '\\') { sb.Append('\\'); }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
