using Ciem.Core.Metrics;
using static Ciem.Core.Tests.Metrics.AlertEvaluatorTests;

namespace Ciem.Core.Tests.Metrics;

public sealed class MetricTrendTests
{
    private static readonly DateOnly Monday = new(2026, 3, 2);

    [Fact]
    public void Series_ThreeDays_ChangesAndReductionAgainstFirst()
    {
        // Given three weekly measurements: gap 95, 85, 95 (granted 100, 90, 100; used 10 is 5 unknown + the rest unused)
        Measurement[] history =
        [
            Day(Monday.AddDays(14), Id("a", granted: 110, used: 15)),
            Day(Monday, Id("a", granted: 100, used: 5)),
            Day(Monday.AddDays(7), Id("a", granted: 90, used: 5)),
        ];

        // When the total series is computed
        var s = Assert.Single(MetricTrend.Series(history, TrendDimension.Total));

        // Then points are oldest first with the change of the gap and the reduction against the first day
        Assert.Equal([95L, 85L, 95L], s.Points.Select(p => p.Totals.Gap).ToArray());
        Assert.Equal([null, -10L, 10L], s.Points.Select(p => p.GapChange).ToArray());
        Assert.Equal([null, -10.5, 11.8], s.Points.Select(p => p.GapChangePercent).ToArray());
        Assert.Equal([0.0, 10.0, -10.0], s.Points.Select(p => p.GrantedReductionPercent).ToArray());
    }

    [Fact]
    public void Series_ChosenBaselineAndSince_ReductionAgainstChosenEvenWhenFilteredOut()
    {
        // Given the second day chosen as baseline and --since after it
        Measurement[] history =
        [
            Day(Monday, Id("a", granted: 100)),
            Day(Monday.AddDays(7), Id("a", granted: 200)) with { IsBaseline = true },
            Day(Monday.AddDays(14), Id("a", granted: 150)),
        ];

        // When the series since day 14 is computed
        var p = Assert.Single(Assert.Single(MetricTrend.Series(history, TrendDimension.Total, since: Monday.AddDays(14))).Points);

        // Then the reduction counts against the chosen day (200 → 150) and the change against the day before (kept for it)
        Assert.Equal(25.0, p.GrantedReductionPercent);
        Assert.Equal(-50, p.GapChange);
    }

    [Fact]
    public void Series_ByKindAndIdentity_SlicesAndFilters()
    {
        // Given a human and a service identity
        Measurement[] history = [Day(Monday, Id("svc", granted: 50), Id("ana", granted: 20, kind: "human"))];

        // When split by kind, and filtered to one identity by name
        var byKind = MetricTrend.Series(history, TrendDimension.Kind);
        var one = MetricTrend.Series(history, TrendDimension.Total, identity: "ana");

        // Then each kind is a series, and the filter keeps only that identity
        Assert.Equal(["human", "service"], byKind.Select(s => s.Key).ToArray());
        Assert.Equal(20, Assert.Single(one).Points[0].Totals.Granted);
        Assert.Empty(MetricTrend.Series(history, TrendDimension.Total, identity: "nobody"));
    }

    [Fact]
    public void Sparkline_Values_ScaledBlocks()
    {
        Assert.Equal("▁█▅", MetricTrend.Sparkline([0, 10, 6]));
        Assert.Equal("▄▄", MetricTrend.Sparkline([7, 7]));
        Assert.Equal("", MetricTrend.Sparkline([]));
    }
}
