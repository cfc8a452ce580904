using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.App.Usage;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using Ciem.Core.Risk;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Sweep;

/// <summary>What a sweep asks for: the instant its window ends on, the options, and the providers (empty: those the store holds).</summary>
public sealed record SweepRequest(DateTimeOffset AsOf, SweepOptions Options)
{
    public ImmutableArray<Provider> Providers { get; init; } = [];

    /// <summary>
    /// The AWS usage already loaded for this <see cref="AsOf"/> and the options' window (UsageAccess.Load), reused instead
    /// of reading it again; null reads it from the store.
    /// </summary>
    public UsageData? Usage { get; init; }

    /// <summary>Whether to build the risk view (administrator categories, paths, risk factors of every provider); off for the
    /// demo's weekly rounds, which show no report.</summary>
    public bool Risk { get; init; } = true;
}

/// <summary>The kinds of <see cref="SweepNotice"/>.</summary>
public enum SweepNoticeKind
{
    /// <summary>A requested provider has no inventory in the store: the sweep stops.</summary>
    Missing,

    /// <summary>Diagnostics while resolving the AWS inventory (policies shown as indeterminate): the sweep goes on.</summary>
    Diagnostics,

    /// <summary>The window holds no usage of a provider: every identity looks inactive.</summary>
    NoUsage,
}

/// <summary>Something a sweep tells its host (lowercase, no final period), in the order it arose.</summary>
public sealed record SweepNotice(SweepNoticeKind Kind, string Message, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>A sweep's result (null when a <see cref="SweepNoticeKind.Missing"/> notice stopped it) and its notices.</summary>
public sealed record SweepOutcome<T>(T? Result, ImmutableArray<SweepNotice> Notices)
    where T : class;

/// <summary>
/// The sweep over a <see cref="CiemSession"/>: every identity of every provider the store holds (or those asked for),
/// AWS through <see cref="SweepRunner"/> with the window's usage, Azure and GCP through <see cref="CloudSweepRunner"/>,
/// combined with slices and the resource exposures. `ciem sweep`, `ciem propose`, the review programme and the demo
/// call it; the store is the session's, each estate loaded once.
/// </summary>
public static class EstateSweeper
{
    /// <summary>The providers with a current snapshot, in the order aws, azure, gcp; AWS alone when the store holds none (its sweep explains).</summary>
    public static ImmutableArray<Provider> ProvidersWithData(CiemSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var found = session.ProvidersWithData();
        return found.IsEmpty ? [Provider.Aws] : found;
    }

    /// <summary>
    /// Sweeps the estate; <paramref name="progress"/> hears the AWS identities done. Given a <paramref name="sink"/>, each AWS
    /// identity's outcome goes to it as it is computed (from the sweep's worker threads; proposals with the paths they cut)
    /// and the result keeps counts only (<see cref="SweepResult.Streamed"/>), so memory does not grow with the details.
    /// </summary>
    public static SweepOutcome<EstateSweepResult> Sweep(CiemSession session, SweepRequest request,
        IProgress<SweepProgress>? progress = null, Action<AwsSweepItem>? sink = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        var notices = ImmutableArray.CreateBuilder<SweepNotice>();
        var which = request.Providers.IsDefaultOrEmpty ? ProvidersWithData(session) : [.. Provider.All.Where(request.Providers.Contains)];
        var (when, options) = (request.AsOf, request.Options);
        SweepResult? aws = null;
        AwsEstate? estate = null;
        CloudSweepResult? azure = null, gcp = null;
        // The attack graphs are built once: they decide every identity's administrator category, the risk view and the
        // paths each proposal cuts (docs/attack-paths.md).
        var admins = new AdminStandings();
        AttackPaths? analysis = null;
        CloudAttackPaths? cloudPaths = null;
        if (which.Contains(Provider.Aws))
        {
            estate = Estate(session, notices);
            if (estate is null) { return new(null, notices.ToImmutable()); }
            analysis = session.AwsGraph() ?? EstatePaths.Analyse(estate);
            admins.AddAws(analysis);
        }
        if (which.Contains(Provider.Azure) || which.Contains(Provider.Gcp))
        {
            cloudPaths = session.CloudGraph(when);
            if (which.Contains(Provider.Azure)) { admins.AddCloud(cloudPaths, Provider.AzureName); }
            if (which.Contains(Provider.Gcp)) { admins.AddCloud(cloudPaths, Provider.GcpName); }
        }
        request = request with { Options = options with { Administrators = admins } };
        options = request.Options;
        if (estate is not null) { aws = RunAws(session, estate, request, notices, progress, sink, analysis); }
        if (which.Contains(Provider.Azure))
        {
            var inventory = Value(session.Azure, notices);
            if (inventory is null) { return new(null, notices.ToImmutable()); }
            var (usage, evidence) = Cloud(session.Store, Provider.Azure, request, notices);
            azure = Named(CloudSweepRunner.RunAzure(inventory, usage, CloudUsage.ActivityOnly, when, options, evidence: evidence),
                AzureNames(session, inventory));
        }
        if (which.Contains(Provider.Gcp))
        {
            var inventory = Value(session.Gcp, notices);
            if (inventory is null) { return new(null, notices.ToImmutable()); }
            var (usage, evidence) = Cloud(session.Store, Provider.Gcp, request, notices);
            gcp = CloudSweepRunner.RunGcp(GcpPolicySet.Create(inventory), usage, when, options, evidence);
        }
        var result = EstateSweep.Combine(when, options, aws, estate is null ? null : estate.ResolveEnvironment, azure, gcp) with
        {
            ResourceExposures = estate is null ? [] : [.. EstatePaths.ResourceExposures(estate)],
            Risk = request.Risk ? new RiskView(EstateRisk.ForSweep(analysis, cloudPaths, estate, azure, gcp, when,
                options.WindowDays)) : null,
        };
        return new(result, notices.ToImmutable());
    }

    /// <summary>Sweeps the AWS estate alone (`ciem propose`); <paramref name="progress"/> hears the identities done.</summary>
    public static SweepOutcome<SweepResult> SweepAws(CiemSession session, SweepRequest request, IProgress<SweepProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        var notices = ImmutableArray.CreateBuilder<SweepNotice>();
        var estate = Estate(session, notices);
        return estate is null
            ? new(null, notices.ToImmutable())
            : new(RunAws(session, estate, request, notices, progress), notices.ToImmutable());
    }

    /// <summary>The options with the imported Identity Center permission sets and account assignments (proposals per permission set).</summary>
    public static SweepOptions WithIdentityCenter(ICiemStore store, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var directories = store.LoadDirectories();
        return options with
        {
            PermissionSets = [.. directories.SelectMany(d => d.PermissionSets)],
            AccountAssignments = [.. directories.SelectMany(d => d.AccountAssignments)],
        };
    }

    /// <summary>
    /// The names of Azure principals as `identities` lists them and every command accepts them: the Entra directory's
    /// display name (object ids in the exports), else the assignment's, else the id (<see cref="IdentityResolver.ForAzure"/>).
    /// </summary>
    private static Dictionary<string, string> AzureNames(CiemSession session, Core.Azure.AzureInventory inventory) =>
        IdentityResolver.ForAzure(inventory.ToEstate(), session.Store.LoadDirectories()).Principals
            .GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The sweep with each principal shown by <paramref name="names"/> (its identities, proposals, failures and exclusions).</summary>
    private static CloudSweepResult Named(CloudSweepResult result, Dictionary<string, string> names)
    {
        Identity Shown(Identity i) =>
            names.TryGetValue(i.Id, out var name) && !string.Equals(name, i.Name, StringComparison.Ordinal) ? i with { Name = name } : i;
        return result with
        {
            Identities = [.. result.Identities.Select(x => x with { Gap = x.Gap with { Identity = Shown(x.Gap.Identity) } })],
            Proposals = [.. result.Proposals.Select(p => p with { Identity = Shown(p.Identity) })],
            Failures = [.. result.Failures.Select(f => f with { Identity = Shown(f.Identity) })],
            Excluded = [.. result.Excluded.Select(e => e with { Identity = Shown(e.Identity) })],
        };
    }

    private static AwsEstate? Estate(CiemSession session, ImmutableArray<SweepNotice>.Builder notices)
    {
        var loaded = session.Aws;
        if (loaded.Value is null)
        {
            notices.Add(new SweepNotice(SweepNoticeKind.Missing, loaded.Error!, []));
            return null;
        }
        if (!loaded.Diagnostics.IsEmpty)
        {
            notices.Add(new SweepNotice(SweepNoticeKind.Diagnostics,
                $"{loaded.Diagnostics.Length} diagnostic(s) while resolving the inventory (policies that cannot be fully evaluated are shown as indeterminate)",
                loaded.Diagnostics));
        }
        return loaded.Value;
    }

    private static T? Value<T>(Loaded<T> loaded, ImmutableArray<SweepNotice>.Builder notices)
        where T : class
    {
        if (loaded.Value is null) { notices.Add(new SweepNotice(SweepNoticeKind.Missing, loaded.Error!, [])); }
        return loaded.Value;
    }

    private static SweepResult RunAws(CiemSession session, AwsEstate estate, SweepRequest request, ImmutableArray<SweepNotice>.Builder notices,
        IProgress<SweepProgress>? progress, Action<AwsSweepItem>? sink = null, AttackPaths? analysis = null)
    {
        var (when, options) = (request.AsOf, request.Options);
        var store = session.Store;
        var usage = request.Usage ?? UsageAccess.Load(store, when, options);
        options = WithIdentityCenter(store, options);
        if (usage.Coverage.Events == 0)
        {
            notices.Add(new SweepNotice(SweepNoticeKind.NoUsage,
                $"no usage in the {options.WindowDays} days before {when:yyyy-MM-dd}: every identity looks inactive (run `ciem import cloudtrail PATH`, or set --as-of)", []));
        }
        options = options with { Proposal = options.Proposal with { DataEvents = usage.DataEvents } };
        Action<int, int>? report = progress is null ? null : (done, total) => progress.Report(new SweepProgress(done, total));
        // Each proposal says which escalation paths it cuts at the first hop (docs/attack-paths.md).
        if (sink is null)
        {
            return ProposalPaths.Annotate(estate,
                SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, options, report), analysis);
        }
        var annotator = new ProposalPaths.Annotator(estate, analysis);
        return SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, options, report,
            item => sink(item.Proposal is { } p ? item with { Proposal = annotator.Annotate(p) } : item));
    }

    private static (IReadOnlyList<ObservedUse> Usage, CloudSweepEvidence Evidence) Cloud(ICiemStore store, Provider provider, SweepRequest request,
        ImmutableArray<SweepNotice>.Builder notices)
    {
        var (when, options) = (request.AsOf, request.Options);
        var window = UsageWindow.Of(when, options.WindowDays, options.LookbackDays);
        var usage = CloudUsage.Load(store, provider, window);
        var evidence = CloudUsage.Evidence(store, provider, window, [.. options.Proposal.KeepActions]);
        if (usage.IsEmpty)
        {
            var import = provider == Provider.Azure ? "ciem import azure-activity PATH" : "ciem import gcp-audit PATH";
            notices.Add(new SweepNotice(SweepNoticeKind.NoUsage,
                $"no {provider} usage in the {options.WindowDays} days before {when:yyyy-MM-dd}: every principal looks inactive (run `{import}`, or set --as-of)", []));
        }
        return (usage, evidence);
    }
}

/// <summary>Identities swept so far out of all.</summary>
public readonly record struct SweepProgress(int Done, int Total);
