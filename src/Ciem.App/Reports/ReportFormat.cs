using System.Globalization;

namespace Ciem.App.Reports;

/// <summary>Number, percentage and date formats shared by the sweep's text and HTML renderings (invariant culture).</summary>
public static class ReportFormat
{
    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    public static string F1(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Pct(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Pct(long part, long whole) => whole <= 0 ? "0%" : Pct((double)part / whole);

    public static string Date(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A UTC minute: `2026-11-28 12:00`.</summary>
    public static string Stamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
