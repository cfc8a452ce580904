using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
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

    public static SweepResult Annotate(AwsEstate estate, SweepResult result, AttackPaths? graph = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Proposals.IsEmpty) { return result; }
        var annotator = new Annotator(estate, graph);
        return result with { Proposals = [.. result.Proposals.Select(annotator.Annotate)] };
    }

    /// <summary>
    /// Annotates proposals one at a time, as a streamed sweep makes them (from several threads): the graph is built by
    /// the first proposal that removes an action some technique needs, and kept for the others.
    /// </summary>
    public sealed class Annotator
    {
        private readonly Lazy<AttackPaths> _graph;
        private readonly AwsEffectivePermissionCalculator _calculator = new(AwsActionCatalog.Default);

        /// <param name="estate">the estate swept.</param>
        /// <param name="graph">its attack graph when the host built it already; else built by the first proposal that needs it.</param>
        public Annotator(AwsEstate estate, AttackPaths? graph = null)
        {
            ArgumentNullException.ThrowIfNull(estate);
            _graph = new(() => graph ?? EstatePaths.Analyse(estate), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The proposal with the paths it cuts (<see cref="PolicyProposal.RemovesPaths"/>), or itself when it cuts none.</summary>
        public PolicyProposal Annotate(PolicyProposal p)
        {
            ArgumentNullException.ThrowIfNull(p);
            if (!p.RemovedActions.Any(a => TechniqueActions.Contains(a.ToUpperInvariant()))) { return p; }
            var paths = _graph.Value;
            var i = paths.Graph.IndexOf(p.Identity.Id);
            if (i < 0) { return p; }
            // The identity's permissions before the proposal, computed for it alone (the graph keeps no permission sets).
            var before = _calculator.Compute(paths.Graph.Estate.Identities[i]);
            var catalog = AwsActionCatalog.Default;
            var removed = FirstHopRemovals.Find(paths, p, a => catalog.TryGetAction(a, out var action)
                && (before.Allowed.Contains(action) || before.Indeterminate.Contains(action)));
            if (removed.IsEmpty) { return p; }
            var described = removed.Take(Shown).Select(r => r.Describe()).ToList();
            if (removed.Length > Shown) { described.Add($"and {removed.Length - Shown} more path(s) with the same first hops"); }
            return p with { RemovesPaths = [.. described] };
        }
    }
}
