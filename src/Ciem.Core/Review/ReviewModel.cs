using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Review;

/// <summary>
/// One identity the sweep made a proposal for, in every provider's terms: where it lives (<see cref="Scope"/> is the
/// AWS account, Azure subscription or GCP project), what it holds now (<see cref="Granted"/>), what the proposal
/// removes and keeps, how sure the proposal is, and the content hash of the proposal (the decision log records it).
/// <see cref="FailureReason"/> is set when the proposal did not pass verification (it is listed apart, never batched).
/// </summary>
public sealed record ReviewCandidate(
    string Provider,
    string IdentityId,
    string Name,
    IdentityKind Kind,
    string Scope,
    string Environment,
    ImmutableArray<KeyValuePair<string, string>> Tags,
    bool IsAdministrator,
    double Confidence,
    ImmutableArray<string> SensitiveRemovals,
    ImmutableArray<string> Granted,
    ImmutableArray<string> Removed,
    ImmutableArray<string> Kept,
    int GrantedBefore,
    int GrantedAfter,
    string ProposalHash,
    string? DirectoryOwner = null,
    string? FailureReason = null)
{
    /// <summary>`human` for people (IAM users, Entra users, SSO roles), `service` for every other identity.</summary>
    public string KindGroup => Kind is IdentityKind.HumanUser or IdentityKind.SsoRole ? "human" : "service";

    public bool IsVerified => FailureReason is null;
}

/// <summary>The states of a campaign item (an identity in a batch).</summary>
public enum ReviewState
{
    Planned,
    Noticed,
    Objected,
    Approved,
    Applied,
    Verified,
    Failed,
    RolledBack,
    Expired,
}

/// <summary>What a person or the programme does to an item.</summary>
public enum ReviewAction
{
    Notice,
    Object,
    Approve,
    Apply,
    Verify,
    Fail,
    Rollback,
    Expire,
}

/// <summary>Where an owner came from, in the order they are tried.</summary>
public enum OwnerSource
{
    Tag,
    OidcRepository,
    CodeOwners,
    DirectoryOwner,
    Self,
    Manager,
    Fallback,
}

/// <summary>An identity's owner and how it was found (the evidence: the tag, the file, the rule).</summary>
public sealed record OwnerAssignment(string Owner, OwnerSource Source, string Evidence)
{
    public string SourceName => ReviewNames.Of(Source);
}

/// <summary>One identity of a planned campaign.</summary>
public sealed record CampaignItem(ReviewCandidate Candidate, OwnerAssignment Owner, int Batch, ReviewState State)
{
    public string IdentityId => Candidate.IdentityId;
}

/// <summary>A batch: its number (1-based), the stage it came from, the identities, and the earliest day to notify it.</summary>
public sealed record CampaignBatch(int Number, string Stage, DateTimeOffset NotBefore, ImmutableArray<CampaignItem> Items);

/// <summary>An identity left out of a campaign, and why (excluded by the config, unverified proposal, no owner).</summary>
public sealed record CampaignSetAside(ReviewCandidate Candidate, string Reason, DateTimeOffset? Until = null);

/// <summary>A planned campaign: the ordered batches and what was set apart.</summary>
public sealed record CampaignPlan(
    string Name,
    DateTimeOffset PlannedAt,
    ImmutableArray<CampaignBatch> Batches,
    ImmutableArray<CampaignSetAside> Excluded,
    ImmutableArray<CampaignSetAside> Unverified,
    ImmutableArray<CampaignSetAside> AdminQueue)
{
    public IEnumerable<CampaignItem> Items => Batches.SelectMany(b => b.Items);
}

/// <summary>The lowercase names the config, the store and the outputs use.</summary>
public static class ReviewNames
{
    public static string Of(ReviewState state) => state switch
    {
        ReviewState.RolledBack => "rolled-back",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Of(ReviewAction action) => action.ToString().ToLowerInvariant();

    public static string Of(OwnerSource source) => source switch
    {
        OwnerSource.OidcRepository => "oidc-repository",
        OwnerSource.CodeOwners => "codeowners",
        OwnerSource.DirectoryOwner => "directory-owner",
        _ => source.ToString().ToLowerInvariant(),
    };

    public static ReviewState ParseState(string name) =>
        Enum.GetValues<ReviewState>().FirstOrDefault(s => Of(s) == name, (ReviewState)(-1)) is var s && (int)s >= 0
            ? s : throw new FormatException($"unknown review state `{name}`");

    public static OwnerSource ParseSource(string name) =>
        Enum.GetValues<OwnerSource>().FirstOrDefault(s => Of(s) == name, (OwnerSource)(-1)) is var s && (int)s >= 0
            ? s : throw new FormatException($"unknown owner source `{name}`");
}
