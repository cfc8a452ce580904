using System.Globalization;

namespace Ciem.Cli.Reports;

/// <summary>Number, percentage and date formats shared by the sweep's text and HTML renderings (invariant culture).</summary>
internal static class ReportFormat
{
    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    public static string F1(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Pct(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Pct(long part, long whole) => whole <= 0 ? "0%" : Pct((double)part / whole);

    public static string Date(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
