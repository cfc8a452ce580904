using System.CommandLine;
using System.Diagnostics;
using Ciem.Cli.Demo;
using Ciem.Cli.Reports;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem demo`: generates a realistic synthetic AWS organisation (docs/demo-estate.md) — by default 3,400 identities,
/// 2,700 of them service identities, 120 days of CloudTrail in the S3 layout — then imports it, ingests the logs,
/// runs the sweep on a fresh embedded store and writes the HTML report. Deterministic for a seed and an as-of date.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliHost host)
    {
        var seed = new Option<int>("--seed") { Description = "the random seed: the same seed and as-of give the same estate", DefaultValueFactory = _ => 42 };
        var identities = new Option<int>("--identities") { Description = "how many identities to generate", DefaultValueFactory = _ => 3400 };
        var days = new Option<int>("--days") { Description = "days of CloudTrail history", DefaultValueFactory = _ => 120 };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "the end of the history (default: today, 00:00 UTC)" };
        var output = new Option<string?>("--out") { Description = "keep the generated exports and logs in this folder (default: a temporary folder, deleted)" };
        var report = new Option<string>("--report") { Description = "the HTML report to write", DefaultValueFactory = _ => "ciem-demo-report.html" };
        var db = new Option<string?>("--db") { Description = "the store to (re)create (default: demo.db next to the default store)" };
        var format = CommonOptions.Format();
        var command = new Command("demo", "generate a synthetic AWS organisation with CloudTrail, sweep it and write the report") { seed, identities, days, asOf, output, report, db, format };
        command.SetAction(p => Run(host, new DemoOptions
        {
            Seed = p.GetValue(seed),
            Identities = p.GetValue(identities),
            Days = p.GetValue(days),
            AsOf = p.GetValue(asOf) ?? new DateTimeOffset(host.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero),
        }, p.GetValue(output), p.GetValue(report)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, DemoOptions options, string? output, string report, string? db, string format)
    {
        if (options.Identities < 50 || options.Days < 7)
        {
            host.Error.WriteLine("error: --identities must be at least 50 and --days at least 7");
            return ExitCodes.InvalidInput;
        }
        db ??= Path.Combine(Path.GetDirectoryName(host.DefaultDatabasePath())!, "demo.db");
        foreach (var file in new[] { db, db + "-wal", db + "-shm" }.Where(File.Exists)) { File.Delete(file); }
        var quiet = format == "json";
        var steps = host.Interactive && !quiet ? host : Quiet(host, quiet);
        var folder = output ?? Directory.CreateTempSubdirectory("ciem-demo-").FullName;
        var total = Stopwatch.StartNew();
        var timings = new List<(string Step, TimeSpan Took)>();
        try
        {
            var watch = Stopwatch.StartNew();
            Step(host, quiet, $"1/4 generating {options.Identities:N0} identities and {options.Days} days of CloudTrail (seed {options.Seed})");
            var manifest = DemoEstateGenerator.Generate(folder, options);
            timings.Add(("generate", watch.Elapsed));
            if (!quiet) { host.Console.WriteLine($"    {manifest.AccountIds.Count} accounts, {manifest.Identities.Total:N0} identities ({manifest.Identities.ServiceIdentities:N0} service), {manifest.Events:N0} events in {manifest.CloudTrailFiles:N0} files"); }

            watch.Restart();
            Step(host, quiet, "2/4 importing the IAM exports, the organization and resource policies");
            var code = ImportAwsCommand.Run(Quiet(host, true), [manifest.AwsFolder], options.AsOf, db, "text");
            if (code != ExitCodes.Ok) { return code; }
            timings.Add(("import aws", watch.Elapsed));

            watch.Restart();
            Step(host, quiet, "3/4 ingesting CloudTrail");
            var ingest = ImportCloudTrailCommand.Ingest(steps, [manifest.CloudTrailFolder], db, quiet);
            if (ingest is null) { return ExitCodes.Failure; }
            timings.Add(("import cloudtrail", watch.Elapsed));
            if (!quiet) { host.Console.WriteLine($"    {ingest.Counts.Events:N0} events, {ingest.Counts.UsageEvents:N0} uses, {ingest.Counts.Attempts:N0} failed attempts, {ingest.Counts.Unmapped:N0} unmapped"); }

            watch.Restart();
            Step(host, quiet, "4/4 sweeping: effective permissions, gap and verified proposals");
            var result = SweepCommand.ComputeEstate(steps, new SweepOptions(), options.AsOf, db, quiet);
            if (result is null) { return ExitCodes.Failure; }
            File.WriteAllText(report, SweepHtmlReport.Render(result));
            timings.Add(("sweep + report", watch.Elapsed));

            if (quiet)
            {
                EstateSweepJson.Write(host.Out, result);
                return ExitCodes.Ok;
            }
            host.Console.WriteLine();
            EstateSweepText.Render(host.Console, result);
            host.Console.WriteLine();
            host.Console.WriteLine($"took {total.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", timings.Select(t => $"{t.Step} {t.Took.TotalSeconds:0.0} s"))})");
            host.Console.MarkupLineInterpolated($"report: [bold]{Path.GetFullPath(report)}[/]   store: [bold]{Path.GetFullPath(db)}[/]");
            host.Console.WriteLine($"explore: ciem identities --db {db} | ciem gap --db {db} --as-of {options.AsOf:yyyy-MM-dd} | ciem propose IDENTITY --out proposals --db {db} --as-of {options.AsOf:yyyy-MM-dd}");
            return ExitCodes.Ok;
        }
        finally
        {
            if (output is null) { Directory.Delete(folder, recursive: true); }
        }
    }

    private static void Step(CliHost host, bool quiet, string text)
    {
        if (!quiet) { host.Console.MarkupLineInterpolated($"[bold]{text}[/]"); }
    }

    private static CliHost Quiet(CliHost host, bool quiet) => quiet ? new CliHost(TextWriter.Null, host.Error, host.Clock, host.Environment) : host;
}
