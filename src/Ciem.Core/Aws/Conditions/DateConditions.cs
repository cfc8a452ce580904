using System.Globalization;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `DateEquals`, `DateNotEquals`, `DateLessThan`, `DateLessThanEquals`, `DateGreaterThan`,
/// `DateGreaterThanEquals`. Values are ISO 8601 (`2025-01-31`, `2025-01-31T12:00:00Z`, with fractions or an
/// offset; no offset = UTC) or epoch seconds (`1735689600`), compared as UTC instants in ticks.
/// Policy variables are not supported by date operators.
/// </summary>
internal sealed class DateConditionClause(string key, ConditionOperator op, long?[] values)
    : OrderedConditionClause<long>(key, op, values)
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd",
    ];

    /// <summary>Parses a date to UTC ticks.</summary>
    public static bool TryParse(string text, out long utcTicks)
    {
        var t = text.AsSpan().Trim();
        // All digits: epoch seconds (the guide's "epoch (UNIX) time" form).
        if (t.Length is > 0 and <= 12 && !t.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            utcTicks = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks;
            return true;
        }
        if (DateTimeOffset.TryParseExact(
                t, IsoFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            utcTicks = parsed.UtcTicks;
            return true;
        }
        utcTicks = 0;
        return false;
    }

    protected override bool TryParseContext(string text, out long value) => TryParse(text, out value);
}
