using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Review;

/// <summary>
/// Which items of a campaign the review queue shows: a state (its name: `noticed`, `objected`, …), an owner (exact,
/// case ignored), a text found in the identity, name, account or owner (case ignored), and the page (from 1) and its size.
/// </summary>
public sealed record ReviewQueueQuery(string? State = null, string? Owner = null, string? Search = null, int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 500;

    internal bool Matches(ReviewItemRecord item) =>
        (State is null || item.State == State)
        && (Owner is null || string.Equals(item.Owner, Owner, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(Search) || Contains(item.Identity) || Contains(item.Name) || Contains(item.Scope) || Contains(item.Owner));

    private bool Contains(string text) => text.Contains(Search!, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One page of the review queue: the campaign with, in each batch, only this page's items (every batch is listed, with
/// its dates); how many items match the query in all, per state; and each shown item's proposal (for its diff).
/// The order is stable: by the batch's deadline (batches not yet noticed last), batch, provider, account, name, identity.
/// </summary>
public sealed record ReviewQueuePage(
    ReviewCampaignStatus Campaign, ReviewQueueQuery Query, int Total, ImmutableSortedDictionary<string, int> States,
    ImmutableDictionary<string, ReviewEntry> Entries)
{
    public int Pages => Math.Max(1, (Total + Query.PageSize - 1) / Query.PageSize);

    /// <summary>The page's items in the queue's order, each with its batch.</summary>
    public ImmutableArray<(ReviewBatchStatus Batch, ReviewItemStatus Item)> Items { get; init; } = [];
}

public sealed partial class ReviewProgramme
{
    /// <summary>
    /// The page <paramref name="query"/> asks of a campaign's queue (the latest campaign when none is named), among the items
    /// whose owner <paramref name="maySee"/> lets the caller see. Only the page's items are decoded from their proposals.
    /// </summary>
    public ReviewResult<ReviewQueuePage> Queue(string? campaignId, ReviewQueueQuery query, Func<string, bool> maySee)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(maySee);
        var data = Load(campaignId, out var error, outline: true);
        if (data is null) { return new(null, [error!]); }
        var batches = data.Batches.ToDictionary(b => b.Number);
        var matching = data.Items.Where(i => maySee(i.Owner) && query.Matches(i))
            .OrderBy(i => batches[i.Batch].Deadline ?? DateTimeOffset.MaxValue).ThenBy(i => i.Batch)
            .ThenBy(i => i.Provider, StringComparer.Ordinal).ThenBy(i => i.Scope, StringComparer.Ordinal)
            .ThenBy(i => i.Name, StringComparer.Ordinal).ThenBy(i => i.Identity, StringComparer.Ordinal).ToList();
        var size = Math.Clamp(query.PageSize, 1, ReviewQueueQuery.MaxPageSize);
        var page = matching.Skip((int)Math.Min((Math.Max(query.Page, 1) - 1L) * size, int.MaxValue)).Take(size).ToList();
        var shown = WithCandidates(data, page).Select(i => (Record: i, Entry: ReviewEntry.FromJson(i.Candidate))).ToList();
        var items = shown.Select(s => ItemStatus(s.Record, s.Entry)).ToImmutableArray();
        var statuses = data.Batches.Select(b => new ReviewBatchStatus(b.Number, b.Stage, b.NotBefore, b.NoticedAt, b.Deadline,
            [.. items.Where(i => i.Batch == b.Number)])).ToImmutableArray();
        var aside = JsonSerializer.Deserialize<ReviewSetAside>(data.Campaign.SetAside, ReviewEntry.Json) ?? ReviewSetAside.Empty;
        var campaign = new ReviewCampaignStatus(data.Campaign.Id, data.Campaign.Name, data.Campaign.PlannedAt, data.Campaign.SweepAsOf,
            statuses, data.Exceptions, aside);
        var byNumber = statuses.ToDictionary(b => b.Number);
        return new(new ReviewQueuePage(campaign, query with { PageSize = size }, matching.Count,
            matching.GroupBy(i => i.State, StringComparer.Ordinal).ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            shown.ToImmutableDictionary(s => s.Record.Identity, s => s.Entry, StringComparer.Ordinal))
        {
            Items = [.. items.Select(i => (byNumber[i.Batch], i))],
        }, []);
    }

    /// <summary>One item of a campaign (by id, or by a name only one item has) as the queue shows it, with its proposal alone read.</summary>
    public ReviewResult<(ReviewItemStatus Item, ReviewEntry Entry)> Item(string? campaignId, string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var data = Load(campaignId, out var error, outline: true);
        if (data is null) { return new(default, [error!]); }
        var item = FindItem(data, identity, out error);
        if (item is null) { return new(default, [error!]); }
        var entry = ReviewEntry.FromJson(WithCandidates(data, [item])[0].Candidate);
        return new((ItemStatus(item, entry), entry), []);
    }

    /// <summary>Items of a campaign's outline with their proposals read (an item that left the campaign meanwhile is dropped).</summary>
    private List<ReviewItemRecord> WithCandidates(ReviewCampaignData outline, IReadOnlyList<ReviewItemRecord> items)
    {
        var candidates = store.LoadCandidates(outline.Campaign.Id, [.. items.Select(i => i.Identity)]);
        return [.. items.Where(i => candidates.ContainsKey(i.Identity)).Select(i => i with { Candidate = candidates[i.Identity] })];
    }

    /// <summary>The items of every campaign for one identity (newest campaign last), each decoded alone.</summary>
    public ImmutableArray<(string Campaign, ReviewItemStatus Item, ReviewEntry Entry)> ItemsOf(string provider, string identity)
    {
        var found = ImmutableArray.CreateBuilder<(string, ReviewItemStatus, ReviewEntry)>();
        foreach (var campaign in Campaigns())
        {
            var outline = store.LoadCampaignOutline(campaign.Id);
            var record = outline?.Items.FirstOrDefault(i => i.Provider == provider && i.Identity == identity);
            if (record is null) { continue; }
            foreach (var item in WithCandidates(outline!, [record]))
            {
                var entry = ReviewEntry.FromJson(item.Candidate);
                found.Add((campaign.Id, ItemStatus(item, entry), entry));
            }
        }
        return found.ToImmutable();
    }
}
