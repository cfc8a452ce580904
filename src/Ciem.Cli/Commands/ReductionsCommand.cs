using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.App.Metrics;
using Ciem.App.Reports;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem reductions`: every delivered reduction (`ciem propose`) with its status after the imports that followed it —
/// pending, applied, regrown (which permissions came back, since which snapshot) or identity gone. With
/// `--fail-on-regrown` it exits 2 when a reduction has regrown, for CI.
/// </summary>
public static class ReductionsCommand
{
    public static Command Create(CliHost host)
    {
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var grace = new Option<int>("--grace") { Description = "days after a delivery within which a reduction still pending is normal; later it is flagged overdue", DefaultValueFactory = _ => 14 };
        var failOnRegrown = new Option<bool>("--fail-on-regrown") { Description = "exit 2 when a reduction has regrown (for CI)" };
        var command = new Command("reductions", "delivered least-privilege reductions and whether they were applied, are pending or regrew") { db, format, grace, failOnRegrown };
        command.SetAction(p => p.GetValue(format) == "csv"
            ? CsvOutput.ViaJson(host, h => Run(h, p.GetValue(db), "json", p.GetValue(grace), p.GetValue(failOnRegrown)), "reductions")
            : Run(host, p.GetValue(db), p.GetValue(format)!, p.GetValue(grace), p.GetValue(failOnRegrown)));
        return command;
    }

    public static int Run(CliHost host, string? db, string format, int graceDays, bool failOnRegrown)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (graceDays < 0)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.CliBadArgument}: --grace must be 0 or more days, not `{graceDays}`");
            return ExitCodes.InvalidInput;
        }
        var path = StoreAccess.PathFor(host, db);
        if (!StoreAccess.Exists(host, db))
        {
            host.Error.WriteLine($"error: no store at `{path}`: run `ciem import aws|azure|gcp PATH` and `ciem propose` first");
            return ExitCodes.Failure;
        }
        var statuses = ReductionHistory.Evaluate(StoreAccess.Open(host, db), TimeSpan.FromDays(graceDays));
        var regrown = statuses.Count(s => s.State == ReductionState.Regrown);
        if (format == "json") { CliJson.Write(host, "reductions", ReductionsJson.Of(statuses)); }
        else { Render(host, statuses); }
        foreach (var s in statuses.Where(s => s.State == ReductionState.Regrown))
        {
            host.Error.WriteLine($"warning {DiagnosticCodes.ReductionRegrown}: `{s.Reduction.Identity}` is granted again {s.Regrown.Length} permission(s) removed by the reduction delivered {Day(s.Reduction.DeliveredAt)}: {string.Join(", ", s.Regrown.Take(5).Select(r => $"`{r.Action}`"))}{(s.Regrown.Length > 5 ? ", …" : "")}");
        }
        return failOnRegrown && regrown > 0 ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private static string Day(DateTimeOffset d) => d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void Render(CliHost host, ImmutableArray<ReductionStatus> statuses)
    {
        if (statuses.IsEmpty)
        {
            host.Console.WriteLine("no reduction recorded: `ciem propose --out DIR` (or --iac-repo) records what it delivers");
            return;
        }
        var table = new Table().AddColumns("identity", "delivered", "to", "removed", "status", "detail");
        foreach (var s in statuses)
        {
            var r = s.Reduction;
            var status = s.State switch
            {
                ReductionState.Applied => "[green]applied[/]",
                ReductionState.Regrown => "[red]regrown[/]",
                ReductionState.IdentityGone => "[grey]identity gone[/]",
                _ => s.Overdue ? "[yellow]pending (overdue)[/]" : "pending",
            };
            table.AddRow(Markup.Escape(r.Identity), Day(r.DeliveredAt), Markup.Escape($"{r.Channel} {r.Location}{(r.Revision is { } c ? " @" + c[..Math.Min(10, c.Length)] : "")}"),
                r.Removed.Length.ToString(CultureInfo.InvariantCulture), status, Markup.Escape(Detail(s)));
        }
        host.Console.Write(table);
    }

    private static string Detail(ReductionStatus s) => s.State switch
    {
        ReductionState.Applied => $"applied in the snapshot of {s.AppliedAt:yyyy-MM-dd}; {s.Latest!.GrantedCount} granted now (proposal: {s.Reduction.GrantedAfter})",
        ReductionState.Regrown => $"{s.Regrown.Length} back: {string.Join(", ", s.Regrown.Take(4).Select(r => $"{r.Action} since snapshot {r.SinceSnapshot} ({r.Since:yyyy-MM-dd})"))}{(s.Regrown.Length > 4 ? ", …" : "")}",
        ReductionState.IdentityGone => $"not in the snapshot of {s.Latest!.TakenAt:yyyy-MM-dd}",
        _ when s.Observations == 0 => "no snapshot of the account (or Azure/GCP estate) taken since the delivery",
        _ => $"{s.StillGranted.Length} of {s.Reduction.Removed.Length} still granted in {s.Observations} snapshot(s) since the delivery (latest {s.Latest!.TakenAt:yyyy-MM-dd})",
    };
}
