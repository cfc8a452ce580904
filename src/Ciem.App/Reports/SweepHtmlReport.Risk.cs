using System.Globalization;
using System.Text;
using Ciem.Core.Paths;
using Ciem.Core.Risk;
using Ciem.Core.Sweep;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.App.Reports;

/// <summary>
/// The report's first section, the risk view: the administrator categories of every provider, the riskiest identities with
/// every factor and its points, and the shortest paths of the riskiest identities drawn as one graph (inline SVG).
/// </summary>
public static partial class SweepHtmlReport
{
    /// <summary>Identities whose paths the graph draws.</summary>
    public const int GraphPaths = 8;

    private sealed partial class Page
    {
        private void RiskSection(EstateSweepResult e, RiskView risk)
        {
            Section("risk", "Risk");
            _sb.Append("<div class=\"kpis\">");
            foreach (var p in e.ProviderNames)
            {
                var pim = risk.Identities.Count(r => r.Provider == p && r.GrantsNeedActivation);
                Kpi($"risk-{p}-administrators", $"{ProviderTitle(p)} administrators", N(risk.Count(p, AdminCategory.Administrator)),
                    $"<span data-kpi=\"risk-{p}-can-become\">{N(risk.Count(p, AdminCategory.CanBecomeAdministrator))}</span> can become one · "
                    + $"<span data-kpi=\"risk-{p}-privilege\">{N(risk.PrivilegeAdministrators(p))}</span> can make others administrators"
                    + (pim > 0 ? $" ({N(pim)} once a PIM-eligible role is activated)" : ""),
                    risk.Count(p, AdminCategory.CanBecomeAdministrator) > 0 ? "warn" : "");
            }
            _sb.Append("</div>\n");
            _sb.Append("<p class=\"hint\">Categories decided by the engines on the attack graphs: <strong>administrator</strong> (full control, ")
                .Append("conditions evaluated), <strong>can become administrator</strong> (through the path shown), <strong>privilege ")
                .Append("administrator</strong> (can make other principals administrators). The score is the plain sum of the published ")
                .Append("points of the factors shown (<code>ciem identities --risk</code> lists them).</p>");
            if (risk.Identities.IsEmpty) { Empty("No identity carries a risk factor."); return; }
            var drawn = risk.Identities.Where(r => r.PathToAdministrator is { Steps.IsEmpty: false }).Take(GraphPaths).ToList();
            if (drawn.Count > 0)
            {
                Figure($"Paths to administrator of the {drawn.Count} riskiest identities that can become one", PathGraph(drawn),
                    "Each box is an identity or an administrator goal; each arrow a technique, dashed when not certain.");
            }
            var t = new Table(_sb, "t-risk", "Riskiest identities");
            t.Head(("provider", "Provider", false), ("name", "Identity", false), ("kind", "Kind", false), ("category", "Category", false),
                ("score", "Score", true), ("factors", "Factors (points)", false), ("path", "Shortest path to administrator", false));
            foreach (var r in risk.Identities.Take(o.MaxRowsPerTable))
            {
                t.Row();
                t.Cell(E(ProviderTitle(r.Provider)), null);
                t.Cell($"<span class=\"id\" title=\"{E(r.Id)}\">{E(r.Name)}</span>", null);
                t.Cell(E(r.Kind), null);
                var category = PathJson.CategoryName(r.Category) + (r.GrantsNeedActivation ? " (on PIM activation)" : "");
                t.Cell(r.Category == AdminCategory.None ? "" : $"<span class=\"tag{(r.Category == AdminCategory.PrivilegeAdministrator
                    ? "" : " bad")}\">{E(category)}</span>", ((int)r.Category).ToString(CultureInfo.InvariantCulture));
                t.Num(r.Score);
                t.Cell(string.Join("<br>", r.Factors.Select(f => $"+{N(f.Points)} <code>{E(f.Id)}</code>: {E(f.Detail)}")), null);
                t.Cell(r.PathToAdministrator is { } p
                    ? E(string.Join(" → ", p.Steps.Select(s => s.Technique))) + $" <span class=\"muted\">({N(p.Hops)} hop(s), "
                        + $"{PathJson.CertaintyName(p.Certainty)})</span>" : "", null);
            }
            t.End(risk.Identities.Length, o.MaxRowsPerTable, "identities with a risk factor");
            _sb.Append("</section>\n");
        }

        /// <summary>
        /// The paths as one graph: a node per identity or goal (shared between paths), in the column of its first hop, and an
        /// arrow per step labelled with its technique. Every name is escaped.
        /// </summary>
        private static string PathGraph(IReadOnlyList<RiskRow> rows)
        {
            const int boxW = 210, boxH = 34, colW = 300, rowH = 56, pad = 12;
            var column = new Dictionary<string, int>(StringComparer.Ordinal);
            var order = new List<string>();
            var edges = new List<(string From, string To, string Technique, EdgeCertainty Certainty)>();
            void Place(string node, int col)
            {
                if (column.TryAdd(node, col)) { order.Add(node); }
            }
            foreach (var r in rows)
            {
                var steps = r.PathToAdministrator!.Steps;
                Place(steps[0].From, 0);
                for (var i = 0; i < steps.Length; i++)
                {
                    Place(steps[i].To, column[steps[i].From] + 1);
                    edges.Add((steps[i].From, steps[i].To, steps[i].Technique, steps[i].Certainty));
                }
            }
            var perColumn = new Dictionary<int, int>();
            var at = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
            foreach (var n in order)
            {
                var c = column[n];
                var k = perColumn.GetValueOrDefault(c);
                perColumn[c] = k + 1;
                at[n] = (pad + c * colW, pad + k * rowH);
            }
            var width = pad * 2 + (column.Values.Max() * colW) + boxW;
            var height = pad * 2 + (perColumn.Values.Max() * rowH);
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"c-risk-paths\" role=\"img\" viewBox=\"0 0 {width} {height}\" ")
                .Append(CultureInfo.InvariantCulture, $"width=\"{width}\" height=\"{height}\" aria-labelledby=\"c-risk-paths-t\">")
                .Append("<title id=\"c-risk-paths-t\">").Append(E(string.Join("; ", rows.Select(r => r.Name + ": "
                    + string.Join(" → ", r.PathToAdministrator!.Steps.Select(s => s.Technique)))))).Append("</title>")
                .Append("<defs><marker id=\"risk-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" ")
                .Append("orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6b7280\"/></marker></defs>");
            foreach (var (from, to, technique, certainty) in edges.Distinct())
            {
                var (x1, y1) = (at[from].X + boxW, at[from].Y + (boxH / 2));
                var (x2, y2) = (at[to].X, at[to].Y + (boxH / 2));
                if (x2 <= x1) { x2 = at[to].X + boxW; x1 = at[from].X + boxW; }
                var dash = certainty == EdgeCertainty.Certain ? "" : " stroke-dasharray=\"5 4\"";
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"#6b7280\"")
                    .Append(dash).Append(" marker-end=\"url(#risk-arrow)\"><title>").Append(E($"{technique} ({PathJson.CertaintyName(certainty)})"))
                    .Append("</title></line>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{(x1 + x2) / 2}\" y=\"{((y1 + y2) / 2) - 4}\" font-size=\"10\" ")
                    .Append("text-anchor=\"middle\" fill=\"#374151\">").Append(E(Short(technique, 40))).Append("</text>");
            }
            var goals = rows.Select(r => r.PathToAdministrator!.Steps[^1].To).ToHashSet(StringComparer.Ordinal);
            var sources = rows.Select(r => r.PathToAdministrator!.Steps[0].From).ToHashSet(StringComparer.Ordinal);
            foreach (var n in order)
            {
                var (x, y) = at[n];
                var fill = goals.Contains(n) ? "#fee2e2" : sources.Contains(n) ? "#e0e7ff" : "#f3f4f6";
                svg.Append(CultureInfo.InvariantCulture, $"<g><title>{E(n)}</title><rect x=\"{x}\" y=\"{y}\" width=\"{boxW}\" ")
                    .Append(CultureInfo.InvariantCulture, $"height=\"{boxH}\" rx=\"6\" fill=\"{fill}\" stroke=\"#9ca3af\"/>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 8}\" y=\"{y + 21}\" font-size=\"11\" fill=\"#111827\">")
                    .Append(E(Short(n, 32))).Append("</text></g>");
            }
            return svg.Append("</svg>").ToString();
        }

        /// <summary>An identity's administrator category as a tag: admin (red when unused in the window), can become admin, privilege.</summary>
        private static string AdminTag(AdminCategory category, bool adminActionUsed) => category switch
        {
            AdminCategory.Administrator => adminActionUsed ? "<span class=\"tag\">admin</span>" : "<span class=\"tag bad\">unused admin</span>",
            AdminCategory.CanBecomeAdministrator => "<span class=\"tag bad\" title=\"through a path: ciem paths shows it\">can become admin</span>",
            AdminCategory.PrivilegeAdministrator => "<span class=\"tag\" title=\"can make other principals administrators\">privilege</span>",
            _ => "",
        };

        /// <summary>The sort key of <see cref="AdminTag"/>: unused administrators first when sorted descending.</summary>
        private static string AdminSort(AdminCategory category, bool adminActionUsed) => category switch
        {
            AdminCategory.Administrator => adminActionUsed ? "3" : "4",
            AdminCategory.CanBecomeAdministrator => "2",
            AdminCategory.PrivilegeAdministrator => "1",
            _ => "0",
        };

        private static string Short(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    }
}
