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

/// <summary>A step of the story as it starts (the week and what it does), for the host's progress line.</summary>
public sealed record DemoStoryStep(int Week, DateTimeOffset Day, string Text);

/// <summary>The story's result, or why it stopped (lowercase, no final period) with the diagnostics that stopped it.</summary>
public sealed record DemoStoryOutcome(DemoProgrammeResult? Result, string? Error, ImmutableArray<Ciem.Core.Diagnostics.Diagnostic> Diagnostics);
