using Ciem.App.Metrics;
using Ciem.Core.Metrics;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of the gap metric: `ciem.trend/1` (the series of a dimension against the baseline) and
/// `ciem.metrics-backfill/1` (the days measured and skipped).
/// </summary>
public static class TrendJson
{
    public static object Of(TrendDimension dimension, string? identity, Measurement baseline, int measurements,
        IReadOnlyList<TrendSeries> series)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return new
        {
            by = dimension.ToString().ToLowerInvariant(),
            identity,
            baseline = new { day = TrendTable.Day(baseline.Day), chosen = baseline.IsBaseline },
            measurements,
            series = TrendTable.Json(series),
        };
    }

    public static object Backfill(MetricsBackfillResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            measured = result.Measured.Select(m => new
            {
                day = TrendTable.Day(m.Day), identities = m.Identities.Length, granted = m.Totals.Granted, gap = m.Totals.Gap,
            }),
            skipped = result.Skipped.Select(TrendTable.Day),
        };
    }
}
