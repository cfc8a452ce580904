using System.Collections.Immutable;
using Ciem.App.Review;
using Ciem.Core.Metrics;
using Ciem.Core.Sweep;

namespace Ciem.App.Demo;

/// <summary>One simulated week of the demo: its snapshot's day, the measurement and what the programme did.</summary>
public sealed record DemoWeek(int Number, DateTimeOffset AsOf, MetricTotals? Totals, double? GrantedReductionPercent, ImmutableArray<string> Events)
{
    /// <summary>How long the week took to simulate (wall clock).</summary>
    public TimeSpan Took { get; init; }

    /// <summary>The managed heap alive at the end of the week, after its compacting collection (`GC.GetTotalMemory`).</summary>
    public long HeapBytes { get; init; }
}

/// <summary>What the demo's review programme did over its weeks, and the final sweep for the report.</summary>
public sealed record DemoProgrammeResult(
    ImmutableArray<DemoWeek> Weeks, ReviewCampaignStatus? Campaign, ImmutableArray<AlertRecord> OpenAlerts, EstateSweepResult FinalSweep,
    bool LogIntact, string Folder);

/// <summary>The outcome of a set of campaign items for one cloud: its provider, its name in words, the counts.</summary>
public sealed record DemoCloudCounts(string Provider, string Name, ReviewOutcomeCounts Counts)
{
    private static readonly (string Provider, string Name)[] Clouds =
        [(Core.Model.Provider.AwsName, "AWS"), (Core.Model.Provider.AzureName, "Azure"), (Core.Model.Provider.GcpName, "GCP")];

    /// <summary>Per cloud, in the order AWS, Azure, GCP; the clouds with no item left out.</summary>
    public static ImmutableArray<DemoCloudCounts> Of(IEnumerable<ReviewItemStatus> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        return [.. Clouds.Where(c => list.Any(i => i.Provider == c.Provider))
            .Select(c => new DemoCloudCounts(c.Provider, c.Name, ReviewOutcomeCounts.Of(list.Where(i => i.Provider == c.Provider))))];
    }

    /// <summary>The identities per cloud, in words: `AWS 12, Azure 3, GCP 2` (`none` without any).</summary>
    public static string Words(IEnumerable<ReviewItemStatus> items)
    {
        var counts = Of(items);
        return counts.IsEmpty ? "none" : string.Join(", ", counts.Select(c => $"{c.Name} {c.Counts.Identities:N0}"));
    }
}

/// <summary>A step of the story as it starts (the week and what it does), for the host's progress line.</summary>
public sealed record DemoStoryStep(int Week, DateTimeOffset Day, string Text);

/// <summary>The story's result, or why it stopped (lowercase, no final period) with the diagnostics that stopped it.</summary>
public sealed record DemoStoryOutcome(DemoProgrammeResult? Result, string? Error, ImmutableArray<Ciem.Core.Diagnostics.Diagnostic> Diagnostics);
