using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Directories;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Sweep;

/// <summary>How a sweep runs.</summary>
public sealed record SweepOptions
{
    public int WindowDays { get; init; } = 90;
    public int LookbackDays { get; init; } = 400;
    public ProposalOptions Proposal { get; init; } = new();

    /// <summary>Propose only for identities whose unused share of granted actions is at least this (0–1).</summary>
    public double MinimumUnusedShare { get; init; } = 0.2;

    /// <summary>Only these identities (ids), or all when empty.</summary>
    public ImmutableHashSet<string> Only { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Identities no proposal touches (break-glass and protected ones), from `ciem.yml`.</summary>
    public ProposalExclusions Exclusions { get; init; } = ProposalExclusions.Default;

    /// <summary>Identity Center permission sets from the directory snapshots (proposals for `AWSReservedSSO_*` roles).</summary>
    public ImmutableArray<PermissionSet> PermissionSets { get; init; } = [];

    /// <summary>Identity Center account assignments from the directory snapshots.</summary>
    public ImmutableArray<AccountAssignment> AccountAssignments { get; init; } = [];

    /// <summary>
    /// The administrator standings decided on the attack graphs, when the host built them already (to share one graph
    /// between the sweep, its risk view and its proposals, and to decide Azure and GCP standings across clouds); a
    /// provider they do not cover gets its own graph built by the sweep.
    /// </summary>
    public AdminStandings? Administrators { get; init; }
}

/// <summary>
/// Runs the sweep over an estate: effective permissions, the gap against observed usage, and a verified proposal for
/// each over-permissioned identity that was active in the window. Pure and parallel; usage is handed in.
/// </summary>
public static class SweepRunner
{
    /// <param name="estate">the resolved inventory.</param>
    /// <param name="window">observed allowed usage in the window, by identity id (IAM ARN).</param>
    /// <param name="lookback">observed usage over the longer lookback (seasonal jobs), by identity id.</param>
    /// <param name="coverage">what the usage data covers.</param>
    /// <param name="recordedByAuditLog">whether the audit log records an action at all.</param>
    /// <param name="asOf">the end of the window.</param>
    /// <param name="options">window, lookback and proposal options.</param>
    /// <param name="progress">called with (done, total) identities.</param>
    /// <param name="sink">
    /// given, hears each identity's outcome (<see cref="AwsSweepItem"/>) on the worker thread that computed it, and each
    /// permission set's after the identities; the result then keeps counts only (<see cref="AwsSweepItem.Slim(IdentityGap)"/>):
    /// the details are the sink's, so memory does not grow with what they hold.
    /// </param>
    public static SweepResult Run(
        AwsEstate estate,
        IReadOnlyDictionary<string, IReadOnlyList<ObservedAction>> window,
        IReadOnlyDictionary<string, IReadOnlyList<ObservedAction>> lookback,
        UsageCoverage coverage,
        Func<AwsAction, bool> recordedByAuditLog,
        DateTimeOffset asOf,
        SweepOptions? options = null,
        Action<int, int>? progress = null,
        Action<AwsSweepItem>? sink = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(lookback);
        options ??= new SweepOptions();
        var catalog = AwsActionCatalog.Default;
        var calculator = new AwsEffectivePermissionCalculator(catalog, asOf);
        var proposer = new PolicyProposer(catalog, recordedByAuditLog);
        var identities = estate.Identities.Where(i => options.Only.IsEmpty || options.Only.Contains(i.Identity.Id)).ToArray();
        var gaps = new IdentityGap[identities.Length];
        var proposals = new ConcurrentBag<PolicyProposal>();
        var failures = new ConcurrentBag<ProposalFailure>();
        var after = new long[identities.Length];
        var observedDays = coverage.DaysWithEvents == 0 ? 0 : Math.Min(options.WindowDays, coverage.DaysWithEvents);
        var done = 0;
        var excluded = new ConcurrentBag<CloudExclusion>();
        var ssoEligible = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var standings = options.Administrators is { } given && given.Covers(Provider.AwsName) ? given : Standings(estate, calculator);
        Parallel.For(0, identities.Length, i =>
        {
            var who = identities[i];
            var effective = calculator.Compute(who);
            var used = window.TryGetValue(who.Identity.Id, out var w) ? w : [];
            var seasonal = lookback.TryGetValue(who.Identity.Id, out var l) ? l : [];
            var account = who.Identity.Scope;
            var gap = GapAnalyzer.Analyze(effective, used, a => recordedByAuditLog(a) || options.Proposal.DataEvents.Records(account, a),
                standings.Of(Provider.AwsName, who.Identity.Id));
            gaps[i] = sink is null ? gap : AwsSweepItem.Slim(gap);
            PolicyProposal? proposed = null;
            ProposalFailure? failed = null;
            after[i] = effective.GrantedCount;
            var eligible = !gap.Inactive && gap.UnusedShare >= options.MinimumUnusedShare;
            if (NotEditable(who) is { } why) { excluded.Add(new CloudExclusion(who.Identity, why)); }
            else if (options.Exclusions.ReasonFor(who.Identity) is { } reason) { excluded.Add(new CloudExclusion(who.Identity, reason)); }
            else if (IdentityLinker.IsSsoRole(who.Identity))
            {
                // Proposed once per permission set below, from the usage of every role it provisions.
                if (eligible && IdentityLinker.PermissionSetNameOf(who.Identity.Name) is { } set) { ssoEligible[set] = true; }
            }
            else if (eligible)
            {
                var proposal = proposer.Propose(new ProposalInput(estate, who, effective, used, seasonal, asOf, options.WindowDays, observedDays), options.Proposal);
                if (!proposal.Verification.Failed)
                {
                    proposed = proposal;
                    proposals.Add(sink is null ? proposal : AwsSweepItem.Slim(proposal));
                    after[i] = proposal.GrantedAfter;
                }
                else
                {
                    failed = Failure(proposal);
                    failures.Add(sink is null ? failed : AwsSweepItem.Slim(failed));
                }
            }
            sink?.Invoke(new AwsSweepItem(gap, proposed, failed));
            progress?.Invoke(Interlocked.Increment(ref done), identities.Length);
        });
        foreach (var set in ssoEligible.Keys.Order(StringComparer.Ordinal))
        {
            var roles = estate.Identities.Where(r => IdentityLinker.IsSsoRole(r.Identity) && IdentityLinker.PermissionSetNameOf(r.Identity.Name) == set
                && options.Exclusions.ReasonFor(r.Identity) is null).ToList();
            var inputs = roles.Select(r => new ProposalInput(estate, r, calculator.Compute(r),
                window.TryGetValue(r.Identity.Id, out var w) ? w : [], lookback.TryGetValue(r.Identity.Id, out var l) ? l : [],
                asOf, options.WindowDays, observedDays)).ToList();
            var permissionSet = options.PermissionSets.FirstOrDefault(p => p.Name == set);
            var proposal = PermissionSetProposer.Propose(proposer, inputs, permissionSet, options.AccountAssignments, options.Proposal);
            if (proposal.Verification.Failed)
            {
                var failed = Failure(proposal);
                failures.Add(sink is null ? failed : AwsSweepItem.Slim(failed));
                sink?.Invoke(new AwsSweepItem(null, null, failed));
                continue;
            }
            proposals.Add(sink is null ? proposal : AwsSweepItem.Slim(proposal));
            sink?.Invoke(new AwsSweepItem(null, proposal, null));
            var ids = roles.Select(r => r.Identity.Id).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < identities.Length; i++)
            {
                if (ids.Contains(identities[i].Identity.Id)) { after[i] = Math.Min(after[i], proposal.GrantedAfter); }
            }
        }
        var summary = GapAnalyzer.Summarize(gaps, UsageWindow.Of(asOf, options.WindowDays, options.LookbackDays).StartInstant, asOf);
        var rows = gaps.Select((g, i) => EstateSweep.AwsRow(g, estate.ResolveEnvironment(g.Identity.Scope), after[i])).ToList();
        var slices = new List<SweepSlice> { EstateSweep.Slice("all", rows) };
        foreach (var kind in new[] { "human", "service", "role" })
        {
            slices.Add(EstateSweep.Slice($"kind:{kind}", rows.Where(r => r.KindGroup == kind)));
        }
        foreach (var env in rows.Select(r => r.Environment.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            slices.Add(EstateSweep.Slice($"env:{env}", rows.Where(r => r.Environment.Name == env)));
        }
        return new SweepResult(
            asOf, options.WindowDays, options.LookbackDays, summary,
            [.. gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal)],
            [.. proposals.OrderByDescending(p => p.GrantedBefore - p.GrantedAfter).ThenBy(p => p.Identity.Id, StringComparer.Ordinal)],
            [.. failures.OrderBy(f => f.Identity.Id, StringComparer.Ordinal)],
            [.. slices.Where(s => s.Identities > 0)],
            after.Sum(),
            coverage)
        {
            Excluded = [.. excluded.OrderBy(e => e.Identity.Id, StringComparer.Ordinal)],
            Streamed = sink is not null,
        };
    }

    /// <summary>Why IAM cannot take a proposal for the identity, or null: service-linked roles belong to their service.</summary>
    /// <summary>The AWS standings of every identity of the estate, on its attack graph (docs/attack-paths.md).</summary>
    public static AdminStandings Standings(AwsEstate estate, AwsEffectivePermissionCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(calculator);
        var effective = new AwsEffectivePermissions[estate.Identities.Length];
        Parallel.For(0, effective.Length, i => effective[i] = calculator.Compute(estate.Identities[i]));
        return AdminStandings.Aws(estate, effective);
    }

    public static string? NotEditable(AwsIdentityContext identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.IsServiceLinked || identity.Identity.Kind == IdentityKind.ServiceLinkedRole
            ? "service-linked role: its policies are defined and maintained by the AWS service, and IAM refuses changes to them"
            : null;
    }

    private static ProposalFailure Failure(PolicyProposal proposal)
    {
        var v = proposal.Verification;
        var reason = v.Regressions.IsEmpty
            ? $"the proposal would grant {v.Exceeding.Length} action(s) beyond the original: {string.Join(", ", v.Exceeding.Take(5))}"
            : $"{v.Regressions.Length} observed call(s) would be denied by the proposal";
        return new ProposalFailure(proposal.Identity, reason, v.Regressions);
    }

    /// <summary>People (users and SSO roles), service identities (incl. service-linked), other roles.</summary>
    public static string KindGroup(IdentityKind kind) => kind switch
    {
        IdentityKind.HumanUser or IdentityKind.SsoRole => "human",
        IdentityKind.ServiceIdentity or IdentityKind.ServiceLinkedRole => "service",
        _ => "role",
    };
}
