using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Aws.Usage;
using Ciem.Core.LeastPrivilege;
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

    /// <summary>
    /// Which services' data events the ingested logs show recorded, per account: their unseen data actions are
    /// *unused* (removed), not *unknown* (kept).
    /// </summary>
    public DataEventCoverage DataEvents { get; init; } = DataEventCoverage.None;

    /// <summary>Managed-policy size limit (characters without white space); larger proposals are split.</summary>
    public int MaxPolicySize { get; init; } = 6144;
}

/// <summary>A sensitive action kept without evidence of use (unknown), with why it is sensitive and where it is kept.</summary>
public sealed record FlaggedAction(string Action, string Reason, ImmutableArray<string> Resources);

/// <summary>The evidence for one kept action.</summary>
public sealed record ActionEvidence(string Action, KeepReason Reason, long Count, DateTimeOffset? LastUsed, ImmutableArray<string> Resources);

/// <summary>A generated IAM policy document (one of possibly several when the size limit forces a split).</summary>
public sealed record ProposedPolicy(string Name, string Json, int Size);

/// <summary>What the replay of observed calls says about a proposal.</summary>
public enum VerificationState
{
    /// <summary>Every replayed call is still allowed, and at least one call was replayed.</summary>
    Passed,
    /// <summary>At least one observed call would be denied, or the proposal grants beyond the original.</summary>
    Failed,
    /// <summary>No call could be replayed: nothing shows that the proposal keeps what is used.</summary>
    Unverified,
}

/// <summary>
/// The result of replaying observed events with the proposal in place of the identity's Allow grants (guardrails,
/// boundary and SCPs in place). <see cref="Exceeding"/> lists actions the proposal grants that the original did not.
/// </summary>
public sealed record ProposalVerification(int Replayed, int StillAllowed, int NotReplayable, ImmutableArray<ObservedAction> Regressions)
{
    /// <summary>Actions the proposal would grant beyond the identity's current grants (each one fails the proposal).</summary>
    public ImmutableArray<string> Exceeding { get; init; } = [];

    public VerificationState State =>
        !Regressions.IsEmpty || !Exceeding.IsEmpty ? VerificationState.Failed
        : Replayed == 0 ? VerificationState.Unverified
        : VerificationState.Passed;

    /// <summary>Replayed at least one call and lost none: the only state shown as verified.</summary>
    public bool Passed => State == VerificationState.Passed;

    /// <summary>Something the identity used would be denied, or the proposal grants more: never emitted.</summary>
    public bool Failed => State == VerificationState.Failed;

    /// <summary>`passed`, `failed`, `unverified` (the word reports and JSON use).</summary>
    public string StateName => State switch
    {
        VerificationState.Passed => "passed",
        VerificationState.Failed => "failed",
        _ => "unverified",
    };

    /// <summary>One line for text output: `passed — 12 of 12 observed calls still allowed`.</summary>
    public string Summary => State switch
    {
        VerificationState.Unverified => $"unverified — no observed call could be replayed{(NotReplayable > 0 ? $" ({NotReplayable} not replayable without their full request context)" : "")}",
        _ => $"{StateName} — {StillAllowed} of {Replayed} observed calls still allowed"
            + (NotReplayable > 0 ? $", {NotReplayable} not replayable without their full request context" : "")
            + (Exceeding.IsEmpty ? "" : $", grants {Exceeding.Length} action(s) beyond the original"),
    };
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

    /// <summary>Deny-only policies, Deny statements of mixed policies and boundaries the proposal keeps as they are.</summary>
    public ImmutableArray<KeptGuardrail> Guardrails { get; init; } = [];

    /// <summary>Sensitive actions kept as unknown (not recorded): governance bypass, ACL writes, replication, version deletion.</summary>
    public ImmutableArray<FlaggedAction> Flagged { get; init; } = [];

    /// <summary>The Identity Center permission set the proposal changes instead of the role (null for IAM roles and users).</summary>
    public PermissionSetTarget? PermissionSet { get; init; }

    /// <summary>The paths to an administrator whose first hop the proposal removes, described (docs/attack-paths.md).</summary>
    public ImmutableArray<string> RemovesPaths { get; init; } = [];
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
