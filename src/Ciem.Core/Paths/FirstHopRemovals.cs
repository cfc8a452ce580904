using System.Collections.Immutable;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.LeastPrivilege;

namespace Ciem.Core.Paths;

/// <summary>A path to an administrator whose first hop a least-privilege proposal takes away, and the actions that made the hop.</summary>
public sealed record RemovedPath(AttackPath Path, ImmutableArray<string> Actions)
{
    /// <summary>`removes path `a` → `b` → administrator (first hop: `sts:AssumeRole`)`.</summary>
    public string Describe()
    {
        var chain = new List<string> { Path.Source };
        foreach (var s in Path.Steps)
        {
            if (s.Technique == AwsTechniques.AccountAdministrator || s.To == chain[^1]) { continue; }
            chain.Add(s.To);
        }
        var hops = string.Join(" → ", chain.Select(c => $"`{c}`"));
        return $"removes path {hops} → {Path.Goal} (first hop: {string.Join(", ", Actions.Select(a => $"`{a}`"))})";
    }
}

/// <summary>
/// Which of an identity's paths to an administrator a proposal cuts at the first hop. A hop is cut when one of the
/// technique's required action groups is left with no alternative the identity is still granted (each alternative
/// either removed by the proposal or never granted), and the hop's check for that group was decided by the identity's
/// own policies — a role whose trust alone lets the identity in is not cut by rewriting the identity's policies.
/// Nothing is claimed when the identity is an administrator already (the proposal's own figures say what it removes).
/// </summary>
public static class FirstHopRemovals
{
    /// <summary>The most paths looked at per identity, and their length (the questions `ciem paths` answers by default).</summary>
    public const int PathLimit = 20;

    public const int MaxHops = 4;

    /// <summary>The paths of <paramref name="proposal"/>'s identity that the proposal cuts at the first hop, shortest first.</summary>
    public static ImmutableArray<RemovedPath> Find(AttackPaths paths, PolicyProposal proposal, Func<string, bool> grantedBefore)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(grantedBefore);
        var graph = paths.Graph;
        var index = graph.IndexOf(proposal.Identity.Id);
        if (index < 0 || graph.Admins[index].MaybeAdministrator || proposal.RemovedActions.IsEmpty) { return []; }
        var removed = proposal.RemovedActions.ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Kept(string action) => !removed.Contains(action) && grantedBefore(action);
        var (found, _) = paths.AllPaths(index, paths.AdministratorGoal, "administrator", MaxHops, PathLimit);
        var result = ImmutableArray.CreateBuilder<RemovedPath>();
        // A check the engine still allows with no identity policy at all (a trust naming the identity or `*` in its own
        // account) does not rest on the identity's grants.
        var bare = graph.Estate.Identities[index] with { IdentityPolicies = [] };
        bool NeedsGrant(PathCheck c)
        {
            var account = c.Resource.Split(':') is { Length: >= 6 } parts && parts[4].Length == 12 ? parts[4] : bare.Identity.Scope;
            var request = graph.Estate.CreateRequest(bare, c.Action, c.Resource, account,
                AwsAdminProbe.WithRegion(graph.Options.Session, c.Resource, AwsAdminProbe.DefaultRegion));
            return AwsAuthorizer.Evaluate(request, graph.Estate.PolicySetFor(bare,
                request)).Decision is Model.Decision.ImplicitDeny or Model.Decision.ExplicitDeny;
        }
        foreach (var path in found)
        {
            if (path.Steps.IsEmpty) { continue; }
            var first = path.Steps[0];
            var cut = Cut(first, Kept, NeedsGrant);
            if (!cut.IsEmpty) { result.Add(new RemovedPath(path, cut)); }
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// The removed actions that cut the step (empty when the identity keeps a way to take it); <paramref name="needsGrant"/>
    /// says whether a check still needs the identity's own grant.
    /// </summary>
    public static ImmutableArray<string> Cut(PathStep step, Func<string, bool> kept, Func<PathCheck, bool> needsGrant)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(needsGrant);
        var groups = step.Technique.Actions.Select(g => g.ToArray()).ToList();
        if (step.Technique.PassesRole) { groups.Insert(0, ["iam:PassRole"]); }
        foreach (var group in groups)
        {
            if (group.Any(kept)) { continue; }
            // The group's check must rest on the identity's own grant, or rewriting its policies changes nothing.
            var decided = step.Checks.Where(c => group.Contains(c.Action, StringComparer.OrdinalIgnoreCase)
                && c.Statements.Any(s => s.Layer == AwsLayer.Identity && s.Effect == Aws.Policies.Effect.Allow) && needsGrant(c)).ToList();
            if (decided.Count == 0) { continue; }
            return [.. decided.Select(c => c.Action).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        return [];
    }
}
