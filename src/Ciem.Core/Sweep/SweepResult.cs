using System.Collections.Immutable;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;

namespace Ciem.Core.Sweep;

/// <summary>A proposal that could not be emitted, and why (a regression in the replay, or it would exceed the original).</summary>
public sealed record ProposalFailure(Identity Identity, string Reason, ImmutableArray<ObservedAction> Regressions);

/// <summary>Counts for one slice of the estate (all, one kind, one environment).</summary>
public sealed record SweepSlice(string Name, int Identities, int ServiceIdentities, int Administrators, int UnusedAdministrators, int Inactive, long Granted, long Used, long GrantedAfter)
{
    /// <summary>Identities that are no administrator but can become one through a path (decided on the attack graphs).</summary>
    public int CanBecomeAdministrators { get; init; }

    /// <summary>Identities that can make other principals administrators (administrators included).</summary>
    public int PrivilegeAdministrators { get; init; }

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

    /// <summary>
    /// Whether each identity's details went to a sink as the sweep ran (<see cref="SweepRunner.Run"/>): the gaps,
    /// proposals and failures here then hold counts, names and order only (<see cref="AwsSweepItem.Slim(IdentityGap)"/>).
    /// </summary>
    public bool Streamed { get; init; }
}

/// <summary>
/// One AWS identity's outcome as the sweep computes it: its gap and its verified proposal or failure; a permission set's
/// proposal or failure (after every identity) has no gap.
/// </summary>
public sealed record AwsSweepItem(IdentityGap? Gap, PolicyProposal? Proposal, ProposalFailure? Failure)
{
    /// <summary>The gap's counts without its lists of services (what a streamed result keeps).</summary>
    public static IdentityGap Slim(IdentityGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        return gap with { UsedServices = [], UnusedServices = [], UsedOutsideGrants = [] };
    }

    /// <summary>The proposal's identity, counts, confidence and permission set, without its policies, evidence and lists.</summary>
    public static PolicyProposal Slim(PolicyProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal with
        {
            Statements = [], Policies = [], Evidence = [], RemovedActions = [], Notes = [],
            Guardrails = [], Flagged = [], RemovesPaths = [],
            Verification = proposal.Verification with { Regressions = [], Exceeding = [] },
        };
    }

    /// <summary>The failure's identity and reason, without the calls it would deny.</summary>
    public static ProposalFailure Slim(ProposalFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure with { Regressions = [] };
    }
}

/// <summary>What the usage data covers: the days with events in the window, events and identities seen.</summary>
public sealed record UsageCoverage(DateOnly? FirstDay, DateOnly? LastDay, int DaysWithEvents, long Events, int IdentitiesSeen, long DeniedAttempts, long UnmappedEvents);
