using System.CommandLine;
using Ciem.App;
using Ciem.Cli.Proposals;
using Ciem.Cli.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Gcp.Evaluation;
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
        provider.AcceptOnlyFromAmong(Providers.Aws, Providers.Azure, Providers.Gcp);
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
        if (!ProposalSettings.TryApplyConfig(host, config, ref options)) { return ExitCodes.InvalidInput; }
        var alertRules = alerts is null ? null : AlertsCommand.ReadRules(host, alerts);
        if (alerts is not null && alertRules is null) { return ExitCodes.InvalidInput; }
        var quiet = format is "json" or "jsonl";
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
        var result = ComputeEstate(host, options, asOf, db, quiet, providers);
        if (result is null) { return ExitCodes.Failure; }
        if (format == "json")
        {
            EstateSweepJson.Write(host.Out, result);
        }
        else if (format == "jsonl")
        {
            EstateSweepJson.WriteLines(host.Out, result);
        }
        else
        {
            EstateSweepText.Render(host.Console, result);
        }
        if (!SweepMetrics.AfterSweep(quiet ? Silent(host) : host, db, result, alerts, alertRules, quiet)) { return ExitCodes.InvalidInput; }
        if (report is not null)
        {
            File.WriteAllText(report, SweepHtmlReport.Render(result, StoreAccess.Open(host, db).LoadMeasurements()));
            if (!quiet) { host.Console.MarkupLineInterpolated($"report: [bold]{Path.GetFullPath(report)}[/]"); }
        }
        if (output is not null)
        {
            int written;
            try { written = WriteProposals(output, result); }
            catch (InvalidOperationException e)
            {
                host.Error.WriteLine($"error {e.Message}");
                return ExitCodes.Failure;
            }
            ReductionRecorder.RecordCloud(host, db, [.. new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>()
                .SelectMany(c => c.Proposals.Select(ReductionRecorder.CloudDelivery.Of))], output);
            if (!quiet) { host.Console.MarkupLineInterpolated($"{written} proposal file(s) in [bold]{Path.GetFullPath(output)}[/]"); }
        }
        return ExitCodes.Ok;
    }

    /// <summary>Writes the AWS proposals (as `ciem propose`) and the Azure and GCP ones (as `ciem propose --provider`); returns the number of files.</summary>
    public static int WriteProposals(string output, EstateSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var writer = new ProposalFileWriter(output);
        var written = result.Aws is null ? 0 : ProposeCommand.WriteProposals(writer, result.Aws.Proposals);
        foreach (var cloud in new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>())
        {
            foreach (var p in cloud.Proposals)
            {
                CloudProposeCommand.Write(writer, cloud.Provider, p.Identity.Id, p.Document, p.DocumentExtension, p.Terraform);
                written += 2;
            }
        }
        return written;
    }

    /// <summary>
    /// Sweeps every provider the store holds (or <paramref name="providers"/>): AWS as <see cref="Compute"/>, Azure and
    /// GCP through <see cref="CloudSweepRunner"/> with the window's usage, then combines them with slices. Null (after a
    /// message) when a requested provider has no inventory in the store.
    /// </summary>
    public static EstateSweepResult? ComputeEstate(CliHost host, SweepOptions options, DateTimeOffset? asOf, string? db, bool quiet, IReadOnlyCollection<string>? providers = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var when = asOf ?? host.Clock.GetUtcNow();
        var which = providers is { Count: > 0 } ? [.. EstateSweep.ProviderOrder.Where(providers.Contains)] : Providers.WithData(host, db);
        SweepResult? aws = null;
        AwsEstate? estate = null;
        CloudSweepResult? azure = null, gcp = null;
        if (which.Contains(Providers.Aws))
        {
            estate = StoreAccess.LoadEstate(host, db);
            if (estate is null) { return null; }
            aws = ComputeAws(host, estate, options, when, db, quiet);
        }
        if (which.Contains(Providers.Azure))
        {
            var inventory = Providers.LoadAzure(host, db);
            if (inventory is null) { return null; }
            var (usage, evidence) = CloudUsage(host, Providers.Azure, when, options, db, quiet);
            azure = CloudSweepRunner.RunAzure(inventory, usage, CloudGapCommand.ActivityOnly, when, options, evidence: evidence);
        }
        if (which.Contains(Providers.Gcp))
        {
            var inventory = Providers.LoadGcp(host, db);
            if (inventory is null) { return null; }
            var (usage, evidence) = CloudUsage(host, Providers.Gcp, when, options, db, quiet);
            gcp = CloudSweepRunner.RunGcp(GcpPolicySet.Create(inventory), usage, when, options, evidence);
        }
        return EstateSweep.Combine(when, options, aws, estate is null ? null : estate.ResolveEnvironment, azure, gcp)
            with { ResourceExposures = estate is null ? [] : [.. EstatePaths.ResourceExposures(estate)] };
    }

    /// <summary>Loads the AWS estate and usage and runs the AWS sweep, with a progress bar on a terminal (`ciem propose` and `ciem sweep`).</summary>
    public static SweepResult? Compute(CliHost host, SweepOptions options, DateTimeOffset? asOf, string? db, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(host);
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return null; }
        return ComputeAws(host, estate, options, asOf ?? host.Clock.GetUtcNow(), db, quiet);
    }

    private static SweepResult ComputeAws(CliHost host, AwsEstate estate, SweepOptions options, DateTimeOffset when, string? db, bool quiet)
    {
        UsageData usage;
        var store = StoreAccess.Open(host, db);
        usage = UsageAccess.Load(store, when, options);
        options = ProposalSettings.WithIdentityCenter(store, options);
        if (usage.Coverage.Events == 0 && !quiet)
        {
            host.Error.WriteLine($"warning: no usage in the {options.WindowDays} days before {when:yyyy-MM-dd}: every identity looks inactive (run `ciem import cloudtrail PATH`, or set --as-of)");
        }
        // Each proposal says which escalation paths it cuts at the first hop (docs/attack-paths.md).
        return ProposalPaths.Annotate(estate, Run(host, estate, usage, when, options, quiet));
    }

    private static (IReadOnlyList<ObservedUse> Usage, CloudSweepEvidence Evidence) CloudUsage(CliHost host, string provider, DateTimeOffset when, SweepOptions options, string? db, bool quiet)
    {
        var store = StoreAccess.Open(host, db);
        var usage = CloudGapCommand.LoadUsage(store, provider, when, options.WindowDays);
        var evidence = CloudGapCommand.Evidence(store, provider, when, options.WindowDays, options.LookbackDays, [.. options.Proposal.KeepActions]);
        if (usage.IsEmpty && !quiet)
        {
            var import = provider == Providers.Azure ? "ciem import azure-activity PATH" : "ciem import gcp-audit PATH";
            host.Error.WriteLine($"warning: no {provider} usage in the {options.WindowDays} days before {when:yyyy-MM-dd}: every principal looks inactive (run `{import}`, or set --as-of)");
        }
        return (usage, evidence);
    }

    private static SweepResult Run(CliHost host, AwsEstate estate, UsageData usage, DateTimeOffset when, SweepOptions options, bool quiet)
    {
        options = options with { Proposal = options.Proposal with { DataEvents = usage.DataEvents } };
        if (!host.Interactive || quiet)
        {
            return SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, options);
        }
        SweepResult result = null!;
        host.Console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).Start(ctx =>
        {
            var task = ctx.AddTask("sweeping identities", maxValue: estate.Identities.Length);
            result = SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, options, (done, _) => task.Value = done);
        });
        return result;
    }

    private static CliHost Silent(CliHost host) => host.WithOutput(TextWriter.Null);
}
