using System.Globalization;
using Ciem.App.Reports;
using Ciem.Core.Model;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Sweep;
using Spectre.Console;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.Cli.Reports;

/// <summary>
/// The terminal summary of `ciem sweep`: headline figures, data coverage, slices, the projected reduction as a bar
/// chart, the identities with the largest gap and the proposals that could not be emitted.
/// </summary>
public static class SweepTextSummary
{
    public static void Render(IAnsiConsole console, SweepResult result) => Render(console, result, topIdentities: 10);

    public static void Render(IAnsiConsole console, SweepResult result, int topIdentities)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Summary;
        var c = result.Coverage;
        console.MarkupLine($"[bold]Least-privilege sweep[/] as of {Date(result.AsOf)}, {N(result.WindowDays)}-day window from {Date(s.WindowStart)} (seasonal lookback {N(result.LookbackDays)} days)");
        console.WriteLine(c.FirstDay is { } first && c.LastDay is { } last
            ? $"usage data: {first:yyyy-MM-dd} to {last:yyyy-MM-dd}, events on {N(c.DaysWithEvents)} of {N(result.WindowDays)} days, {N(c.Events)} events, {N(c.IdentitiesSeen)} of {N(s.Identities)} identities seen, {N(c.DeniedAttempts)} denied attempts, {N(c.UnmappedEvents)} unmapped events"
            : "usage data: no events in the window: every recordable grant looks unused");
        if (c.DaysWithEvents < result.WindowDays * 0.8 && c.DaysWithEvents > 0)
        {
            console.MarkupLine($"[yellow]warning:[/] events on only {N(c.DaysWithEvents)} of {N(result.WindowDays)} days: actions used on the missing days look unused");
        }
        console.WriteLine();

        var other = s.Identities - s.Humans - s.ServiceIdentities;
        var kpis = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("detail");
        kpis.AddRow("identities", N(s.Identities), $"{N(s.Humans)} human, {N(s.ServiceIdentities)} service{(other > 0 ? $", {N(other)} other roles" : "")}");
        kpis.AddRow("administrators", N(s.Administrators), $"{(s.UnusedAdministrators > 0 ? "[red]" : "[green]")}{N(s.UnusedAdministrators)}[/] "
            + "unused as administrator in the window");
        if (result.Slices.FirstOrDefault(x => x.Name == "all") is { } all)
        {
            kpis.AddRow("can become administrator", N(all.CanBecomeAdministrators), $"through a path; {N(all.PrivilegeAdministrators)} can make "
                + "others administrators (`ciem identities --admins`)");
        }
        kpis.AddRow("inactive", N(s.Inactive), $"used nothing in {N(result.WindowDays)} days");
        kpis.AddRow("granted actions", N(s.GrantedTotal), $"{N(s.UsedTotal)} used ({Pct(s.UsedTotal, s.GrantedTotal - s.UnknownTotal)} of recordable), {N(s.UnknownTotal)} not recordable");
        kpis.AddRow("after proposals", N(result.GrantedAfter), $"[green]{F1(result.ProjectedReductionPercent)}%[/] projected reduction");
        kpis.AddRow("proposals", N(result.Proposals.Length), $"{N(result.Proposals.Count(p => p.Verification.Passed))} verified by replay, {N(result.Proposals.Count(p => p.Verification.State == VerificationState.Unverified))} unverified, {N(result.Failures.Length)} not emitted, {N(result.Excluded.Length)} excluded");
        console.Write(kpis);

        if (!result.Slices.IsEmpty)
        {
            var slices = new Table().Border(TableBorder.Rounded).AddColumns("slice", "identities", "service", "admins", "unused admins",
                "can become admin", "inactive", "granted", "used", "after", "reduction");
            for (var i = 1; i < slices.Columns.Count; i++) { slices.Columns[i].RightAligned(); }
            foreach (var x in result.Slices)
            {
                slices.AddRow(Markup.Escape(x.Name), N(x.Identities), N(x.ServiceIdentities), N(x.Administrators), N(x.UnusedAdministrators),
                    N(x.CanBecomeAdministrators), N(x.Inactive), N(x.Granted), N(x.Used), N(x.GrantedAfter), F1(x.ProjectedReductionPercent) + "%");
            }
            console.Write(slices);
            var chart = new BarChart().Label("projected reduction by slice (% of granted actions removed)").Width(80).WithMaxValue(100);
            foreach (var x in result.Slices.Where(x => !SweepSlices.IsWholeEstate(x.Name)))
            {
                chart.AddItem(Markup.Escape(x.Name), x.ProjectedReductionPercent, Color.Green);
            }
            console.Write(chart);
            console.WriteLine();
        }

        var top = result.Gaps.Where(g => g.Unused > 0).OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(topIdentities).ToList();
        if (top.Count > 0)
        {
            var reductions = result.Proposals.ToDictionary(p => p.Identity.Id, p => p.ReductionPercent, StringComparer.Ordinal);
            var gaps = new Table().Border(TableBorder.Rounded).Title($"top {top.Count} identities by unused actions")
                .AddColumns("identity", "kind", "account", "admin", "granted", "used", "unused", "unused share", "proposal");
            for (var i = 4; i < gaps.Columns.Count; i++) { gaps.Columns[i].RightAligned(); }
            foreach (var g in top)
            {
                gaps.AddRow(
                    Markup.Escape(g.Identity.Name), IdentityKindNames.Of(g.Identity.Kind), Markup.Escape(g.Identity.Scope),
                    AdminText.Cell(g.Category, g.AdminActionUsed),
                    N(g.Granted), N(g.Used), N(g.Unused), Pct(g.UnusedShare),
                    reductions.TryGetValue(g.Identity.Id, out var r) ? $"-{F1(r)}%" : "");
            }
            console.Write(gaps);
        }

        foreach (var f in result.Failures.OrderBy(f => f.Identity.Id, StringComparer.Ordinal))
        {
            console.MarkupLine($"[red]not emitted:[/] {Markup.Escape(f.Identity.Id)}: {Markup.Escape(f.Reason)}");
        }
        foreach (var p in result.Proposals.Where(p => p.PermissionSet is not null).Take(topIdentities))
        {
            console.MarkupLine($"[blue]permission set:[/] {Markup.Escape(p.PermissionSet!.Name)}: usage of {N(p.PermissionSet.Roles.Length)} role(s) in {N(p.PermissionSet.Accounts.Length)} account(s), verification {p.Verification.StateName}");
        }
        var unverified = result.Proposals.Where(p => p.Verification.State == VerificationState.Unverified).ToList();
        foreach (var p in unverified.Take(topIdentities))
        {
            console.MarkupLine($"[yellow]unverified:[/] {Markup.Escape(p.Identity.Id)}: no observed call could be replayed");
        }
        More(console, unverified.Count, topIdentities, "unverified proposals");
        var guarded = result.Proposals.Where(p => !p.Guardrails.IsEmpty).ToList();
        foreach (var p in guarded.Take(topIdentities))
        {
            console.MarkupLine($"[green]kept guardrails:[/] {Markup.Escape(p.Identity.Name)}: {Markup.Escape(string.Join(", ", p.Guardrails.Select(g => g.ShortName)))}");
        }
        More(console, guarded.Count, topIdentities, "proposals with kept guardrails");
        var flagged = result.Proposals.Where(p => !p.Flagged.IsEmpty).ToList();
        foreach (var p in flagged.Take(topIdentities))
        {
            console.MarkupLine($"[yellow]sensitive kept as unknown:[/] {Markup.Escape(p.Identity.Name)}: {Markup.Escape(string.Join(", ", p.Flagged.Select(f => $"{f.Action} ({f.Reason})")))}");
        }
        More(console, flagged.Count, topIdentities, "proposals with sensitive unknown actions");
        foreach (var e in result.Excluded.Take(topIdentities))
        {
            console.MarkupLine($"[grey]excluded:[/] {Markup.Escape(e.Identity.Id)}: {Markup.Escape(e.Reason)}");
        }
        More(console, result.Excluded.Length, topIdentities, "exclusions");
    }

    private static void More(IAnsiConsole console, int count, int shown, string what)
    {
        if (count > shown) { console.WriteLine($"… and {N(count - shown)} more {what} (see --format json)"); }
    }
}
