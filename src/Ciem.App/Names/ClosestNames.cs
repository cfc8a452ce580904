using System.Collections.Immutable;

namespace Ciem.App.Names;

/// <summary>
/// The known names closest to a misspelt one ("did you mean"): by edit distance (insertions, deletions,
/// substitutions and swaps of neighbours, ignoring case), within a quarter of the name's length, nearest first.
/// Used for commands and options, and for actions, services and permissions checked against the shipped catalogs.
/// </summary>
public static class ClosestNames
{
    /// <summary>At most <paramref name="max"/> names of <paramref name="known"/> near <paramref name="name"/>, nearest first.</summary>
    public static ImmutableArray<string> Of(string name, IEnumerable<string> known, int max = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(known);
        if (name.Length == 0) { return []; }
        var limit = Math.Max(1, name.Length / 4);
        var found = new List<(string Name, int Distance)>();
        foreach (var candidate in known.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (Math.Abs(candidate.Length - name.Length) > limit) { continue; }
            var d = Distance(name, candidate, limit);
            if (d <= limit) { found.Add((candidate, d)); }
        }
        return [.. found.OrderBy(f => f.Distance).ThenBy(f => f.Name, StringComparer.Ordinal).Take(max).Select(f => f.Name)];
    }

    /// <summary>" (did you mean `a` or `b`?)" — or empty when nothing is close.</summary>
    public static string Hint(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => $"; did you mean `{names[0]}`?",
        _ => $"; did you mean {string.Join(", ", names.Take(names.Count - 1).Select(n => $"`{n}`"))} or `{names[^1]}`?",
    };

    /// <summary>The optimal-string-alignment distance ignoring case, or more than <paramref name="limit"/> once it is exceeded.</summary>
    public static int Distance(string a, string b, int limit = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) { previous[j] = j; }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 2])
                    && char.ToUpperInvariant(a[i - 2]) == char.ToUpperInvariant(b[j - 1]))
                {
                    d = Math.Min(d, previous2[j - 2] + 1);
                }
                current[j] = d;
                rowMin = Math.Min(rowMin, d);
            }
            if (rowMin > limit) { return limit + 1; }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
