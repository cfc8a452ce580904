using System.Globalization;
using Ciem.Core.Paths;
using Ciem.Core.Risk;
using Ciem.Core.Sweep;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.App.Reports;

/// <summary>
/// The report's first section, the risk view: the administrator categories of every provider, the riskiest identities with
/// every factor and its points, and the shortest paths of the riskiest identities drawn as one graph (Cytoscape.js, with
/// an inline-SVG fallback when scripts do not run).
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
            if (drawn.Count > 0) { PathFigure(drawn); }
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
