using System.Collections.Immutable;
using Ciem.Core.Review;

namespace Ciem.Storage;

/// <summary>A review campaign as stored: the review config and the identities set apart are JSON the App layer owns.</summary>
public sealed record ReviewCampaignRecord(string Id, string Name, DateTimeOffset PlannedAt, DateTimeOffset SweepAsOf, string Config,
    string SetAside);

/// <summary>A batch: its stage, the earliest notice day, and when it was noticed and its objection deadline.</summary>
public sealed record ReviewBatchRecord(string Campaign, int Number, string Stage, DateTimeOffset NotBefore, DateTimeOffset? NoticedAt,
    DateTimeOffset? Deadline);

/// <summary>
/// An identity in a campaign: its state, owner (with source and evidence), the proposal's content hash, the candidate
/// (JSON: the proposal as reviewed) and the change made to it (JSON: pull request or script, the previous policy).
/// </summary>
public sealed record ReviewItemRecord(
    string Campaign, string Identity, int Batch, string Provider, string Name, string Scope, string State, string Owner,
    string OwnerSource, string OwnerEvidence, string ProposalHash, string Candidate, string? Change, DateTimeOffset UpdatedAt);

/// <summary>Permissions an objection keeps, with the reason, until when, who asked and when.</summary>
public sealed record ReviewExceptionRecord(
    long Id, string Campaign, string Identity, ImmutableArray<string> Actions, string Reason, DateTimeOffset? Until, string By,
        DateTimeOffset At);

/// <summary>An action an identity was denied, how often and when last (from the ingested logs' attempts).</summary>
public sealed record DeniedAttempt(string Action, string ErrorCode, long Count, DateTimeOffset LastSeen);

/// <summary>Everything stored about one campaign (the decision log is read apart).</summary>
public sealed record ReviewCampaignData(
    ReviewCampaignRecord Campaign,
    ImmutableArray<ReviewBatchRecord> Batches,
    ImmutableArray<ReviewItemRecord> Items,
    ImmutableArray<ReviewExceptionRecord> Exceptions);

/// <summary>One change to a campaign, written in one transaction: batches and items upserted, exceptions and decisions appended.</summary>
public sealed record ReviewUpdate(
    string Campaign,
    ImmutableArray<ReviewBatchRecord> Batches,
    ImmutableArray<ReviewItemRecord> Items,
    ImmutableArray<ReviewExceptionRecord> Exceptions,
    ImmutableArray<DecisionRecord> Decisions);

/// <summary>
/// The review programme's tables (docs/review.md). The decision log is append-only: no method changes or removes a row,
/// and the database refuses UPDATE and DELETE on it (a trigger). A decision whose sequence number another writer took
/// first fails the whole update, so two runs never fork the hash chain.
/// </summary>
public interface IReviewStore
{
    /// <summary>Creates a campaign and writes its first update (the planned batches and items, the plan decision).</summary>
    void CreateCampaign(ReviewCampaignRecord campaign, ReviewUpdate initial);

    void UpdateReview(ReviewUpdate update);

    /// <summary>Every campaign, oldest first.</summary>
    ImmutableArray<ReviewCampaignRecord> ListCampaigns();

    ReviewCampaignData? LoadCampaign(string id);

    /// <summary>
    /// A campaign without its items' proposals (each item's <see cref="ReviewItemRecord.Candidate"/> is empty): what a
    /// queue needs to filter, count and order, read without the proposals' documents. Never write these items back.
    /// </summary>
    ReviewCampaignData? LoadCampaignOutline(string id);

    /// <summary>The proposals (candidate JSON) of some of a campaign's items, by identity; an identity not in it is left out.</summary>
    ImmutableDictionary<string, string> LoadCandidates(string campaign, IReadOnlyCollection<string> identities);

    /// <summary>The campaign's decision log in sequence order.</summary>
    ImmutableArray<DecisionRecord> LoadDecisions(string campaign);

    /// <summary>Access-denied attempts of an identity last seen at or after <paramref name="since"/>, summed per action.</summary>
    ImmutableArray<DeniedAttempt> LoadDeniedAttempts(string provider, string identity, DateTimeOffset since);
}
