using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Azure.Usage;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.Gcp.Usage;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Sweep;

/// <summary>One Azure or GCP principal in the sweep: its gap, its environment and what it keeps once proposals apply.</summary>
public sealed record CloudIdentitySweep(PrincipalGap Gap, ResolvedEnvironment Environment, long GrantedAfter);

/// <summary>A verified Azure or GCP proposal (exactly one of <see cref="Azure"/> and <see cref="Gcp"/> is set).</summary>
public sealed record CloudProposal(Identity Identity, ResolvedEnvironment Environment, AzureRoleProposal? Azure, GcpRoleProposal? Gcp)
{
    public int GrantedBefore => Azure?.GrantedBefore ?? Gcp!.GrantedBefore;

    public int GrantedAfter => Azure?.GrantedAfter ?? Gcp!.GrantedAfter;

    public double ReductionPercent => GrantedBefore == 0 ? 0 : Math.Round(100.0 * (GrantedBefore - GrantedAfter) / GrantedBefore, 1);

    /// <summary>What is proposed, in one line.</summary>
    public string Summary => Azure is { } a ? $"custom role `{a.Role.RoleName}` at `{a.Scope}`" : $"{Gcp!.Note}; `{Gcp.Role}` on `{Gcp.Resource}`";

    /// <summary>The role (or, for a predefined GCP role, the binding) as the provider's CLI reads it.</summary>
    public string Document => Azure?.RoleDefinitionJson ?? Gcp!.Json;

    /// <summary>The file name ending of <see cref="Document"/>: `role.json` or `binding.json`.</summary>
    public string DocumentExtension => Azure is not null || !Gcp!.IsPredefined ? "role.json" : "binding.json";

    public string Terraform => Azure?.Terraform ?? Gcp!.Terraform;
}

/// <summary>An eligible principal whose proposal was not emitted, and why (the proposer's reasons).</summary>
public sealed record CloudProposalFailure(Identity Identity, ImmutableArray<string> Reasons);

/// <summary>A principal left out of proposals on purpose, and why (a provider-managed identity that cannot be rewritten).</summary>
public sealed record CloudExclusion(Identity Identity, string Reason);

/// <summary>The sweep of one Azure or GCP estate: every principal, the verified proposals, the failures and the exclusions.</summary>
public sealed record CloudSweepResult(
    string Provider,
    ImmutableArray<CloudIdentitySweep> Identities,
    ImmutableArray<CloudProposal> Proposals,
    ImmutableArray<CloudProposalFailure> Failures,
    ImmutableArray<CloudExclusion> Excluded);

/// <summary>
/// What the sweep knows about the logs beyond the window's usage: the usage of the lookback before the window (seasonal
/// permissions are kept), which permissions the window's logs would record (Azure data-plane providers, GCP services with
/// Data Access entries: the rest is unknown, kept and marked), the days with usage, and the exceptions always kept.
/// Without it the sweep counts every permission not seen as unused and proposes exactly the observed ones.
/// </summary>
public sealed record CloudSweepEvidence
{
    /// <summary>Usage rows of the lookback before the window.</summary>
    public IReadOnlyList<ObservedUse> Lookback { get; init; } = [];

    public AzureUsageRecording AzureRecording { get; init; } = AzureUsageRecording.ActivityLogOnly;

    public GcpUsageRecording GcpRecording { get; init; } = GcpUsageRecording.AdminActivityOnly;

    /// <summary>Days of the window with usage of the provider (the proposals' confidence).</summary>
    public int? ObservedDays { get; init; }

    /// <summary>Permissions always kept when granted (`--keep`).</summary>
    public IReadOnlyCollection<string> Keep { get; init; } = [];

    /// <summary>Whether a granted Azure operation's use is recorded by the window's logs.</summary>
    public UsageRecording Azure(PermissionGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return AzureRecording.Recording(grant.Permission, grant.AccessLevel.StartsWith("Data", StringComparison.Ordinal));
    }

    /// <summary>Whether a granted GCP permission's use is recorded by the window's logs.</summary>
    public UsageRecording Gcp(PermissionGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return GcpRecording.Recording(grant.Permission);
    }
}

/// <summary>
/// The sweep for Azure and GCP: effective access of every principal, the gap against the window's usage
/// (<see cref="CloudGapAnalyzer"/>), and a verified proposal (<see cref="AzureRoleProposer"/>,
/// <see cref="GcpRoleProposer"/>) for each principal that is active (used a granted permission), whose unused share is
/// at least <see cref="SweepOptions.MinimumUnusedShare"/> and that is not provider-managed. Pure; usage is handed in.
/// </summary>
public static class CloudSweepRunner
{
    /// <param name="inventory">the Azure inventory.</param>
    /// <param name="usage">the window's usage rows (Azure activity log).</param>
    /// <param name="activityOnly">actions that show activity but grant nothing (the Entra sign-in).</param>
    /// <param name="asOf">the end of the window.</param>
    /// <param name="options">minimum unused share and the identities to keep (`Only`).</param>
    /// <param name="catalog">the operation catalog (default: the shipped one).</param>
    /// <param name="evidence">lookback, log coverage and exceptions (unknown permissions and seasonal use kept).</param>
    public static CloudSweepResult RunAzure(AzureInventory inventory, IReadOnlyList<ObservedUse> usage, IReadOnlySet<string>? activityOnly, DateTimeOffset asOf,
        SweepOptions? options = null, AzureOperationCatalog? catalog = null, CloudSweepEvidence? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(usage);
        options ??= new SweepOptions();
        catalog ??= AzureOperationCatalog.Default;
        var estate = inventory.ToEstate();
        var accesses = AzureEffectiveAccess.ComputeAll(estate, catalog).Select(r => r.Access).Where(a => Selected(options, a.Identity)).ToImmutableArray();
        var lookback = evidence?.Lookback.ToLookup(u => u.Identity, StringComparer.OrdinalIgnoreCase);
        AzureObservedOperation Observed(ObservedUse u) => new(u.Action, u.Resource, u.Count, PlaneOf(catalog, u.Action));
        var standings = options.Administrators is { } given && given.Covers(Provider.AzureName) ? given : AdminStandings.Azure(estate, asOf);
        return Run(Provider.AzureName, accesses, usage, activityOnly, options, standings, EnvironmentResolver.ForAzurePrincipals(inventory),
            _ => null, evidence is null ? null : evidence.Azure, (access, rows) =>
        {
            var proposal = evidence is null ? null : new AzureProposalOptions
            {
                Lookback = [.. CloudGapAnalyzer.RowsOf(access.Identity, lookback!).Where(u => activityOnly is null || !activityOnly.Contains(u.Action)).Select(Observed)],
                KeepOperations = [.. evidence.Keep],
                Recording = evidence.AzureRecording,
                WindowDays = options.WindowDays,
                ObservedDays = evidence.ObservedDays,
            };
            var result = AzureRoleProposer.Propose(estate, access.Identity.Id, rows.Select(Observed), asOf, catalog, proposal);
            return (result.Proposal, null, result.Failures);
        });
    }

    /// <param name="policies">the GCP inventory, indexed.</param>
    /// <param name="usage">the window's usage rows (Cloud Audit Logs).</param>
    /// <param name="asOf">the end of the window.</param>
    /// <param name="options">minimum unused share and the identities to keep (`Only`).</param>
    /// <param name="evidence">lookback, log coverage and exceptions (unknown permissions and seasonal use kept).</param>
    public static CloudSweepResult RunGcp(GcpPolicySet policies, IReadOnlyList<ObservedUse> usage, DateTimeOffset asOf, SweepOptions? options = null, CloudSweepEvidence? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(usage);
        options ??= new SweepOptions();
        var accesses = GcpEffectiveAccess.ComputeAll(policies).Where(a => Selected(options, a.Identity)).ToImmutableArray();
        var lookback = evidence?.Lookback.ToLookup(u => u.Identity, StringComparer.OrdinalIgnoreCase);
        static GcpObservedPermission Observed(ObservedUse u) => new(u.Action, u.Resource, u.Count);
        var standings = options.Administrators is { } given && given.Covers(Provider.GcpName) ? given : AdminStandings.Gcp(policies, asOf);
        return Run(Provider.GcpName, accesses, usage, null, options, standings, EnvironmentResolver.ForGcpPrincipals(policies), ExcludedGcp,
            evidence is null ? null : evidence.Gcp, (access, rows) =>
        {
            var used = rows.Select(Observed);
            var result = evidence is null
                ? GcpRoleProposer.Propose(policies, access.Identity.Id, used, asOf)
                : GcpRoleProposer.Propose(policies, access.Identity.Id, used, asOf, new GcpProposalOptions
                {
                    Lookback = [.. CloudGapAnalyzer.RowsOf(access.Identity, lookback!).Select(Observed)],
                    KeepPermissions = [.. evidence.Keep],
                    Recording = evidence.GcpRecording,
                    WindowDays = options.WindowDays,
                    ObservedDays = evidence.ObservedDays,
                });
            return (null, result.Proposal, result.Failures);
        });
    }

    /// <summary>
    /// Why a GCP member cannot be rewritten, or null: Google-managed service agents (`service-NUMBER@gcp-sa-….iam.gserviceaccount.com`,
    /// `service-NUMBER@….iam.gserviceaccount.com`, `NUMBER@cloudservices.gserviceaccount.com`) hold roles Google grants and manages.
    /// </summary>
    public static string? ExcludedGcp(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Kind != IdentityKind.ServiceIdentity || !identity.Id.StartsWith("serviceAccount:", StringComparison.Ordinal)) { return null; }
        var email = identity.Id["serviceAccount:".Length..];
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0) { return null; }
        var local = email[..at];
        var domain = email[(at + 1)..];
        var agent = domain.StartsWith("gcp-sa-", StringComparison.Ordinal)
            || domain == "cloudservices.gserviceaccount.com"
            || (local.StartsWith("service-", StringComparison.Ordinal) && local.Length > 8 && local[8..].All(char.IsAsciiDigit) && domain.EndsWith(".iam.gserviceaccount.com", StringComparison.Ordinal));
        return agent ? "Google-managed service agent: its roles are granted and maintained by Google, so it is not rewritten" : null;
    }

    private static bool Selected(SweepOptions options, Identity identity) => options.Only.IsEmpty || options.Only.Contains(identity.Id);

    private static CloudSweepResult Run(
        string provider,
        ImmutableArray<EffectiveAccess> accesses,
        IReadOnlyList<ObservedUse> usage,
        IReadOnlySet<string>? activityOnly,
        SweepOptions options,
        AdminStandings standings,
        Func<EffectiveAccess, ResolvedEnvironment> environmentOf,
        Func<Identity, string?> excluded,
        Func<PermissionGrant, UsageRecording>? recording,
        Func<EffectiveAccess, List<ObservedUse>, (AzureRoleProposal? Azure, GcpRoleProposal? Gcp, ImmutableArray<string> Failures)> propose)
    {
        var gaps = CloudGapAnalyzer.Analyze(accesses, usage, activityOnly, recording, i => standings.Of(provider, i.Id));
        var byIdentity = usage.Where(u => activityOnly is null || !activityOnly.Contains(u.Action)).ToLookup(u => u.Identity, StringComparer.OrdinalIgnoreCase);
        var results = new CloudIdentitySweep[gaps.Count];
        var proposals = new ConcurrentBag<CloudProposal>();
        var failures = new ConcurrentBag<CloudProposalFailure>();
        var exclusions = new ConcurrentBag<CloudExclusion>();
        Parallel.For(0, gaps.Count, i =>
        {
            var gap = gaps[i];
            var environment = environmentOf(accesses[i]);
            long after = gap.Granted;
            if (!gap.Inactive && gap.UnusedShare >= options.MinimumUnusedShare)
            {
                if (excluded(gap.Identity) is { } reason)
                {
                    exclusions.Add(new CloudExclusion(gap.Identity, reason));
                }
                else
                {
                    var (azure, gcp, reasons) = propose(accesses[i], CloudGapAnalyzer.RowsOf(gap.Identity, byIdentity));
                    if (azure is not null || gcp is not null)
                    {
                        var proposal = new CloudProposal(gap.Identity, environment, azure, gcp);
                        proposals.Add(proposal);
                        after = proposal.GrantedAfter;
                    }
                    else
                    {
                        failures.Add(new CloudProposalFailure(gap.Identity, reasons));
                    }
                }
            }
            results[i] = new CloudIdentitySweep(gap, environment, after);
        });
        return new CloudSweepResult(
            provider,
            [.. results.OrderByDescending(r => r.Gap.Unused).ThenBy(r => r.Gap.Identity.Id, StringComparer.Ordinal)],
            [.. proposals.OrderByDescending(p => p.GrantedBefore - p.GrantedAfter).ThenBy(p => p.Identity.Id, StringComparer.Ordinal)],
            [.. failures.OrderBy(f => f.Identity.Id, StringComparer.Ordinal)],
            [.. exclusions.OrderBy(e => e.Identity.Id, StringComparer.Ordinal)]);
    }

    /// <summary>Control plane unless the catalog knows the operation only as a data action (as `ciem propose --provider azure` does).</summary>
    public static AzurePlane PlaneOf(AzureOperationCatalog catalog, string operation)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.TryGetOperation(operation, AzurePlane.Control, out _) || !catalog.TryGetOperation(operation, AzurePlane.Data, out _)
            ? AzurePlane.Control : AzurePlane.Data;
    }
}
