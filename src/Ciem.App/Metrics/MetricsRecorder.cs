using Ciem.Core.Metrics;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Metrics;

/// <summary>
/// Records the gap metric of a sweep: the delivered reductions as the snapshots up to the sweep's day show them, what
/// each provider's logs covered in the window, and one measurement per identity — replacing that day's measurement.
/// </summary>
public static class MetricsRecorder
{
    /// <summary>Days after a delivery within which a reduction still pending is normal (as `ciem reductions`).</summary>
    public static readonly TimeSpan ReductionGrace = TimeSpan.FromDays(14);

    /// <param name="source">`sweep` or `backfill`.</param>
    /// <param name="recordedAt">when the measurement is written (the host's clock).</param>
    public static Measurement Record(ICiemStore store, EstateSweepResult sweep, string source, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweep);
        var reductions = ReductionHistory.Evaluate(store, ReductionGrace, sweep.AsOf);
        var window = sweep.Window;
        var usage = sweep.ProviderNames.ToDictionary(p => p, p =>
        {
            var span = store.LoadUsageSpan(p, window.Start, window.EndExclusive);
            return new ProviderUsage(span.DaysWithEvents, span.Events);
        }, StringComparer.Ordinal);
        var measurement = MetricMeasure.From(sweep, reductions, usage, source);
        store.RecordMeasurement(measurement, recordedAt);
        return measurement;
    }
}
