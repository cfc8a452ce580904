using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App.Demo;
using Ciem.App.Reports;
using Ciem.App.Sweep;
using Ciem.Cli.Reports;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Ciem.Demo;
using Ciem.Import.Usage;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem demo`: generates a realistic synthetic multi-cloud estate (docs/demo-estate.md) — by default an AWS organisation
/// of 3,400 identities with 120 days of CloudTrail, an Azure tenant and a GCP organisation with their Activity Log,
/// sign-ins and Cloud Audit Logs, and the directories (Identity Center, Entra ID, Google Workspace) that federate the
/// same people — then imports it, ingests the logs, runs the review programme's simulated weeks (or one sweep) on a fresh
/// store and writes the HTML report (App's <see cref="DemoRun"/>); this file parses and renders. Deterministic for a
/// seed and an as-of date.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliHost host)
    {
        var seed = new Option<int>("--seed")
        {
            Description = "the random seed: the same seed and as-of give the same estate", DefaultValueFactory = _ => 42,
        };
        var identities = new Option<int>("--identities")
        {
            Description = "how many identities to generate", DefaultValueFactory = _ => 3400,
        };
        var days = new Option<int>("--days") { Description = "days of CloudTrail history", DefaultValueFactory = _ => 120 };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "the end of the history (default: today, 00:00 UTC)" };
        var output = new Option<string?>("--out")
        {
            Description = "keep the generated exports and logs in this folder (default: a temporary folder, deleted)",
        };
        var report = new Option<string>("--report")
        {
            Description = "the HTML report to write", DefaultValueFactory = _ => "ciem-demo-report.html",
        };
        var db = new Option<string?>("--db") { Description = "the store to (re)create (default: demo.db next to the default store)" };
        var clouds = new Option<string>("--clouds")
        {
            Description = "the clouds to generate, comma-separated: aws, azure, gcp", DefaultValueFactory = _ => "aws,azure,gcp",
        };
        var format = CommonOptions.Format();
        var force = new Option<bool>("--force")
        {
            Description = "recreate the store named by --db even when it holds data the demo did not write",
        };
        var single = new Option<bool>("--single")
        {
            Description = "one sweep of the estate as generated, instead of the three simulated weeks of the review programme "
                + "(quicker; no trend, campaign or alert)",
        };
        var command = new Command("demo", "generate a synthetic multi-cloud estate (AWS, Azure, GCP, directories) with its logs, import "
            + "it, run three simulated weeks of the review programme (weekly sweeps, campaign, approvals, apply, verify, rollback, a "
            + "regrowth alert) and report")
        {
            seed, identities, days, asOf, output, report, db, clouds, format, force, single,
        };
        command.SetAction(p =>
        {
            if (DemoHints.ParseClouds(p.GetValue(clouds)!) is not { } parsed)
            {
                host.Error.WriteLine(
                    $"error: --clouds `{p.GetValue(clouds)}` must list one or more of aws, azure, gcp, separated by commas");
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

    public static int Run(CliHost host, DemoOptions options, string? output, string report, string? db, string format, bool force = false,
        bool withStory = true)
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
            host.Error.WriteLine($"error {DiagnosticCodes.CliStoreProtected}: the demo recreates its store, and "
                + $"`{location.Display}` is not a demo store: {reason} (give another `--db`, or `--force` to wipe it)");
            return ExitCodes.InvalidInput;
        }
        Ciem.App.DemoStores.Unmark(location);
        location.Recreate();
        var quiet = format == "json";
        var outcome = DemoRun.Run(host.Session(db), new DemoRunRequest(options, output, report, withStory), host.Clock, host.Environment,
            new Observer(host, quiet, options.Clouds));
        if (outcome.Result is not { } demo)
        {
            if (outcome.Error is not null) { host.Error.WriteLine($"error: {outcome.Error}"); }
            StoreAccess.WriteDiagnostics(host, outcome.Diagnostics);
            return ExitCodes.Failure;
        }
        if (quiet)
        {
            WriteJson(host, demo);
            return ExitCodes.Ok;
        }
        host.Console.WriteLine();
        EstateSweepText.Render(host.Console, demo.Sweep);
        if (demo.Story is not null)
        {
            host.Console.WriteLine();
            DemoProgrammeText.Render(host.Console, demo.Story);
        }
        var people = demo.Manifest.Directories!;
        var store = StoreAccess.PathFor(host, db);
        host.Console.WriteLine($"{people.Federated.Count} people work in every cloud; follow one: ciem person {people.Star} --db {store}");
        host.Console.WriteLine();
        host.Console.WriteLine($"took {demo.Elapsed.TotalSeconds:0.0} s "
            + $"({string.Join(", ", demo.Timings.Select(t => $"{t.Step} {t.Took.TotalSeconds:0.0} s"))})");
        host.Console.MarkupLineInterpolated($"report: [bold]{Path.GetFullPath(report)}[/]   store: [bold]{store}[/]");
        foreach (var line in DemoHints.ExploreHints(store, options.AsOf, demo.Sweep, demo.Story)) { host.Console.WriteLine(line); }
        return ExitCodes.Ok;
    }

    private static void RenderGenerated(CliHost host, DemoManifest m, DemoClouds clouds)
    {
        if (clouds.HasFlag(DemoClouds.Aws))
        {
            host.Console.WriteLine($"    AWS: {m.AccountIds.Count} accounts, {m.Identities.Total:N0} identities "
                + $"({m.Identities.ServiceIdentities:N0} service), {m.Events:N0} CloudTrail events in {m.CloudTrailFiles:N0} files");
        }
        if (m.Azure is { } a)
        {
            host.Console.WriteLine($"    Azure: {a.Subscriptions} subscriptions, {a.ResourceGroups} resource groups, "
                + $"{a.Users + a.ServiceIdentities:N0} principals ({a.ServiceIdentities:N0} service, {a.Users} people) in {a.Groups} "
                + $"groups, {a.RoleAssignments} role assignments, {a.ActivityRecords:N0} Activity Log records and {a.SignIns:N0} "
                + $"sign-ins in {a.LogFiles:N0} files");
        }
        if (m.Gcp is { } g)
        {
            host.Console.WriteLine($"    GCP: {g.Folders} folders, {g.Projects} projects, {g.ServiceAccounts + g.Users:N0} members "
                + $"({g.ServiceAccounts:N0} service accounts, {g.Users} people) in {g.Groups} groups, {g.Bindings} bindings, "
                + $"{g.Entries:N0} audit entries in {g.LogFiles:N0} files");
        }
        if (m.Directories is { } d)
        {
            host.Console.WriteLine($"    directories: {d.People:N0} people, {d.Federated.Count} of them in every cloud");
        }
    }

    private static void WriteJson(CliHost host, DemoRunResult demo)
    {
        var manifest = demo.Manifest;
        var root = JsonNode.Parse(EstateSweepJson.Serialize(demo.Sweep))!.AsObject();
        var aws = manifest.AccountIds.Count == 0 ? null : new
        {
            accounts = manifest.AccountIds.Count, identities = manifest.Identities.Total, iamUsers = manifest.IamUsers,
            iamRoles = manifest.IamRoles, events = manifest.Events,
        };
        var json = new
        {
            seed = manifest.Seed,
            asOf = manifest.AsOf,
            generated = new { aws, azure = manifest.Azure, gcp = manifest.Gcp, directories = manifest.Directories },
            ingested = demo.Ingested.ToDictionary(i => i.Log, i => i.Counts),
            person = manifest.Directories?.Star,
            timings = demo.Timings.Select(t => new { step = t.Step, seconds = Math.Round(t.Took.TotalSeconds, 2) }),
        };
        root["demo"] = JsonSerializer.SerializeToNode(json, CliJson.Options);
        if (demo.Story is not null)
        {
            root["demo"]!["programme"] = JsonSerializer.SerializeToNode(DemoProgrammeText.Json(demo.Story), CliJson.Options);
        }
        CliJson.Write(host, "demo", root);
    }

    /// <summary>The demo's steps on the terminal: bold numbered lines, what was generated and ingested, progress bars.</summary>
    private sealed class Observer(CliHost host, bool quiet, DemoClouds clouds) : IDemoRunObserver
    {
        private readonly CliHost _steps = host.Interactive && !quiet ? host : host.WithOutput(TextWriter.Null);

        public void Step(string text)
        {
            if (!quiet) { host.Console.MarkupLineInterpolated($"[bold]{text}[/]"); }
        }

        public void Generated(DemoManifest manifest)
        {
            if (!quiet) { RenderGenerated(host, manifest, clouds); }
        }

        public void Ingested(IReadOnlyList<(string Log, IngestCounts Counts)> logs)
        {
            if (quiet) { return; }
            foreach (var (log, c) in logs)
            {
                host.Console.WriteLine($"    {log}: {c.Events:N0} records in {c.Files:N0} files, {c.UsageEvents:N0} uses, "
                    + $"{c.Attempts:N0} failed attempts, {c.Unmapped:N0} unmapped");
            }
        }

        public void Diagnostics(IReadOnlyList<Diagnostic> diagnostics) => StoreAccess.WriteDiagnostics(host, diagnostics);

        public T Reading<T>(string what, Func<IProgress<UsageReadProgress>?, T> read) =>
            UsageIngest.WithProgress(_steps, !quiet, what, read);

        public T? Sweeping<T>(Func<IProgress<SweepProgress>?, SweepOutcome<T>> sweep)
            where T : class => SweepHost.Run(_steps, quiet, sweep);
    }
}
