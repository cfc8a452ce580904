using System.Collections.Immutable;

namespace Ciem.Storage;

/// <summary>One day of use of an action on a resource by an identity (and the person behind a shared role, or empty).</summary>
public sealed record UsageRow(string Identity, string Person, string Action, string Resource, DateOnly Day, long Count,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>Failed calls (denied or other errors), kept apart from usage.</summary>
public sealed record AttemptRow(string Identity, string Person, string Action, string Resource, DateOnly Day, string ErrorCode, long Count,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>A file ingested: its content hash identifies it, wherever it lies.</summary>
public sealed record IngestedFile(string Path, string Sha256, long Size, DateTimeOffset LastWriteTimeUtc, long Events);

/// <summary>The counts of one ingestion run.</summary>
public sealed record IngestCounts(int Files, int FilesSkipped, long Events, long UsageEvents, long Attempts, long Duplicates, long NoAction,
    long Unmapped, long Malformed);

/// <summary>
/// Entries of one log stream seen for a service on a day — GCP `data_access` entries of `storage.googleapis.com`,
/// Azure `data` (data-plane operations) of `Microsoft.Storage` — which tells *unused* from *unknown* (docs/gcp.md, docs/azure.md).
/// </summary>
public sealed record LogCoverage(string Log, string Service, DateOnly Day, long Entries);

/// <summary>
/// Everything one ingestion run adds, written in one transaction: rollup rows are added to what the store holds
/// (counts summed, first/last seen widened), files are recorded so that they are never ingested twice.
/// <see cref="Coverage"/> (default: none) adds the log streams seen per service and day.
/// </summary>
public sealed record UsageIngestRequest(
    string Provider,
    DateTimeOffset FinishedAt,
    ImmutableArray<UsageRow> Usage,
    ImmutableArray<AttemptRow> Attempts,
    ImmutableArray<(string Source, string Name, long Count)> Unmapped,
    ImmutableArray<IngestedFile> Files,
    IngestCounts Counts,
    ImmutableArray<LogCoverage> Coverage = default);

/// <summary>Usage of an action on a resource over a period, summed across days (and people).</summary>
public sealed record UsageTotal(string Identity, string Action, string Resource, long Count, DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

/// <summary>Usage of an action by an identity and the person the log names beside it, over a period (resources and days summed).</summary>
public sealed record PersonUsageTotal(string Identity, string Person, string Action, long Count, DateTimeOffset LastSeen);

/// <summary>What the stored usage covers in a period.</summary>
public sealed record UsageSpan(DateOnly? FirstDay, DateOnly? LastDay, int DaysWithEvents, long Events, int Identities,
    long DeniedAttempts, long Unmapped);
