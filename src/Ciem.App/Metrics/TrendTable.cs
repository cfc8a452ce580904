using System.Globalization;
using System.Text;
using Ciem.Core.Metrics;

namespace Ciem.App.Metrics;

/// <summary>The trend as a table (`ciem trend --format csv|json`, the evidence bundle): one row per slice and day.</summary>
public static class TrendTable
{
    public static readonly string[] Header =
    [
        "slice", "day", "identities", "administrators", "unused_administrators", "inactive", "granted", "used", "unused", "unknown", "gap",
        "gap_change", "gap_change_percent", "granted_reduction_percent", "unused_reduction_percent", "pending", "applied", "regrown",
    ];

    /// <summary>The values of one row, in the order of <see cref="Header"/> (empty where a change is not defined).</summary>
    public static IReadOnlyList<string> Row(string slice, TrendPoint p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var t = p.Totals;
        return
        [
            slice, Day(p.Day), N(t.Identities), N(t.Administrators), N(t.UnusedAdministrators), N(t.Inactive), N(t.Granted), N(t.Used), N(t.Unused),
            N(t.Unknown), N(t.Gap), p.GapChange is { } c ? N(c) : "", D(p.GapChangePercent), D(p.GrantedReductionPercent), D(p.UnusedReductionPercent),
            N(t.Pending), N(t.Applied), N(t.Regrown),
        ];
    }

    /// <summary>The series as CSV text (RFC 4180, with formula characters neutralised).</summary>
    public static string Csv(IEnumerable<TrendSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var sb = new StringBuilder();
        CsvText.AppendRow(sb, Header);
        foreach (var s in series)
        {
            foreach (var p in s.Points) { CsvText.AppendRow(sb, Row(s.Key, p)); }
        }
        return sb.ToString();
    }

    /// <summary>The series as plain objects for JSON (camelCase names come from the serializer).</summary>
    public static object Json(IEnumerable<TrendSeries> series) => series.Select(s => new
    {
        slice = s.Key,
        points = s.Points.Select(p => new
        {
            day = Day(p.Day),
            identities = p.Totals.Identities,
            administrators = p.Totals.Administrators,
            unusedAdministrators = p.Totals.UnusedAdministrators,
            inactive = p.Totals.Inactive,
            granted = p.Totals.Granted,
            used = p.Totals.Used,
            unused = p.Totals.Unused,
            unknown = p.Totals.Unknown,
            gap = p.Totals.Gap,
            gapChange = p.GapChange,
            gapChangePercent = p.GapChangePercent,
            grantedReductionPercent = p.GrantedReductionPercent,
            unusedReductionPercent = p.UnusedReductionPercent,
            proposals = new { pending = p.Totals.Pending, applied = p.Totals.Applied, regrown = p.Totals.Regrown },
        }),
    }).ToList();

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double? v) => v is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "";
}

/// <summary>CSV for spreadsheets: fields quoted when needed and a leading formula character neutralised (names are untrusted).</summary>
public static class CsvText
{
    public static string Field(string? value)
    {
        var v = value ?? "";
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(v)) { v = "'" + v; }
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v;
    }

    public static void AppendRow(StringBuilder sb, IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(sb);
        sb.AppendJoin(',', values.Select(Field)).Append("\r\n");
    }

    /// <summary>A negative number stays a number (a gap change of `-12`), not text.</summary>
    private static bool IsNumber(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
