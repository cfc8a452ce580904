using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.App.Usage;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Sweep;

namespace Ciem.App.Questions;

/// <summary>
/// `ciem gap`'s AWS answer: per identity (one when asked by name) the gap between granted and used over the window, and
/// the calls the audit logs recorded for it (<see cref="Used"/>, parallel to <see cref="Gaps"/>).
/// </summary>
public sealed record AwsGapAnswer(
    DateTimeOffset AsOf, int WindowDays, ImmutableArray<IdentityGap> Gaps, ImmutableArray<IReadOnlyList<ObservedAction>> Used)
{
    /// <summary>The totals of every identity, as the last line of the table says.</summary>
    public GapSummary Summary() => GapAnalyzer.Summarize(Gaps, UsageWindow.Of(AsOf, WindowDays).StartInstant, AsOf);
}

/// <summary>`ciem gap --provider azure|gcp`'s answer: per principal (one when asked by name) granted, used, unused, unknown.</summary>
public sealed record CloudGapAnswer(Provider Provider, DateTimeOffset AsOf, int WindowDays, IReadOnlyList<PrincipalGap> Gaps);

/// <summary>
/// Granted versus used over the window, per identity, from the session's current estate and the usage in the store.
/// For Azure and GCP: the distinct permissions granted (effective access from the current inventory), how many of them
/// the activity or audit logs show used in the window, how many were used without a grant in the inventory (a grant not
/// imported, or a permission beyond the catalog), and the last activity of any kind (a sign-in counts), computed by
/// <see cref="CloudGapAnalyzer"/> (shared with `ciem sweep`). Granted permissions not used are *unused* only when a log of
/// the window would have recorded their use; otherwise *unknown* (docs/azure.md and docs/gcp.md, "Unknown, not unused").
/// </summary>
public static class GapQuestion
{
    /// <summary>Every AWS identity, or only the one <paramref name="query"/> names (an ARN, a name or ACCOUNT/NAME).</summary>
    public static QuestionResult<AwsGapAnswer> Aws(CiemSession session, string? query, DateTimeOffset asOf, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        var log = new QuestionLog();
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<AwsGapAnswer>(null); }
        var usage = UsageAccess.Load(session.Store, asOf, options);
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var targets = estate.Identities;
        if (query is not null)
        {
            var who = AwsIdentityQuery.Resolve(estate, query, out var problem);
            if (who is null) { return log.Invalid<AwsGapAnswer>(problem ?? $"no identity matches `{query}`"); }
            targets = [who];
        }
        var gaps = new IdentityGap[targets.Length];
        var used = new IReadOnlyList<ObservedAction>[targets.Length];
        // The administrator category is decided on the attack graph, as the sweep decides it (docs/attack-paths.md).
        var admins = AdminStandings.Aws(session.AwsGraph() ?? EstatePaths.Analyse(estate));
        Parallel.For(0, targets.Length, i =>
        {
            used[i] = usage.Window.TryGetValue(targets[i].Identity.Id, out var w) ? w : [];
            var account = targets[i].Identity.Scope;
            gaps[i] = GapAnalyzer.Analyze(calculator.Compute(targets[i]), used[i], a => usage.RecordedIn(account, a),
                admins.Of(Provider.AwsName, targets[i].Identity.Id));
        });
        return log.Result(new AwsGapAnswer(asOf, options.WindowDays, [.. gaps], [.. used]));
    }

    /// <summary>Every Azure or GCP principal of the current inventory, or only the one <paramref name="query"/> names.</summary>
    public static QuestionResult<CloudGapAnswer> Cloud(
        CiemSession session, Provider provider, string? query, DateTimeOffset asOf, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(session);
        var log = new QuestionLog();
        ImmutableArray<EffectiveAccess> accesses;
        IdentityResolver resolver;
        if (provider == Provider.Azure)
        {
            var loaded = session.Azure;
            if (loaded.Value is not { } azure) { return Unavailable(log, loaded.Error ?? "no Azure estate"); }
            var estate = azure.ToEstate();
            accesses = [.. AzureEffectiveAccess.ComputeAll(estate, AzureOperationCatalog.Default).Select(r => r.Access)];
            resolver = IdentityResolver.ForAzure(estate, session.People.Directories);
        }
        else
        {
            var loaded = session.Gcp;
            if (loaded.Value is not { } gcp) { return Unavailable(log, loaded.Error ?? "no GCP inventory"); }
            accesses = GcpEffectiveAccess.ComputeAll(GcpPolicySet.Create(gcp));
            resolver = IdentityResolver.ForGcp(accesses.Select(a => (a.Identity.Id, a.Identity.Name)));
        }
        var window = UsageWindow.Of(asOf, windowDays);
        var usage = CloudUsage.Load(session.Store, provider, window);
        var evidence = CloudUsage.Evidence(session.Store, provider, window, []);
        if (query is not null)
        {
            var resolution = resolver.Resolve(query);
            if (resolution.Found is not { } found)
            {
                return log.Invalid<CloudGapAnswer>(resolution.Problem(provider.Name, query), DiagnosticCodes.CliUnknownIdentity);
            }
            accesses = [.. accesses.Where(a => string.Equals(a.Identity.Id, found.Id, StringComparison.OrdinalIgnoreCase))];
        }
        var admins = new AdminStandings().AddCloud(session.CloudGraph(asOf), provider.Name);
        var gaps = CloudGapAnalyzer.Analyze(accesses, usage, CloudUsage.ActivityOnly, CloudUsage.RecordingOf(provider, evidence),
            i => admins.Of(provider.Name, i.Id));
        return log.Result(new CloudGapAnswer(provider, asOf, windowDays, gaps));
    }

    private static QuestionResult<CloudGapAnswer> Unavailable(QuestionLog log, string reason) =>
        log.Fail<CloudGapAnswer>(new(QuestionFailure.Unavailable, reason));
}
