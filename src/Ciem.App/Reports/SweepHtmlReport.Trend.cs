using Ciem.App.Metrics;
using Ciem.Core.Metrics;
using Ciem.Core.Sweep;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.App.Reports;

/// <summary>The trend section: the gap, the reduction against the baseline and unused administrators over the measurements kept.</summary>
public static partial class SweepHtmlReport
{
    /// <summary>The multi-provider report with the trend of the measurements kept in the store.</summary>
    public static string Render(EstateSweepResult result, IReadOnlyList<Measurement> trend)
    {
        ArgumentNullException.ThrowIfNull(trend);
        return Render(result, SweepReportOptions.Default with { Trend = trend });
    }

    private sealed partial class Page
    {
        private void TrendSection()
        {
            Section("trend", "Trend");
            if (o.Trend.Count < 2)
            {
                Empty("One measurement so far: the trend appears after the next sweep (or run `ciem metrics backfill --from DATE`).");
                _sb.Append("</section>\n");
                return;
            }
            var baseline = MetricTrend.Baseline(o.Trend)!;
            _sb.Append("<p class=\"hint\">").Append(N(o.Trend.Count)).Append(" measurements from ").Append(E(TrendTable.Day(o.Trend[0].Day))).Append(" to ")
                .Append(E(TrendTable.Day(o.Trend[^1].Day))).Append("; reduction counted against ").Append(E(TrendTable.Day(baseline.Day)))
                .Append(baseline.IsBaseline ? " (the chosen baseline)" : " (the first measurement)").Append(".</p>");
            foreach (var svg in TrendChart.Standard(o.Trend, "trend")) { _sb.Append("<figure class=\"chart\">").Append(svg).Append("</figure>\n"); }
            _sb.Append("</section>\n");
        }
    }
}
