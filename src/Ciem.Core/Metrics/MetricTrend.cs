using System.Collections.Immutable;
using System.Text;

namespace Ciem.Core.Metrics;

/// <summary>How a trend splits the estate.</summary>
public enum TrendDimension
{
    Total,
    Provider,
    Account,
    Kind,
    Environment,
}

/// <summary>
/// One day of a series: the totals, the change of the gap since the previous point of the series, and the reduction
/// against the baseline (null when the slice was not in the baseline or the baseline granted nothing).
/// </summary>
/// <param name="GapChange">gap now minus gap at the previous point; null on the first point.</param>
/// <param name="GapChangePercent">that change as a share of the previous gap, in percent; null when there is no previous gap.</param>
/// <param name="GrantedReductionPercent">how much less is granted than at the baseline, in percent.</param>
/// <param name="UnusedReductionPercent">how much less is granted-and-unused than at the baseline, in percent.</param>
public sealed record TrendPoint(
    DateOnly Day,
    MetricTotals Totals,
    long? GapChange,
    double? GapChangePercent,
    double? GrantedReductionPercent,
    double? UnusedReductionPercent);

/// <summary>The points of one slice (`all`, a provider, `provider:account`, a kind or an environment), oldest first.</summary>
public sealed record TrendSeries(string Key, ImmutableArray<TrendPoint> Points)
{
    public TrendPoint? Latest => Points.IsEmpty ? null : Points[^1];
}

/// <summary>The trend of the gap metric: series per slice with per-period changes and the reduction against the baseline.</summary>
public static class MetricTrend
{
    /// <summary>The dimension named by `--by` (`provider`, `account`, `kind`, `env`, or `all`), or null.</summary>
    public static TrendDimension? ParseDimension(string? text) => text switch
    {
        null or "" or "all" => TrendDimension.Total,
        "provider" => TrendDimension.Provider,
        "account" => TrendDimension.Account,
        "kind" => TrendDimension.Kind,
        "env" or "environment" => TrendDimension.Environment,
        _ => null,
    };

    /// <summary>The key of an identity's slice in a dimension.</summary>
    public static string KeyOf(IdentityMeasure identity, TrendDimension by)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return by switch
        {
            TrendDimension.Provider => identity.Provider,
            TrendDimension.Account => $"{identity.Provider}:{identity.Account}",
            TrendDimension.Kind => identity.Kind,
            TrendDimension.Environment => identity.Environment,
            _ => "all",
        };
    }

    /// <summary>The baseline: the measurement marked as such, else the first.</summary>
    public static Measurement? Baseline(IReadOnlyList<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        return measurements.FirstOrDefault(m => m.IsBaseline) ?? measurements.OrderBy(m => m.Day).FirstOrDefault();
    }

    /// <param name="measurements">every measurement kept (the baseline is chosen among all of them, whatever <paramref name="since"/>).</param>
    /// <param name="by">the slices.</param>
    /// <param name="identity">only this identity (its id or its name), or every identity.</param>
    /// <param name="since">only points on or after this day.</param>
    public static ImmutableArray<TrendSeries> Series(IReadOnlyList<Measurement> measurements, TrendDimension by, string? identity = null, DateOnly? since = null)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        bool Selected(IdentityMeasure i) => identity is null || i.Identity == identity || i.Name == identity;
        var baseline = Baseline(measurements);
        var baseTotals = baseline is null ? [] : Slices(baseline, by, Selected);
        var ordered = measurements.OrderBy(m => m.Day).ToList();
        var points = new SortedDictionary<string, List<TrendPoint>>(StringComparer.Ordinal);
        foreach (var m in ordered)
        {
            foreach (var (key, totals) in Slices(m, by, Selected))
            {
                if (!points.TryGetValue(key, out var list)) { points[key] = list = []; }
                var previous = list.Count == 0 ? null : list[^1].Totals;
                long? change = previous is null ? null : totals.Gap - previous.Gap;
                double? changePercent = previous is null || previous.Gap == 0 ? null : Math.Round(100.0 * (totals.Gap - previous.Gap) / previous.Gap, 1);
                var b = baseTotals.GetValueOrDefault(key);
                list.Add(new TrendPoint(m.Day, totals, change, changePercent, Reduction(b?.Granted, totals.Granted), Reduction(b?.Unused, totals.Unused)));
            }
        }
        return [.. points.Select(p => new TrendSeries(p.Key, [.. p.Value.Where(t => since is null || t.Day >= since)]))
            .Where(s => !s.Points.IsEmpty)];
    }

    private static Dictionary<string, MetricTotals> Slices(Measurement m, TrendDimension by, Func<IdentityMeasure, bool> selected) =>
        m.Identities.Where(selected).GroupBy(i => KeyOf(i, by), StringComparer.Ordinal).ToDictionary(g => g.Key, g => MetricTotals.Of(g), StringComparer.Ordinal);

    private static double? Reduction(long? baseline, long now) => baseline is null or 0 ? null : Math.Round(100.0 * (baseline.Value - now) / baseline.Value, 1);

    /// <summary>A terminal sparkline of the values, one block per value, scaled between their minimum and maximum.</summary>
    public static string Sparkline(IReadOnlyList<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        const string blocks = "▁▂▃▄▅▆▇█";
        if (values.Count == 0) { return ""; }
        var min = values.Min();
        var max = values.Max();
        var sb = new StringBuilder(values.Count);
        foreach (var v in values)
        {
            sb.Append(max == min ? blocks[3] : blocks[(int)Math.Round((double)(v - min) / (max - min) * (blocks.Length - 1))]);
        }
        return sb.ToString();
    }
}
