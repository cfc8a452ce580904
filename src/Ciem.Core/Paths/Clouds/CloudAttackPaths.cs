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

/// <summary>A node's standing: administrator (a certain "is administrator" step), can become one (with the shortest
/// path), or none.</summary>
public sealed record CloudStanding(CloudNode Node, AdminCategory Category, CloudPath? Shortest);

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
        return new(-1, $"no Azure, GCP or federated identity `{q}` in the estate's attack graph (an Azure object id, a GCP member or email, a person's address)", []);
    }

    public CloudStanding Standing(int node)
    {
        var shortest = Shortest(node);
        var direct = _graph.Outgoing(node).Any(e => e.Hops == 0 && IsGoal(e.To) && e.Certainty == EdgeCertainty.Certain
            && (e.Technique == CloudTechniques.AzureAdministrator || e.Technique == CloudTechniques.GcpAdministrator || e.Technique == CloudTechniques.AwsAdministrator));
        var category = direct ? AdminCategory.Administrator : shortest is not null ? AdminCategory.CanBecomeAdministrator : AdminCategory.None;
        return new CloudStanding(_graph.Nodes[node], category, shortest);
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

    /// <summary>Every principal and person with its standing, administrators and those with a path first (for
    /// `--admins`-style summaries).</summary>
    public IEnumerable<CloudStanding> Standings(string? provider = null) =>
        _graph.Nodes.Where(n => n.Kind is CloudNodeKind.Principal or CloudNodeKind.Person && (provider is null || n.Provider == provider))
            .Select(n => Standing(n.Index)).Where(s => s.Category != AdminCategory.None);
}
