using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Paths;
using Ciem.Core.Sweep;

namespace Ciem.App;

/// <summary>
/// Says on each AWS proposal which paths to an administrator it cuts at the first hop (<see cref="FirstHopRemovals"/>):
/// the attack graph is built once for the estate, and only when a proposal removes an action some technique needs.
/// </summary>
public static class ProposalPaths
{
    /// <summary>At most this many paths are described per proposal; the rest are counted.</summary>
    public const int Shown = 5;

    private static readonly HashSet<string> TechniqueActions = [.. AwsTechniques.Modelled
        .SelectMany(t => t.Actions.SelectMany(g => g)).Append("iam:PassRole").Select(a => a.ToUpperInvariant())];

    public static SweepResult Annotate(AwsEstate estate, SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Proposals.Any(p => p.RemovedActions.Any(a => TechniqueActions.Contains(a.ToUpperInvariant())))) { return result; }
        var effective = EstatePaths.EffectiveAll(estate);
        var paths = EstatePaths.Analyse(estate, effective);
        var catalog = AwsActionCatalog.Default;
        var proposals = result.Proposals.Select(p =>
        {
            var i = paths.Graph.IndexOf(p.Identity.Id);
            if (i < 0) { return p; }
            var before = effective[i];
            var removed = FirstHopRemovals.Find(paths, p, a => catalog.TryGetAction(a, out var action)
                && (before.Allowed.Contains(action) || before.Indeterminate.Contains(action)));
            if (removed.IsEmpty) { return p; }
            var described = removed.Take(Shown).Select(r => r.Describe()).ToList();
            if (removed.Length > Shown) { described.Add($"and {removed.Length - Shown} more path(s) with the same first hops"); }
            return p with { RemovesPaths = [.. described] };
        });
        return result with { Proposals = [.. proposals] };
    }
}
