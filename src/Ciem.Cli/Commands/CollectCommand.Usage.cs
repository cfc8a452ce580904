using System.CommandLine;
using System.Globalization;
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
        command.SetAction(p => Settings(host, () =>
        {
            var connection = Connection(host, p, cloud, arm, graph, timeout);
            var pull = Pull(p, since, settle, parallel, dryRun);
            var options = new AzureActivityCollectOptions
            {
                Connection = connection, Subscriptions = [.. p.GetValue(subscriptions) ?? []], Pull = pull,
            };
            return RunLog(host, pull.DryRun, p.GetValue(db), p.GetValue(format)!,
                (session, progress) => AzureActivityCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        }));
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
        var timeout = Timeout();
        var (since, settle, parallel, dryRun) = PullOptions("containers");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("gcp-audit",
            "read the Cloud Audit Logs of an organization's containers from where the last collection stopped (read-only) into the usage " +
            "rollups, as `import gcp-audit` would")
        {
            organization, projects, logs, endpoint, since, settle, parallel, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () =>
        {
            var options = new GcpAuditCollectOptions(p.GetValue(organization)!)
            {
                Pull = Pull(p, since, settle, parallel, dryRun),
                Projects = [.. p.GetValue(projects) ?? []],
                Logs = [.. p.GetValue(logs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Call = CollectSettings.Call(p.GetValue(timeout)),
            };
            var logging = CollectSettings.Url(p.GetValue(endpoint), "--logging-endpoint");
            options = options with { LoggingEndpoint = logging ?? options.LoggingEndpoint };
            var pull = options.Pull;
            return RunLog(host, pull.DryRun, p.GetValue(db), p.GetValue(format)!,
                (session, progress) => GcpAuditCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        }));
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

    /// <summary>The pull options the command line gives (<see cref="CollectSettings.Pull"/>).</summary>
    private static LogPullOptions Pull(ParseResult p, Option<string?> since, Option<int> settle, Option<int> parallel,
        Option<bool> dryRun) =>
        CollectSettings.Pull(p.GetValue(since), p.GetValue(settle), p.GetValue(parallel), p.GetValue(dryRun));

    /// <summary>Runs a log collector and renders its summary: the streams with their windows, the counts, the diagnostics; exit 1
    /// when a stream was not read.</summary>
    public static int RunLog(CliHost host, bool dryRun, string? db, string format,
        Func<Ciem.App.CiemSession?, IProgress<CollectProgress>?, Task<LogCollectResult>> run)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (session, result, failed) = Collect(host, dryRun, db, format, run);
        if (result is null) { return failed; }
        if (format == "json")
        {
            CliJson.Write(host, "collect-usage", CollectJson.Log(result, session?.StorePath));
            return result.NotRead.Any() ? ExitCodes.Failure : ExitCodes.Ok;
        }
        var table = new Table().AddColumns("log", "status", "from", "to", "pages", "entries", "why not read");
        foreach (var s in result.Streams)
        {
            string N(long v) => s.Status == AccountStatus.Read ? v.ToString(CultureInfo.InvariantCulture) : "";
            table.AddRow(Cell(s.Id), Status(s.Status), Cell(CollectJson.Time(s.From) ?? ""), Cell(CollectJson.Time(s.To) ?? ""),
                N(s.Pages), N(s.Records),
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
