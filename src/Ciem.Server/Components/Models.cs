using System.Collections.Immutable;
using Ciem.App.People;
using Ciem.App.Review;
using Ciem.Core.Metrics;
using Ciem.Core.Model;
using Ciem.Storage;

namespace Ciem.Server.Components;

/// <summary>The overview: the latest totals (the caller's identities only for an owner), the trend charts, risks and coverage.</summary>
public sealed record OverviewModel(
    DateOnly? Day, MetricTotals? Totals, ImmutableArray<string> Charts, ImmutableArray<IdentityMeasure> TopRisks,
    ImmutableArray<MeasuredProvider> Providers, ImmutableArray<SnapshotInfo> Snapshots, int OpenAlerts);

/// <summary>The identities page: the query as parsed, one page of rows and the values the filters offer.</summary>
public sealed record IdentitiesModel(
    IdentityQuery Query, IdentityPage Page, ImmutableArray<string> Providers, ImmutableArray<string> Kinds,
    ImmutableArray<string> Environments, ImmutableArray<string> Accounts)
{
    public int Pages => Math.Max(1, (Page.Total + Query.PageSize - 1) / Query.PageSize);

    /// <summary>This page's query string with some values replaced (paging and sorting links).</summary>
    public string Link(int? page = null, IdentitySort? sort = null, bool? descending = null)
    {
        var q = Query;
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) { parts.Add($"{key}={Uri.EscapeDataString(value)}"); }
        }
        Add("provider", q.Provider);
        Add("kind", q.Kind);
        Add("env", q.Environment);
        Add("account", q.Account);
        Add("owner", q.Owner);
        Add("q", q.Search);
        if (q.AdministratorsOnly) { Add("admin", "true"); }
        if (q.InactiveOnly) { Add("unused", "true"); }
        Add("sort", (sort ?? q.Sort).ToString().ToLowerInvariant());
        Add("dir", (descending ?? q.Descending) ? "desc" : "asc");
        Add("page", (page ?? q.Page).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("size", q.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/identities?" + string.Join("&", parts);
    }
}

/// <summary>One identity: its measurement, effective permissions (or why none), and its review items.</summary>
public sealed record IdentityModel(
    string Provider, string Id, IdentityMeasure? Measure, EffectiveAccess? Access, string? AccessError,
    ImmutableArray<(string Campaign, ReviewItemStatus Item, ReviewEntry Entry)> Reviews);

/// <summary>The review queue: one page of a campaign's items the caller may see (with their batch deadlines), and a message.</summary>
public sealed record ReviewModel(
    ReviewQueuePage? Queue, string? Error, ImmutableArray<ReviewCampaignRecord> Campaigns, string? Notice, string? Problem)
{
    /// <summary>The campaign, its batches holding only this page's items.</summary>
    public ReviewCampaignStatus? Campaign => Queue?.Campaign;

    public ImmutableArray<(ReviewBatchStatus Batch, ReviewItemStatus Item)> Items => Queue?.Items ?? [];

    /// <summary>The proposal of each item shown (by identity), for its diff; absent when the campaign lost it.</summary>
    public ImmutableDictionary<string, ReviewEntry> Entries => Queue?.Entries ?? ImmutableDictionary<string, ReviewEntry>.Empty;

    /// <summary>This queue's query string with another page (the pager's links).</summary>
    public string Link(int page)
    {
        if (Queue is not { } q) { return "/review"; }
        var parts = new List<string> { "campaign=" + Uri.EscapeDataString(q.Campaign.Id) };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) { parts.Add($"{key}={Uri.EscapeDataString(value)}"); }
        }
        Add("state", q.Query.State);
        Add("owner", q.Query.Owner is "\0" ? null : q.Query.Owner);
        Add("q", q.Query.Search);
        Add("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("size", q.Query.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/review?" + string.Join("&", parts);
    }
}

/// <summary>A person across clouds: the address asked, the view (`ciem person`), and its usage window.</summary>
public sealed record PersonModel(string Address, PersonViewResult Found, int WindowDays, DateTimeOffset AsOf);
