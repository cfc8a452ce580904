using System.Globalization;
using System.Net;
using System.Text;
using Ciem.Core.Metrics;

namespace Ciem.App.Metrics;

/// <summary>One line of a trend chart: its legend, colour and one value per day (null where the slice has no point).</summary>
public sealed record TrendLine(string Name, string Colour, IReadOnlyList<double?> Values);

/// <summary>
/// Dependency-free SVG line charts of the metric over time, for the sweep's HTML report and the evidence bundle (both
/// open offline). Every chart is `role="img"` with a title and a description, and every label is escaped.
/// </summary>
public static class TrendChart
{
    public const int Width = 1120;
    private const int Height = 300;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 34;
    private const int Bottom = 48;

    /// <summary>A palette that stays apart for up to eight lines.</summary>
    public static readonly string[] Palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

    /// <summary>Lines over <paramref name="days"/> (x), scaled from 0 (or the lowest negative value) to the highest value.</summary>
    public static string Svg(string id, string title, string description, IReadOnlyList<DateOnly> days, IReadOnlyList<TrendLine> lines, string unit = "")
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(lines);
        var values = lines.SelectMany(l => l.Values).OfType<double>().ToList();
        var max = values.Count == 0 ? 1 : Math.Max(values.Max(), 0);
        var min = values.Count == 0 ? 0 : Math.Min(values.Min(), 0);
        if (max - min < 1e-9) { max = min + 1; }
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(int i) => days.Count <= 1 ? Left + (plotW / 2.0) : Left + (plotW * i / (double)(days.Count - 1));
        double Y(double v) => Top + (plotH * (max - v) / (max - min));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg id=\"{E(id)}\" class=\"trend-chart\" role=\"img\" aria-labelledby=\"{E(id)}-t {E(id)}-d\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\" font-size=\"12\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{E(id)}-t\">{E(title)}</title><desc id=\"{E(id)}-d\">{E(description)}</desc>");
        // Grid: five horizontal lines with their values.
        for (var g = 0; g <= 4; g++)
        {
            var v = min + ((max - min) * g / 4);
            var y = Y(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#e5e7eb\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" fill=\"#4b5563\">{E(Label(v) + unit)}</text>");
        }
        var step = Math.Max(1, (int)Math.Ceiling(days.Count / 10.0));
        for (var i = 0; i < days.Count; i += step)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(i))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" fill=\"#4b5563\">{days[i]:yyyy-MM-dd}</text>");
        }
        var legendX = Left;
        foreach (var line in lines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{E(line.Colour)}\"/><text x=\"{legendX + 16}\" y=\"18\">{E(line.Name)}</text>");
            legendX += 28 + (7 * Math.Min(line.Name.Length, 40));
            var points = line.Values.Select((v, i) => v is { } d ? $"{F(X(i))},{F(Y(d))}" : null).OfType<string>().ToList();
            if (points.Count == 0) { continue; }
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"trend-line\" data-series=\"{E(line.Name)}\" fill=\"none\" stroke=\"{E(line.Colour)}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            for (var i = 0; i < line.Values.Count; i++)
            {
                if (line.Values[i] is not { } d) { continue; }
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(d))}\" r=\"3\" fill=\"{E(line.Colour)}\"><title>{E($"{line.Name} {days[i]:yyyy-MM-dd}: {Label(d)}{unit}")}</title></circle>");
            }
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>The three charts the issue asks for: the gap (unused and unknown), the reduction against the baseline, unused administrators.</summary>
    public static IReadOnlyList<string> Standard(IReadOnlyList<Measurement> measurements, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var series = MetricTrend.Series(measurements, TrendDimension.Total);
        if (series.IsEmpty) { return []; }
        var all = series[0].Points;
        var days = all.Select(p => p.Day).ToList();
        var providers = MetricTrend.Series(measurements, TrendDimension.Provider);
        return
        [
            Svg($"{idPrefix}-gap", "Gap over time", "Granted permissions not seen used: unused (the logs would show a use) and unknown (no log records it), per measurement",
                days, [new TrendLine("unused", Palette[1], [.. all.Select(p => (double?)p.Totals.Unused)]),
                    new TrendLine("unknown", Palette[7], [.. all.Select(p => (double?)p.Totals.Unknown)]),
                    new TrendLine("used", Palette[2], [.. all.Select(p => (double?)p.Totals.Used)])]),
            Svg($"{idPrefix}-reduction", "Reduction against the baseline", "Percent fewer permissions granted than at the baseline measurement, overall and per provider",
                days, [new TrendLine("all", Palette[0], [.. all.Select(p => p.GrantedReductionPercent)]),
                    .. providers.Select((s, i) => new TrendLine(s.Key, Palette[(i + 2) % Palette.Length], Align(days, s)))], " %"),
            Svg($"{idPrefix}-admins", "Unused administrators", "Administrators that used no permissions-management right in the window, and all administrators",
                days, [new TrendLine("unused administrators", Palette[3], [.. all.Select(p => (double?)p.Totals.UnusedAdministrators)]),
                    new TrendLine("administrators", Palette[4], [.. all.Select(p => (double?)p.Totals.Administrators)])]),
        ];
    }

    private static List<double?> Align(List<DateOnly> days, TrendSeries s)
    {
        var byDay = s.Points.ToDictionary(p => p.Day, p => p.GrantedReductionPercent);
        return [.. days.Select(d => byDay.GetValueOrDefault(d))];
    }

    private static string Label(double v) => Math.Abs(v) >= 10000 ? (v / 1000).ToString("0.#k", CultureInfo.InvariantCulture) : v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
