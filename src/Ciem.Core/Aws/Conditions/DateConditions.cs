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
        if (TryParseCanonical(t, out utcTicks)) { return true; }
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

    // Fast path for the form request contexts carry (`aws:CurrentTime`): `yyyy-MM-ddTHH:mm:ssZ`.
    private static bool TryParseCanonical(ReadOnlySpan<char> t, out long utcTicks)
    {
        utcTicks = 0;
        if (t.Length != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z')
        {
            return false;
        }
        if (!TryDigits(t[..4], out var year) || !TryDigits(t[5..7], out var month) || !TryDigits(t[8..10], out var day)
            || !TryDigits(t[11..13], out var hour) || !TryDigits(t[14..16], out var minute) || !TryDigits(t[17..19], out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        utcTicks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') { return false; }
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    protected override bool TryParseContext(string text, out long value) => TryParse(text, out value);
}
