namespace Ciem.Demo;

/// <summary>How often and when an Azure or GCP actor acts (AWS actors have their own, richer schedule in <see cref="CloudTrailWriter"/>).</summary>
internal sealed record DemoCadence(bool Human, double Rate, int Hour, double DayChance = 1)
{
    public static readonly DemoCadence Never = new(false, 0, 0, 0);
}

/// <summary>
/// Call times of one actor over the window before as-of, drawn from a stream of its own (so actors are independent
/// of each other and of the order they are generated in): people work weekdays from 07:00 to 18:00 UTC on a share of
/// the days; workloads run every day, a low-rate one around its hour, a busy one all day. The number of calls a day
/// is multiplied by <see cref="DemoOptions.EventScale"/> (1 leaves the demo as documented).
/// </summary>
internal static class DemoSchedule
{
    public static List<(DateTime Time, int Call)> Calls(StableRandom rng, DemoOptions options, DemoCadence cadence, int callCount)
    {
        var calls = new List<(DateTime, int)>();
        if (cadence.Rate <= 0 || callCount == 0) { return calls; }
        var end = options.AsOf.UtcDateTime.Date;
        for (var d = options.Days; d >= 1; d--)
        {
            var day = end.AddDays(-d);
            if (cadence.Human && day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) { continue; }
            if (!rng.Chance(cadence.DayChance)) { continue; }
            var n = rng.Poisson(cadence.Rate * options.EventScale);
            for (var i = 0; i < n; i++)
            {
                var seconds = cadence.Human ? rng.Next(7 * 3600, 18 * 3600)
                    : cadence.Rate < 6 ? Math.Clamp(cadence.Hour * 3600 + rng.Next(-5400, 5400), 0, 86_399)
                    : rng.Next(86_400);
                calls.Add((day.AddSeconds(seconds).AddMilliseconds(rng.Next(1000)), rng.Zipf(callCount, 0.9)));
            }
        }
        return calls;
    }
}
