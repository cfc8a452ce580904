using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Collections;
using Ciem.Core.Model;

namespace Ciem.Core.Paths;

/// <summary>
/// One step of a path: <see cref="From"/> becomes (or, for a grant, gives administrator rights to) <see cref="To"/>.
/// <see cref="Via"/> names the class of targets when one decision reached them all.
/// </summary>
public sealed record PathStep(string From, string To, AwsTechnique Technique, EdgeCertainty Certainty, ImmutableArray<PathCheck> Checks,
    string? Via = null);

/// <summary>A path from a principal to a goal (in <see cref="Account"/> when the goal is an account's administrator); its certainty is that
/// of its weakest step.</summary>
public sealed record AttackPath(string Source, string Goal, ImmutableArray<PathStep> Steps, string? Account = null)
{
    public EdgeCertainty Certainty => Steps.IsEmpty ? EdgeCertainty.Certain : Steps.Max(s => s.Certainty);

    /// <summary>Principals taken over on the way (a step to an administrator's account counts as one).</summary>
    public int Hops => Steps.Length;
}

/// <summary>The administrator categories of one principal, decided by the engine (docs/attack-paths.md).</summary>
public enum AdminCategory
{
    None,

    /// <summary>Can give other principals administrator rights, but not itself.</summary>
    PrivilegeAdministrator,

    /// <summary>Can become an administrator through a path (shown with the path).</summary>
    CanBecomeAdministrator,

    /// <summary>Full control of its account, every condition evaluated.</summary>
    Administrator,
}

/// <summary>One principal's standing: category, the shortest path to an administrator, and whom it can make administrators.</summary>
public sealed record AdminStanding(
    AwsIdentityContext Identity,
    AdminCategory Category,
    Decision AdministratorDecision,
    AttackPath? PathToAdministrator,
    int GrantsAdministratorTo,
    bool IsPrivilegeAdministrator);

/// <summary>
/// Questions answered on an <see cref="AttackGraph"/>: the shortest and all simple paths from a principal to an
/// administrator or to a request the engine allows, the administrator standing of every principal (reachability
/// computed once: one reverse breadth-first search from every administrator), and who reaches a request transitively.
/// </summary>
public sealed class AttackPaths
{
    private readonly AttackGraph _graph;
    private AdminStanding[]? _standings;

    public AttackPaths(AttackGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
    }

    public AttackGraph Graph => _graph;

    private string Name(int node) => _graph.Nodes[node].Id;

    // ---------- administrators ----------

    /// <summary>Every principal's standing, by estate index; computed once.</summary>
    public IReadOnlyList<AdminStanding> Standings => _standings ??= ComputeStandings();

    private AdminStanding[] ComputeStandings()
    {
        var n = _graph.PrincipalCount;
        var nodes = _graph.Nodes.Length;
        // Seeds: administrators (their last step is the probe) and principals that write their own way to administrator.
        var seedPath = new AttackPath?[nodes];
        for (var i = 0; i < n; i++)
        {
            if (_graph.Admins[i].MaybeAdministrator) { seedPath[i] = new AttackPath(Name(i), Goal(i), [AdminStep(i)], Account(i)); }
        }
        foreach (var (x, grants) in _graph.GrantsBySource)
        {
            if (_graph.Admins[x].IsAdministrator) { continue; }
            if (GrantPath(x, x) is { } self && (seedPath[x] is null || self.Certainty < seedPath[x]!.Certainty)) { seedPath[x] = self; }
        }
        // One reverse search per certainty level: certain edges first, then every edge.
        var path = new AttackPath?[nodes];
        foreach (var certainOnly in new[] { true, false })
        {
            var next = ReverseSearch(seedPath, certainOnly);
            for (var i = 0; i < n; i++)
            {
                if (path[i] is not null) { continue; }
                if (seedPath[i] is { } own && (!certainOnly || own.Certainty == EdgeCertainty.Certain)) { path[i] = own; continue; }
                path[i] = Follow(i, next, seedPath, certainOnly);
            }
        }
        // A principal that reaches a grantor and, separately, one of its targets: one forward search each (rare).
        var grantors = _graph.GrantsBySource.Keys.Where(x => seedPath[x] is null).ToList();
        if (grantors.Count > 0)
        {
            var reachesGrantor = ReverseReach(grantors);
            for (var i = 0; i < n; i++)
            {
                if (path[i] is null && BitWords.Contains(reachesGrantor, i)) { path[i] = ViaGrantor(i); }
            }
        }
        var result = new AdminStanding[n];
        for (var i = 0; i < n; i++)
        {
            var admin = _graph.Admins[i];
            var grantsTo = _graph.GrantsBySource.TryGetValue(i, out var g) ? CountOthers(g, i) : 0;
            var privilege = admin.IsAdministrator || grantsTo > 0;
            var category = admin.IsAdministrator ? AdminCategory.Administrator
                : path[i] is not null ? AdminCategory.CanBecomeAdministrator
                : grantsTo > 0 ? AdminCategory.PrivilegeAdministrator : AdminCategory.None;
            result[i] = new AdminStanding(_graph.Estate.Identities[i], category, admin.Decision, admin.IsAdministrator ? null : path[i],
                grantsTo, privilege);
        }
        return result;
    }

    private int CountOthers(ImmutableArray<GrantEdge> grants, int self)
    {
        var union = new ulong[BitWords.WordCount(_graph.PrincipalCount)];
        foreach (var g in grants) { BitWords.OrInPlace(union, g.Targets); }
        return BitWords.PopCount(union) - (BitWords.Contains(union, self) ? 1 : 0);
    }

    private string Account(int node) => _graph.Nodes[node].Account;

    private string Goal(int principal) => $"administrator of account {_graph.Nodes[principal].Account}";

    private PathStep AdminStep(int admin)
    {
        var d = _graph.Admins[admin];
        return new PathStep(Name(admin), Goal(admin), AwsTechniques.AccountAdministrator,
            d.Decision == Decision.Indeterminate ? EdgeCertainty.Indeterminate : EdgeCertainty.Certain, d.Checks);
    }

    /// <summary>The shortest way for <paramref name="x"/> to make a target it reaches (or itself) an administrator and become it.</summary>
    private AttackPath? GrantPath(int x, int start)
    {
        if (!_graph.GrantsBySource.TryGetValue(x, out var grants)) { return null; }
        foreach (var g in grants.OrderBy(g => g.Certainty))
        {
            if (g.Includes(start) && start == x)
            {
                return new AttackPath(Name(start), Goal(start), [GrantStep(g, x, x)], Account(start));
            }
        }
        var (dist, prev) = Forward(start, certainOnly: false);
        AttackPath? best = null;
        foreach (var g in grants)
        {
            foreach (var y in BitWords.Bits(g.Targets))
            {
                if (dist[y] < 0) { continue; }
                var steps = ImmutableArray.CreateBuilder<PathStep>();
                steps.Add(GrantStep(g, x, y));
                steps.AddRange(StepsTo(start, y, prev));
                var p = new AttackPath(Name(start), Goal(y), steps.ToImmutable(), Account(y));
                if (best is null || p.Certainty < best.Certainty || p.Certainty == best.Certainty && p.Hops < best.Hops) { best = p; }
            }
        }
        return best;
    }

    private PathStep GrantStep(GrantEdge g, int x, int y) =>
        new(Name(x), Name(y), g.Technique, g.Certainty, g.Checks);

    private AttackPath? ViaGrantor(int start)
    {
        var (dist, prev) = Forward(start, certainOnly: false);
        AttackPath? best = null;
        foreach (var (x, grants) in _graph.GrantsBySource)
        {
            if (dist[x] < 0) { continue; }
            foreach (var g in grants)
            {
                foreach (var y in BitWords.Bits(g.Targets))
                {
                    if (y != start && dist[y] < 0) { continue; }
                    var steps = ImmutableArray.CreateBuilder<PathStep>();
                    steps.AddRange(StepsTo(start, x, prev));
                    steps.Add(GrantStep(g, x, y));
                    steps.AddRange(StepsTo(start, y, prev));
                    var p = new AttackPath(Name(start), Goal(y), steps.ToImmutable(), Account(y));
                    if (best is null || p.Certainty < best.Certainty || p.Certainty == best.Certainty && p.Hops < best.Hops) { best = p; }
                }
            }
        }
        return best;
    }

    /// <summary>For each node, the edge towards the nearest seed (reverse breadth-first search from every seed).</summary>
    private AttackEdge?[] ReverseSearch(AttackPath?[] seeds, bool certainOnly)
    {
        var nodes = _graph.Nodes.Length;
        var next = new AttackEdge?[nodes];
        var seen = new bool[nodes];
        var queue = new Queue<int>();
        for (var i = 0; i < nodes; i++)
        {
            if (seeds[i] is { } s && (!certainOnly || s.Certainty == EdgeCertainty.Certain)) { seen[i] = true; queue.Enqueue(i); }
        }
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var e in _graph.Incoming(v))
            {
                if (seen[e.From] || certainOnly && e.Certainty != EdgeCertainty.Certain) { continue; }
                seen[e.From] = true;
                next[e.From] = e;
                queue.Enqueue(e.From);
            }
        }
        return next;
    }

    private AttackPath? Follow(int start, AttackEdge?[] next, AttackPath?[] seeds, bool certainOnly)
    {
        bool IsSeed(int v) => seeds[v] is { } s && (!certainOnly || s.Certainty == EdgeCertainty.Certain);
        var edges = new List<AttackEdge>();
        var v = start;
        while (!IsSeed(v))
        {
            if (next[v] is not { } e || edges.Count > _graph.Nodes.Length) { return null; }
            edges.Add(e);
            v = e.To;
        }
        return new AttackPath(Name(start), seeds[v]!.Goal, [.. Collapse(edges), .. seeds[v]!.Steps], seeds[v]!.Account);
    }

    private ulong[] ReverseReach(IEnumerable<int> targets)
    {
        var seen = new bool[_graph.Nodes.Length];
        var queue = new Queue<int>();
        foreach (var t in targets) { seen[t] = true; queue.Enqueue(t); }
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var e in _graph.Incoming(v))
            {
                if (!seen[e.From]) { seen[e.From] = true; queue.Enqueue(e.From); }
            }
        }
        var bits = new ulong[BitWords.WordCount(_graph.PrincipalCount)];
        for (var i = 0; i < _graph.PrincipalCount; i++) { if (seen[i]) { BitWords.Set(bits, i); } }
        return bits;
    }

    // ---------- searches from one principal ----------

    /// <summary>Breadth-first distances and predecessor edges from a node (-1: unreachable).</summary>
    private (int[] Dist, AttackEdge?[] Prev) Forward(int start, bool certainOnly)
    {
        var nodes = _graph.Nodes.Length;
        var dist = new int[nodes];
        Array.Fill(dist, -1);
        var prev = new AttackEdge?[nodes];
        dist[start] = 0;
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var e in _graph.Outgoing(v))
            {
                if (dist[e.To] >= 0 || certainOnly && e.Certainty != EdgeCertainty.Certain) { continue; }
                dist[e.To] = dist[v] + 1;
                prev[e.To] = e;
                queue.Enqueue(e.To);
            }
        }
        return (dist, prev);
    }

    private IEnumerable<PathStep> StepsTo(int start, int target, AttackEdge?[] prev)
    {
        var edges = new List<AttackEdge>();
        for (var v = target; v != start; v = prev[v]!.From) { edges.Add(prev[v]!); }
        edges.Reverse();
        return Collapse(edges);
    }

    /// <summary>Edges as steps, a hop through a hub folded into one step naming the class.</summary>
    private List<PathStep> Collapse(IReadOnlyList<AttackEdge> edges)
    {
        var steps = new List<PathStep>();
        for (var k = 0; k < edges.Count; k++)
        {
            var e = edges[k];
            if (_graph.Nodes[e.To].Kind == AttackNodeKind.Hub && k + 1 < edges.Count)
            {
                var member = edges[k + 1];
                steps.Add(new PathStep(Name(e.From), Name(member.To), e.Technique, (EdgeCertainty)Math.Max((int)e.Certainty,
                    (int)member.Certainty),
                    [.. e.Checks, .. member.Checks], Name(e.To)));
                k++;
                continue;
            }
            steps.Add(new PathStep(Name(e.From), Name(e.To), e.Technique, e.Certainty, e.Checks,
                _graph.Nodes[e.To].Kind == AttackNodeKind.Hub ? Name(e.To) : null));
        }
        return steps;
    }

    /// <summary>The shortest path (certain edges preferred) from a principal to an administrator, or null.</summary>
    public AttackPath? ShortestToAdministrator(int principal) =>
        _graph.Admins[principal].IsAdministrator ? new AttackPath(Name(principal), Goal(principal), [AdminStep(principal)],
            Account(principal)) : Standings[principal].PathToAdministrator;

    /// <summary>
    /// Every simple path of at most <paramref name="maxHops"/> steps from a principal to a goal (a principal for which
    /// <paramref name="goal"/> gives the closing steps), shortest first, at most <paramref name="limit"/>; hubs fold into
    /// the step through them, a path stops at its first goal, and closing steps that only state the goal
    /// (administrator, the request allowed) do not count as hops. <c>Truncated</c> when more paths exist.
    /// </summary>
    public (ImmutableArray<AttackPath> Paths, bool Truncated) AllPaths(int principal, Func<int, PathStep[]?> goal, string goalName,
        int maxHops, int limit)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHops, 1);
        var found = new List<AttackPath>();
        var truncated = false;
        var onPath = new bool[_graph.Nodes.Length];
        var stack = new List<AttackEdge>();
        // Iterative deepening gives the shortest paths first without holding every partial path.
        for (var depth = 0; depth <= maxHops && !truncated; depth++) { Dfs(principal, depth); }
        return ([.. found.OrderBy(p => p.Certainty).ThenBy(p => CountedHops(p))], truncated);

        void Dfs(int v, int remaining)
        {
            if (_graph.Nodes[v].Kind == AttackNodeKind.Principal && goal(v) is { } tail)
            {
                if (remaining != 0) { return; }
                var candidate = new AttackPath(Name(principal), goalName, [.. Collapse(stack), .. tail]);
                if (CountedHops(candidate) > maxHops) { return; }
                if (found.Count >= limit) { truncated = true; return; }
                found.Add(candidate);
                return;
            }
            if (remaining == 0) { return; }
            onPath[v] = true;
            foreach (var e in _graph.Outgoing(v))
            {
                if (onPath[e.To]) { continue; }
                stack.Add(e);
                // A hub and its member make one step: only the member's edge spends depth.
                Dfs(e.To, _graph.Nodes[e.To].Kind == AttackNodeKind.Hub ? remaining : remaining - 1);
                stack.RemoveAt(stack.Count - 1);
                if (truncated) { break; }
            }
            onPath[v] = false;
        }
    }

    /// <summary>Steps that take over a principal or write rights; the closing statement of the goal is not a hop.</summary>
    public static int CountedHops(AttackPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Steps.Count(s => s.Technique != AwsTechniques.AccountAdministrator && s.Technique != AwsTechniques.Request);
    }

    /// <summary>The closing steps when a principal is an administrator, or writes its own rights; null otherwise.</summary>
    public PathStep[]? AdministratorGoal(int node)
    {
        if (node >= _graph.PrincipalCount) { return null; }
        if (_graph.Admins[node].MaybeAdministrator) { return [AdminStep(node)]; }
        if (_graph.GrantsBySource.TryGetValue(node, out var grants) && grants.FirstOrDefault(g => g.Includes(node)) is { } self)
        {
            return [GrantStep(self, node, node)];
        }
        return null;
    }

    // ---------- requests ----------

    /// <summary>The engine's answer for one principal performing a request (as `ciem can` gives it).</summary>
    public PathCheck Decide(int principal, string action, string resource, string? resourceAccount, RequestContext? context)
    {
        var who = _graph.Estate.Identities[principal];
        var session = AwsAdminProbe.WithRegion(_graph.Options.Session, resource, AwsAdminProbe.DefaultRegion);
        var request = _graph.Estate.CreateRequest(who, action, resource, resourceAccount, AwsAdminProbe.Merge(session, context
            ?? RequestContext.Empty));
        return PathCheck.From(request, AwsAuthorizer.Evaluate(request, _graph.Estate.PolicySetFor(who, request)));
    }

    /// <summary>The engine's answer for every principal (in parallel), by index.</summary>
    public PathCheck[] DecideAll(string action, string resource, string? resourceAccount, RequestContext? context)
    {
        var result = new PathCheck[_graph.PrincipalCount];
        Parallel.For(0, result.Length, i => result[i] = Decide(i, action, resource, resourceAccount, context));
        return result;
    }

    /// <summary>Closing steps for a principal the engine allows (or may allow) the request; null otherwise.</summary>
    public static Func<int, PathStep[]?> RequestGoal(AttackGraph graph, PathCheck[] decisions)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(decisions);
        return node => node < decisions.Length && decisions[node].Decision is Decision.Allow or Decision.Indeterminate
            ? [new PathStep(graph.Nodes[node].Id, $"{decisions[node].Action} on {decisions[node].Resource}", AwsTechniques.Request,
                decisions[node].Decision == Decision.Indeterminate ? EdgeCertainty.Indeterminate : EdgeCertainty.Certain,
                    [decisions[node]])]
            : null;
    }

    /// <summary>
    /// Every principal that can perform a request directly or by becoming one that can, with the shortest path
    /// (certain edges preferred): one reverse breadth-first search from the principals the engine allows.
    /// </summary>
    public ImmutableArray<(AwsIdentityContext Identity, PathCheck Direct, AttackPath Path)> WhoCan(string action, string resource,
        string? resourceAccount, RequestContext? context)
    {
        var decisions = DecideAll(action, resource, resourceAccount, context);
        var goal = RequestGoal(_graph, decisions);
        var seeds = new AttackPath?[_graph.Nodes.Length];
        for (var i = 0; i < decisions.Length; i++)
        {
            if (goal(i) is { } tail) { seeds[i] = new AttackPath(Name(i), $"{action} on {resource}", [.. tail]); }
        }
        var path = new AttackPath?[_graph.PrincipalCount];
        foreach (var certainOnly in new[] { true, false })
        {
            var next = ReverseSearch(seeds, certainOnly);
            for (var i = 0; i < path.Length; i++)
            {
                if (path[i] is not null) { continue; }
                if (seeds[i] is { } own && (!certainOnly || own.Certainty == EdgeCertainty.Certain)) { path[i] = own; continue; }
                path[i] = Follow(i, next, seeds, certainOnly);
            }
        }
        // A principal that can become an administrator of the resource's account by writing rights reaches it too.
        var owner = resourceAccount ?? AwsRequest.InferResourceAccount(resource);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] is null && Standings[i].PathToAdministrator is { } admin && owner is not null && admin.Account == owner
                && admin.Steps.Any(s => s.Technique.Kind == TechniqueKind.Grant))
            {
                path[i] = admin with { Goal = $"{admin.Goal}, who can perform {action} on {resource}" };
            }
        }
        var result = ImmutableArray.CreateBuilder<(AwsIdentityContext, PathCheck, AttackPath)>();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] is { } p) { result.Add((_graph.Estate.Identities[i], decisions[i], p)); }
        }
        return result.ToImmutable();
    }
}
