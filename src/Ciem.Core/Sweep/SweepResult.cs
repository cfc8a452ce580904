using System.Collections.Immutable;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;

namespace Ciem.Core.Sweep;

/// <summary>A proposal that could not be emitted, and why (a regression in the replay, or it would exceed the original).</summary>
public sealed record ProposalFailure(Identity Identity, string Reason, ImmutableArray<ObservedAction> Regressions);

/// <summary>Counts for one slice of the estate (all, one kind, one environment).</summary>
public sealed record SweepSlice(string Name, int Identities, int ServiceIdentities, int Administrators, int UnusedAdministrators, int Inactive, long Granted, long Used, long GrantedAfter)
{
    public double ProjectedReductionPercent => Granted == 0 ? 0 : Math.Round(100.0 * (Granted - GrantedAfter) / Granted, 1);
}

/// <summary>
/// The result of `ciem sweep`: the gap per identity, a verified proposal for each over-permissioned identity, the
/// failures, and slices by kind and environment. <see cref="GrantedAfter"/> counts what remains when every
/// emitted proposal is applied (identities without one keep what they have).
/// </summary>
public sealed record SweepResult(
    DateTimeOffset AsOf,
    int WindowDays,
    int LookbackDays,
    GapSummary Summary,
    ImmutableArray<IdentityGap> Gaps,
    ImmutableArray<PolicyProposal> Proposals,
    ImmutableArray<ProposalFailure> Failures,
    ImmutableArray<SweepSlice> Slices,
    long GrantedAfter,
    UsageCoverage Coverage)
{
    /// <summary>The days the usage was read from (inclusive start and end).</summary>
    public UsageWindow Window => UsageWindow.Of(AsOf, WindowDays, LookbackDays);

    public double ProjectedReductionPercent => Summary.GrantedTotal == 0 ? 0 : Math.Round(100.0 * (Summary.GrantedTotal - GrantedAfter) / Summary.GrantedTotal, 1);

    /// <summary>Identities no proposal is made for, with the reason: service-linked roles, break-glass and configured exclusions.</summary>
    public ImmutableArray<CloudExclusion> Excluded { get; init; } = [];
}

/// <summary>What the usage data covers: the days with events in the window, events and identities seen.</summary>
public sealed record UsageCoverage(DateOnly? FirstDay, DateOnly? LastDay, int DaysWithEvents, long Events, int IdentitiesSeen, long DeniedAttempts, long UnmappedEvents);
