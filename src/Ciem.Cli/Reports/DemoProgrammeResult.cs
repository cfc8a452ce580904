using System.Collections.Immutable;
using Ciem.App.Review;
using Ciem.Core.Metrics;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Reports;

/// <summary>One simulated week of the demo: its snapshot's day, the measurement and what the programme did.</summary>
public sealed record DemoWeek(int Number, DateTimeOffset AsOf, MetricTotals? Totals, double? GrantedReductionPercent, ImmutableArray<string> Events)
{
    /// <summary>How long the week took to simulate (wall clock).</summary>
    public TimeSpan Took { get; init; }
}

/// <summary>What the demo's review programme did over its weeks, and the final sweep for the report.</summary>
public sealed record DemoProgrammeResult(
    ImmutableArray<DemoWeek> Weeks, ReviewCampaignStatus? Campaign, ImmutableArray<AlertRecord> OpenAlerts, EstateSweepResult FinalSweep,
    bool LogIntact, string Folder);
