using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Import;
using Ciem.Import.Aws.CloudTrail;
using Ciem.Import.Azure;
using Ciem.Import.Gcp;
using Ciem.Import.Usage;
using Ciem.Storage;

namespace Ciem.App.Usage;

/// <summary>
/// What one read of usage logs gives, ready for the store: daily rows in primary-key order, operations the catalog
/// does not know, the log streams seen, the counts (files counted by the pipeline) and the records read per file.
/// </summary>
public sealed record UsageBatch(
    ImmutableArray<UsageRow> Usage,
    ImmutableArray<AttemptRow> Attempts,
    ImmutableArray<(string Source, string Name, long Count)> Unmapped,
    ImmutableArray<LogCoverage> Coverage,
    IngestCounts Counts,
    IReadOnlyDictionary<string, long> RecordsByFile,
    ImmutableArray<Diagnostic> Diagnostics,
    int FilesFailed,
    ImmutableHashSet<string>? Incomplete = null)
{
    /// <summary>Files that ended early (truncated, broken JSON, a corrupt gzip stream, unreadable).</summary>
    public ImmutableHashSet<string> IncompleteFiles => Incomplete ?? [];
}

/// <summary>
/// A kind of usage log, generic over the rollup it is summed into: CloudTrail (<see cref="UsageRollup"/>, which maps
/// events to IAM actions), the Azure Activity Log and the GCP audit logs (<see cref="UsageDayRollup"/>). The files are
/// read in parallel, each worker thread sums into its own rollup, and the rollups are merged once at the end.
/// </summary>
public abstract class UsageLog<TRollup>
    where TRollup : class
{
    /// <summary>The provider the usage is stored under.</summary>
    public abstract Provider Provider { get; }

    /// <summary>The files <paramref name="paths"/> name (files, or the log files under folders); missing paths are diagnosed.</summary>
    public abstract IReadOnlyList<string> EnumerateFiles(IEnumerable<string> paths, DiagnosticBag diagnostics);

    /// <summary>Files found but never read (CloudTrail digests).</summary>
    public virtual bool IsIgnored(string path) => false;

    /// <summary>Reads <paramref name="files"/> and rolls them up; <paramref name="skipped"/> files were left out before.</summary>
    public UsageBatch Read(IReadOnlyList<string> files, int skipped, IProgress<UsageReadProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var rollups = new ConcurrentBag<TRollup>();
        using var local = new ThreadLocal<TRollup>(() =>
        {
            var r = NewRollup();
            rollups.Add(r);
            return r;
        });
        var finish = Stream(files, () => local.Value!, progress);
        var rollup = NewRollup();
        foreach (var r in rollups) { Merge(rollup, r); }
        return finish(rollup, skipped);
    }

    protected abstract TRollup NewRollup();

    protected abstract void Merge(TRollup into, TRollup other);

    /// <summary>
    /// Streams every file, each event into the calling thread's rollup (<paramref name="local"/>), and returns how to
    /// turn the merged rollup into a batch.
    /// </summary>
    protected abstract Func<TRollup, int, UsageBatch> Stream(IReadOnlyList<string> files, Func<TRollup> local, IProgress<UsageReadProgress>? progress);
}

/// <summary>CloudTrail: events mapped to IAM actions and identities (provider `aws`).</summary>
public sealed class CloudTrailLog : UsageLog<UsageRollup>
{
    public static CloudTrailLog Default { get; } = new();

    /// <summary>Files read at once; defaults to the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    public override Provider Provider => Provider.Aws;

    public override IReadOnlyList<string> EnumerateFiles(IEnumerable<string> paths, DiagnosticBag diagnostics) =>
        CloudTrailReader.EnumerateFiles(paths, diagnostics);

    public override bool IsIgnored(string path) => CloudTrailReader.IsDigest(path);

    protected override UsageRollup NewRollup() => new(EventActionMapper.Default);

    protected override void Merge(UsageRollup into, UsageRollup other) => into.Merge(other);

    protected override Func<UsageRollup, int, UsageBatch> Stream(IReadOnlyList<string> files, Func<UsageRollup> local, IProgress<UsageReadProgress>? progress)
    {
        // Hashing is left to the pipeline, which fingerprints every file before it is read.
        var options = new CloudTrailReadOptions { HashFiles = false, KeepRequestParameters = false, MaxParallelism = MaxParallelism };
        var events = progress is null ? null : new MappedProgress<CloudTrailProgress, UsageReadProgress>(progress, p => new(p.FilesDone, p.FilesTotal, p.Bytes, p.Events));
        var read = CloudTrailReader.Read(files, ev => local().Add(ev), options, events);
        return (rollup, skipped) =>
        {
            var usage = rollup.Usage.Select(kv => new UsageRow(kv.Key.IdentityKey, kv.Key.Person ?? "", kv.Key.Action, kv.Key.Resource, kv.Key.Day, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen));
            var attempts = rollup.Attempts.Select(kv => new AttemptRow(kv.Key.Usage.IdentityKey, kv.Key.Usage.Person ?? "", kv.Key.Usage.Action, kv.Key.Usage.Resource, kv.Key.Usage.Day,
                kv.Key.ErrorCode, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen));
            var (usageRows, attemptRows) = UsageIngestion.Ordered(usage, attempts);
            var counts = new IngestCounts(read.FilesRead, skipped + read.FilesSkipped, read.EventsRead,
                rollup.Usage.Values.Sum(v => v.Count), rollup.Attempts.Values.Sum(v => v.Count),
                rollup.Duplicates, rollup.NoActionEvents, rollup.Unmapped.Values.Sum(), read.RecordsMalformed);
            var unmapped = rollup.Unmapped.Select(kv => (kv.Key.Source, kv.Key.Name, kv.Value)).ToImmutableArray();
            // Data events seen per account, service and day: the evidence that unseen data actions are unused.
            var coverage = rollup.DataEvents.Select(kv => new LogCoverage(DataEventCoverage.LogName, DataEventCoverage.Key(kv.Key.Account, kv.Key.Service), kv.Key.Day, kv.Value)).ToImmutableArray();
            return new UsageBatch(usageRows, attemptRows, unmapped, coverage, counts,
                read.Files.ToDictionary(f => f.Path, f => f.Events, StringComparer.Ordinal),
                [.. read.Diagnostics, .. rollup.UnmappedDiagnostics()], read.Files.Count(f => f.Format == CloudTrailFileFormat.Unreadable),
                read.Files.Where(f => !f.Complete || f.Format == CloudTrailFileFormat.Unreadable).Select(f => f.Path).ToImmutableHashSet(StringComparer.Ordinal));
        };
    }
}

/// <summary>
/// A streamed log of the Azure and GCP kind (<see cref="UsageEvent"/>s summed per day): the Azure Activity Log with
/// Entra ID sign-ins (<see cref="AzureActivity"/>), the GCP Cloud Audit Logs (<see cref="GcpAudit"/>).
/// </summary>
public sealed class StreamedUsageLog(Provider provider, string source, string missingPathCode, StreamedUsageLog.Reader read) : UsageLog<UsageDayRollup>
{
    /// <summary>A streaming reader: every file, each event to the callback (from several threads), progress as files finish.</summary>
    public delegate UsageReadResult Reader(IReadOnlyList<string> files, Action<UsageEvent> onEvent, IProgress<UsageReadProgress>? progress);

    /// <summary>Hashing is left to the pipeline, which fingerprints every file before it is read.</summary>
    private static readonly UsageReadOptions Options = new() { HashFiles = false };

    public static StreamedUsageLog AzureActivity { get; } = new(Provider.Azure, "activity-log", DiagnosticCodes.AzureActivityBadRecord,
        (files, onEvent, progress) => ActivityLogReader.Stream(files, AzureOperationCatalog.Default, onEvent, Options, progress));

    public static StreamedUsageLog GcpAudit { get; } = new(Provider.Gcp, "audit-log", DiagnosticCodes.GcpAuditBadRecord,
        (files, onEvent, progress) => AuditLogReader.Stream(files, onEvent, Options, progress));

    private static readonly string[] LogExtensions = [".json", ".jsonl", ".ndjson", ".log", ".gz"];

    public override Provider Provider => provider;

    /// <summary>The source unmapped operations are stored under (`activity-log`, `audit-log`).</summary>
    public string Source => source;

    /// <summary>
    /// The files a path names: itself, or the `.json`, `.jsonl`, `.ndjson`, `.log` and `.gz` files under a folder (hidden
    /// ones left out) in ordinal order — which takes in the Azure storage-export tree
    /// (`resourceId=/SUBSCRIPTIONS/…/y=2026/m=11/d=28/h=08/m=00/PT1H.json`) and GCS sink folders
    /// (`cloudaudit.googleapis.com/activity/2026/11/28/08:00:00_08:59:59_S0.json`).
    /// </summary>
    public override IReadOnlyList<string> EnumerateFiles(IEnumerable<string> paths, DiagnosticBag diagnostics) =>
        InputFiles.Expand(paths, f => LogExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)), diagnostics, missingPathCode);

    protected override UsageDayRollup NewRollup() => new();

    protected override void Merge(UsageDayRollup into, UsageDayRollup other) => into.Merge(other);

    protected override Func<UsageDayRollup, int, UsageBatch> Stream(IReadOnlyList<string> files, Func<UsageDayRollup> local, IProgress<UsageReadProgress>? progress)
    {
        var log = read(files, e => local().Add(e), progress);
        return (rollup, skipped) =>
        {
            var (usage, attempts) = UsageIngestion.Rows(rollup);
            var counts = new IngestCounts(files.Count, skipped, log.Records, usage.Sum(u => u.Count), attempts.Sum(a => a.Count),
                log.InProgress, log.NoIdentity + log.NoAction, log.Unmapped.Values.Sum(), log.Malformed);
            var unmapped = log.Unmapped.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (source, kv.Key, kv.Value)).ToImmutableArray();
            var coverage = log.Coverage.Select(kv => new LogCoverage(kv.Key.Log, kv.Key.Service, kv.Key.Day, kv.Value)).ToImmutableArray();
            return new UsageBatch(usage, attempts, unmapped, coverage, counts,
                log.Files.ToDictionary(f => f.Path, f => f.Records, StringComparer.Ordinal), log.Diagnostics, log.FilesFailed,
                log.Files.Where(f => !f.Complete || f.Failed).Select(f => f.Path).ToImmutableHashSet(StringComparer.Ordinal));
        };
    }
}

/// <summary>Reports each value of one progress type as another, on the reporting thread.</summary>
internal sealed class MappedProgress<TFrom, TTo>(IProgress<TTo> target, Func<TFrom, TTo> map) : IProgress<TFrom>
{
    public void Report(TFrom value) => target.Report(map(value));
}
