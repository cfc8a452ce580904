using System.Collections.Immutable;
using Ciem.App.Sweep;
using Ciem.Core.Metrics;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Metrics;

/// <summary>The days measured (recorded in the store) and those skipped because no snapshot had been taken by then.</summary>
public sealed record MetricsBackfillResult(ImmutableArray<Measurement> Measured, ImmutableArray<DateOnly> Skipped);

/// <summary>
/// `ciem metrics backfill`: measures past days from the snapshots and usage already in the store, so the trend starts on
/// the first day of history: every <c>every</c> days from <c>from</c>, and always <c>to</c>; each day as of its last
/// second (everything imported or logged that day counts), replacing that day's measurement.
/// </summary>
public static class MetricsBackfill
{
    /// <summary>Why the days from <paramref name="from"/> to <paramref name="to"/> cannot be measured as of
    /// <paramref name="today"/> (the option and value as given), or null.</summary>
    public static string? Problem(DateOnly from, DateOnly to, DateOnly today, string fromText, string? toText, int every, int windowDays) =>
        from > to ? $"--from `{fromText}` is after --to `{to:yyyy-MM-dd}`: the dates are inverted"
        : to > today ? $"--to `{toText}` is in the future: only days up to today can be measured"
        : every < 1 ? $"--every must be at least 1 day, not `{every}`"
        : windowDays < 1 ? $"--window must be at least 1 day, not `{windowDays}`"
        : null;

    public static MetricsBackfillResult Run(ICiemStore store, DateOnly from, DateOnly to, int every, int windowDays,
        DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        var options = new SweepOptions { WindowDays = windowDays };
        var measured = ImmutableArray.CreateBuilder<Measurement>();
        var skipped = ImmutableArray.CreateBuilder<DateOnly>();
        foreach (var day in Days(from, to, every))
        {
            var when = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
            var sweep = HistoricSweep.At(store, when, options);
            if (sweep is null) { skipped.Add(day); continue; }
            measured.Add(MetricsRecorder.Record(store, sweep, "backfill", recordedAt));
        }
        return new(measured.ToImmutable(), skipped.ToImmutable());
    }

    /// <summary>`from`, then every <paramref name="every"/> days up to <paramref name="to"/>, and <paramref name="to"/> itself.</summary>
    public static ImmutableArray<DateOnly> Days(DateOnly from, DateOnly to, int every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        if (from > to) { return []; }
        var days = ImmutableArray.CreateBuilder<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(every)) { days.Add(d); }
        if (days[^1] != to) { days.Add(to); }
        return days.ToImmutable();
    }
}
