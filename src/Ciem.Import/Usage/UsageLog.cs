using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Usage;

/// <summary>
/// One use of a permission seen in a cloud audit log: who (and the person behind them, or empty), what, on which
/// resource, when; <see cref="ErrorCode"/> is set for a failed or denied call, which counts as an attempt, not a use.
/// </summary>
public sealed record UsageEvent(string Identity, string Person, string Action, string Resource, DateTimeOffset Time, string? ErrorCode);

/// <summary>
/// A log stream seen for a service on a day: GCP `data_access` (or `activity`, `system_event`, `policy`) entries of
/// `storage.googleapis.com`; Azure `data` for data-plane operations of `Microsoft.Storage`. The gap analysis uses it to
/// tell *unused* (the log that would record the use was there) from *unknown* (it was not). See docs/gcp.md, docs/azure.md.
/// </summary>
public readonly record struct UsageCoverage(string Log, string Service, DateOnly Day);

/// <summary>
/// What a usage log reader found: the events plus counts of what it left out. <see cref="Records"/> counts every
/// record read; <see cref="NoIdentity"/> and <see cref="NoAction"/> are records that name no caller or no permission,
/// <see cref="InProgress"/> intermediate statuses (`Started`, `Accepted`) whose final record is counted instead,
/// <see cref="Unmapped"/> operations the catalog does not know (kept, under their own name), <see cref="Malformed"/>
/// records or lines that are not JSON objects or lack a time.
/// </summary>
public sealed record UsageLogResult(
    ImmutableArray<UsageEvent> Events,
    ImmutableArray<(string Path, long Records)> Files,
    long Records,
    long NoIdentity,
    long NoAction,
    long InProgress,
    ImmutableDictionary<string, long> Unmapped,
    long Malformed,
    ImmutableArray<Diagnostic> Diagnostics);

/// <summary>How one record of a usage log was classified.</summary>
public enum UsageRecordKind
{
    /// <summary>The record gave usage events (uses or failed attempts).</summary>
    Usage,
    /// <summary>The record names no caller.</summary>
    NoIdentity,
    /// <summary>The record names no operation or permission.</summary>
    NoAction,
    /// <summary>An intermediate status (`Started`, `Accepted`) whose final record is counted instead.</summary>
    InProgress,
}

/// <summary>What one record gave: its kind, its events, an operation the catalog does not know, and the log stream it shows present.</summary>
public sealed record UsageRecord(UsageRecordKind Kind, ImmutableArray<UsageEvent> Events, string? Unmapped, UsageCoverage? Coverage)
{
    public static readonly UsageRecord NoIdentity = new(UsageRecordKind.NoIdentity, [], null, null);
    public static readonly UsageRecord NoAction = new(UsageRecordKind.NoAction, [], null, null);
    public static readonly UsageRecord InProgress = new(UsageRecordKind.InProgress, [], null, null);
}

/// <summary>Progress so far: files finished of the total, bytes read from disk (compressed), records read.</summary>
public readonly record struct UsageReadProgress(int FilesDone, int FilesTotal, long Bytes, long Records);

/// <summary>Options of the streaming usage log readers.</summary>
public sealed record UsageReadOptions
{
    /// <summary>Files read at once; defaults to the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Hash each file's bytes (SHA-256) while reading it.</summary>
    public bool HashFiles { get; init; } = true;

    /// <summary>Diagnostics listed per file; more are counted in one summary diagnostic.</summary>
    public int MaxDiagnosticsPerFile { get; init; } = 20;

    /// <summary>Bad records kept aside (as text) per file.</summary>
    public int MaxQuarantinedPerFile { get; init; } = 5;
}

/// <summary>
/// One file's outcome: records read (parsed or not), malformed ones, whether the JSON ran to its end
/// (<see cref="Complete"/>), whether the file failed part-way or could not be opened (<see cref="Failed"/>: an I/O
/// error, a truncated or corrupt gzip stream; records before the damage were read), and its SHA-256 when hashed.
/// </summary>
public sealed record UsageFileResult(string Path, bool Compressed, long Records, long Malformed, bool Complete, bool Failed, long Size, string? Sha256);

/// <summary>
/// The outcome of a streaming read: per-file results in path order, the counts of <see cref="UsageLogResult"/>, the
/// log streams seen per service and day, located diagnostics and quarantined records (capped per file; counts exact).
/// </summary>
public sealed record UsageReadResult(
    ImmutableArray<UsageFileResult> Files,
    long Events,
    long NoIdentity,
    long NoAction,
    long InProgress,
    ImmutableDictionary<string, long> Unmapped,
    ImmutableDictionary<UsageCoverage, long> Coverage,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<QuarantinedRecord> Quarantine)
{
    /// <summary>Every record read, malformed ones included.</summary>
    public long Records => Files.Sum(f => f.Records);

    public long Malformed => Files.Sum(f => f.Malformed);

    /// <summary>Files that failed part-way or could not be opened.</summary>
    public int FilesFailed => Files.Count(f => f.Failed);
}
