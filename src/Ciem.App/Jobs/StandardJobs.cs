using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Imports;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Ciem.Core.Text;

namespace Ciem.App.Jobs;

/// <summary>
/// What only the host can run for a job: the sweep with its outputs (<paramref name="Sweep"/>, given the options, gives
/// the exit code `ciem sweep` would), a collector through its command (<paramref name="Collect"/>, given the source and
/// its options, gives the exit code and the error output), and the IaC changes of a repository for the alerts
/// (<paramref name="IacChanges"/>, the changed names, null when it holds none).
/// </summary>
public sealed record JobHostCalls(
    Func<SweepOptions, int> Sweep,
    Func<string, ImmutableArray<string>, (int Code, string Errors)> Collect,
    Func<string, ImmutableHashSet<string>?> IacChanges);

/// <summary>
/// The job kinds `ciem jobs run` and `ciem serve` run (docs/jobs.md): `import-folder` through the App's imports,
/// `sweep`, `collect` and `alerts`. Each run opens a session of its own, closed when it ends: runs may overlap in a
/// server, and an estate cached by an earlier run would hide what a later import changed. A run's summary names the
/// exit code the command would give (0 ok, 1 failure, 3 invalid input) and, on failure, the first error.
/// </summary>
public static class StandardJobs
{
    private const int Ok = 0;
    private const int Failure = 1;
    private const int InvalidInput = 3;

    /// <summary>The sources a `collect` job can read (the subcommands of `ciem collect`).</summary>
    public static readonly ImmutableArray<string> CollectSources =
        ["aws", "azure", "entra", "gcp", "google", "okta", "identity-center", "azure-activity", "gcp-audit"];

    /// <summary>Options a `collect` job may not set: the job chooses the store and the output, and always writes.</summary>
    private static readonly string[] JobOwnedOptions = ["--db", "--format", "--dry-run", "--output", "-o", "-f"];

    public static JobHandlers Handlers(Func<CiemSession> openSession, TimeProvider clock, Func<string, string?> environment,
        JobHostCalls host)
    {
        ArgumentNullException.ThrowIfNull(openSession);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(host);
        return new JobHandlers(
        [
            new ImportFolderJobHandler((context, files, _) =>
            {
                using var session = openSession();
                return Task.FromResult(Import(session, context.Job.Setting("format")!, files, clock.GetUtcNow()));
            }),
            DelegateJobHandler.Sweep((context, _) => Task.FromResult(Sweep(context.Job, host.Sweep))),
            new DelegateJobHandler("collect", "read an estate, directory or audit log from its APIs (`ciem collect SOURCE`)",
                [
                    new JobSetting("source", true, false, "what is read, as `ciem collect SOURCE` names it", [.. CollectSources]),
                    new JobSetting("options", false, false,
                        "further options of `ciem collect SOURCE`, separated by spaces (e.g. `--org-url https://example.okta.com`); "
                        + "credentials come from the environment, never from this file"),
                ],
                (context, _) => Task.FromResult(Collect(context.Job, host.Collect))),
            new AlertsJobHandler(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, environment,
                (repo, _) => Task.FromResult(host.IacChanges(repo))),
        ]);
    }

    /// <summary>
    /// A folder's new files through the App's import of <paramref name="format"/> (`ciem import FORMAT FILES…`); a
    /// failed run's summary says why (the first input error or diagnostic).
    /// </summary>
    public static JobResult Import(CiemSession session, string format, IReadOnlyList<string> files, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(files);
        var paths = files.ToArray();
        static (int Code, IEnumerable<Diagnostic> Why) Snapshot(SnapshotImportResult r) =>
            (r.Imported ? Ok : InvalidInput, r.Refusals.IsEmpty ? r.Diagnostics : r.Refusals);
        static (int Code, IEnumerable<Diagnostic> Why) Aws(AwsImportResult r) =>
            (r.Summary is null ? InvalidInput : Ok, r.Refusals.IsEmpty ? r.Diagnostics : r.Refusals);
        (int Code, IEnumerable<Diagnostic> Why) Log<T>(UsageLog<T> log)
            where T : class =>
            UsageIngestion.Run(session, log, paths, now, out var problems) is not { } r ? (InvalidInput, problems)
                : (r.NothingReadable ? Failure : Ok, r.Diagnostics);
        var (code, why) = format switch
        {
            "aws" => Aws(AwsImport.Import(session, paths, null, now)),
            "cloudtrail" => Log(CloudTrailLog.Default),
            "azure" => Snapshot(AzureImport.Import(session, paths, null, null, now)),
            "azure-activity" => Log(StreamedUsageLog.AzureActivity),
            "gcp" => Snapshot(GcpImport.Import(session, paths, null, null, now)),
            "gcp-audit" => Log(StreamedUsageLog.GcpAudit),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a format of `import-folder`"),
        };
        var summary = $"{paths.Length} new file(s) given to `ciem import {format}`: exit code {code}";
        if (code != Ok && why.FirstOrDefault(d => d.Severity == Severity.Error) is { } first) { summary += $" ({first})"; }
        return new JobResult(code == Ok, summary);
    }

    /// <summary>
    /// `sweep`: the window from `window` (or its old spelling `window-days`, still read; both set is refused), then the
    /// host's sweep.
    /// </summary>
    public static JobResult Sweep(JobDefinition job, Func<SweepOptions, int> sweep)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(sweep);
        var options = new SweepOptions();
        var (key, text) = job.Setting("window") is { } w ? ("window", w) : ("window-days", job.Setting("window-days"));
        if (key == "window" && job.Setting("window-days") is not null)
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
        var code = sweep(options);
        return new JobResult(code == Ok, $"sweep (window {options.WindowDays} days): exit code {code}");
    }

    /// <summary>
    /// `collect`: `ciem collect SOURCE OPTIONS…` through the host's command line, so a job accepts exactly what the
    /// command accepts and refuses it the same way; an option the job owns is refused before any call. The summary
    /// names the exit code and the first error line, escaped for a terminal.
    /// </summary>
    public static JobResult Collect(JobDefinition job, Func<string, ImmutableArray<string>, (int Code, string Errors)> collect)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(collect);
        var source = job.Setting("source")!;
        var options = (job.Setting("options") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (options.FirstOrDefault(o => JobOwnedOptions.Contains(o.Split('=')[0], StringComparer.Ordinal)) is { } owned)
        {
            return JobResult.Failure($"`options` sets `{owned.Split('=')[0]}`, which the job sets itself: remove it", 1);
        }
        var (code, errors) = collect(source, [.. options]);
        var summary = $"`ciem collect {source}`: exit code {code}";
        var first = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.StartsWith("error", StringComparison.Ordinal));
        if (code != Ok && first is not null) { summary += $" ({TerminalText.Value(first)})"; }
        return new JobResult(code == Ok, summary);
    }
}
