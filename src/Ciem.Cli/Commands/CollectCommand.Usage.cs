using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Collect;
using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Collect.Gcp;
using Ciem.Collect.Usage;
using Ciem.Core.Diagnostics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem collect azure-activity` and `ciem collect gcp-audit`: usage from the Activity Log and the Cloud Audit Logs,
/// incrementally.</summary>
public static partial class CollectCommand
{
    private static Command AzureActivity(CliHost host)
    {
        var (cloud, arm, graph, timeout) = ConnectionOptions();
        var subscriptions = new Option<string[]>("--subscription")
        {
            Description = "read only these subscriptions (repeatable; default: every subscription the credential sees)",
            AllowMultipleArgumentsPerToken = true,
        };
        var (since, settle, parallel, dryRun) = PullOptions("subscriptions");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("azure-activity",
            "read each subscription's Activity Log from where the last collection stopped (read-only) into the usage rollups, " +
            "as `import azure-activity` would")
        {
            cloud, arm, subscriptions, since, settle, parallel, timeout, dryRun, db, format,
        };
        command.SetAction(p =>
        {
            if (Connection(host, p, cloud, arm, graph, timeout) is not { } connection
                || Pull(host, p, since, settle, parallel, dryRun) is not { } pull)
            {
                return ExitCodes.InvalidInput;
            }
            var options = new AzureActivityCollectOptions
            {
                Connection = connection, Subscriptions = [.. p.GetValue(subscriptions) ?? []], Pull = pull,
            };
            return RunLog(host, pull.DryRun, p.GetValue(db), p.GetValue(format)!,
                (session, progress) => AzureActivityCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        });
        return command;
    }

    private static Command GcpAudit(CliHost host)
    {
        var organization = new Option<string>("--organization")
        {
            Description = "the organization's number, e.g. `123456789012`", Required = true,
        };
        var projects = new Option<string[]>("--project")
        {
            Description = "read only these projects (repeatable; default: the organization, its folders and the projects of the stored " +
                "gcp snapshot)",
            AllowMultipleArgumentsPerToken = true,
        };
        var logs = new Option<string>("--logs")
        {
            Description = "audit logs read: a list of activity, data_access, system_event, policy",
            DefaultValueFactory = _ => "activity,data_access",
        };
        var endpoint = new Option<string?>("--logging-endpoint")
        {
            Description = "cloud logging api's root url instead of `https://logging.googleapis.com/`",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "seconds each call may take before it is retried", DefaultValueFactory = _ => 30,
        };
        var (since, settle, parallel, dryRun) = PullOptions("containers");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("gcp-audit",
            "read the Cloud Audit Logs of an organization's containers from where the last collection stopped (read-only) into the usage " +
            "rollups, as `import gcp-audit` would")
        {
            organization, projects, logs, endpoint, since, settle, parallel, timeout, dryRun, db, format,
        };
        command.SetAction(p =>
        {
            if (Pull(host, p, since, settle, parallel, dryRun) is not { } pull) { return ExitCodes.InvalidInput; }
            if (p.GetValue(timeout) < 1)
            {
                host.Error.WriteLine($"error {DiagnosticCodes.CliBadArgument}: `--timeout` must be at least 1");
                return ExitCodes.InvalidInput;
            }
            var options = new GcpAuditCollectOptions(p.GetValue(organization)!)
            {
                Projects = [.. p.GetValue(projects) ?? []],
                Logs = [.. p.GetValue(logs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Call = CallPolicy.Default with { Timeout = TimeSpan.FromSeconds(p.GetValue(timeout)) },
                Pull = pull,
            };
            if (p.GetValue(endpoint) is { } text)
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
                {
                    host.Error.WriteLine(
                        $"error {DiagnosticCodes.CollectBadSetting}: `--logging-endpoint` `{text}` is not an absolute url");
                    return ExitCodes.InvalidInput;
                }
                options = options with { LoggingEndpoint = uri };
            }
            return RunLog(host, pull.DryRun, p.GetValue(db), p.GetValue(format)!,
                (session, progress) => GcpAuditCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        });
        return command;
    }

    private static (Option<string?> Since, Option<int> Settle, Option<int> Parallel, Option<bool> DryRun) PullOptions(string what) =>
    (
        new Option<string?>("--since")
        {
            Description = "where a first collection starts, `YYYY-MM-DD` (default: 90 days back); later runs go on from where the last " +
                "one stopped",
        },
        new Option<int>("--settle")
        {
            Description = "minutes before now each window ends, so that late entries have arrived", DefaultValueFactory = _ => 30,
        },
        new Option<int>("--parallel") { Description = $"{what} read at once", DefaultValueFactory = _ => 4 },
        new Option<bool>("--dry-run") { Description = "list what it would read, write nothing" }
    );

    /// <summary>The pull options the command line gives; null (with the error written) when one is unusable.</summary>
    private static LogPullOptions? Pull(CliHost host, ParseResult p, Option<string?> since, Option<int> settle, Option<int> parallel,
        Option<bool> dryRun)
    {
        DateTimeOffset? start = null;
        if (p.GetValue(since) is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                host.Error.WriteLine($"error {DiagnosticCodes.CliBadArgument}: `--since` is `{text}`; expected a date `YYYY-MM-DD`");
                return null;
            }
            start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (p.GetValue(settle) < 0 || p.GetValue(parallel) < 1)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.CliBadArgument}: `--settle` must be at least 0 and `--parallel` at least 1");
            return null;
        }
        return new LogPullOptions
        {
            Since = start,
            Settle = TimeSpan.FromMinutes(p.GetValue(settle)),
            Parallelism = p.GetValue(parallel),
            DryRun = p.GetValue(dryRun),
        };
    }

    /// <summary>Runs a log collector and renders its summary: the streams with their windows, the counts, the diagnostics; exit 1
    /// when a stream was not read.</summary>
    public static int RunLog(CliHost host, bool dryRun, string? db, string format,
        Func<Ciem.App.CiemSession?, IProgress<CollectProgress>?, Task<LogCollectResult>> run)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (session, result, failed) = Collect(host, dryRun, db, format, run);
        if (result is null) { return failed; }
        static string? Time(DateTimeOffset? t) => t is { } v ? LogPull.Time(v) : null;
        if (format == "json")
        {
            var c = result.Counts;
            CliJson.Write(host, "collect-usage", new
            {
                store = session?.StorePath,
                dryRun = result.DryRun,
                provider = result.Provider,
                streams = result.Streams.Select(s => new
                {
                    id = s.Id, status = Status(s.Status), reason = s.Reason, from = Time(s.From), to = Time(s.To),
                    pages = s.Pages, records = s.Records,
                }),
                plan = result.Plan,
                run = result.RunId,
                events = c?.Events, usageEvents = c?.UsageEvents, attempts = c?.Attempts, noAction = c?.NoAction, unmapped = c?.Unmapped,
                malformed = c?.Malformed,
                calls = result.Calls,
                seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
                diagnostics = result.Diagnostics.Select(d => new
                {
                    severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message,
                    location = d.Location?.ToString(),
                }),
            });
            return result.NotRead.Any() ? ExitCodes.Failure : ExitCodes.Ok;
        }
        var table = new Table().AddColumns("log", "status", "from", "to", "pages", "entries", "why not read");
        foreach (var s in result.Streams)
        {
            string N(long v) => s.Status == AccountStatus.Read ? v.ToString(CultureInfo.InvariantCulture) : "";
            table.AddRow(Cell(s.Id), Status(s.Status), Cell(Time(s.From) ?? ""), Cell(Time(s.To) ?? ""), N(s.Pages), N(s.Records),
                Cell(s.Reason ?? ""));
        }
        host.Console.Write(table);
        if (result.DryRun)
        {
            host.Console.WriteLine("dry run: nothing else was read and nothing was written; it would read:");
            foreach (var line in result.Plan) { host.Console.MarkupLine($"  {Cell(line)}"); }
        }
        else if (result.Counts is { } c)
        {
            host.Console.WriteLine($"{result.Provider} usage run {result.RunId}: {c.Events} entries, {c.UsageEvents} uses, " +
                $"{c.Attempts} failed attempts, {c.Unmapped} unmapped, {c.Malformed} malformed; {result.Calls} calls in " +
                $"{result.Elapsed.TotalSeconds:0.0} s; store: {session?.StorePath}");
        }
        else
        {
            host.Console.WriteLine($"every log is up to date: nothing new to read; store: {session?.StorePath}");
        }
        if (result.Diagnostics.Length > 0)
        {
            host.Console.WriteLine($"{result.Diagnostics.Length} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        }
        return result.NotRead.Any() ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
