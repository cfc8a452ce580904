using System.Collections.Immutable;

namespace Ciem.Core.Paths.Clouds;

public enum CloudNodeKind
{
    /// <summary>An Azure principal (object id), a GCP member, or an AWS user or role reached across clouds.</summary>
    Principal,

    /// <summary>A goal: administrator of an Azure scope, a GCP project, folder or organisation, or an AWS account.</summary>
    Administrator,

    /// <summary>A person resolved from the directories, who signs in to each cloud identity linked to them.</summary>
    Person,

    /// <summary>A class of targets one decision reaches alike (every application service principal of a tenant…).</summary>
    Hub,
}

/// <summary>A node of the multi-cloud graph: <see cref="Id"/> is the cloud's identifier (object id, member, ARN,
/// person key, goal).</summary>
public sealed record CloudNode(int Index, CloudNodeKind Kind, string Provider, string Id, string Name);

/// <summary>
/// One way <see cref="From"/> becomes <see cref="To"/> (or administrator, when <see cref="To"/> is a goal), with the
/// assignments, bindings and statements that decide it. <see cref="Hops"/> is what the edge counts in a path: 0 for
/// "is administrator" and a hub's member, the AWS path's length for <see cref="CloudTechniques.AwsPath"/>, else 1.
/// </summary>
public sealed record CloudEdge(int From, int To, CloudTechnique Technique, EdgeCertainty Certainty, ImmutableArray<string> Evidence,
    int Hops = 1);

/// <summary>
/// <see cref="From"/> can make <em>other</em> principals administrators of the scope of <see cref="Goal"/> (an
/// administrator node): it may assign Owner or User Access Administrator there (Azure), set the IAM policy of the project,
/// folder or organisation (GCP), or hand out the Entra roles that elevate to `/` — decided by the engine as the edges are.
/// </summary>
public sealed record CloudGrant(int From, int Goal, CloudTechnique Technique, EdgeCertainty Certainty, ImmutableArray<string> Evidence);

/// <summary>
/// The principals of the Azure, Entra ID and GCP estates (and the AWS identities and people federated with them) and
/// the ways one becomes another, each edge decided by the cloud's own engine (<see cref="CloudGraphBuilder"/>).
/// <see cref="NotModelled"/> says what the estate lacked to decide.
/// </summary>
public sealed class CloudGraph
{
    private readonly ImmutableArray<CloudEdge>[] _out;
    private readonly Dictionary<string, int> _byId;

    internal CloudGraph(ImmutableArray<CloudNode> nodes, ImmutableArray<CloudEdge>[] outgoing, ImmutableArray<string> notModelled,
        ImmutableArray<CloudGrant> grants)
    {
        Nodes = nodes;
        _out = outgoing;
        NotModelled = notModelled;
        Grants = grants;
        EdgeCount = outgoing.Sum(o => o.Length);
        _byId = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var n in nodes) { _byId.TryAdd(Key(n.Kind, n.Id), n.Index); }
    }

    public ImmutableArray<CloudNode> Nodes { get; }

    public int EdgeCount { get; }

    /// <summary>Who can make other principals administrators of which scope (one per principal and scope, the most certain).</summary>
    public ImmutableArray<CloudGrant> Grants { get; }

    /// <summary>The scope an administrator node stands for (`/subscriptions/…`, `//cloudresourcemanager…/projects/p`), or null.</summary>
    public string? ScopeOf(int node)
    {
        var n = Nodes[node];
        return n.Kind == CloudNodeKind.Administrator && n.Id.StartsWith(n.Provider + ":", StringComparison.Ordinal)
            ? n.Id[(n.Provider.Length + 1)..] : null;
    }

    /// <summary>What the estate lacked to decide some edges (kept as notes, shown with the answers).</summary>
    public ImmutableArray<string> NotModelled { get; }

    public ImmutableArray<CloudEdge> Outgoing(int node) => _out[node];

    public IEnumerable<CloudEdge> Edges => _out.SelectMany(e => e);

    /// <summary>The node of a principal, person or goal with this identifier (case ignored), or -1.</summary>
    public int IndexOf(CloudNodeKind kind, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.TryGetValue(Key(kind, id), out var i) ? i : -1;
    }

    internal static string Key(CloudNodeKind kind, string id) => $"{(int)kind}|{id}";
}

/// <summary>Collects nodes and edges while the providers' edge builders run; one edge per pair, the most certain kept.</summary>
internal sealed class CloudGraphDraft
{
    private readonly List<CloudNode> _nodes = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Dictionary<int, CloudEdge>> _edges = [];
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _notes = new(StringComparer.Ordinal);
    private readonly Dictionary<(int From, int Goal), CloudGrant> _grants = [];

    public int Node(CloudNodeKind kind, string provider, string id, string? name = null)
    {
        lock (_gate)
        {
            var key = CloudGraph.Key(kind, id);
            if (_byKey.TryGetValue(key, out var index))
            {
                // A later caller that knows the display name fills it in, whatever order the builders ran in.
                if (name is not null && _nodes[index].Name == _nodes[index].Id) { _nodes[index] = _nodes[index] with { Name = name }; }
                return index;
            }
            index = _nodes.Count;
            _nodes.Add(new CloudNode(index, kind, provider, id, name ?? id));
            _edges.Add([]);
            _byKey[key] = index;
            return index;
        }
    }

    public int Find(CloudNodeKind kind, string id)
    {
        lock (_gate) { return _byKey.TryGetValue(CloudGraph.Key(kind, id), out var i) ? i : -1; }
    }

    public CloudNode this[int index]
    {
        get { lock (_gate) { return _nodes[index]; } }
    }

    public int Count
    {
        get { lock (_gate) { return _nodes.Count; } }
    }

    /// <summary>The ids of the principal nodes of a provider, in the order they were added.</summary>
    public IEnumerable<string> Nodes(string provider)
    {
        lock (_gate) { return [.. _nodes.Where(n => n.Kind == CloudNodeKind.Principal && n.Provider == provider).Select(n => n.Id)]; }
    }

    public int Administrator(string provider, string scope, string name) => Node(CloudNodeKind.Administrator, provider,
        $"{provider}:{scope}", name);

    public void Edge(CloudEdge edge)
    {
        if (edge.From == edge.To) { return; }
        lock (_gate)
        {
            var local = _edges[edge.From];
            if (!local.TryGetValue(edge.To, out var existing) || Better(edge.Certainty, edge.Hops, edge.Technique.Id, edge.Evidence,
                existing.Certainty, existing.Hops, existing.Technique.Id, existing.Evidence))
            {
                local[edge.To] = edge;
            }
        }
    }

    public void Grant(CloudGrant grant)
    {
        lock (_gate)
        {
            if (!_grants.TryGetValue((grant.From, grant.Goal), out var existing) || Better(grant.Certainty, 0, grant.Technique.Id,
                grant.Evidence, existing.Certainty, 0, existing.Technique.Id, existing.Evidence))
            {
                _grants[(grant.From, grant.Goal)] = grant;
            }
        }
    }

    public void Note(string text)
    {
        lock (_gate) { _notes.Add(text); }
    }

    /// <summary>
    /// The graph, numbered canonically: nodes by kind, provider and id (ordinal), so searches that break ties by node
    /// index answer the same whatever order the store returned the estate in (SQLite and PostgreSQL differ).
    /// </summary>
    public CloudGraph Build()
    {
        lock (_gate)
        {
            var order = Enumerable.Range(0, _nodes.Count).OrderBy(i => _nodes[i].Kind)
                .ThenBy(i => _nodes[i].Provider, StringComparer.Ordinal).ThenBy(i => _nodes[i].Id, StringComparer.Ordinal).ToArray();
            var renumber = new int[order.Length];
            for (var i = 0; i < order.Length; i++) { renumber[order[i]] = i; }
            ImmutableArray<CloudNode> nodes = [.. order.Select((old, i) => _nodes[old] with { Index = i })];
            var outgoing = order.Select(old => _edges[old].Values.Select(e => e with { From = renumber[e.From], To = renumber[e.To] })
                .OrderBy(e => e.To).ToImmutableArray()).ToArray();
            ImmutableArray<CloudGrant> grants = [.. _grants.Values.Select(g => g with { From = renumber[g.From], Goal = renumber[g.Goal] })
                .OrderBy(g => g.From).ThenBy(g => g.Goal)];
            return new CloudGraph(nodes, outgoing, [.. _notes], grants);
        }
    }

    /// <summary>The more certain, then shorter, then (for a tie) the one first by technique and evidence — never arrival order.</summary>
    private static bool Better(EdgeCertainty certainty, int hops, string technique, ImmutableArray<string> evidence,
        EdgeCertainty otherCertainty, int otherHops, string otherTechnique, ImmutableArray<string> otherEvidence)
    {
        if (certainty != otherCertainty) { return certainty < otherCertainty; }
        if (hops != otherHops) { return hops < otherHops; }
        var byTechnique = string.CompareOrdinal(technique, otherTechnique);
        if (byTechnique != 0) { return byTechnique < 0; }
        return string.CompareOrdinal(string.Join('\n', evidence), string.Join('\n', otherEvidence)) < 0;
    }
}

/// <summary>
/// A technique's actions decided by an engine: each group is a choice of alternatives, and every group must be allowed —
/// the first allowed alternative is kept, else an indeterminate one (the edge then is indeterminate); null when a group is denied.
/// </summary>
internal static class Alternatives
{
    public static (EdgeCertainty Certainty, ImmutableArray<string> Evidence)? Decide(string[][] groups, Func<string,
        (Model.Decision Decision, string Explanation)> ask)
    {
        var evidence = new List<string>();
        var certainty = EdgeCertainty.Certain;
        foreach (var group in groups)
        {
            string? best = null;
            var indeterminate = false;
            foreach (var action in group)
            {
                var (decision, explanation) = ask(action);
                if (decision == Model.Decision.Allow) { best = explanation; indeterminate = false; break; }
                if (decision == Model.Decision.Indeterminate && best is null) { best = explanation; indeterminate = true; }
            }
            if (best is null) { return null; }
            if (indeterminate) { certainty = EdgeCertainty.Indeterminate; }
            evidence.Add(best);
        }
        return (certainty, [.. evidence]);
    }
}
