using System.CommandLine;
using System.Diagnostics;
using Ciem.Cli.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem sweep`: (optionally imports, then) computes the gap for every identity and a verified least-privilege
/// proposal for each over-permissioned one; prints the summary, writes the HTML report and the proposals.
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliHost host)
    {
        var usage = new UsageOptions();
        var aws = new Option<string[]>("--aws") { Description = "import these AWS inventory files or folders first (as `ciem import aws`)", AllowMultipleArgumentsPerToken = true };
        var cloudtrail = new Option<string[]>("--cloudtrail") { Description = "ingest these CloudTrail files or folders first (as `ciem import cloudtrail`)", AllowMultipleArgumentsPerToken = true };
        var report = new Option<string?>("--report") { Description = "write the HTML report to this file" };
        var output = new Option<string?>("--out") { Description = "write every proposal (IAM JSON, Terraform, diff, evidence) to this folder" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("sweep", "gap and verified least-privilege proposals for every identity, with a summary and an HTML report") { aws, cloudtrail, report, output, db, format };
        usage.AddTo(command);
        command.SetAction(p => Run(host, p.GetValue(aws) ?? [], p.GetValue(cloudtrail) ?? [], usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(report), p.GetValue(output), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string[] aws, string[] cloudtrail, SweepOptions options, DateTimeOffset? asOf, string? report, string? output, string? db, string format)
    {
        var quiet = format == "json";
        if (aws.Length > 0)
        {
            var code = ImportAwsCommand.Run(quiet ? Silent(host) : host, aws, null, db, "text");
            if (code != ExitCodes.Ok) { return code; }
        }
        if (cloudtrail.Length > 0)
        {
            var ingest = ImportCloudTrailCommand.Run(quiet ? Silent(host) : host, cloudtrail, db, "text");
            if (ingest != ExitCodes.Ok) { return ingest; }
        }
        var result = Compute(host, options, asOf, db, quiet);
        if (result is null) { return ExitCodes.Failure; }
        if (format == "json")
        {
            SweepJson.Write(host.Out, result);
        }
        else
        {
            SweepTextSummary.Render(host.Console, result);
        }
        if (report is not null)
        {
            File.WriteAllText(report, SweepHtmlReport.Render(result));
            if (!quiet) { host.Console.MarkupLineInterpolated($"report: [bold]{Path.GetFullPath(report)}[/]"); }
        }
        if (output is not null)
        {
            var written = ProposeCommand.WriteProposals(output, result.Proposals);
            if (!quiet) { host.Console.MarkupLineInterpolated($"{written} proposal file(s) in [bold]{Path.GetFullPath(output)}[/]"); }
        }
        return ExitCodes.Ok;
    }

    /// <summary>Loads the estate and usage and runs the sweep, with a progress bar on a terminal.</summary>
    public static SweepResult? Compute(CliHost host, SweepOptions options, DateTimeOffset? asOf, string? db, bool quiet)
    {
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return null; }
        var when = asOf ?? host.Clock.GetUtcNow();
        UsageData usage;
        using (var store = StoreAccess.Open(host, db)) { usage = UsageAccess.Load(store, when, options); }
        if (usage.Coverage.Events == 0 && !quiet)
        {
            host.Error.WriteLine($"warning: no usage in the {options.WindowDays} days before {when:yyyy-MM-dd}: every identity looks inactive (run `ciem import cloudtrail PATH`, or set --as-of)");
        }
        return Run(host, estate, usage, when, options, quiet);
    }

    private static SweepResult Run(CliHost host, AwsEstate estate, UsageData usage, DateTimeOffset when, SweepOptions options, bool quiet)
    {
        if (!host.Interactive || quiet)
        {
            return SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, options);
        }
        SweepResult result = null!;
        var watch = Stopwatch.StartNew();
        host.Console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).Start(ctx =>
        {
            var task = ctx.AddTask("sweeping identities", maxValue: estate.Identities.Length);
            result = SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, options, (done, _) => task.Value = done);
        });
        return result;
    }

    private static CliHost Silent(CliHost host) => new(TextWriter.Null, host.Error, host.Clock, host.Environment);
}
