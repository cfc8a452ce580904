using System.CommandLine;
using Ciem.App.Reports;
using Ciem.App.Metrics;
using Ciem.App.Proposals;
using Ciem.App.Sweep;
using Ciem.Cli.Proposals;
using Ciem.Cli.Reports;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem sweep`: (optionally imports, then) computes the gap for every identity of every provider in the store (AWS,
/// Azure, GCP, or those given with `--provider`) and a verified least-privilege proposal for each over-permissioned
/// one; prints the summary by provider and kind × environment, writes the HTML report and the proposals.
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliHost host)
    {
        var usage = new UsageOptions(host);
        var aws = new Option<string[]>("--aws") { Description = "import these AWS inventory files or folders first (as `ciem import aws`)", AllowMultipleArgumentsPerToken = true };
        var cloudtrail = new Option<string[]>("--cloudtrail") { Description = "ingest these CloudTrail files or folders first (as `ciem import cloudtrail`)", AllowMultipleArgumentsPerToken = true };
        var report = new Option<string?>("--report") { Description = "write the HTML report to this file" };
        var output = new Option<string?>("--out") { Description = "write every proposal (AWS IAM JSON, Terraform, diff, evidence; Azure and GCP roles and Terraform) to this folder" };
        var provider = new Option<string[]>("--provider") { Description = "sweep only these providers: aws, azure, gcp (repeatable; default: every provider the store holds)" };
        provider.AcceptOnlyFromAmong(Provider.AwsName, Provider.AzureName, Provider.GcpName);
        var alerts = new Option<string?>("--alerts") { Description = "evaluate this alert rules file after recording the measurement (see `ciem alerts`)" };
        var db = CommonOptions.Database();
        var format = new Option<string>("--format", "-f") { Description = "output format: `text` for people, `json` (one document), `jsonl` (one line per identity, proposal, failure)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "jsonl");
        var command = new Command("sweep", "gap and verified least-privilege proposals for every identity of every provider, with a summary by provider, kind and environment and an HTML report")
        {
            aws, cloudtrail, report, output, provider, db, format, alerts,
        };
        usage.AddTo(command);
        command.SetAction(p => Run(host, p.GetValue(aws) ?? [], p.GetValue(cloudtrail) ?? [], usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(report), p.GetValue(output), p.GetValue(db), p.GetValue(format)!,
            p.GetValue(provider) ?? [], p.GetValue(usage.Config), p.GetValue(alerts)));
        return command;
    }

    public static int Run(CliHost host, string[] aws, string[] cloudtrail, SweepOptions options, DateTimeOffset? asOf, string? report, string? output, string? db, string format, string[]? providers = null, string? config = null, string? alerts = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!ProposalSettings.TryApplyConfig(host, config, ref options)) { return ExitCodes.InvalidInput; }
        var alertRules = alerts is null ? null : AlertRules.Read(host, alerts);
        if (alerts is not null && alertRules is null) { return ExitCodes.InvalidInput; }
        var quiet = format is "json" or "jsonl";
        if (aws.Length > 0)
        {
            var code = ImportRuns.Aws(quiet ? Silent(host) : host, aws, null, db, "text");
            if (code != ExitCodes.Ok) { return code; }
        }
        if (cloudtrail.Length > 0)
        {
            var ingest = ImportRuns.CloudTrail(quiet ? Silent(host) : host, cloudtrail, db, "text");
            if (ingest != ExitCodes.Ok) { return ingest; }
        }
        var session = host.Session(db);
        // A document alone is streamed: each AWS identity's rows are spooled to disk as the sweep computes them and read
        // back after the totals, so the sweep keeps counts, not details; the report and the proposal files need it whole.
        using var spool = quiet && report is null && output is null ? new SweepSpool() : null;
        var result = SweepHost.Estate(host, db, options, asOf ?? host.Clock.GetUtcNow(), quiet, providers,
            spool is null ? null : spool.Add);
        if (result is null) { return ExitCodes.Failure; }
        if (format == "json")
        {
            EstateSweepJson.Write(host.Out, result, CliJson.Envelope(host, "sweep", 2), spool);
        }
        else if (format == "jsonl")
        {
            EstateSweepJson.WriteLines(host.Out, result, CliJson.Envelope(host, "sweep-lines", 2), spool);
        }
        else
        {
            EstateSweepText.Render(host.Console, result);
        }
        var measurement = MetricsRecorder.Record(session.Store, result, "sweep", host.Clock.GetUtcNow());
        if (!quiet)
        {
            host.Console.MarkupLineInterpolated($"measurement of {TrendTable.Day(measurement.Day)} recorded: gap {measurement.Totals.Gap} ({measurement.Totals.Unused} unused, {measurement.Totals.Unknown} unknown); `ciem trend` shows the series");
        }
        if (alerts is not null && alertRules is not null)
        {
            var run = AlertRules.Evaluate(quiet ? Silent(host) : host, alertRules, alerts, null, db);
            if (run is null) { return ExitCodes.InvalidInput; }
            if (!quiet) { AlertRules.Render(host, run); }
        }
        if (report is not null)
        {
            SweepOutputs.WriteReport(session.Store, result, report, host.Clock);
            if (!quiet) { host.Console.MarkupLineInterpolated($"report: [bold]{Path.GetFullPath(report)}[/]"); }
        }
        if (output is not null)
        {
            int written;
            try { written = SweepOutputs.WriteProposals(session.Store, result, output, host.Clock.GetUtcNow()); }
            catch (InvalidOperationException e)
            {
                host.Error.WriteLine($"error {e.Message}");
                return ExitCodes.Failure;
            }
            if (!quiet) { host.Console.MarkupLineInterpolated($"{written} proposal file(s) in [bold]{Path.GetFullPath(output)}[/]"); }
        }
        return ExitCodes.Ok;
    }

    private static CliHost Silent(CliHost host) => host.WithOutput(TextWriter.Null);
}
