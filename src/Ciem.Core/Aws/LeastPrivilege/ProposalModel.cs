using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>Observed, allowed use of one action on one resource (`*` when the log names none) over a period.</summary>
public sealed record ObservedAction(string Action, string Resource, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? Region = null);

/// <summary>How a proposal is generated.</summary>
public sealed record ProposalOptions
{
    /// <summary>Distinct observed resources under one parent (an S3 bucket, a path) from which the parent's wildcard is used.</summary>
    public int GeneraliseFrom { get; init; } = 5;

    /// <summary>Actions always kept when granted (configured exceptions), e.g. a break-glass action.</summary>
    public ImmutableHashSet<string> KeepActions { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the audit log records data events (S3 object reads, Lambda invokes…). When false, granted actions that
    /// CloudTrail does not record are kept for the services the identity was seen using: their absence proves nothing.
    /// </summary>
    public bool DataEventsRecorded { get; init; }

    /// <summary>Managed-policy size limit (characters without white space); larger proposals are split.</summary>
    public int MaxPolicySize { get; init; } = 6144;
}

/// <summary>Why an action is in a proposal.</summary>
public enum KeepReason
{
    /// <summary>Observed in the window.</summary>
    Used,
    /// <summary>Not seen in the window but in the longer lookback: a periodic job (quarterly, yearly).</summary>
    Seasonal,
    /// <summary>Configured to be kept.</summary>
    Exception,
    /// <summary>CloudTrail does not record it (data event off or never logged): unknown, so kept.</summary>
    NotRecorded,
}

/// <summary>The evidence for one kept action.</summary>
public sealed record ActionEvidence(string Action, KeepReason Reason, long Count, DateTimeOffset? LastUsed, ImmutableArray<string> Resources);

/// <summary>A generated IAM policy document (one of possibly several when the size limit forces a split).</summary>
public sealed record ProposedPolicy(string Name, string Json, int Size);

/// <summary>The result of replaying observed events with the proposal in place of the identity's policies.</summary>
public sealed record ProposalVerification(int Replayed, int StillAllowed, int NotReplayable, ImmutableArray<ObservedAction> Regressions)
{
    public bool Passed => Regressions.IsEmpty;
}

/// <summary>
/// A least-privilege proposal for one identity: reduced policies covering exactly what was used (plus seasonal,
/// exception and unrecordable actions), the evidence, the reduction, a confidence score and the replay verification.
/// </summary>
public sealed record PolicyProposal(
    Identity Identity,
    ImmutableArray<ProposedStatement> Statements,
    ImmutableArray<ProposedPolicy> Policies,
    ImmutableArray<ActionEvidence> Evidence,
    ImmutableArray<string> RemovedActions,
    ImmutableArray<string> OriginalPolicies,
    int GrantedBefore,
    int GrantedAfter,
    double Confidence,
    ProposalVerification Verification,
    ImmutableArray<string> Notes)
{
    public double ReductionPercent => GrantedBefore == 0 ? 0 : Math.Round(100.0 * (GrantedBefore - GrantedAfter) / GrantedBefore, 1);
}

/// <summary>One statement of a proposal: sorted actions on resources, with the original grant's conditions.</summary>
public sealed record ProposedStatement(string Sid, ImmutableArray<string> Actions, ImmutableArray<string> Resources, bool NotResource, ImmutableArray<ConditionEntry> Conditions);

/// <summary>Everything a proposal needs for one identity.</summary>
public sealed record ProposalInput(
    AwsEstate Estate,
    AwsIdentityContext Identity,
    AwsEffectivePermissions Effective,
    IReadOnlyList<ObservedAction> Window,
    IReadOnlyList<ObservedAction> Lookback,
    DateTimeOffset AsOf,
    int WindowDays,
    int ObservedDays);
