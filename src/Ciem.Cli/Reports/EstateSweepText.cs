using Ciem.App.Reports;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Risk;
using Ciem.Core.Sweep;
using Spectre.Console;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.Cli.Reports;

/// <summary>
/// The terminal summary of `ciem sweep` over every provider: the estate by provider, the kind × environment table in
/// review order, then each provider: the AWS summary (<see cref="SweepTextSummary"/>) and, for Azure and GCP, the
/// principals with the largest gap, the proposals, the proposals not emitted and the exclusions.
/// </summary>
public static class EstateSweepText
{
    public static void Render(IAnsiConsole console, EstateSweepResult result, int topIdentities = 10)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var t = result.Total;
        console.MarkupLine($"[bold]Estate sweep[/] as of {Date(result.AsOf)}, {N(result.WindowDays)}-day window; providers: {string.Join(", ", result.ProviderNames)}");
        console.WriteLine($"{N(t.Identities)} identities ({N(t.ServiceIdentities)} service), {N(t.Administrators)} administrators "
            + $"({N(t.UnusedAdministrators)} unused), {N(t.CanBecomeAdministrators)} can become one through a path, "
            + $"{N(t.PrivilegeAdministrators)} can make others administrators, {N(t.Inactive)} inactive");
        console.WriteLine($"granted {N(t.Granted)} → {N(t.GrantedAfter)} after {N(result.ProposalCount)} verified proposals ({F1(t.ProjectedReductionPercent)}% reduction); {N(result.FailureCount)} not emitted, {N(result.ExcludedCount)} excluded");
        if (!result.ResourceExposures.IsEmpty)
        {
            var e = result.ResourceExposures;
            console.WriteLine($"{N(e.Length)} resource polic{(e.Length == 1 ? "y lets" : "ies let")} anyone or an outside account in "
                + $"({N(e.Count(x => x.Factor == "public-resource"))} public, {N(e.Count(x => x.Factor == "cross-account-resource"))} cross-account; `ciem identities --risk` lists them)");
        }
        if (result.Risk is { } risk) { RenderRisk(console, result, risk, topIdentities); }
        console.Write(SliceTable("by provider", "provider", [.. result.Providers, t], s => s.Name.Replace("provider:", "", StringComparison.Ordinal)));
        var matrix = SliceTable("kind × environment (review order)", "kind", result.Matrix.Select(c => c.Slice).ToList(), s => s.Name.Split('/')[0], s => s.Name.Split('/')[1]);
        console.Write(matrix);
        var sources = result.Rows.GroupBy(r => r.Environment.SourceName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {N(g.Count())}");
        console.WriteLine($"environment read from: {string.Join(", ", sources)} (tags first, then account, OU, subscription, resource group, folder and project names)");
        console.WriteLine();
        if (result.Aws is { } aws)
        {
            console.MarkupLine("[bold underline]AWS[/]");
            SweepTextSummary.Render(console, aws, topIdentities);
            console.WriteLine();
        }
        foreach (var cloud in new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>())
        {
            RenderCloud(console, cloud, result.Providers.First(p => p.Name == "provider:" + cloud.Provider), topIdentities);
        }
    }

    /// <summary>The administrator categories per provider and the riskiest identities with their factors and shortest path.</summary>
    private static void RenderRisk(IAnsiConsole console, EstateSweepResult result, RiskView risk, int top)
    {
        foreach (var p in result.ProviderNames)
        {
            var pim = risk.Identities.Count(r => r.Provider == p && r.GrantsNeedActivation);
            console.WriteLine($"{p}: {N(risk.Count(p, AdminCategory.Administrator))} administrator(s), "
                + $"{N(risk.Count(p, AdminCategory.CanBecomeAdministrator))} can become one through a path, "
                + $"{N(risk.PrivilegeAdministrators(p))} can make others administrators"
                + (pim > 0 ? $" ({N(pim)} once a PIM-eligible role is activated)" : ""));
        }
        if (risk.Identities.IsEmpty) { return; }
        var table = new Table().Border(TableBorder.Rounded).Title($"riskiest {Math.Min(top, risk.Identities.Length)} identities")
            .AddColumns("provider", "identity", "category", "score", "factors (points)", "shortest path to administrator");
        table.Columns[3].RightAligned();
        foreach (var r in risk.Identities.Take(top))
        {
            var path = r.PathToAdministrator is { } x
                ? $"{string.Join(" → ", x.Steps.Select(st => st.Technique))} ({x.Hops} hop(s), {PathJson.CertaintyName(x.Certainty)})" : "";
            table.AddRow(r.Provider, Markup.Escape(r.Name), PathJson.CategoryName(r.Category), N(r.Score),
                Markup.Escape(string.Join("\n", r.Factors.Select(f => $"+{f.Points} {f.Id}"))), Markup.Escape(path));
        }
        console.Write(table);
        More(console, risk.Identities.Length, top, "identities with a risk factor");
    }

    private static Table SliceTable(string title, string first, IReadOnlyList<SweepSlice> slices, Func<SweepSlice, string> name, Func<SweepSlice, string>? environment = null)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title).AddColumn(first);
        if (environment is not null) { table.AddColumn("environment"); }
        table.AddColumns("identities", "service", "admins", "unused admins", "can become admin", "inactive", "granted", "used", "after",
            "reduction");
        for (var i = environment is null ? 1 : 2; i < table.Columns.Count; i++) { table.Columns[i].RightAligned(); }
        foreach (var s in slices)
        {
            var cells = new List<string> { Markup.Escape(name(s)) };
            if (environment is not null) { cells.Add(Markup.Escape(environment(s))); }
            cells.AddRange([N(s.Identities), N(s.ServiceIdentities), N(s.Administrators), N(s.UnusedAdministrators),
                N(s.CanBecomeAdministrators), N(s.Inactive), N(s.Granted), N(s.Used), N(s.GrantedAfter), F1(s.ProjectedReductionPercent) + "%"]);
            table.AddRow([.. cells]);
        }
        return table;
    }

    private static void RenderCloud(IAnsiConsole console, CloudSweepResult cloud, SweepSlice totals, int topIdentities)
    {
        console.MarkupLine($"[bold underline]{(cloud.Provider == Provider.AzureName ? "Azure" : "GCP")}[/]");
        console.WriteLine($"{N(totals.Identities)} principals, granted {N(totals.Granted)}, used {N(totals.Used)}, after proposals {N(totals.GrantedAfter)} ({F1(totals.ProjectedReductionPercent)}% reduction); {N(cloud.Proposals.Length)} verified proposals, {N(cloud.Failures.Length)} not emitted, {N(cloud.Excluded.Length)} excluded");
        var top = cloud.Identities.Where(i => i.Gap.Unused > 0).Take(topIdentities).ToList();
        if (top.Count > 0)
        {
            var after = cloud.Proposals.ToDictionary(p => p.Identity.Id, p => p.ReductionPercent, StringComparer.OrdinalIgnoreCase);
            var table = new Table().Border(TableBorder.Rounded).Title($"top {top.Count} principals by unused permissions")
                .AddColumns("principal", "kind", "environment", "admin", "granted", "used", "unused", "unknown", "unused share", "proposal");
            for (var i = 4; i < table.Columns.Count; i++) { table.Columns[i].RightAligned(); }
            foreach (var i in top)
            {
                var g = i.Gap;
                table.AddRow(Markup.Escape(g.Identity.Name), IdentityKindNames.Of(g.Identity.Kind), $"{i.Environment.Name} ({i.Environment.SourceName})",
                    AdminText.Cell(g.Category, g.AdminActionUsed), N(g.Granted), N(g.Used), N(g.Unused), N(g.Unknown), Pct(g.UnusedShare),
                    after.TryGetValue(g.Identity.Id, out var r) ? $"-{F1(r)}%" : "");
            }
            console.Write(table);
        }
        // The largest reductions first; the rest are in the JSON, the HTML report and the --out folder.
        foreach (var p in cloud.Proposals.Take(topIdentities))
        {
            console.WriteLine($"proposal: {p.Identity.Name}: {p.Summary}; granted {N(p.GrantedBefore)} → {N(p.GrantedAfter)}; every observed call allowed on replay");
        }
        More(console, cloud.Proposals.Length, topIdentities, "proposals");
        foreach (var f in cloud.Failures.Take(topIdentities))
        {
            console.MarkupLine($"[red]not emitted:[/] {Markup.Escape(f.Identity.Id)}: {Markup.Escape(string.Join("; ", f.Reasons))}");
        }
        More(console, cloud.Failures.Length, topIdentities, "proposals not emitted");
        foreach (var e in cloud.Excluded.Take(topIdentities))
        {
            console.MarkupLine($"[yellow]excluded:[/] {Markup.Escape(e.Identity.Id)}: {Markup.Escape(e.Reason)}");
        }
        More(console, cloud.Excluded.Length, topIdentities, "exclusions");
        console.WriteLine();
    }

    private static void More(IAnsiConsole console, int count, int shown, string what)
    {
        if (count > shown) { console.WriteLine($"… and {N(count - shown)} more {what} (--format json, --report, --out)"); }
    }
}
