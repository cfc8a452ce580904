using System.Collections.Immutable;
using Ciem.App.Questions;
using Ciem.Core.Azure;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Paths;
using Ciem.Core.Model;
using Ciem.Core.Paths.Clouds;

namespace Ciem.App;

/// <summary>The answer to `ciem paths` for an Azure, GCP or federated identity (or a person): its standing and paths,
/// or an error.</summary>
public sealed record CloudPathsAnswer(
    CloudNode? Identity,
    CloudStanding? Standing,
    IReadOnlyList<CloudPath> Paths,
    bool Truncated,
    ImmutableArray<string> NotModelled,
    string? Error = null,
    ImmutableArray<string> Candidates = default)
{
    /// <summary>The store holds no Azure or GCP estate: nothing to analyse (as opposed to a bad question).</summary>
    public bool NoEstate { get; init; }

    /// <summary>What the answer rests on leaves out: records the imports of the current snapshots quarantined.</summary>
    public ImmutableArray<QuestionWarning> Warnings { get; init; } = [];
}

/// <summary>The effective administrators of each Azure subscription or GCP project asked, with what the graph could not decide.</summary>
public sealed record CloudAdministratorsAnswer(string Provider, ImmutableArray<ScopeAdministrators> Scopes,
    ImmutableArray<string> NotModelled);

/// <summary>
/// The multi-cloud attack-path workflow the hosts share: the Azure, GCP, directory and AWS content of the store turned
/// into a <see cref="CloudGraph"/> (docs/attack-paths.md), and the questions asked of it.
/// </summary>
public static class CloudEstatePaths
{
    /// <summary>What the store holds, as the graph builder's inputs; the AWS attack graph is built only when an edge reaches AWS.</summary>
    public static CloudGraphInputs Inputs(CiemSession session, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        var azure = session.Azure.Value;
        var gcp = session.Gcp.Value;
        var aws = session.Aws.Value;
        var directories = session.StoreExists ? session.Store.LoadDirectories() : [];
        var azureEstate = azure?.ToEstate();
        var policies = gcp is null ? null : GcpPolicySet.Create(gcp);
        IdentityLinkResult? links = null;
        if (!directories.IsEmpty)
        {
            ImmutableArray<string> azurePrincipals = azure is null ? [] : [.. azure.RoleAssignments.Select(a => a.PrincipalId)
                .Concat(azure.EligibleAssignments.Select(a => a.PrincipalId)).Distinct(StringComparer.OrdinalIgnoreCase)];
            ImmutableArray<string> gcpMembers = gcp is null ? [] : [.. gcp.Policies.SelectMany(p => p.Bindings).SelectMany(b =>
                b.Members).Distinct(StringComparer.OrdinalIgnoreCase)];
            links = IdentityLinker.Link(directories, new LinkTargets([.. aws?.Identities.Select(i => i.Identity) ?? []],
                azurePrincipals, gcpMembers));
        }
        return new CloudGraphInputs
        {
            Azure = azureEstate,
            Gcp = policies,
            Directories = directories,
            Aws = aws,
            AwsPaths = aws is null ? null : () => EstatePaths.Analyse(aws),
            Links = links,
            AsOf = asOf,
        };
    }

    public static CloudAttackPaths Analyse(CloudGraphInputs inputs) => new(CloudGraphBuilder.Build(inputs));

    /// <summary>
    /// The standing of an identity and its paths to an administrator of at most <paramref name="maxHops"/> hops (1–20),
    /// at most <paramref name="limit"/>; an error when the store holds no Azure or GCP estate or the identity is unknown.
    /// </summary>
    public static CloudPathsAnswer Find(CiemSession session, string identity, int maxHops, int limit, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(identity);
        if (maxHops is < 1 or > 20) { return Failed($"`--max-hops {maxHops}` is out of range: give 1 to 20 hops"); }
        if (limit < 1) { return Failed($"`--limit {limit}` must be at least 1"); }
        if (session.Azure.Value is null && session.Gcp.Value is null)
        {
            return Failed($"{session.Azure.Error}; {session.Gcp.Error}") with { NoEstate = true };
        }
        return Find(Analyse(Inputs(session, asOf)), identity, maxHops, limit) with
        {
            Warnings = [.. Provider.All.SelectMany(p => QuarantinedRecords.Warnings(session, p.Name))],
        };
    }

    public static CloudPathsAnswer Find(CloudAttackPaths paths, string identity, int maxHops, int limit)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var match = paths.Resolve(identity);
        if (match.Node < 0) { return Failed(match.Error!, match.Candidates) with { NotModelled = paths.Graph.NotModelled }; }
        var standing = paths.Standing(match.Node);
        var (all, truncated) = paths.AllPaths(match.Node, maxHops, limit);
        return new CloudPathsAnswer(paths.Graph.Nodes[match.Node], standing, all, truncated, paths.Graph.NotModelled);
    }

    /// <summary>
    /// The effective administrators of every Azure subscription or GCP project (of <paramref name="scope"/> only, when given:
    /// a subscription id or scope, a project id or full name): administrators, those who can become one with the path, and
    /// those who can make others administrators, each decided on the multi-cloud graph.
    /// </summary>
    public static QuestionResult<CloudAdministratorsAnswer> Administrators(CiemSession session, string provider, string? scope,
        DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(provider);
        var log = new QuestionLog();
        if (provider == Provider.AzureName && !log.TryLoad(session.Azure, out _)) { return log.Result<CloudAdministratorsAnswer>(null); }
        if (provider == Provider.GcpName && !log.TryLoad(session.Gcp, out _)) { return log.Result<CloudAdministratorsAnswer>(null); }
        if (provider is not (Provider.AzureName or Provider.GcpName))
        {
            return log.Invalid<CloudAdministratorsAnswer>(
                $"`--provider {provider}`: the multi-cloud administrators are of `azure` or `gcp`");
        }
        foreach (var w in Provider.All.SelectMany(p => QuarantinedRecords.Warnings(session, p.Name))) { log.Warn(w); }
        var inputs = Inputs(session, asOf);
        var scopes = Scopes(inputs, provider);
        if (scope is not null)
        {
            var wanted = scopes.Where(s => Names(s, scope)).ToImmutableArray();
            if (wanted.IsEmpty)
            {
                var what = provider == Provider.AzureName ? "subscription" : "project";
                return log.Invalid<CloudAdministratorsAnswer>($"no {what} `{scope}` in the {provider} estate (one of "
                    + string.Join(", ", scopes.Take(10).Select(s => $"`{s.Name}`")) + (scopes.Length > 10 ? ", …" : "") + ")");
            }
            scopes = wanted;
        }
        var paths = Analyse(inputs);
        return log.Result(new CloudAdministratorsAnswer(provider, [.. scopes.Select(paths.Administrators)], paths.Graph.NotModelled));
    }

    /// <summary>The subscriptions or projects of the graph's inputs.</summary>
    public static ImmutableArray<AdminScope> Scopes(CloudGraphInputs inputs, string provider)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return provider == Provider.AzureName
            ? inputs.Azure is { } azure ? AdminScopes.Azure(azure) : []
            : inputs.Gcp is { } gcp ? AdminScopes.Gcp(gcp) : [];
    }

    private static bool Names(AdminScope s, string query)
    {
        var q = query.Trim();
        return string.Equals(s.Scope, q, StringComparison.OrdinalIgnoreCase)
            || string.Equals(s.Name, q, StringComparison.OrdinalIgnoreCase)
            || s.Provider == Provider.AzureName && AzureScope.AreEqual(s.Scope, "/subscriptions/" + q)
            || s.Provider == Provider.GcpName && s.Scope.EndsWith("/projects/" + q, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every principal's standing on the graph of one provider's estate (category none included: an actor of the graph
    /// with no standing), by node id, for the identity listing.
    /// </summary>
    public static IReadOnlyDictionary<string, CloudStanding> Standings(CiemSession session, string provider, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Standings(Analyse(Inputs(session, asOf)), provider);
    }

    /// <summary>Every principal's standing on a graph already built (the identity listing, the sweep's risk view).</summary>
    public static IReadOnlyDictionary<string, CloudStanding> Standings(CloudAttackPaths paths, string provider)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.AllStandings(provider, includeNone: true).GroupBy(s => s.Node.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
    }

    private static CloudPathsAnswer Failed(string error, ImmutableArray<string> candidates = default) =>
        new(null, null, [], false, [], error, candidates.IsDefault ? [] : candidates);
}
