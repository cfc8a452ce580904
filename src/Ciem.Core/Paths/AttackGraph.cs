using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;

namespace Ciem.Core.Paths;

/// <summary>How sure an edge is: decided by the engine, possible only if a resource exists, or undecided.</summary>
public enum EdgeCertainty
{
    Certain,

    /// <summary>The technique needs a resource the estate does not show (a function, an instance, a stack…).</summary>
    NeedsResource,

    /// <summary>Unknown policy content (or a grant naming particular resources) decides the edge.</summary>
    Indeterminate,
}

public enum AttackNodeKind
{
    Principal,

    /// <summary>
    /// A class of targets one grant reaches alike (the roles of an account that trust a service, its users, its
    /// principals for an administrator): a principal whose grant does not depend on the target gets one edge to the
    /// hub instead of one per target, which keeps the graph linear in the principals.
    /// </summary>
    Hub,
}

/// <summary>A node: a principal (<see cref="Identity"/> set, same index as in the estate) or a hub.</summary>
public sealed record AttackNode(int Index, AttackNodeKind Kind, string Id, string Account, AwsIdentityContext? Identity);

/// <summary>One way <see cref="From"/> becomes <see cref="To"/>, with the engine's answers that decide it.</summary>
public sealed record AttackEdge(int From, int To, AwsTechnique Technique, EdgeCertainty Certainty, ImmutableArray<PathCheck> Checks);

/// <summary>
/// A principal that can give other principals (or itself) administrator rights: <see cref="Targets"/> is the set of
/// principal indices it can make administrators with <see cref="Technique"/>, decided by the engine.
/// </summary>
public sealed record GrantEdge(int From, AwsTechnique Technique, EdgeCertainty Certainty, ImmutableArray<PathCheck> Checks, ulong[] Targets)
{
    public bool Includes(int principal) => Collections.BitWords.Contains(Targets, principal);
}

/// <summary>Whether a principal is an administrator of its account (<see cref="AwsAdminProbe"/>) and the probes' answers.</summary>
public sealed record AdminDecision(Decision Decision, ImmutableArray<PathCheck> Checks)
{
    public bool IsAdministrator => Decision == Decision.Allow;

    public bool MaybeAdministrator => Decision is Decision.Allow or Decision.Indeterminate;
}

/// <summary>Options of the graph: the session context every request carries.</summary>
public sealed record AttackGraphOptions
{
    /// <summary>
    /// A session signed in with MFA a minute ago: what the principal's owner can open, so an administrator whose
    /// policies deny everything without MFA still counts. Stolen access keys carry no MFA: ask with
    /// `aws:MultiFactorAuthPresent=false` (and no age) to see the paths they open.
    /// </summary>
    public static readonly RequestContext MfaSession = RequestContext.Create(
    [
        new("aws:MultiFactorAuthPresent", ContextValue.Single("true")),
        new("aws:MultiFactorAuthAge", ContextValue.Single("60")),
    ]);

    /// <summary>
    /// Context keys added to every request (default <see cref="MfaSession"/>). A condition on a key the request does
    /// not carry evaluates as AWS documents (absent key: false), as in `ciem can`.
    /// </summary>
    public RequestContext Session { get; init; } = MfaSession;

    /// <summary>
    /// Every candidate pair goes to the engine: no trust index, no grant-pattern pre-filter, no effective-permission
    /// gate. Slow (quadratic); the tests build small estates both ways and require the same graph.
    /// </summary>
    internal bool Exhaustive { get; init; }
}

/// <summary>
/// The principals of an AWS estate and the ways one becomes another (<see cref="AttackEdge"/>) or gives another
/// administrator rights (<see cref="GrantEdge"/>), built once with <see cref="AttackGraphBuilder"/>; every edge is
/// decided by <see cref="AwsAuthorizer"/> with conditions, boundaries, SCPs, RCPs and trust policies applied.
/// Principal nodes have the estate's indices; hubs follow.
/// </summary>
public sealed class AttackGraph
{
    private readonly ImmutableArray<AttackEdge>[] _out;
    private readonly ImmutableArray<AttackEdge>[] _in;

    internal AttackGraph(AwsEstate estate, ImmutableArray<AttackNode> nodes, ImmutableArray<AttackEdge>[] outgoing,
        ImmutableArray<GrantEdge> grants, ImmutableArray<AdminDecision> admins, AttackGraphOptions options)
    {
        Estate = estate;
        Nodes = nodes;
        _out = outgoing;
        var incoming = new List<AttackEdge>[nodes.Length];
        foreach (var edges in outgoing)
        {
            foreach (var e in edges) { (incoming[e.To] ??= []).Add(e); }
        }
        _in = [.. incoming.Select(l => l is null ? [] : l.ToImmutableArray())];
        Grants = grants;
        GrantsBySource = grants.GroupBy(g => g.From).ToDictionary(g => g.Key, g => g.ToImmutableArray());
        Admins = admins;
        Options = options;
        EdgeCount = outgoing.Sum(o => o.Length);
    }

    public AwsEstate Estate { get; }

    public ImmutableArray<AttackNode> Nodes { get; }

    /// <summary>The number of principals (the first nodes).</summary>
    public int PrincipalCount => Estate.Identities.Length;

    public ImmutableArray<GrantEdge> Grants { get; }

    public IReadOnlyDictionary<int, ImmutableArray<GrantEdge>> GrantsBySource { get; }

    /// <summary>One decision per principal, by index.</summary>
    public ImmutableArray<AdminDecision> Admins { get; }

    public AttackGraphOptions Options { get; }

    public int EdgeCount { get; }

    public ImmutableArray<AttackEdge> Outgoing(int node) => _out[node];

    public ImmutableArray<AttackEdge> Incoming(int node) => _in[node];

    /// <summary>The index of the principal with this ARN, or -1.</summary>
    public int IndexOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        for (var i = 0; i < PrincipalCount; i++)
        {
            if (Estate.Identities[i].Identity.Id == id) { return i; }
        }
        return -1;
    }

    /// <summary>The principal's index, or -1.</summary>
    public int IndexOf(AwsIdentityContext who)
    {
        ArgumentNullException.ThrowIfNull(who);
        for (var i = 0; i < PrincipalCount; i++)
        {
            if (ReferenceEquals(Estate.Identities[i], who) || Estate.Identities[i].Identity.Id == who.Identity.Id) { return i; }
        }
        return -1;
    }
}
