using System.Collections.Concurrent;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Collections;

namespace Ciem.Core.Paths;

/// <summary>
/// Which targets a source's grants of an action can match, answered without scanning its grants per target: each
/// (source, action) is reduced once to its resource patterns, literal ARNs go into a set, and the wildcard patterns of
/// a source are matched once against every principal ARN and shared by every source with the same patterns (the
/// replicas of one policy, the holders of one managed policy). The engine still decides each candidate; this only
/// skips the targets no grant can name, so it must agree with <see cref="ArnPattern"/> on every pair (a test compares
/// it with deciding every pair).
/// </summary>
internal sealed class GrantResourceIndex
{
    private readonly AwsEstate _estate;
    private readonly IReadOnlyList<AwsEffectivePermissions> _effective;
    private readonly Func<string, AwsAction?> _actionOf;
    private readonly ConcurrentDictionary<string, Patterns?[]> _patterns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ulong[]> _principalMasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, object Items), ulong[]> _itemMasks = new();
    private readonly ConcurrentDictionary<object, Dictionary<string, List<int>>> _itemIndexes = new();

    public GrantResourceIndex(AwsEstate estate, IReadOnlyList<AwsEffectivePermissions> effective, Func<string, AwsAction?> actionOf)
    {
        _estate = estate;
        _effective = effective;
        _actionOf = actionOf;
    }

    /// <summary>
    /// The patterns of one source's grants of one action: <see cref="Any"/> when a grant can match every resource (`*`,
    /// NotResource, no Resource element, an unresolved policy variable, or unknown content for the action).
    /// </summary>
    private sealed record Patterns(bool Any, bool None, HashSet<string> Literals, string[] Wildcards, string Key);

    private static readonly Patterns AnyResource = new(true, false, [], [], "");
    private static readonly Patterns NoResource = new(false, true, [], [], "");

    /// <summary>Whether one of the source's grants of the action can match the principal's ARN.</summary>
    public bool CouldMatchPrincipal(int source, string action, int target)
    {
        var p = PatternsOf(source, action);
        if (p.Any) { return true; }
        if (p.None) { return false; }
        var arn = _estate.Identities[target].Identity.Id;
        if (p.Literals.Contains(arn)) { return true; }
        return p.Wildcards.Length > 0 && BitWords.Contains(PrincipalMask(p), target);
    }

    /// <summary>
    /// The items (groups, managed policies: one ARN each, the list kept by the caller and passed again as is) one of
    /// the source's grants of the action can match, as a bitset over the list; null when every item can match.
    /// </summary>
    public ulong[]? CouldMatch<T>(int source, string action, List<(string Resource, T Value)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var p = PatternsOf(source, action);
        if (p.Any) { return null; }
        var mask = new ulong[BitWords.WordCount(items.Count)];
        if (p.None) { return mask; }
        if (p.Wildcards.Length > 0)
        {
            BitWords.OrInPlace(mask, _itemMasks.GetOrAdd((p.Key, items), _ =>
            {
                var m = new ulong[mask.Length];
                for (var i = 0; i < items.Count; i++) { if (MatchesAny(p.Wildcards, items[i].Resource)) { BitWords.Set(m, i); } }
                return m;
            }));
        }
        if (p.Literals.Count > 0)
        {
            var index = _itemIndexes.GetOrAdd(items, _ =>
            {
                var d = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                for (var i = 0; i < items.Count; i++)
                {
                    if (!d.TryGetValue(items[i].Resource, out var at)) { d[items[i].Resource] = at = []; }
                    at.Add(i);
                }
                return d;
            });
            foreach (var literal in p.Literals)
            {
                if (!index.TryGetValue(literal, out var at)) { continue; }
                foreach (var i in at) { BitWords.Set(mask, i); }
            }
        }
        return mask;
    }

    private ulong[] PrincipalMask(Patterns p) => _principalMasks.GetOrAdd(p.Key, _ =>
    {
        var mask = new ulong[BitWords.WordCount(_estate.Identities.Length)];
        for (var i = 0; i < _estate.Identities.Length; i++)
        {
            if (MatchesAny(p.Wildcards, _estate.Identities[i].Identity.Id)) { BitWords.Set(mask, i); }
        }
        return mask;
    });

    private static bool MatchesAny(string[] patterns, string resource)
    {
        foreach (var pattern in patterns)
        {
            if (ArnPattern.IsMatch(pattern, resource)) { return true; }
        }
        return false;
    }

    private Patterns PatternsOf(int source, string action)
    {
        var table = _patterns.GetOrAdd(action, _ => new Patterns?[_effective.Count]);
        // A race computes the same value twice; either copy is right.
        return table[source] ??= Compute(source, action);
    }

    private Patterns Compute(int x, string action)
    {
        if (_actionOf(action) is not { } a) { return NoResource; }
        var e = _effective[x];
        if (e.Indeterminate.Contains(a)) { return AnyResource; }
        var literals = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new SortedSet<string>(StringComparer.Ordinal);
        var found = false;
        foreach (var g in e.Grants)
        {
            if (!g.Actions.Contains(a)) { continue; }
            found = true;
            if (g.NotResource || !g.Resources.Any()) { return AnyResource; }
            foreach (var pattern in g.Resources)
            {
                var p = pattern;
                if (p.Contains("${", StringComparison.Ordinal))
                {
                    // The caller's own name is known: `…:user/${aws:username}` matches its own ARN only.
                    var who = _estate.Identities[x];
                    if (who.Principal.Kind == Aws.Evaluation.AwsPrincipalKind.User)
                    {
                        p = p.Replace("${aws:username}", who.Identity.Name, StringComparison.OrdinalIgnoreCase);
                    }
                    if (p.Contains("${", StringComparison.Ordinal)) { return AnyResource; }
                }
                if (p == "*") { return AnyResource; }
                // Without `*` or `?` every segment matches only itself, so the pattern matches only the same text.
                if (p.AsSpan().IndexOfAny('*', '?') < 0) { literals.Add(p); }
                else { wildcards.Add(p); }
            }
        }
        if (!found) { return NoResource; }
        return new Patterns(false, false, literals, [.. wildcards], string.Join('\n', wildcards));
    }
}
