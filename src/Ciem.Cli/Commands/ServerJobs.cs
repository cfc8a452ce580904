using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Imports;
using Ciem.App.Jobs;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Ciem.Core.Text;

namespace Ciem.Cli.Commands;

/// <summary>The handlers of the background job kinds, shared by `ciem jobs` and `ciem serve`.</summary>
public static class ServerJobs
{
    /// <summary>
    /// The job kinds `ciem jobs run` and `ciem serve` run: the App's imports, and the sweep. A run's console output is
    /// dropped: its outcome and summary are what is recorded.
    /// </summary>
    public static JobHandlers Handlers(CliHost host, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Each run gets a host of its own, with its own store sessions, closed when it ends: runs may overlap in a
        // server, and an estate cached by an earlier run would hide what a later import changed.
        T Fresh<T>(Func<CliHost, T> run)
        {
            var quiet = new CliHost(TextWriter.Null, host.Error, host.Clock, host.Environment);
            try { return run(quiet); }
            finally { quiet.CloseSessions(); }
        }
        return new JobHandlers(
        [
            new ImportFolderJobHandler((context, files, _) => Task.FromResult(Fresh(h => Import(h, context.Job.Setting("format")!, [.. files], db)))),
            DelegateJobHandler.Sweep((context, _) => Task.FromResult(Fresh(h => Sweep(h, context, db)))),
            new DelegateJobHandler("collect", "read an estate, directory or audit log from its APIs (`ciem collect SOURCE`)",
                [
                    new JobSetting("source", true, false, "what is read, as `ciem collect SOURCE` names it", CollectSources),
                    new JobSetting("options", false, false,
                        "further options of `ciem collect SOURCE`, separated by spaces (e.g. `--org-url https://example.okta.com`); "
                        + "credentials come from the environment, never from this file"),
                ],
                (context, _) => Task.FromResult(Fresh(h => Collect(h, context, db)))),
            new AlertsJobHandler(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, host.Environment, (repo, _) =>
                Task.FromResult(Fresh(h => HclInput.Read(h, new DirectoryInfo(repo), null) is { } iac ? ImmutableHashSet.CreateRange(iac.Changes.Select(c => c.Name)) : null))),
        ]);
    }

    /// <summary>
    /// A folder's new files through the App's import of <paramref name="format"/>; a failed run's summary says why
    /// (the first input error or diagnostic).
    /// </summary>
    private static JobResult Import(CliHost host, string format, string[] files, string? db)
    {
        var session = host.Session(db);
        var now = host.Clock.GetUtcNow();
        static (int Code, IEnumerable<Diagnostic> Why) Snapshot(SnapshotImportResult r) =>
            (r.Imported ? ExitCodes.Ok : ExitCodes.InvalidInput, r.Refusals.IsEmpty ? r.Diagnostics : r.Refusals);
        static (int Code, IEnumerable<Diagnostic> Why) Aws(AwsImportResult r) =>
            (r.Summary is null ? ExitCodes.InvalidInput : ExitCodes.Ok, r.Refusals.IsEmpty ? r.Diagnostics : r.Refusals);
        (int Code, IEnumerable<Diagnostic> Why) Log<T>(UsageLog<T> log)
            where T : class =>
            UsageIngestion.Run(session, log, files, now, out var problems) is not { } r ? (ExitCodes.InvalidInput, problems)
                : (r.NothingReadable ? ExitCodes.Failure : ExitCodes.Ok, r.Diagnostics);
        var (code, why) = format switch
        {
            "aws" => Aws(AwsImport.Import(session, files, null, now)),
            "cloudtrail" => Log(CloudTrailLog.Default),
            "azure" => Snapshot(AzureImport.Import(session, files, null, null, now)),
            "azure-activity" => Log(StreamedUsageLog.AzureActivity),
            "gcp" => Snapshot(GcpImport.Import(session, files, null, null, now)),
            _ => Log(StreamedUsageLog.GcpAudit),
        };
        var summary = $"{files.Length} new file(s) given to `ciem import {format}`: exit code {code}";
        if (code != ExitCodes.Ok && why.FirstOrDefault(d => d.Severity == Severity.Error) is { } first) { summary += $" ({first})"; }
        return new JobResult(code == ExitCodes.Ok, summary);
    }

    /// <summary>The sources a `collect` job can read (the subcommands of `ciem collect`).</summary>
    public static readonly string[] CollectSources =
        ["aws", "azure", "entra", "gcp", "google", "okta", "identity-center", "azure-activity", "gcp-audit"];

    /// <summary>Options a `collect` job may not set: the job chooses the store and the output, and always writes.</summary>
    private static readonly string[] JobOwnedOptions = ["--db", "--format", "--dry-run", "--output", "-o", "-f"];

    /// <summary>
    /// `collect`: `ciem collect SOURCE OPTIONS… --db STORE` through the command line itself, so a job accepts exactly
    /// what the command accepts and refuses it the same way; the summary names the exit code and the first error line.
    /// </summary>
    private static JobResult Collect(CliHost host, JobContext context, string? db)
    {
        var source = context.Job.Setting("source")!;
        var options = (context.Job.Setting("options") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (options.FirstOrDefault(o => JobOwnedOptions.Contains(o.Split('=')[0], StringComparer.Ordinal)) is { } owned)
        {
            return JobResult.Failure($"`options` sets `{owned.Split('=')[0]}`, which the job sets itself: remove it", 1);
        }
        var errors = new StringWriter();
        var run = new CliHost(TextWriter.Null, errors, host.Clock, host.Environment);
        int code;
        try
        {
            code = CiemApp.Run(["collect", source, .. options, .. db is null ? Array.Empty<string>() : ["--db", db]], run);
        }
        finally
        {
            run.CloseSessions();
        }
        var summary = $"`ciem collect {source}`: exit code {code}";
        var first = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.StartsWith("error", StringComparison.Ordinal));
        if (code != ExitCodes.Ok && first is not null) { summary += $" ({TerminalText.Value(first)})"; }
        return new JobResult(code == ExitCodes.Ok, summary);
    }

    private static JobResult Sweep(CliHost host, JobContext context, string? db)
    {
        var options = new SweepOptions();
        // `window`, as the verbs spell it; `window-days` is its old spelling, still read.
        var (key, text) = context.Job.Setting("window") is { } w ? ("window", w) : ("window-days", context.Job.Setting("window-days"));
        if (key == "window" && context.Job.Setting("window-days") is not null)
        {
            return JobResult.Failure("both `window` and its old spelling `window-days` are set: keep `window`", 1);
        }
        if (text is not null)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1)
            {
                return JobResult.Failure($"`{key}` is `{text}`: a whole number of days, at least 1", 1);
            }
            options = options with { WindowDays = days };
        }
        var code = SweepCommand.Run(host, [], [], options, null, null, null, db, "text");
        return new JobResult(code == ExitCodes.Ok, $"sweep (window {options.WindowDays} days): exit code {code}");
    }

}
