using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Paths.Clouds;

/// <summary>One step of a multi-cloud path, with the technique and the assignments, bindings or statements that decide it.</summary>
public sealed record CloudPathStep(CloudNode From, CloudNode To, CloudTechnique Technique, EdgeCertainty Certainty,
    ImmutableArray<string> Evidence, int Hops);

/// <summary>A path from a principal (or person) to an administrator goal; its certainty is its weakest step's.</summary>
public sealed record CloudPath(CloudNode Source, CloudNode Goal, ImmutableArray<CloudPathStep> Steps)
{
    public EdgeCertainty Certainty => Steps.IsEmpty ? EdgeCertainty.Certain : Steps.Max(s => s.Certainty);

    /// <summary>Principals taken over on the way ("is administrator" and a hub's member count 0, an AWS path its own length).</summary>
    public int Hops => Steps.Sum(s => s.Hops);
}

/// <summary>
/// A node's standing: administrator (a certain "is administrator" step), can become one (with the shortest path),
/// privilege administrator (can make others administrators, not itself), or none. <see cref="GrantsAt"/> names the scopes
/// it can make others administrators of, whatever its category.
/// </summary>
public sealed record CloudStanding(CloudNode Node, AdminCategory Category, CloudPath? Shortest)
{
    /// <summary>Each grant as a step from the identity to the administrator of the scope it can hand to others.</summary>
    public ImmutableArray<CloudPathStep> GrantsAt { get; init; } = [];

    /// <summary>Administrator, or able to make others administrators of some scope.</summary>
    public bool IsPrivilegeAdministrator => Category == AdminCategory.Administrator || !GrantsAt.IsEmpty;
}

/// <summary>
/// A scope whose effective administrators are asked (an Azure subscription, a GCP project): <see cref="Within"/> is the
/// scope and every scope above it (management groups and `/`, folders and the organisation), whose administrators
/// administer it too.
/// </summary>
public sealed record AdminScope(string Provider, string Scope, string Name, ImmutableArray<string> Within);

/// <summary>The effective administrators of one scope: each identity's category there, its shortest path, its grants.</summary>
public sealed record ScopeAdministrators(AdminScope Scope, ImmutableArray<CloudStanding> Administrators);

/// <summary>
/// An identity that reaches a request: directly (no step), by becoming an identity the engine allows, or by becoming an
/// administrator of a scope above the resource (<see cref="ViaAdministrator"/>), with the path and its certainty.
/// </summary>
public sealed record CloudReachHit(CloudNode Identity, CloudPath Path, bool ViaAdministrator, EdgeCertainty Certainty);

/// <summary>The answer to "what does this query name": the node, or the error to show.</summary>
public sealed record CloudNodeMatch(int Node, string? Error, ImmutableArray<string> Candidates);

/// <summary>
/// Questions answered on a <see cref="CloudGraph"/>: the shortest path to an administrator (certain steps preferred,
/// then fewest hops) and every simple path up to a number of hops, shortest first.
/// </summary>
public sealed class CloudAttackPaths
{
    /// <summary>Most nodes expanded by one all-paths search; beyond it the answer says it is truncated.</summary>
    public const int MaxExpansions = 500_000;

    private readonly CloudGraph _graph;

    public CloudAttackPaths(CloudGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
    }

    public CloudGraph Graph => _graph;

    private bool IsGoal(int node) => _graph.Nodes[node].Kind == CloudNodeKind.Administrator;

    /// <summary>
    /// The node a query names: a principal's exact id (Azure object id, GCP member, AWS ARN, person address), a GCP email
    /// without its `user:` / `serviceAccount:` prefix, or a unique display name.
    /// </summary>
    public CloudNodeMatch Resolve(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Trim();
        foreach (var id in new[] { q, "user:" + q, "serviceAccount:" + q })
        {
            var principal = _graph.IndexOf(CloudNodeKind.Principal, id);
            if (principal >= 0) { return new(principal, null, []); }
        }
        var person = _graph.IndexOf(CloudNodeKind.Person, q.ToLowerInvariant());
        if (person >= 0) { return new(person, null, []); }
        var named = _graph.Nodes.Where(n => n.Kind is CloudNodeKind.Principal or CloudNodeKind.Person && string.Equals(n.Name, q,
            StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count == 1) { return new(named[0].Index, null, []); }
        if (named.Count > 1)
        {
            return new(-1, $"`{q}` names {named.Count} identities: give one of their ids",
                [.. named.Select(n => $"{n.Provider} {n.Id}").Order(StringComparer.Ordinal)]);
        }
        return new(-1, $"no Azure, GCP or federated identity `{q}` in the estate's attack graph "
                + "(an Azure object id, a GCP member or email, a person's address)", []);
    }

    public CloudStanding Standing(int node) => Standing(node, Shortest(node), null);

    private CloudStanding Standing(int node, CloudPath? shortest, HashSet<int>? goals)
    {
        var direct = _graph.Outgoing(node).Any(e => e.Hops == 0 && IsGoal(e.To) && e.Certainty == EdgeCertainty.Certain
            && IsAdministratorTechnique(e.Technique) && (goals is null || goals.Contains(e.To)));
        ImmutableArray<CloudPathStep> grants = [.. GrantsOf(node).Where(g => goals is null || goals.Contains(g.Goal))
            .Select(g => new CloudPathStep(_graph.Nodes[g.From], _graph.Nodes[g.Goal], g.Technique, g.Certainty, g.Evidence, 1))
            // In scope order, not the graph's (which follows the order the store returned the policies in).
            .OrderBy(g => g.To.Name, StringComparer.Ordinal).ThenBy(g => g.Technique.Id, StringComparer.Ordinal)];
        var category = direct ? AdminCategory.Administrator
            : shortest is not null ? AdminCategory.CanBecomeAdministrator
            : grants.IsEmpty ? AdminCategory.None : AdminCategory.PrivilegeAdministrator;
        return new CloudStanding(_graph.Nodes[node], category, shortest) { GrantsAt = grants };
    }

    private static bool IsAdministratorTechnique(CloudTechnique t) =>
        t == CloudTechniques.AzureAdministrator || t == CloudTechniques.GcpAdministrator || t == CloudTechniques.AwsAdministrator;

    private Dictionary<int, List<CloudGrant>>? _grantsByFrom;

    private IEnumerable<CloudGrant> GrantsOf(int node)
    {
        _grantsByFrom ??= _graph.Grants.GroupBy(g => g.From).ToDictionary(g => g.Key, g => g.ToList());
        return _grantsByFrom.TryGetValue(node, out var list) ? list : [];
    }

    // ---------- many sources at once: one reverse search from the targets ----------

    private List<CloudEdge>[]? _incoming;

    private List<CloudEdge>[] Incoming()
    {
        if (_incoming is not null) { return _incoming; }
        var incoming = new List<CloudEdge>[_graph.Nodes.Length];
        for (var i = 0; i < incoming.Length; i++) { incoming[i] = []; }
        foreach (var e in _graph.Edges) { incoming[e.To].Add(e); }
        return _incoming = incoming;
    }

    /// <summary>
    /// For every node, its shortest path (in counted hops) to one of <paramref name="targets"/>: over certain edges when one
    /// exists, else over every edge — two reverse searches from the targets, whatever the number of sources.
    /// </summary>
    public CloudReach Reach(IReadOnlyCollection<int> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new CloudReach(this, ReverseSearch(targets, certainOnly: true), ReverseSearch(targets, certainOnly: false));
    }

    private CloudEdge?[] ReverseSearch(IReadOnlyCollection<int> targets, bool certainOnly)
    {
        var n = _graph.Nodes.Length;
        var distance = new int[n];
        Array.Fill(distance, int.MaxValue);
        var next = new CloudEdge?[n];
        var queue = new PriorityQueue<int, (int, int)>();
        foreach (var t in targets)
        {
            distance[t] = 0;
            queue.Enqueue(t, (0, t));
        }
        var incoming = Incoming();
        while (queue.TryDequeue(out var node, out var priority))
        {
            if (priority.Item1 > distance[node]) { continue; }
            foreach (var e in incoming[node])
            {
                if (certainOnly && e.Certainty != EdgeCertainty.Certain) { continue; }
                var d = distance[node] + e.Hops;
                if (d >= distance[e.From]) { continue; }
                distance[e.From] = d;
                next[e.From] = e;
                queue.Enqueue(e.From, (d, e.From));
            }
        }
        // Targets carry no next edge; every other node reached has one.
        return next;
    }

    /// <summary>The result of <see cref="Reach"/>: the next edge of each node towards the targets (certain, then any).</summary>
    public sealed class CloudReach
    {
        private readonly CloudAttackPaths _paths;
        private readonly CloudEdge?[] _certain;
        private readonly CloudEdge?[] _any;

        internal CloudReach(CloudAttackPaths paths, CloudEdge?[] certain, CloudEdge?[] any)
        {
            _paths = paths;
            _certain = certain;
            _any = any;
        }

        /// <summary>The shortest path from <paramref name="node"/> to a target (empty steps for a target), or null.</summary>
        public CloudPath? Path(int node, ISet<int> targets)
        {
            ArgumentNullException.ThrowIfNull(targets);
            var tree = _certain[node] is not null ? _certain : _any[node] is not null ? _any : null;
            if (tree is null)
            {
                return targets.Contains(node) ? new CloudPath(_paths._graph.Nodes[node], _paths._graph.Nodes[node], []) : null;
            }
            var steps = new List<CloudPathStep>();
            var at = node;
            while (!targets.Contains(at) && tree[at] is { } e)
            {
                steps.Add(_paths.Step(e));
                at = e.To;
            }
            return new CloudPath(_paths._graph.Nodes[node], _paths._graph.Nodes[at], [.. steps]);
        }
    }

    /// <summary>Every principal and person with its standing (one reverse search from every administrator), those with
    /// none left out unless <paramref name="includeNone"/>; of one provider when given.</summary>
    public IReadOnlyList<CloudStanding> AllStandings(string? provider = null, bool includeNone = false)
    {
        var goals = Enumerable.Range(0, _graph.Nodes.Length).Where(IsGoal).ToHashSet();
        var reach = Reach(goals);
        return [.. Identities(provider).Select(i => Standing(i, reach.Path(i, goals), null))
            .Where(s => includeNone || s.Category != AdminCategory.None)];
    }

    private IEnumerable<int> Identities(string? provider) => _graph.Nodes
        .Where(n => n.Kind is CloudNodeKind.Principal or CloudNodeKind.Person && (provider is null || n.Provider == provider))
        .Select(n => n.Index);

    /// <summary>
    /// The effective administrators of a scope: administrators of it or of a scope above it, every identity with a path to
    /// one of those, and those that can make others administrators there; administrators first, then by hops and id.
    /// </summary>
    public ScopeAdministrators Administrators(AdminScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var goals = scope.Within.Select(w => _graph.IndexOf(CloudNodeKind.Administrator, $"{scope.Provider}:{w}"))
            .Where(i => i >= 0).ToHashSet();
        if (goals.Count == 0) { return new ScopeAdministrators(scope, []); }
        var reach = Reach(goals);
        ImmutableArray<CloudStanding> rows = [.. Identities(null)
            .Select(i => Standing(i, reach.Path(i, goals) is { Steps.IsEmpty: false } p ? p : null, goals))
            .Where(s => s.Category != AdminCategory.None)
            .OrderByDescending(s => s.Category).ThenBy(s => s.Shortest?.Hops ?? 0).ThenBy(s => s.Node.Id, StringComparer.Ordinal)];
        return new ScopeAdministrators(scope, rows);
    }

    /// <summary>
    /// Every identity that reaches a request: the identities the engine allows (<paramref name="allowed"/>, by node, with the
    /// certainty of its decision) and every one with a path to them or to an administrator of a scope above the resource
    /// (<paramref name="administrators"/>); a path through an administrator is as certain as
    /// <paramref name="administratorCertainty"/> says (deny rules that would still apply to it are not re-evaluated).
    /// Direct first, then by certainty, hops and id.
    /// </summary>
    public IReadOnlyList<CloudReachHit> WhoCan(IReadOnlyDictionary<int, EdgeCertainty> allowed, IReadOnlyCollection<int> administrators,
        EdgeCertainty administratorCertainty)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(administrators);
        var targets = allowed.Keys.Concat(administrators).ToHashSet();
        if (targets.Count == 0) { return []; }
        var reach = Reach(targets);
        var hits = new List<CloudReachHit>();
        foreach (var i in Identities(null))
        {
            if (reach.Path(i, targets) is not { } path) { continue; }
            var viaAdmin = !allowed.TryGetValue(path.Goal.Index, out var decided);
            var certainty = AzurePathEdges.Weakest(path.Certainty, viaAdmin ? administratorCertainty : decided);
            hits.Add(new CloudReachHit(_graph.Nodes[i], path, viaAdmin, certainty));
        }
        return [.. hits.OrderBy(h => h.Path.Steps.IsEmpty ? 0 : 1).ThenBy(h => h.Certainty).ThenBy(h => h.Path.Hops)
            .ThenBy(h => h.Identity.Id, StringComparer.Ordinal)];
    }

    /// <summary>The shortest path to an administrator: over certain edges first, then over every edge; null when none.</summary>
    public CloudPath? Shortest(int source)
    {
        foreach (var certainOnly in new[] { true, false })
        {
            if (Dijkstra(source, certainOnly) is { } path) { return path; }
        }
        return null;
    }

    private CloudPath? Dijkstra(int source, bool certainOnly)
    {
        var n = _graph.Nodes.Length;
        var distance = new int[n];
        Array.Fill(distance, int.MaxValue);
        var previous = new CloudEdge?[n];
        var queue = new PriorityQueue<int, (int, int)>();
        distance[source] = 0;
        queue.Enqueue(source, (0, source));
        while (queue.TryDequeue(out var node, out var priority))
        {
            if (priority.Item1 > distance[node]) { continue; }
            if (IsGoal(node)) { return Build(source, node, previous); }
            foreach (var e in _graph.Outgoing(node))
            {
                if (certainOnly && e.Certainty != EdgeCertainty.Certain) { continue; }
                var d = distance[node] + e.Hops;
                if (d >= distance[e.To]) { continue; }
                distance[e.To] = d;
                previous[e.To] = e;
                queue.Enqueue(e.To, (d, e.To));
            }
        }
        return null;
    }

    private CloudPath Build(int source, int goal, CloudEdge?[] previous)
    {
        var steps = new List<CloudPathStep>();
        for (var at = goal; at != source;)
        {
            var e = previous[at]!;
            steps.Add(Step(e));
            at = e.From;
        }
        steps.Reverse();
        return new CloudPath(_graph.Nodes[source], _graph.Nodes[goal], [.. steps]);
    }

    private CloudPathStep Step(CloudEdge e) => new(_graph.Nodes[e.From], _graph.Nodes[e.To], e.Technique, e.Certainty, e.Evidence, e.Hops);

    /// <summary>
    /// Every simple path to an administrator of at most <paramref name="maxHops"/> hops, by increasing hops (then certainty),
    /// at most <paramref name="limit"/>; truncated when more exist or the search reached <see cref="MaxExpansions"/>.
    /// </summary>
    public (IReadOnlyList<CloudPath> Paths, bool Truncated) AllPaths(int source, int maxHops, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHops, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<CloudPath>();
        var onPath = new bool[_graph.Nodes.Length];
        var stack = new List<CloudEdge>();
        var expansions = 0;
        var truncated = false;
        for (var budget = 0; budget <= maxHops && !truncated; budget++)
        {
            var level = new List<CloudPath>();
            onPath[source] = true;
            Walk(source, 0);
            onPath[source] = false;
            foreach (var p in level.OrderBy(p => p.Certainty).ThenBy(p => p.Steps.Length))
            {
                if (found.Count == limit) { truncated = true; break; }
                found.Add(p);
            }

            void Walk(int node, int hops)
            {
                if (truncated) { return; }
                if (++expansions > MaxExpansions) { truncated = true; return; }
                foreach (var e in _graph.Outgoing(node))
                {
                    var total = hops + e.Hops;
                    if (total > budget || onPath[e.To]) { continue; }
                    stack.Add(e);
                    if (IsGoal(e.To))
                    {
                        if (total == budget) { level.Add(new CloudPath(_graph.Nodes[source], _graph.Nodes[e.To],
                            [.. stack.Select(Step)])); }
                    }
                    else
                    {
                        onPath[e.To] = true;
                        Walk(e.To, total);
                        onPath[e.To] = false;
                    }
                    stack.RemoveAt(stack.Count - 1);
                }
            }
        }
        return (found, truncated);
    }

    /// <summary>Every principal and person with a standing (for `--admins`-style summaries); see <see cref="AllStandings"/>.</summary>
    public IEnumerable<CloudStanding> Standings(string? provider = null) => AllStandings(provider);
}
