using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App.Demo;
using Ciem.App.Reports;
using Ciem.App.Usage;
using Ciem.Core.Directories;
using Ciem.Core.Model;
using Ciem.Demo;
using Ciem.Cli.Reports;
using Ciem.Core.Sweep;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem demo`: generates a realistic synthetic multi-cloud estate (docs/demo-estate.md) — by default an AWS organisation
/// of 3,400 identities with 120 days of CloudTrail, an Azure tenant and a GCP organisation with their Activity Log,
/// sign-ins and Cloud Audit Logs, and the directories (Identity Center, Entra ID, Google Workspace) that federate the
/// same people — then imports it, ingests the logs, runs the AWS sweep on a fresh embedded store, writes the HTML
/// report and summarises Azure and GCP with the gap analysis. Deterministic for a seed and an as-of date.
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
        var clouds = new Option<string>("--clouds") { Description = "the clouds to generate, comma-separated: aws, azure, gcp", DefaultValueFactory = _ => "aws,azure,gcp" };
        var format = CommonOptions.Format();
        var force = new Option<bool>("--force") { Description = "recreate the store named by --db even when it holds data the demo did not write" };
        var single = new Option<bool>("--single")
        {
            Description = "one sweep of the estate as generated, instead of the three simulated weeks of the review programme (quicker; no trend, campaign or alert)",
        };
        var command = new Command("demo", "generate a synthetic multi-cloud estate (AWS, Azure, GCP, directories) with its logs, import it, run three simulated weeks of "
            + "the review programme (weekly sweeps, campaign, approvals, apply, verify, rollback, a regrowth alert) and report")
        {
            seed, identities, days, asOf, output, report, db, clouds, format, force, single,
        };
        command.SetAction(p =>
        {
            if (ParseClouds(p.GetValue(clouds)!) is not { } parsed)
            {
                host.Error.WriteLine($"error: --clouds `{p.GetValue(clouds)}` must list one or more of aws, azure, gcp, separated by commas");
                return ExitCodes.InvalidInput;
            }
            return Run(host, new DemoOptions
            {
                Seed = p.GetValue(seed),
                Identities = p.GetValue(identities),
                Days = p.GetValue(days),
                AsOf = p.GetValue(asOf) ?? new DateTimeOffset(host.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero),
                Clouds = parsed,
            }, p.GetValue(output), p.GetValue(report)!, p.GetValue(db), p.GetValue(format)!, p.GetValue(force), !p.GetValue(single));
        });
        return command;
    }

    public static int Run(CliHost host, DemoOptions options, string? output, string report, string? db, string format, bool force = false, bool withStory = true)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Identities < 50 || options.Days < 7)
        {
            host.Error.WriteLine("error: --identities must be at least 50 and --days at least 7");
            return ExitCodes.InvalidInput;
        }
        db ??= StoreAccess.DemoDefault(host);
        var location = StoreAccess.Location(host, db);
        if (!force && !Ciem.App.DemoStores.MayRecreate(location, out var reason))
        {
            host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.CliStoreProtected}: the demo recreates its store, and `{location.Display}` is not a demo store: {reason} "
                + "(give another `--db`, or `--force` to wipe it)");
            return ExitCodes.InvalidInput;
        }
        Ciem.App.DemoStores.Unmark(location);
        location.Recreate();
        var quiet = format == "json";
        var steps = host.Interactive && !quiet ? host : Quiet(host, quiet);
        var folder = output ?? Directory.CreateTempSubdirectory("ciem-demo-").FullName;
        var clouds = options.Clouds;
        bool Has(DemoClouds c) => clouds.HasFlag(c);
        // generate, import, per cloud its log ingestion, then each simulated week of the review programme — or, with
        // `--single`, one sweep over every cloud.
        var total = 2 + (Has(DemoClouds.Aws) ? 1 : 0) + (Has(DemoClouds.Azure) ? 1 : 0) + (Has(DemoClouds.Gcp) ? 1 : 0)
            + (withStory ? DemoStory.Weeks : 1);
        // The story's first snapshot is three weeks before the as-of; the last one is on it.
        var start = withStory ? DemoStory.Start(options.AsOf) : options.AsOf;
        var programmeFolder = output is not null ? Path.Combine(output, "programme") : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(report)) ?? ".", "ciem-demo-programme");
        var number = 0;
        void Next(string text) => Step(host, quiet, $"{++number}/{total} {text}");
        var clock = Stopwatch.StartNew();
        var timings = new List<(string Step, TimeSpan Took)>();
        var watch = Stopwatch.StartNew();
        bool Done(string step, int code)
        {
            timings.Add((step, watch.Elapsed));
            watch.Restart();
            return code == ExitCodes.Ok;
        }
        var quietHost = Quiet(host, true);
        try
        {
            Next($"generating {options.Identities:N0} identities and {options.Days} days of logs in {CloudList(clouds)} (seed {options.Seed})");
            var manifest = DemoEstateGenerator.Generate(folder, options);
            timings.Add(("generate", watch.Elapsed));
            watch.Restart();
            if (!quiet) { RenderGenerated(host, manifest, clouds); }

            Next("importing the inventories and the directories");
            if (Has(DemoClouds.Aws) && !Done("import aws", ImportRuns.Aws(quietHost, [manifest.AwsFolder], start, db, "text"))) { return ExitCodes.Failure; }
            if (Has(DemoClouds.Azure) && !Done("import azure", ImportRuns.Azure(quietHost, [manifest.AzureFolder], start, null, db, "text"))) { return ExitCodes.Failure; }
            if (Has(DemoClouds.Gcp) && !Done("import gcp", ImportRuns.Gcp(quietHost, [manifest.GcpFolder], start, null, db, "text"))) { return ExitCodes.Failure; }
            foreach (var (source, file) in new[] { (DirectorySource.IdentityCenter, "identity-center.json"), (DirectorySource.Entra, "entra.json"), (DirectorySource.Google, "google.json") })
            {
                var path = Path.Combine(manifest.DirectoryFolder, file);
                if (File.Exists(path) && ImportRuns.Directory(quietHost, source, [path], start, db, "text") != ExitCodes.Ok) { return ExitCodes.Failure; }
            }
            Done("import directories", ExitCodes.Ok);

            var ingested = new List<(string Log, IngestCounts Counts)>();
            if (Has(DemoClouds.Aws))
            {
                Next("ingesting CloudTrail");
                var trail = UsageIngest.Ingest(steps, CloudTrailLog.Default, [manifest.CloudTrailFolder], db, quiet);
                if (trail is null) { return ExitCodes.Failure; }
                ingested.Add(("cloudtrail", trail.Counts));
                Done("ingest cloudtrail", ExitCodes.Ok);
            }
            bool IngestLog(string title, string log, Func<UsageIngestResult?> ingest)
            {
                Next(title);
                if (ingest() is not { } result) { return false; }
                StoreAccess.WriteDiagnostics(host, result.Diagnostics);
                ingested.Add((log, result.Counts));
                return Done("ingest " + log, ExitCodes.Ok);
            }
            if (Has(DemoClouds.Azure) && !IngestLog("ingesting the Azure Activity Log and Entra sign-ins", "azure-activity", () => UsageIngest.Ingest(host, StreamedUsageLog.AzureActivity, [manifest.AzureLogsFolder], db)))
            {
                return ExitCodes.Failure;
            }
            if (Has(DemoClouds.Gcp) && !IngestLog("ingesting the GCP Cloud Audit Logs", "gcp-audit", () => UsageIngest.Ingest(host, StreamedUsageLog.GcpAudit, [manifest.GcpLogsFolder], db)))
            {
                return ExitCodes.Failure;
            }
            if (!quiet) { foreach (var (log, c) in ingested) { host.Console.WriteLine($"    {log}: {c.Events:N0} records in {c.Files:N0} files, {c.UsageEvents:N0} uses, {c.Attempts:N0} failed attempts, {c.Unmapped:N0} unmapped"); } }

            EstateSweepResult sweep;
            DemoProgrammeResult? story = null;
            if (withStory)
            {
                // Three simulated weeks of the review programme, each with its snapshot, sweep and measurement.
                var outcome = DemoStory.Run(host.Session(db), manifest, options, programmeFolder, host.Environment, new StepReporter(s => Next(s.Text)));
                if (outcome.Result is null)
                {
                    host.Error.WriteLine($"error: the demo's review programme stopped: {outcome.Error}");
                    StoreAccess.WriteDiagnostics(host, outcome.Diagnostics);
                    return ExitCodes.Failure;
                }
                story = outcome.Result;
                timings.AddRange(story.Weeks.Select(w => ($"week {w.Number}", w.Took)));
                watch.Restart();
                sweep = story.FinalSweep;
                var store = StoreAccess.Open(host, db);
                OwnerOnly.WriteAllText(report, SweepHtmlReport.Render(sweep, SweepReportOptions.Default with { Trend = store.LoadMeasurements(), Campaign = story.Campaign }));
                Done("report", ExitCodes.Ok);
            }
            else
            {
                Next("sweeping every cloud: effective permissions, gap and verified proposals");
                var swept = SweepHost.Estate(steps, db, new SweepOptions(), options.AsOf, quiet);
                if (swept is null) { return ExitCodes.Failure; }
                sweep = swept;
                // The demo's sweep is a sweep: it records the day's gap measurement, so `ciem trend` and the report's
                // trend section have their first point.
                var store = StoreAccess.Open(host, db);
                Ciem.App.Metrics.MetricsRecorder.Record(store, sweep, "demo", host.Clock.GetUtcNow());
                OwnerOnly.WriteAllText(report, SweepHtmlReport.Render(sweep, store.LoadMeasurements()));
                Done("sweep + report", ExitCodes.Ok);
            }
            Ciem.App.DemoStores.Mark(location, StoreAccess.Open(host, db));

            if (quiet)
            {
                WriteJson(host, manifest, sweep, ingested, timings, story);
                return ExitCodes.Ok;
            }
            host.Console.WriteLine();
            EstateSweepText.Render(host.Console, sweep);
            if (story is not null)
            {
                host.Console.WriteLine();
                DemoProgrammeText.Render(host.Console, story);
            }
            var star = manifest.Directories!.Star;
            host.Console.WriteLine($"{manifest.Directories.Federated.Count} people work in every cloud; follow one: ciem person {star} --db {StoreAccess.PathFor(host, db)}");
            host.Console.WriteLine();
            host.Console.WriteLine($"took {clock.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", timings.Select(t => $"{t.Step} {t.Took.TotalSeconds:0.0} s"))})");
            host.Console.MarkupLineInterpolated($"report: [bold]{Path.GetFullPath(report)}[/]   store: [bold]{StoreAccess.PathFor(host, db)}[/]");
            foreach (var line in ExploreHints(StoreAccess.PathFor(host, db), options.AsOf, sweep, story)) { host.Console.WriteLine(line); }
            return ExitCodes.Ok;
        }
        finally
        {
            if (output is null) { Directory.Delete(folder, recursive: true); }
        }
    }

    /// <summary>
    /// What to run next, runnable as printed (no placeholders): `export CIEM_DB` first, so the plain commands of the
    /// README read the demo's store, then a few commands naming a real identity of the estate and, after the story, the
    /// commands that read what its weeks recorded (the trend, the campaign, the alerts, the evidence bundle).
    /// </summary>
    public static IReadOnlyList<string> ExploreHints(string store, DateTimeOffset asOf, Core.Sweep.EstateSweepResult sweep, DemoProgrammeResult? story = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var day = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var quoted = ShellQuote(store);
        var lines = new List<string>
        {
            "explore (the demo's store is not the default one: export CIEM_DB first, or add `--db " + quoted + "` to each command):",
            $"  export CIEM_DB={quoted}",
            "  ciem identities",
            $"  ciem gap --as-of {day}",
        };
        if (sweep.Aws is { Proposals: [var one, ..] })
        {
            lines.Add($"  ciem propose {ShellQuote(one.Identity.Id)} --out proposals --as-of {day}");
        }
        if (sweep.Azure is not null) { lines.Add($"  ciem gap --provider azure --as-of {day}"); }
        if (sweep.Gcp is not null) { lines.Add($"  ciem gap --provider gcp --as-of {day}"); }
        if (story is not null)
        {
            var first = story.Weeks[0].AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            lines.Add("  ciem trend --by provider");
            if (story.Campaign is not null) { lines.Add("  ciem review status"); }
            lines.Add("  ciem alerts list");
            lines.Add($"  ciem alerts evaluate --rules {ShellQuote(Path.Combine(story.Folder, "ciem-alerts.yml"))}");
            lines.Add($"  ciem evidence --framework all --from {first} --to {day} --out evidence");
        }
        return lines;
    }

    /// <summary>A word the shell passes as it is: bare when it is plain, else in single quotes.</summary>
    public static string ShellQuote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '@' or '+' or '=' or ',')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>`aws,azure,gcp` (any order, any subset) → the flags; null for an empty list or an unknown name.</summary>
    public static DemoClouds? ParseClouds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clouds = DemoClouds.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            clouds |= part.ToLowerInvariant() switch
            {
                Provider.AwsName => DemoClouds.Aws,
                Provider.AzureName => DemoClouds.Azure,
                Provider.GcpName => DemoClouds.Gcp,
                _ => DemoClouds.All + 1,
            };
        }
        return clouds is DemoClouds.None || (clouds & ~DemoClouds.All) != 0 ? null : clouds;
    }

    private static string CloudList(DemoClouds clouds) => string.Join(", ", new[] { (DemoClouds.Aws, "AWS"), (DemoClouds.Azure, "Azure"), (DemoClouds.Gcp, "GCP") }.Where(c => clouds.HasFlag(c.Item1)).Select(c => c.Item2));

    private static void RenderGenerated(CliHost host, DemoManifest m, DemoClouds clouds)
    {
        if (clouds.HasFlag(DemoClouds.Aws))
        {
            host.Console.WriteLine($"    AWS: {m.AccountIds.Count} accounts, {m.Identities.Total:N0} identities ({m.Identities.ServiceIdentities:N0} service), {m.Events:N0} CloudTrail events in {m.CloudTrailFiles:N0} files");
        }
        if (m.Azure is { } a)
        {
            host.Console.WriteLine($"    Azure: {a.Subscriptions} subscriptions, {a.ResourceGroups} resource groups, {a.Users + a.ServiceIdentities:N0} principals ({a.ServiceIdentities:N0} service, {a.Users} people) in {a.Groups} groups, {a.RoleAssignments} role assignments, {a.ActivityRecords:N0} Activity Log records and {a.SignIns:N0} sign-ins in {a.LogFiles:N0} files");
        }
        if (m.Gcp is { } g)
        {
            host.Console.WriteLine($"    GCP: {g.Folders} folders, {g.Projects} projects, {g.ServiceAccounts + g.Users:N0} members ({g.ServiceAccounts:N0} service accounts, {g.Users} people) in {g.Groups} groups, {g.Bindings} bindings, {g.Entries:N0} audit entries in {g.LogFiles:N0} files");
        }
        if (m.Directories is { } d)
        {
            host.Console.WriteLine($"    directories: {d.People:N0} people, {d.Federated.Count} of them in every cloud");
        }
    }

    private static void WriteJson(CliHost host, DemoManifest manifest, EstateSweepResult sweep, List<(string Log, IngestCounts Counts)> ingested, List<(string Step, TimeSpan Took)> timings, DemoProgrammeResult? story)
    {
        var root = JsonNode.Parse(EstateSweepJson.Serialize(sweep))!.AsObject();
        var demo = new
        {
            seed = manifest.Seed,
            asOf = manifest.AsOf,
            generated = new { aws = manifest.AccountIds.Count == 0 ? null : new { accounts = manifest.AccountIds.Count, identities = manifest.Identities.Total, iamUsers = manifest.IamUsers, iamRoles = manifest.IamRoles, events = manifest.Events }, azure = manifest.Azure, gcp = manifest.Gcp, directories = manifest.Directories },
            ingested = ingested.ToDictionary(i => i.Log, i => i.Counts),
            person = manifest.Directories?.Star,
            timings = timings.Select(t => new { step = t.Step, seconds = Math.Round(t.Took.TotalSeconds, 2) }),
        };
        root["demo"] = JsonSerializer.SerializeToNode(demo, CliJson.Options);
        if (story is not null) { root["demo"]!["programme"] = JsonSerializer.SerializeToNode(DemoProgrammeText.Json(story), CliJson.Options); }
        CliJson.Write(host, "demo", root);
    }

    private static void Step(CliHost host, bool quiet, string text)
    {
        if (!quiet) { host.Console.MarkupLineInterpolated($"[bold]{text}[/]"); }
    }

    private static CliHost Quiet(CliHost host, bool quiet) => quiet ? host.WithOutput(TextWriter.Null) : host;

    /// <summary>Hears the story's steps on the calling thread, so each line prints as its week starts.</summary>
    private sealed class StepReporter(Action<DemoStoryStep> report) : IProgress<DemoStoryStep>
    {
        public void Report(DemoStoryStep value) => report(value);
    }
}
