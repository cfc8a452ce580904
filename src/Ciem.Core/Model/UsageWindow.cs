namespace Ciem.Core.Model;

/// <summary>
/// The days whose usage a gap, a proposal or a sweep reads, built once from (as-of, days, lookback). One convention,
/// NodaTime's <c>DateInterval</c>: whole UTC days, start and end both inclusive. The window of <see cref="Days"/> days
/// ends on the as-of day (the day of <see cref="AsOf"/> in UTC, which is read in full) and starts
/// <c>Days - 1</c> days before it; the lookback covers the <see cref="LookbackDays"/> days ending on the same day
/// (at least the window), and its days before <see cref="Start"/> are the seasonal part. Reports print
/// <see cref="Start"/> and <see cref="End"/>: exactly the first and last day loaded.
/// </summary>
public sealed record UsageWindow
{
    private UsageWindow(DateTimeOffset asOf, int days, int lookbackDays)
    {
        AsOf = asOf;
        Days = days;
        LookbackDays = Math.Max(lookbackDays, days);
        End = DateOnly.FromDateTime(asOf.UtcDateTime);
        Start = End.AddDays(1 - days);
        LookbackStart = End.AddDays(1 - LookbackDays);
    }

    /// <summary>The window of <paramref name="days"/> days ending on the day of <paramref name="asOf"/>, with its lookback.</summary>
    public static UsageWindow Of(DateTimeOffset asOf, int days, int lookbackDays = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lookbackDays);
        return new UsageWindow(asOf, days, lookbackDays);
    }

    /// <summary>The instant the window was asked for; its UTC day is <see cref="End"/>.</summary>
    public DateTimeOffset AsOf { get; }

    public int Days { get; }

    /// <summary>Days of the lookback, at least <see cref="Days"/>.</summary>
    public int LookbackDays { get; }

    /// <summary>The first day of the window (inclusive).</summary>
    public DateOnly Start { get; }

    /// <summary>The last day of the window (inclusive): the as-of day.</summary>
    public DateOnly End { get; }

    /// <summary>The first day of the lookback (inclusive).</summary>
    public DateOnly LookbackStart { get; }

    /// <summary>The day after <see cref="End"/>: the exclusive bound of the store's day-range queries.</summary>
    public DateOnly EndExclusive => End.AddDays(1);

    /// <summary>Midnight (UTC) starting <see cref="Start"/>: the window's start as an instant, for reports.</summary>
    public DateTimeOffset StartInstant => new(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public bool Contains(DateOnly day) => day >= Start && day <= End;
}
