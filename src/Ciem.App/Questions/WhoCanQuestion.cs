using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;

namespace Ciem.App.Questions;

/// <summary>
/// Who can perform <see cref="Action"/> on <see cref="Resource"/>: the provider from the action's form unless given;
/// <see cref="Transitive"/> also follows attack paths (an identity that becomes one that can): the AWS attack graph, or the
/// multi-cloud graph for Azure and GCP.
/// </summary>
public sealed record WhoCanRequest(
    string Action,
    string Resource,
    IReadOnlyList<string> Context,
    string? ResourceAccount = null,
    string? Provider = null,
    bool Transitive = false);

/// <summary>
/// The identities allowed, or possibly allowed (indeterminate, conditional), of exactly one provider, ordered as they
/// are listed: allowed first, then by name; <see cref="Asked"/> is how many identities were evaluated and
/// <see cref="Resource"/> the resource as evaluated (GCP's full resource name).
/// </summary>
public sealed record WhoCanAnswer(
    string Provider,
    string Resource,
    int Asked,
    ImmutableArray<AwsWhoCanHit> Aws,
    ImmutableArray<AwsPathHit> AwsPaths,
    ImmutableArray<AzureWhoCanHit> Azure,
    ImmutableArray<GcpWhoCanHit> Gcp)
{
    /// <summary>`--transitive` for Azure and GCP: every identity that reaches the request on the multi-cloud graph, with the path
    /// (allowed identities the graph does not hold, such as groups and public members, as direct hits of no step).</summary>
    public ImmutableArray<CloudReachHit> CloudPaths { get; init; } = [];

    /// <summary>What the multi-cloud graph could not decide (with `--transitive` for Azure and GCP).</summary>
    public ImmutableArray<string> NotModelled { get; init; } = [];
}

public sealed record AwsWhoCanHit(AwsIdentityContext Who, EvaluationResult Result);

/// <summary>An AWS identity that reaches the request, directly (a path of no hop) or by becoming another identity.</summary>
public sealed record AwsPathHit(AwsIdentityContext Who, PathCheck Direct, AttackPath Path);

public sealed record AzureWhoCanHit(ResolvedIdentity Principal, AzureEvaluationResult Result);

public sealed record GcpWhoCanHit(string Member, GcpEvaluationResult Result);

/// <summary>`ciem who-can` for every provider: every identity of the session's estate asked the same request.</summary>
public static class WhoCanQuestion
{
    public static QuestionResult<WhoCanAnswer> Ask(CiemSession session, WhoCanRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        return QuestionLog.OfProvider(request.Provider ?? PrincipalForms.ProviderOfPermission(request.Action), request.Action,
            log => Aws(session, log, request, now), log => Azure(session, log, request, now), log => Gcp(session, log, request, now));
    }

    private static QuestionResult<WhoCanAnswer> Aws(CiemSession session, QuestionLog log, WhoCanRequest q, DateTimeOffset now)
    {
        if (QuestionContext.Aws(q.Context, out var problem) is not { } context) { return log.Invalid<WhoCanAnswer>(problem!); }
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<WhoCanAnswer>(null); }
        foreach (var w in QuarantinedRecords.Warnings(session, Provider.AwsName)) { log.Warn(w); }
        var known = ResourceAccounts.Known(estate, q.Resource, out var accounts);
        if (q.ResourceAccount is null && !known)
        {
            // Each caller's own account is not an answer: evaluated that way, every account's identities look local.
            return log.Invalid<WhoCanAnswer>($"`{q.Resource}` does not name the account that owns it, and the answer depends on it "
                + "(same-account callers need only an identity policy, others also the resource policy): give `--resource-account`, one of "
                + string.Join(", ", accounts.Select(a => $"`{a}`")), DiagnosticCodes.CliIncompleteQuestion);
        }
        var resourceAccount = q.ResourceAccount ?? (accounts.Length == 1 ? accounts[0] : null);
        if (q.Transitive)
        {
            var paths = EstatePaths.Analyse(estate, null, RequestContext.Empty);
            ImmutableArray<AwsPathHit> reached = [.. paths.WhoCan(q.Action, q.Resource, resourceAccount, context)
                .OrderBy(h => h.Path.Certainty).ThenBy(h => AttackPaths.CountedHops(h.Path))
                .ThenBy(h => h.Identity.Identity.Id, StringComparer.Ordinal)
                .Select(h => new AwsPathHit(h.Identity, h.Direct, h.Path))];
            return log.Result(new WhoCanAnswer(Provider.AwsName, q.Resource, estate.Identities.Length, [], reached, [], []));
        }
        // Keys AWS sends with every request are unknown unless given: access that depends on them is conditional, listed apart.
        var sent = AlwaysSentKeys.Apply(context, now);
        var results = new AwsWhoCanHit[estate.Identities.Length];
        Parallel.For(0, results.Length, i =>
        {
            var who = estate.Identities[i];
            results[i] = new AwsWhoCanHit(who, CanQuestion.EvaluateAws(estate, who, q.Action, q.Resource, sent, resourceAccount).Result);
        });
        ImmutableArray<AwsWhoCanHit> hits = [.. results.Where(r => r.Result.Decision is Decision.Allow or Decision.Indeterminate)
            .OrderBy(r => r.Result.Decision).ThenBy(r => r.Result.IsConditional ? 0 : 1)
            .ThenBy(r => r.Who.Identity.Scope, StringComparer.Ordinal)
            .ThenBy(r => r.Who.Identity.Name, StringComparer.OrdinalIgnoreCase)];
        return log.Result(new WhoCanAnswer(Provider.AwsName, q.Resource, results.Length, hits, [], [], []));
    }

    private static QuestionResult<WhoCanAnswer> Azure(CiemSession session, QuestionLog log, WhoCanRequest q, DateTimeOffset now)
    {
        if (QuestionContext.Pairs(q.Context, out var problem) is not { } attributes) { return log.Invalid<WhoCanAnswer>(problem!); }
        if (!log.TryLoad(session.Azure, out var inventory)) { return log.Result<WhoCanAnswer>(null); }
        foreach (var w in QuarantinedRecords.Warnings(session, Provider.AzureName)) { log.Warn(w); }
        var estate = inventory.ToEstate();
        var authorizer = new AzureAuthorizer(estate, AzureOperationCatalog.Default);
        var principals = IdentityLookup.AzureResolver(session, estate).Principals;
        ImmutableArray<AzureWhoCanHit> hits = [.. principals
            .Select(p => new AzureWhoCanHit(new ResolvedIdentity(Provider.AzureName, p.Id, p.Name, p.Type),
                authorizer.Evaluate(CanQuestion.AzureRequest(p.Id, q.Action, q.Resource, attributes))))
            .Where(h => h.Result.Decision is Decision.Allow or Decision.Indeterminate)
            .OrderBy(h => h.Result.Decision).ThenBy(h => h.Principal.Name, StringComparer.OrdinalIgnoreCase)];
        var answer = new WhoCanAnswer(Provider.AzureName, q.Resource, principals.Length, [], [], hits, []);
        if (q.Transitive)
        {
            var direct = hits.Select(h => (h.Principal.Id, h.Principal.Name, h.Result.Decision)).ToList();
            answer = Transitive(session, answer, direct, now, estate.DenyAssignments.IsEmpty);
        }
        return log.Result(answer);
    }

    private static QuestionResult<WhoCanAnswer> Gcp(CiemSession session, QuestionLog log, WhoCanRequest q, DateTimeOffset now)
    {
        if (QuestionContext.GcpTime(q.Context, now, out var problem) is not { } at) { return log.Invalid<WhoCanAnswer>(problem!); }
        if (!log.TryLoad(session.Gcp, out var inventory)) { return log.Result<WhoCanAnswer>(null); }
        foreach (var w in QuarantinedRecords.Warnings(session, Provider.GcpName)) { log.Warn(w); }
        var policies = GcpPolicySet.Create(inventory);
        // Public members (`allUsers`, `allAuthenticatedUsers`) are asked too: a public grant is an answer.
        var members = GcpEffectiveAccess.Members(policies)
            .AddRange(GcpEffectiveAccess.FindPublic(policies).Select(p => GcpMembers.Canonical(p.Member)).Distinct(StringComparer.Ordinal));
        ImmutableArray<GcpWhoCanHit> hits = [.. members
            .Select(m => new GcpWhoCanHit(m, GcpAuthorizer.Evaluate(CanQuestion.GcpRequest(at, m, q.Action, q.Resource), policies)))
            .Where(h => h.Result.Decision is Decision.Allow or Decision.Indeterminate)
            .OrderBy(h => h.Result.Decision).ThenBy(h => h.Member, StringComparer.Ordinal)];
        var answer = new WhoCanAnswer(Provider.GcpName, GcpResource.FullName(q.Resource), members.Length, [], [], [], hits);
        if (q.Transitive)
        {
            var direct = hits.Select(h => (h.Member, h.Member, h.Result.Decision)).ToList();
            answer = Transitive(session, answer, direct, at, inventory.DenyPolicies.IsEmpty);
        }
        return log.Result(answer);
    }

    /// <summary>
    /// `--transitive` for Azure and GCP: on the multi-cloud graph, every identity with a path to one the engine allows, or to
    /// an administrator of a scope above the resource (certain only when the estate holds no deny assignment or deny policy,
    /// which an administrator's new grant would not lift).
    /// </summary>
    private static WhoCanAnswer Transitive(CiemSession session, WhoCanAnswer answer,
        IReadOnlyList<(string Id, string Name, Decision Decision)> direct, DateTimeOffset now, bool noDenies)
    {
        var inputs = CloudEstatePaths.Inputs(session, now);
        var paths = CloudEstatePaths.Analyse(inputs);
        var graph = paths.Graph;
        var allowed = new Dictionary<int, EdgeCertainty>();
        var outside = new List<CloudReachHit>();
        foreach (var (id, name, decision) in direct)
        {
            var certainty = decision == Decision.Allow ? EdgeCertainty.Certain : EdgeCertainty.Indeterminate;
            var node = graph.IndexOf(CloudNodeKind.Principal, id);
            if (node >= 0) { allowed[node] = certainty; continue; }
            var alone = new CloudNode(-1, CloudNodeKind.Principal, answer.Provider, id, name);
            outside.Add(new CloudReachHit(alone, new CloudPath(alone, alone, []), false, certainty));
        }
        var within = answer.Provider == Provider.AzureName
            ? inputs.Azure!.Hierarchy.Ancestry(answer.Resource)
            : inputs.Gcp!.Ancestry(answer.Resource);
        var administrators = within.Select(w => graph.IndexOf(CloudNodeKind.Administrator, $"{answer.Provider}:{w}"))
            .Where(i => i >= 0).ToList();
        var reached = paths.WhoCan(allowed, administrators, noDenies ? EdgeCertainty.Certain : EdgeCertainty.Indeterminate);
        ImmutableArray<CloudReachHit> all = [.. reached.Concat(outside).OrderBy(h => h.Path.Steps.IsEmpty ? 0 : 1)
            .ThenBy(h => h.Certainty).ThenBy(h => h.Path.Hops).ThenBy(h => h.Identity.Id, StringComparer.Ordinal)];
        return answer with { CloudPaths = all, NotModelled = graph.NotModelled };
    }
}
