using System.Globalization;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.App.Reports;

/// <summary>
/// The multi-provider report: the estate by provider and by kind × environment (table and SVG chart) first, then the
/// AWS sections when AWS was swept, then one section per Azure or GCP estate (principals with the largest gap,
/// proposals with their role, not emitted and excluded principals).
/// </summary>
public static partial class SweepHtmlReport
{
    public static string Render(EstateSweepResult result) => Render(result, SweepReportOptions.Default);

    public static string Render(EstateSweepResult result, SweepReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(result.Aws ?? EmptyAws(result), result, options);
    }

    /// <summary>Stands in for the AWS sweep when AWS was not swept; its sections are not rendered.</summary>
    private static SweepResult EmptyAws(EstateSweepResult result) => new(
        result.AsOf, result.WindowDays, result.LookbackDays,
        new GapSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, result.Window.StartInstant, result.AsOf),
        [], [], [], [], 0, new UsageCoverage(null, null, 0, 0, 0, 0, 0));

    private static string ProviderTitle(string provider) => provider switch
    {
        "aws" => "AWS",
        "azure" => "Azure",
        "gcp" => "GCP",
        _ => provider,
    };

    private sealed partial class Page
    {
        private void EstateHeader(EstateSweepResult e)
        {
            _sb.Append("<header class=\"top\"><div class=\"wrap\"><p class=\"brand\">OpenCIEM · ").Append(E(string.Join(" · ", e.ProviderNames.Select(ProviderTitle)))).Append("</p><h1>")
                .Append(E(o.Title)).Append("</h1>");
            _sb.Append("<p class=\"sub\">As of <strong>").Append(Date(e.AsOf)).Append("</strong> · usage window <strong>").Append(N(e.WindowDays)).Append(" days</strong> (")
                .Append(Date(e.Window.StartInstant)).Append(" → ").Append(Date(e.AsOf)).Append(")</p></div></header>\n");
            _sb.Append("<nav aria-label=\"Sections\"><div class=\"wrap\">");
            if (e.Risk is not null) { _sb.Append("<a href=\"#risk\">Risk</a>"); }
            _sb.Append("<a href=\"#estate\">Estate</a><a href=\"#matrix\">Kind × environment</a>");
            if (o.Trend.Count > 0) { _sb.Append("<a href=\"#trend\">Trend</a>"); }
            if (o.Campaign is not null) { _sb.Append("<a href=\"#campaign\">Campaign</a>"); }
            if (e.Aws is not null)
            {
                _sb.Append("<a href=\"#summary\">AWS</a><a href=\"#gaps\">AWS gaps</a><a href=\"#proposals\">AWS proposals</a>");
                if (!e.Aws.Failures.IsEmpty) { _sb.Append("<a href=\"#failures\">AWS failures</a>"); }
                _sb.Append("<a href=\"#details\">AWS details</a>");
            }
            foreach (var cloud in Clouds(e)) { _sb.Append("<a href=\"#").Append(cloud.Provider).Append("\">").Append(ProviderTitle(cloud.Provider)).Append("</a>"); }
            _sb.Append("</div></nav>\n");
        }

        private void EstateSections(EstateSweepResult e)
        {
            var t = e.Total;
            Section("estate", "Estate");
            _sb.Append("<div class=\"kpis\">");
            Kpi("estate-identities", "Identities", N(t.Identities), $"{N(t.ServiceIdentities)} service · {E(string.Join(", ", e.Providers.Select(p => $"{ProviderTitle(p.Name["provider:".Length..])} {N(p.Identities)}")))}", "");
            Kpi("estate-administrators", "Administrators", N(t.Administrators), $"<span data-kpi=\"estate-unused-administrators\">"
                + $"{N(t.UnusedAdministrators)}</span> unused as admin in the window · <span data-kpi=\"estate-can-become-administrators\">"
                + $"{N(t.CanBecomeAdministrators)}</span> can become one through a path · <span data-kpi=\"estate-privilege-administrators\">"
                + $"{N(t.PrivilegeAdministrators)}</span> can make others administrators", t.UnusedAdministrators > 0 ? "warn" : "");
            Kpi("estate-inactive", "Inactive identities", N(t.Inactive), $"{Pct(t.Inactive, t.Identities)} used nothing in {N(e.WindowDays)} days", t.Inactive > 0 ? "warn" : "");
            Kpi("estate-granted", "Granted permissions", N(t.Granted), $"<span data-kpi=\"estate-used\">{N(t.Used)}</span> used", "");
            Kpi("estate-reduction", "Projected reduction", F1(t.ProjectedReductionPercent) + "%", $"{N(t.Granted)} → <span data-kpi=\"estate-granted-after\">{N(t.GrantedAfter)}</span> granted", "good");
            Kpi("estate-proposals", "Verified proposals", N(e.ProposalCount), $"<span data-kpi=\"estate-failures\">{N(e.FailureCount)}</span> not emitted · {N(e.ExcludedCount)} excluded", e.FailureCount > 0 ? "warn" : "");
            _sb.Append("</div>\n");
            SliceRows("t-providers", "By provider", "provider", [.. e.Providers, t], s => s.Name.StartsWith("provider:", StringComparison.Ordinal) ? ProviderTitle(s.Name["provider:".Length..]) : "all", null);
            SliceRows("t-kinds", "By kind", "kind", e.Kinds, s => s.Name["kind:".Length..], null);
            SliceRows("t-envs", "By environment", "environment", e.Environments, s => s.Name["env:".Length..], null);
            var sources = e.Rows.GroupBy(r => r.Environment.SourceName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {N(g.Count())}");
            _sb.Append("<p class=\"hint\">Environment read from account, OU, subscription, resource-group and project tags or labels (<code>env</code>, <code>environment</code>, <code>stage</code>, <code>tier</code>) first, then from their names — ")
                .Append(E(string.Join(", ", sources))).Append(" identities.</p>");
            _sb.Append("</section>\n");

            Section("matrix", "Kind × environment");
            _sb.Append("<p class=\"hint\">In review order: service identities in pre-production first, then production; people last.</p>");
            if (e.Matrix.IsEmpty) { Empty("No identities."); return; }
            SliceRows("t-matrix", "Kind × environment", "kind", [.. e.Matrix.Select(c => c.Slice)], s => s.Name.Split('/')[0], s => s.Name.Split('/')[1]);
            var cells = e.Matrix.Take(o.MaxChartBars).ToList();
            Figure("Granted versus used by kind × environment", SvgChart.HorizontalBars("c-matrix", "Granted versus used permissions by kind and environment",
                "Granted, remaining after proposals, and used permissions per kind and environment: " + string.Join("; ", cells.Select(c => $"{c.Kind} {c.Environment} granted {N(c.Slice.Granted)}, after {N(c.Slice.GrantedAfter)}, used {N(c.Slice.Used)}")),
                [GrantedSeries, AfterSeries, UsedSeries],
                [.. cells.Select(c => new ChartRow($"{c.Kind} · {c.Environment} ({N(c.Slice.Identities)})", null, [c.Slice.Granted, c.Slice.GrantedAfter, c.Slice.Used], $"−{F1(c.Slice.ProjectedReductionPercent)}% · {N(c.Slice.Used)} used"))],
                stacked: false, width: 1140, labelWidth: 220),
                "Each kind and environment: granted, after proposals, used.");
            _sb.Append("</section>\n");
            if (e.Aws is not null)
            {
                Section("aws", "AWS");
                _sb.Append("<p class=\"hint\">The AWS sweep follows: figures, coverage of the CloudTrail data, charts, tables and every proposal in detail.</p></section>\n");
            }
        }

        private void SliceRows(string id, string caption, string first, IReadOnlyList<SweepSlice> slices, Func<SweepSlice, string> name, Func<SweepSlice, string>? environment)
        {
            _sb.Append("<h3>").Append(E(caption)).Append("</h3>");
            var t = new Table(_sb, id, caption, filter: false);
            (string, string, bool)[] counts =
            [
                ("identities", "Identities", true), ("service", "Service", true), ("admins", "Admins", true),
                ("unusedadmins", "Unused admins", true), ("canbecome", "Can become admin", true), ("inactive", "Inactive", true),
                ("granted", "Granted", true), ("used", "Used", true), ("after", "After", true), ("reduction", "Reduction", true),
            ];
            t.Head([(first, char.ToUpperInvariant(first[0]) + first[1..], false), .. environment is null ? Array.Empty<(string, string, bool)>() : [("environment", "Environment", false)], .. counts]);
            foreach (var s in slices)
            {
                t.Row();
                t.Cell(E(name(s)), null);
                if (environment is not null) { t.Cell(E(environment(s)), null); }
                t.Num(s.Identities); t.Num(s.ServiceIdentities); t.Num(s.Administrators); t.Num(s.UnusedAdministrators);
                t.Num(s.CanBecomeAdministrators); t.Num(s.Inactive);
                t.Num(s.Granted); t.Num(s.Used); t.Num(s.GrantedAfter);
                t.Cell(F1(s.ProjectedReductionPercent) + "%", s.ProjectedReductionPercent.ToString(CultureInfo.InvariantCulture));
            }
            t.End(slices.Count, int.MaxValue, "slices");
        }

        private void CloudSections(EstateSweepResult e)
        {
            foreach (var cloud in Clouds(e))
            {
                var title = ProviderTitle(cloud.Provider);
                var totals = e.Providers.First(p => p.Name == "provider:" + cloud.Provider);
                Section(cloud.Provider, title);
                _sb.Append("<p class=\"lede\"><strong>").Append(N(totals.Identities)).Append("</strong> principals hold <strong>").Append(N(totals.Granted))
                    .Append("</strong> distinct permissions; <strong>").Append(N(totals.Used)).Append("</strong> were used in the window. Applying the ").Append(N(cloud.Proposals.Length))
                    .Append(" verified proposals leaves ").Append(N(totals.GrantedAfter)).Append(" (<strong>−").Append(F1(totals.ProjectedReductionPercent)).Append("%</strong>).</p>");

                _sb.Append("<h3>Principals with the largest gap</h3>");
                var rows = cloud.Identities.ToList();
                var reductions = cloud.Proposals.ToDictionary(p => p.Identity.Id, p => p.ReductionPercent, StringComparer.OrdinalIgnoreCase);
                var t = new Table(_sb, $"t-{cloud.Provider}-gaps", $"{title} principals with the largest gap");
                t.Head(("name", "Principal", false), ("kind", "Kind", false), ("environment", "Environment", false), ("admin", "Admin", false), ("granted", "Granted", true),
                    ("used", "Used", true), ("gap", "Unused", true), ("share", "Unused share", true), ("last", "Last activity", true), ("reduction", "Proposal", true));
                foreach (var i in rows.Take(o.MaxRowsPerTable))
                {
                    var g = i.Gap;
                    t.Row();
                    t.Cell($"<span class=\"id\" title=\"{E(g.Identity.Id)}\">{E(g.Identity.Name)}</span>", null);
                    t.Cell(IdentityKindNames.Of(g.Identity.Kind), null);
                    t.Cell($"{E(i.Environment.Name)} <span class=\"muted\" title=\"{E(i.Environment.Evidence)}\">({i.Environment.SourceName})</span>", null);
                    t.Cell(AdminTag(g.Category, g.AdminActionUsed), AdminSort(g.Category, g.AdminActionUsed));
                    t.Num(g.Granted); t.Num(g.Used); t.Num(g.Unused);
                    t.Cell(ShareBar(g.UnusedShare), g.UnusedShare.ToString(CultureInfo.InvariantCulture));
                    DateCell(t, g.LastActivity);
                    t.Cell(reductions.TryGetValue(g.Identity.Id, out var r) ? $"−{F1(r)}%" : "", reductions.TryGetValue(g.Identity.Id, out var k) ? k.ToString(CultureInfo.InvariantCulture) : "-1");
                }
                t.End(rows.Count, o.MaxRowsPerTable, "principals");

                _sb.Append("<h3>Proposals (").Append(N(cloud.Proposals.Length)).Append(")</h3>");
                if (cloud.Proposals.IsEmpty) { _sb.Append("<p class=\"empty\">No proposals.</p>"); }
                foreach (var p in cloud.Proposals.Take(o.MaxProposalDetails))
                {
                    _sb.Append("<details class=\"proposal\" id=\"").Append(cloud.Provider).Append('-').Append(E(Anchor(p.Identity.Id))).Append("\"><summary><span class=\"id\">").Append(E(p.Identity.Name))
                        .Append("</span> <span class=\"muted\">").Append(E(p.Environment.Name)).Append("</span><span class=\"sum-right\">").Append(N(p.GrantedBefore)).Append(" → ")
                        .Append(N(p.GrantedAfter)).Append(" · <strong>−").Append(F1(p.ReductionPercent)).Append("%</strong> · <span class=\"tag ok\">passed</span></span></summary>\n<div class=\"detail-body\">");
                    _sb.Append("<p><code class=\"arn\">").Append(E(p.Identity.Id)).Append("</code></p><p>").Append(E(p.Summary)).Append(". Every observed call is allowed on replay with it in place.</p>");
                    _sb.Append("<h3>Proposed ").Append(p.DocumentExtension == "binding.json" ? "binding" : "role").Append(" <button type=\"button\" class=\"link\" data-copy>Copy</button></h3><pre class=\"json\">")
                        .Append(E(p.Document)).Append("</pre>");
                    _sb.Append("<h3>Terraform <button type=\"button\" class=\"link\" data-copy>Copy</button></h3><pre class=\"json\">").Append(E(p.Terraform)).Append("</pre></div></details>\n");
                }
                if (cloud.Proposals.Length > o.MaxProposalDetails)
                {
                    _sb.Append("<p class=\"more\">Showing ").Append(N(o.MaxProposalDetails)).Append(" of ").Append(N(cloud.Proposals.Length)).Append(" proposals; the full list is in <code>ciem sweep --format json</code>.</p>");
                }
                if (!cloud.Failures.IsEmpty || !cloud.Excluded.IsEmpty)
                {
                    _sb.Append("<h3>Not emitted and excluded</h3>");
                    var f = new Table(_sb, $"t-{cloud.Provider}-failures", $"{title} principals without a proposal");
                    f.Head(("name", "Principal", false), ("status", "Status", false), ("reason", "Reason", false));
                    foreach (var x in cloud.Failures.Select(x => (x.Identity, Status: "not emitted", Reason: string.Join("; ", x.Reasons)))
                        .Concat(cloud.Excluded.Select(x => (x.Identity, Status: "excluded", x.Reason))).Take(o.MaxRowsPerTable))
                    {
                        f.Row();
                        f.Cell($"<span class=\"id\" title=\"{E(x.Identity.Id)}\">{E(x.Identity.Name)}</span>", null);
                        f.Cell(x.Status, null);
                        f.Cell(E(x.Reason), null);
                    }
                    f.End(cloud.Failures.Length + cloud.Excluded.Length, o.MaxRowsPerTable, "principals");
                }
                _sb.Append("</section>\n");
            }
        }

        private static IEnumerable<CloudSweepResult> Clouds(EstateSweepResult e) => new[] { e.Azure, e.Gcp }.OfType<CloudSweepResult>();

        private static string Anchor(string id) => new([.. id.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
    }
}
