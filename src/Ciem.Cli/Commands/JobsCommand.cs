using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Jobs;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem jobs list|run NAME|history`: the background jobs of a server configuration's `jobs:` section
/// (docs/jobs.md) — what is configured and when it is next due, one job run now (under the same lease as the
/// server's scheduler, so never at the same time as the server runs it), and the recorded runs.
/// </summary>
public static class JobsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("jobs", "the background jobs of ciem-server.yml: list them, run one now, show their runs");
        command.Subcommands.Add(List(host));
        command.Subcommands.Add(RunCommand(host));
        command.Subcommands.Add(History(host));
        return command;
    }

    private static Option<string> Config() =>
        new("--config")
        {
            Description = "the server configuration whose `jobs:` section is read",
            DefaultValueFactory = _ => JobsConfigReader.DefaultFileName,
        };

    private static Command List(CliHost host)
    {
        var config = Config();
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var command = new Command("list", "the configured jobs, when each is next due and how its last run ended") { config, db, format };
        command.SetAction(p => p.GetValue(format) == "csv"
            ? CsvOutput.ViaJson(host, h => RunList(h, p.GetValue(config)!, p.GetValue(db), "json"), "jobs")
            : RunList(host, p.GetValue(config)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    private static Command RunCommand(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "the job's `name` in the configuration" };
        var config = Config();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("run", "run one job now, outside its schedule (refused while another holder runs it)")
        {
            name, config, db, format,
        };
        command.SetAction(p => RunNow(host, p.GetValue(name)!, p.GetValue(config)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    private static Command History(CliHost host)
    {
        var job = new Option<string?>("--job") { Description = "only this job's runs" };
        var top = CommonOptions.Top(50, "runs");
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var command = new Command("history", "the recorded runs, newest first: outcome, summary, diagnostics, host")
        {
            job, top, db, format,
        };
        command.SetAction(p => p.GetValue(format) == "csv"
            ? CsvOutput.ViaJson(host, h => RunHistory(h, p.GetValue(job), p.GetValue(top), p.GetValue(db), "json"), "runs")
            : RunHistory(host, p.GetValue(job), p.GetValue(top), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int RunList(CliHost host, string configPath, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Read(host, configPath, db) is not { } config) { return ExitCodes.InvalidInput; }
        var scheduler = Scheduler(host, config, db);
        var rows = JobListing.List(scheduler, StoreAccess.Open(host, db), host.Clock.GetUtcNow());
        if (format == "json")
        {
            CliJson.Write(host, "jobs-list", new { jobs = rows });
            return ExitCodes.Ok;
        }
        if (rows.IsEmpty)
        {
            host.Console.WriteLine($"no jobs in `{configPath}`: add a `jobs:` section (docs/jobs.md)");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("job", "kind", "schedule", "time zone", "next due", "last run", "outcome", "running on");
        foreach (var r in rows)
        {
            table.AddRow(Cell(r.Job), Cell(r.Kind), Cell(r.Schedule), Cell(r.TimeZone), Cell(r.NextDue ?? "never"),
                Cell(r.LastRun ?? "never"), Cell(r.Outcome ?? ""), Cell(r.RunningOn ?? ""));
        }
        host.Console.Write(table);
        return ExitCodes.Ok;
    }

    public static int RunNow(CliHost host, string name, string configPath, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Read(host, configPath, db) is not { } config) { return ExitCodes.InvalidInput; }
        if (config.Find(name) is null)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.JobsUnknownJob}: no job `{name}` in `{configPath}`; "
                + $"jobs: {string.Join(", ", config.Jobs.Select(j => j.Name))}");
            return ExitCodes.InvalidInput;
        }
        var outcome = Scheduler(host, config, db).RunNowAsync(name).GetAwaiter().GetResult();
        if (format == "json")
        {
            CliJson.Write(host, "jobs-run", JobListing.RunJson(outcome));
        }
        else if (outcome.Outcome == "busy")
        {
            host.Error.WriteLine($"error {DiagnosticCodes.JobsBusy}: job `{name}` is running elsewhere (its lease is held): "
                + "try again when it has finished");
        }
        else
        {
            host.Console.MarkupLineInterpolated($"job {outcome.Job} (run {outcome.RunId}): {outcome.Outcome}: {outcome.Summary}");
        }
        return outcome.Outcome == "succeeded" ? ExitCodes.Ok : ExitCodes.Failure;
    }

    public static int RunHistory(CliHost host, string? job, int top, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (top < 1)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.CliBadArgument}: `--top` must be at least 1, not `{top}`");
            return ExitCodes.InvalidInput;
        }
        var runs = StoreAccess.Open(host, db).LoadJobRuns(job, top);
        if (format == "json")
        {
            CliJson.Write(host, "jobs-history", JobListing.HistoryJson(runs));
            return ExitCodes.Ok;
        }
        if (runs.IsEmpty)
        {
            host.Console.WriteLine(job is null ? "no job has run yet" : $"job `{job}` has not run yet");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("run", "job", "started", "finished", "outcome", "diagnostics", "host", "summary");
        foreach (var r in runs)
        {
            table.AddRow(r.Id.ToString(CultureInfo.InvariantCulture), Cell(r.Job), Cell(Stamp(r.StartedAt)!),
                Cell(Stamp(r.FinishedAt) ?? ""),
                Cell(r.Outcome), r.Diagnostics.ToString(CultureInfo.InvariantCulture), Cell(r.Host), Cell(r.Summary));
        }
        host.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static JobsConfig? Read(CliHost host, string path, string? db)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.JobsConfigNotYaml}: cannot read the server configuration `{path}`: {e.Message}");
            return null;
        }
        var result = JobsConfigReader.Read(text, path, ServerJobs.Handlers(host, db));
        StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        return result.HasErrors ? null : result.Config;
    }

    private static JobScheduler Scheduler(CliHost host, JobsConfig config, string? db) =>
        new(config, ServerJobs.Handlers(host, db), () => Ciem.App.Stores.Open(StoreAccess.Location(host, db).Display), host.Clock);

    private static string? Stamp(DateTimeOffset? at) => JobListing.Stamp(at);

    private static string Cell(string value) => Markup.Escape(value);
}
