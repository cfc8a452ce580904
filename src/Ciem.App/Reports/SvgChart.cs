using System.Globalization;
using System.Net;
using System.Text;

namespace Ciem.App.Reports;

/// <summary>One series of a chart: its name in the legend and its fill colour.</summary>
internal sealed record ChartSeries(string Name, string Colour);

/// <summary>One row of a horizontal bar chart: a label, an optional tooltip, one value per series and the text at the bar's end.</summary>
internal sealed record ChartRow(string Label, string? Tooltip, IReadOnlyList<double> Values, string ValueText);

/// <summary>
/// Small, dependency-free SVG charts for the HTML report. Every chart is `role="img"` with a title and a description
/// (the accessible name), draws on a fixed view box that scales to the page, and escapes every label.
/// </summary>
internal static class SvgChart
{
    /// <summary>The width of a chart in one column of the report's two-column grid; full-width charts pass their own.</summary>
    public const int HalfWidth = 560;
    private const int ValueWidth = 150;
    private const int LegendHeight = 26;
    private const string Font = "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\"";

    /// <summary>
    /// Horizontal bars, one row per <paramref name="rows"/> entry: with <paramref name="stacked"/> the series' values
    /// are segments of one bar, otherwise each series gets its own thin bar inside the row. The scale is linear from 0
    /// to <paramref name="max"/> (the largest row total when not given).
    /// </summary>
    public static string HorizontalBars(string id, string title, string description, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartRow> rows, bool stacked, double? max = null, int width = HalfWidth, int labelWidth = 150)
    {
        var barHeight = stacked ? 16 : 11;
        var rowHeight = stacked ? 24 : (series.Count * (barHeight + 2)) + 12;
        var height = LegendHeight + (rows.Count * rowHeight) + 8;
        var plot = width - labelWidth - ValueWidth;
        var scale = max ?? rows.Select(r => stacked ? r.Values.Sum() : r.Values.DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Max();
        if (scale <= 0) { scale = 1; }
        var sb = Open(id, title, description, width, height);
        Legend(sb, series, labelWidth);
        var y = LegendHeight;
        foreach (var row in rows)
        {
            sb.Append("<g>");
            if (row.Tooltip is not null) { sb.Append("<title>").Append(E(row.Tooltip)).Append("</title>"); }
            Text(sb, labelWidth - 8, y + (rowHeight / 2) + 4, Shorten(row.Label, (labelWidth - 8) / 8), "end", "#1f2937", 12);
            double x = labelWidth;
            var by = y + ((rowHeight - (stacked ? barHeight : series.Count * (barHeight + 2))) / 2);
            double end = labelWidth;
            for (var i = 0; i < series.Count && i < row.Values.Count; i++)
            {
                var w = Math.Max(row.Values[i] > 0 ? 1.5 : 0, plot * row.Values[i] / scale);
                var bx = stacked ? x : labelWidth;
                Rect(sb, bx, by, w, barHeight, series[i].Colour);
                if (stacked) { x += w; end = x; }
                else
                {
                    end = Math.Max(end, bx + w);
                    by += barHeight + 2;
                }
            }
            Text(sb, end + 6, y + (rowHeight / 2) + 4, row.ValueText, "start", "#374151", 11);
            sb.Append("</g>");
            y += rowHeight;
        }
        return Close(sb);
    }

    /// <summary>A vertical histogram: one bar per bin with its count above and its label below.</summary>
    public static string Histogram(string id, string title, string description, IReadOnlyList<string> labels, IReadOnlyList<int> counts, string colour, int width = HalfWidth)
    {
        const int height = 260;
        const int top = 20;
        const int bottom = 36;
        const int left = 40;
        var plotHeight = height - top - bottom;
        var slot = (double)(width - left - 10) / Math.Max(1, counts.Count);
        var max = Math.Max(1, counts.DefaultIfEmpty(0).Max());
        var sb = Open(id, title, description, width, height);
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{width - 10}\" y2=\"{top + plotHeight}\" stroke=\"#9ca3af\"/>");
        for (var i = 0; i < counts.Count; i++)
        {
            var h = counts[i] == 0 ? 0 : Math.Max(1.5, plotHeight * (double)counts[i] / max);
            var x = left + (i * slot) + 4;
            sb.Append("<g><title>").Append(E($"{labels[i]} unused: {counts[i]:N0} identities")).Append("</title>");
            Rect(sb, x, top + plotHeight - h, slot - 8, h, colour);
            Text(sb, x + ((slot - 8) / 2), top + plotHeight - h - 5, counts[i].ToString("N0", CultureInfo.InvariantCulture), "middle", "#374151", 11);
            Text(sb, x + ((slot - 8) / 2), top + plotHeight + 16, labels[i], "middle", "#4b5563", 11);
            sb.Append("</g>");
        }
        Text(sb, left + ((width - left) / 2), height - 4, "share of granted actions never used", "middle", "#6b7280", 11);
        return Close(sb);
    }

    private static StringBuilder Open(string id, string title, string description, int width, int height)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" {Font}>");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{E(title)}</title><desc id=\"{id}-d\">{E(description)}</desc>");
        return sb;
    }

    private static string Close(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static void Legend(StringBuilder sb, IReadOnlyList<ChartSeries> series, int labelWidth)
    {
        double x = labelWidth;
        foreach (var s in series)
        {
            Rect(sb, x, 6, 12, 12, s.Colour);
            Text(sb, x + 17, 16, s.Name, "start", "#374151", 12);
            x += 30 + (s.Name.Length * 7);
        }
    }

    private static void Rect(StringBuilder sb, double x, double y, double w, double h, string fill) =>
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{w:0.#}\" height=\"{h:0.#}\" rx=\"2\" fill=\"{fill}\"/>");

    private static void Text(StringBuilder sb, double x, double y, string text, string anchor, string fill, int size) =>
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" fill=\"{fill}\" font-size=\"{size}\">{E(text)}</text>");

    private static string Shorten(string s, int max) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max - 1), "…");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
