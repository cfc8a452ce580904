using System.Collections.Immutable;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Review;

/// <summary>One identity of a campaign as `ciem review status` shows it.</summary>
public sealed record ReviewItemStatus(
    string Identity, string Name, string Provider, string Scope, int Batch, ReviewState State, string Owner, string OwnerSource,
    string OwnerEvidence, int GrantedBefore, int GrantedAfter, int Removed, string ProposalHash, ReviewChange? Change);

/// <summary>A batch: stage, dates and its items.</summary>
public sealed record ReviewBatchStatus(
    int Number, string Stage, DateTimeOffset NotBefore, DateTimeOffset? NoticedAt, DateTimeOffset? Deadline, ImmutableArray<ReviewItemStatus> Items)
{
    public ReviewOutcomeCounts Counts => ReviewOutcomeCounts.Of(Items);
}

/// <summary>
/// How far a set of items got: per state, the identities reduced (applied or verified and not rolled back) and the
/// effective permissions granted before and after for them (the reduction the campaign delivered).
/// </summary>
public sealed record ReviewOutcomeCounts(
    int Identities, ImmutableDictionary<string, int> States, int Reduced, long GrantedBefore, long GrantedRemoved)
{
    public double ReductionPercent => GrantedBefore == 0 ? 0 : Math.Round(100.0 * GrantedRemoved / GrantedBefore, 1);

    public static ReviewOutcomeCounts Of(IEnumerable<ReviewItemStatus> items)
    {
        var list = items.ToList();
        var reduced = list.Where(i => i.State is ReviewState.Applied or ReviewState.Verified).ToList();
        return new ReviewOutcomeCounts(
            list.Count,
            list.GroupBy(i => ReviewNames.Of(i.State)).ToImmutableDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            reduced.Count,
            list.Sum(i => (long)i.GrantedBefore),
            reduced.Sum(i => (long)(i.GrantedBefore - i.GrantedAfter)));
    }
}

/// <summary>The campaign: batches, exceptions and the identities set apart.</summary>
public sealed record ReviewCampaignStatus(
    string Id, string Name, DateTimeOffset PlannedAt, DateTimeOffset SweepAsOf, ImmutableArray<ReviewBatchStatus> Batches,
    ImmutableArray<ReviewExceptionRecord> Exceptions, ReviewSetAside SetAside)
{
    public ReviewOutcomeCounts Counts => ReviewOutcomeCounts.Of(Batches.SelectMany(b => b.Items));
}

/// <summary>An identity kept out of the batches, and why.</summary>
public sealed record ReviewSetAsideItem(string Provider, string Identity, string Name, string Scope, string Reason, DateTimeOffset? Until);

/// <summary>The three lists apart from the batches: excluded by config, unverified proposals, the programme-admin queue.</summary>
public sealed record ReviewSetAside(
    ImmutableArray<ReviewSetAsideItem> Excluded, ImmutableArray<ReviewSetAsideItem> Unverified, ImmutableArray<ReviewSetAsideItem> AdminQueue)
{
    public static readonly ReviewSetAside Empty = new([], [], []);
}

/// <summary>How an item was changed: the channel, where (branch, pull request, script), and the script that reverts it.</summary>
public sealed record ReviewChange(
    string Channel, string Location, string? Commit, string? PullRequest, ImmutableArray<string> Files, string? RollbackScript,
    DateTimeOffset AppliedAt)
{
    public const string PullRequestChannel = "pull-request";
    public const string BranchChannel = "branch";
    public const string ScriptChannel = "script";

    /// <summary>For a change through the IaC repository: the texts its rollback takes the change back out of.</summary>
    public ImmutableArray<ReviewFileText> Texts { get; init; } = [];
}
