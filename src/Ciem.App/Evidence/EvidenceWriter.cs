using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciem.App.Metrics;
using Ciem.Storage;

namespace Ciem.App.Evidence;

/// <summary>
/// Writes the bundle to a folder: `evidence.html` (printable, opens offline), `evidence.json` (the same content),
/// one CSV per table, and `manifest.json` with the SHA-256 of every file. The PDF is written by the host when headless
/// Chromium is present (<see cref="ManifestOf"/> then covers it too).
/// </summary>
public static class EvidenceWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes every file but the manifest; returns their names.</summary>
    public static ImmutableArray<string> Write(EvidenceReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        OwnerOnly.CreateFolder(folder);
        var files = new List<string> { "evidence.html", "evidence.json" };
        OwnerOnly.WriteAllText(Path.Combine(folder, "evidence.html"), Html(report));
        OwnerOnly.WriteAllText(Path.Combine(folder, "evidence.json"), JsonSerializer.Serialize(report, JsonOptions));
        foreach (var table in report.Sections.SelectMany(s => s.Tables))
        {
            var sb = new StringBuilder();
            CsvText.AppendRow(sb, table.Columns);
            foreach (var row in table.Rows) { CsvText.AppendRow(sb, row); }
            var name = $"{table.Id}.csv";
            OwnerOnly.WriteAllText(Path.Combine(folder, name), sb.ToString());
            files.Add(name);
        }
        return [.. files];
    }

    /// <summary>Writes `manifest.json`: every file of the bundle with its size and SHA-256.</summary>
    public static void ManifestOf(string folder, IEnumerable<string> files, DateTimeOffset generatedAt)
    {
        var entries = files.Order(StringComparer.Ordinal).Select(f =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, f));
            return new { file = f, bytes = bytes.LongLength, sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
        }).ToList();
        OwnerOnly.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(new { generatedAt, files = entries }, JsonOptions));
    }

    public static string Html(EvidenceReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Access evidence ").Append(E(D(r.From))).Append(" to ").Append(E(D(r.To)))
            .Append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.85rem}"
                + "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f4f6}.warning{border:2px solid #b91c1c;background:#fef2f2;padding:1rem}"
                + ".none{color:#b45309;font-weight:600}section{page-break-inside:auto}h2{page-break-after:avoid}@media print{nav{display:none}}</style></head>\n<body>\n");
        sb.Append("<h1>Access evidence — ").Append(E(r.Framework == "all" ? "ISO/IEC 27001, NIS2 and DORA" : r.Framework)).Append("</h1>\n<p>Period <strong>")
            .Append(E(D(r.From))).Append("</strong> to <strong>").Append(E(D(r.To))).Append("</strong>; generated ")
            .Append(E(r.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append(" by OpenCIEM from its store.</p>\n");
        foreach (var w in r.Warnings) { sb.Append("<div class=\"warning\" role=\"alert\"><strong>Warning:</strong> ").Append(E(w)).Append("</div>\n"); }
        sb.Append("<h2 id=\"limits\">Limits of this evidence</h2>\n<ul>");
        foreach (var l in r.Limits) { sb.Append("<li>").Append(E(l)).Append("</li>"); }
        sb.Append("</ul>\n<h2 id=\"controls\">Controls</h2>\n<table><thead><tr><th>framework</th><th>control</th><th>title</th><th>source</th><th>evidenced by</th><th>in the period</th></tr></thead><tbody>");
        foreach (var c in r.Controls)
        {
            sb.Append("<tr><td>").Append(E(c.Control.Framework)).Append("</td><td>").Append(E(c.Control.Id)).Append("</td><td>").Append(E(c.Control.Title))
                .Append("</td><td>").Append(E(c.Control.Source)).Append("</td><td>");
            sb.AppendJoin(", ", c.Control.Sections.Select(s => $"<a href=\"#{E(s)}\">{E(s)}</a>"));
            sb.Append("</td><td>").Append(c.Evidenced ? "evidence" : "<span class=\"none\">no evidence in the period</span>").Append("</td></tr>");
        }
        sb.Append("</tbody></table>\n");
        foreach (var s in r.Sections)
        {
            sb.Append("<section id=\"").Append(E(s.Id)).Append("\"><h2>").Append(E(s.Title)).Append("</h2>\n");
            var controls = r.Controls.Where(c => c.Control.Sections.Contains(s.Id)).Select(c => $"{c.Control.Framework} {c.Control.Id}").ToList();
            sb.Append("<p><em>Evidences: ").Append(E(controls.Count == 0 ? "no control of the framework chosen" : string.Join(", ", controls))).Append("</em></p>\n");
            if (!s.HasEvidence) { sb.Append("<p class=\"none\">No evidence in the period.</p>\n"); }
            foreach (var p in s.Paragraphs) { sb.Append("<p>").Append(E(p)).Append("</p>\n"); }
            foreach (var chart in s.Charts) { sb.Append("<figure>").Append(chart).Append("</figure>\n"); }
            foreach (var t in s.Tables)
            {
                sb.Append("<h3>").Append(E(t.Title)).Append("</h3>\n<table id=\"t-").Append(E(t.Id)).Append("\"><thead><tr>");
                foreach (var c in t.Columns) { sb.Append("<th>").Append(E(c)).Append("</th>"); }
                sb.Append("</tr></thead><tbody>");
                if (t.Rows.IsEmpty) { sb.Append("<tr><td colspan=\"").Append(t.Columns.Length).Append("\">none</td></tr>"); }
                foreach (var row in t.Rows)
                {
                    sb.Append("<tr>");
                    foreach (var v in row) { sb.Append("<td>").Append(E(v)).Append("</td>"); }
                    sb.Append("</tr>");
                }
                sb.Append("</tbody></table>\n");
            }
            sb.Append("</section>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
