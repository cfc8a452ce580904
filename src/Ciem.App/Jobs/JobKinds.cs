using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Metrics;
using Ciem.Core.Metrics;
using Ciem.Import.Config;

namespace Ciem.App.Jobs;

/// <summary>
/// A kind whose work the host supplies as a delegate: `sweep` (the sweep workflow and its measurement live with the
/// host's sweep code) and any kind a host adds without a class of its own.
/// </summary>
public sealed class DelegateJobHandler(string kind, string description, IReadOnlyList<JobSetting> settings,
    Func<JobContext, CancellationToken, Task<JobResult>> run) : IJobHandler
{
    public string Kind => kind;

    public string Description => description;

    public IReadOnlyList<JobSetting> Settings => settings;

    public Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) => run(context, cancellationToken);

    /// <summary>`sweep`: runs the host's sweep (which records the day's measurement) over the store.</summary>
    public static DelegateJobHandler Sweep(Func<JobContext, CancellationToken, Task<JobResult>> sweep) =>
        new("sweep", "sweep the estate and record the day's gap measurement",
            [
                new JobSetting("window", false, false, "the usage window in days, as `ciem sweep --window` (the sweep's default when absent)"),
                new JobSetting("window-days", false, false, "the old spelling of `window`, still read"),
            ], sweep);
}

/// <summary>
/// `import-folder`: hands the files of a folder that are new since the job's last successful run (by path, size and
/// modification time) to the host's import workflow, oldest first. A file that changed is new again; the importers
/// themselves skip content already stored (same snapshot, same log file hash), so nothing is counted twice.
/// </summary>
public sealed class ImportFolderJobHandler(Func<JobContext, ImmutableArray<string>, CancellationToken, Task<JobResult>> import) : IJobHandler
{
    /// <summary>The importers a folder's files can go to (`ciem import …`).</summary>
    public static readonly string[] Formats = ["aws", "cloudtrail", "azure", "azure-activity", "gcp", "gcp-audit"];

    public string Kind => "import-folder";

    public string Description => "import the new files of a folder (exports, logs, directory bundles)";

    public IReadOnlyList<JobSetting> Settings { get; } =
    [
        new JobSetting("folder", true, true, "the folder whose new files are imported"),
        new JobSetting("format", true, false, "what the files are, as `ciem import FORMAT` names it", Formats),
        new JobSetting("pattern", false, false, "which file names to take (a glob such as `*.json`; default: every file)"),
    ];

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var folder = context.Job.Setting("folder")!;
        if (!Directory.Exists(folder)) { return JobResult.Failure($"the folder `{folder}` does not exist", 1); }
        var seen = Seen(context.Cursor);
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        var fresh = new List<(string Path, DateTime Written)>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles(context.Job.Setting("pattern") ?? "*", options))
        {
            var stamp = Stamp(file);
            current[file.FullName] = stamp;
            if (!seen.TryGetValue(file.FullName, out var was) || was != stamp) { fresh.Add((file.FullName, file.LastWriteTimeUtc)); }
        }
        if (fresh.Count == 0) { return JobResult.Success("no new files", 0, JsonSerializer.Serialize(current)); }
        var files = fresh.OrderBy(f => f.Written).ThenBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Path).ToImmutableArray();
        var result = await import(context, files, cancellationToken).ConfigureAwait(false);
        // Only a successful import moves the cursor: after a failure the same files are new again next run.
        return result.Succeeded ? result with { Cursor = JsonSerializer.Serialize(current) } : result;
    }

    private static string Stamp(FileInfo file) =>
        $"{file.Length.ToString(CultureInfo.InvariantCulture)}@{file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}";

    private static Dictionary<string, string> Seen(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) { return new(StringComparer.Ordinal); }
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(cursor) ?? new(StringComparer.Ordinal); }
        catch (JsonException) { return new(StringComparer.Ordinal); }
    }
}

/// <summary>
/// `alerts`: evaluates the alert rules file on the stored measurements and sends new alerts (<see cref="AlertRun"/>),
/// as `ciem alerts evaluate` does. Rules that compare with an IaC repository need the host's HCL reader.
/// </summary>
/// <param name="iacNames">reads the identity names an IaC repository declares; null when this host reads none.</param>
public sealed class AlertsJobHandler(HttpClient http, Func<string, string?> environment,
    Func<string, CancellationToken, Task<ImmutableHashSet<string>?>>? iacNames = null) : IJobHandler
{
    public string Kind => "alerts";

    public string Description => "evaluate the alert rules on the latest measurement and send new alerts";

    public IReadOnlyList<JobSetting> Settings { get; } =
    [
        new JobSetting("rules", true, true, "the alert rules file (docs/metrics.md)"),
        new JobSetting("state", false, true, "where the senders keep their ledger (default: `.ciem-alerts` beside the rules file)"),
    ];

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rulesPath = context.Job.Setting("rules")!;
        var read = AlertRulesReader.Read(await File.ReadAllTextAsync(rulesPath, cancellationToken).ConfigureAwait(false), rulesPath);
        if (read.HasErrors)
        {
            var first = read.Diagnostics.First(d => d.Severity == Core.Diagnostics.Severity.Error);
            return JobResult.Failure($"the rules file `{rulesPath}` has errors; first: {first.Code} {first.Message}", read.Diagnostics.Length);
        }
        var names = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        foreach (var repo in read.Config.Rules.Select(r => r.IacRepository).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var declared = iacNames is null ? null : await iacNames(repo, cancellationToken).ConfigureAwait(false);
            if (declared is null) { return JobResult.Failure($"a rule compares with the IaC repository `{repo}`, which this host cannot read", 1); }
            names[repo] = declared;
        }
        var state = context.Job.Setting("state") ?? Path.Combine(Path.GetDirectoryName(rulesPath) ?? ".", ".ciem-alerts");
        using var store = context.OpenStore();
        var result = await AlertRun.EvaluateAsync(store, read.Config, new IacDeclarations(names.ToImmutable()), context.Now, state, http,
            environment, context.Time, cancellationToken).ConfigureAwait(false);
        var failed = result.Deliveries.Count(d => !d.Delivered);
        var summary = result.Measured is null
            ? "no measurement yet"
            : $"{result.Firing.Length} firing ({result.Opened.Length} new), {result.Resolved.Length} resolved, {result.Deliveries.Length - failed} sent, {failed} not sent";
        return new JobResult(failed == 0, summary, read.Diagnostics.Length + failed);
    }
}
