using System.Collections.Immutable;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Metrics;

namespace Ciem.Storage;

/// <summary>
/// The store's contract, shared by the embedded SQLite store and the PostgreSQL one (<see cref="StoreLocation"/>
/// opens either). Imports are atomic: either every snapshot of a request is written or, on any failure, the store is
/// left as it was and the exception propagates. Writers run one at a time; each load sees one committed state, never
/// half an import. Storage failures are environment errors and throw.
/// </summary>
public interface ICiemStore : IDisposable, IReviewStore, IJobStore
{
    /// <summary>What opening the store did to its schema (migrations are applied on open).</summary>
    SchemaMigration Migration { get; }

    /// <summary>Whether the store holds nothing yet: no snapshot, directory, usage run, reduction or credential report.</summary>
    bool IsEmpty();

    /// <summary>
    /// Writes one snapshot per account, one for the organization and one for the resource policies (those that
    /// are present), in one transaction. A snapshot whose content equals the current one for its scope is not
    /// written again (<see cref="SnapshotOutcome.Unchanged"/>); a new one becomes current unless it was taken
    /// before the current one (<see cref="SnapshotOutcome.AddedAsHistory"/>).
    /// </summary>
    AwsImportSummary ImportAws(AwsImportRequest request);

    /// <summary>The current snapshot of every scope, and the latest version of every AWS-managed policy seen.</summary>
    AwsInventory LoadAwsInventory();

    /// <summary>
    /// Writes one Azure snapshot (kind <see cref="SnapshotKinds.AzureEstate"/>) for the request's scope — a tenant,
    /// or the set of subscriptions it covers — in one transaction, with the same Unchanged / AddedAsHistory rules.
    /// </summary>
    SnapshotWrite ImportAzure(AzureImportRequest request);

    /// <summary>The current Azure snapshots of every scope, merged (scopes in ordinal order).</summary>
    AzureInventory LoadAzureInventory();

    /// <summary>Writes one GCP snapshot (kind <see cref="SnapshotKinds.GcpInventory"/>) for an organisation or project set.</summary>
    SnapshotWrite ImportGcp(GcpImportRequest request);

    /// <summary>The current GCP snapshots of every scope, merged (scopes in ordinal order).</summary>
    GcpInventory LoadGcpInventory();

    /// <summary>Every snapshot, current or not, oldest first.</summary>
    ImmutableArray<SnapshotInfo> ListSnapshots();

    /// <summary>
    /// Adds one ingestion run's rollups, attempts, unmapped events and files in one transaction; returns the run id.
    /// The check that no file of the request is already recorded (same provider and content hash) and the write are
    /// one atomic step: every backend checks inside the write transaction, holding the lock that serialises writers,
    /// so that two runs over the same files never both count them. When another run recorded one of the files first,
    /// nothing is written and <see cref="UsageAlreadyIngestedException"/> names those files; the caller selects its
    /// files again (they are now skipped) and re-reads.
    /// </summary>
    long IngestUsage(UsageIngestRequest request);

    /// <summary>Content hashes of every file already ingested for a provider.</summary>
    ImmutableHashSet<string> IngestedFileHashes(string provider);

    /// <summary>Whether this path with this size and modification time was ingested (a cheap check before hashing).</summary>
    bool IsFileIngested(string provider, string path, long size, DateTimeOffset lastWriteTimeUtc);

    /// <summary>
    /// The latest modification time recorded for <paramref name="path"/> among the provider's ingested files, null when
    /// none: a collector that pulls a log by time windows records each window under one path with the window's end as
    /// its time, so this is where its next window starts.
    /// </summary>
    DateTimeOffset? LatestIngestedTime(string provider, string path);

    /// <summary>Usage per (identity, action, resource) summed over the days in [from, to).</summary>
    ImmutableArray<UsageTotal> LoadUsage(string provider, DateOnly from, DateOnly to);

    /// <summary>
    /// Usage per (identity, person, action) summed over the days in [from, to): the person is the one the log names
    /// beside the identity (an Identity Center session name, a sign-in's UPN, a GCP delegation chain), empty when none.
    /// </summary>
    ImmutableArray<PersonUsageTotal> LoadUsageByPerson(string provider, DateOnly from, DateOnly to);

    /// <summary>What the stored usage covers in [from, to).</summary>
    UsageSpan LoadUsageSpan(string provider, DateOnly from, DateOnly to);

    /// <summary>The log streams seen per service and day in [from, to), entries summed over runs.</summary>
    ImmutableArray<LogCoverage> LoadLogCoverage(string provider, DateOnly from, DateOnly to);

    /// <summary>
    /// Writes each directory snapshot (one per source and tenant) in one transaction, with the same outcomes as
    /// <see cref="ImportAws"/>: identical content is <see cref="SnapshotOutcome.Unchanged"/>, an older one is history.
    /// </summary>
    ImmutableArray<SnapshotWrite> ImportDirectories(DirectoryImportRequest request);

    /// <summary>The current snapshot of every directory (source and tenant).</summary>
    ImmutableArray<DirectorySnapshot> LoadDirectories();

    /// <summary>
    /// Records delivered reductions in one transaction; one already recorded (same identity, channel, location and
    /// content) is not added again. Returns how many were added.
    /// </summary>
    int RecordReductions(IEnumerable<DeliveredReduction> reductions);

    /// <summary>Every recorded reduction, oldest delivery first.</summary>
    ImmutableArray<DeliveredReduction> LoadReductions();

    /// <summary>One past AWS account snapshot with the organization taken at or before it and the AWS-managed policies.</summary>
    AwsInventory LoadAwsInventoryAt(long accountSnapshotId);

    /// <summary>The Azure estate as it was at <paramref name="takenAt"/>: per scope, the latest snapshot taken no later, merged.</summary>
    AzureInventory LoadAzureInventoryAt(DateTimeOffset takenAt);

    /// <summary>The GCP inventory as it was at <paramref name="takenAt"/>: per scope, the latest snapshot taken no later, merged.</summary>
    GcpInventory LoadGcpInventoryAt(DateTimeOffset takenAt);

    // The gap metric and its alerts (`ciem metrics`, `ciem trend`, `ciem alerts`, `ciem evidence`)

    /// <summary>
    /// Writes one day's measurement in one transaction, replacing the one already recorded for that day (never adding
    /// to it); a day chosen as the baseline stays the baseline.
    /// </summary>
    void RecordMeasurement(Measurement measurement, DateTimeOffset recordedAt);

    /// <summary>The measurements of the days in [from, to] (every one when not given), oldest first.</summary>
    ImmutableArray<Measurement> LoadMeasurements(DateOnly? from = null, DateOnly? to = null);

    /// <summary>Makes the measurement of the day the only baseline; false (nothing changed) when that day has none.</summary>
    bool SetBaseline(DateOnly day);

    /// <summary>
    /// Applies one evaluation to the alert ledger in one transaction: opens the new alerts (history `fired`), marks the
    /// continuing ones as seen, resolves the cleared ones (history `resolved`). Returns the new alerts as recorded.
    /// </summary>
    ImmutableArray<AlertRecord> RecordAlerts(DateTimeOffset at, AlertReconciliation reconciliation);

    /// <summary>Adds a delivery attempt (`sent` or `send-failed` on a channel) to an alert's history.</summary>
    void RecordAlertDelivery(long alertId, DateTimeOffset at, string channel, bool delivered, string detail);

    /// <summary>Every alert with its history, the latest fired first.</summary>
    ImmutableArray<AlertRecord> LoadAlerts();
}

/// <param name="Snapshots">one per directory (source and tenant).</param>
/// <param name="ImportedAt">when the import runs (the host's clock).</param>
/// <param name="SourceFiles">the files read, recorded on each snapshot.</param>
/// <param name="Counts">the readers' counts, recorded on each snapshot.</param>
public sealed record DirectoryImportRequest(
    ImmutableArray<DirectorySnapshot> Snapshots,
    DateTimeOffset ImportedAt,
    ImmutableArray<string> SourceFiles,
    ImportCounts Counts);

/// <param name="Inventory">what to write; account snapshots and the organization carry their own taken-at time.</param>
/// <param name="ImportedAt">when the import runs (the host's clock).</param>
/// <param name="SourceFiles">the files the inventory was read from, recorded on each snapshot.</param>
/// <param name="Counts">the readers' counts, recorded on each snapshot.</param>
public sealed record AwsImportRequest(
    AwsInventory Inventory,
    DateTimeOffset ImportedAt,
    ImmutableArray<string> SourceFiles,
    ImportCounts Counts);

/// <param name="Inventory">what to write, as one snapshot.</param>
/// <param name="Scope">what the snapshot covers: a tenant id, or the sorted subscription ids joined with `,`.</param>
/// <param name="TakenAt">when the exports were taken.</param>
/// <param name="ImportedAt">when the import runs (the host's clock).</param>
public sealed record AzureImportRequest(
    AzureInventory Inventory,
    string Scope,
    DateTimeOffset TakenAt,
    DateTimeOffset ImportedAt,
    ImmutableArray<string> SourceFiles,
    ImportCounts Counts);

/// <param name="Scope">what the snapshot covers: `organizations/ID`, or the sorted project names joined with `,`.</param>
public sealed record GcpImportRequest(
    GcpInventory Inventory,
    string Scope,
    DateTimeOffset TakenAt,
    DateTimeOffset ImportedAt,
    ImmutableArray<string> SourceFiles,
    ImportCounts Counts);

public static class SnapshotKinds
{
    public const string AzureEstate = "azure-estate";
    public const string GcpInventory = "gcp-inventory";
    public const string Account = "account";
    public const string Organization = "organization";
    public const string ResourcePolicies = "resource-policies";
    public const string Directory = "directory";
}

public enum SnapshotOutcome
{
    Added,
    AddedAsHistory,
    Unchanged,
}

public sealed record SnapshotWrite(string Kind, string Scope, long SnapshotId, SnapshotOutcome Outcome);

public sealed record AwsImportSummary(ImmutableArray<SnapshotWrite> Snapshots);

public sealed record SnapshotInfo(
    long Id,
    string Provider,
    string Kind,
    string Scope,
    DateTimeOffset TakenAt,
    DateTimeOffset ImportedAt,
    ImmutableArray<string> SourceFiles,
    ImportCounts Counts,
    bool IsCurrent);

/// <summary>
/// Another run recorded some of a request's files between the caller's selection and its write: nothing was written.
/// </summary>
public sealed class UsageAlreadyIngestedException : Exception
{
    public UsageAlreadyIngestedException() : this([]) { }

    public UsageAlreadyIngestedException(string message) : base(message) => Paths = [];

    public UsageAlreadyIngestedException(string message, Exception inner) : base(message, inner) => Paths = [];

    public UsageAlreadyIngestedException(ImmutableArray<string> paths)
        : base($"{paths.Length} files were ingested by another run meanwhile: `{string.Join("`, `", paths.Take(5))}`") => Paths = paths;

    /// <summary>The request's files another run recorded first.</summary>
    public ImmutableArray<string> Paths { get; }
}

/// <summary>A store that cannot be used as named: each kind carries its stable code; messages never hold a password.</summary>
public abstract class StoreException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract string Code { get; }
}

/// <summary>The database was written by a newer version, or is not a ciem database (CIEM4001).</summary>
public sealed class StoreSchemaException(string message) : StoreException(message)
{
    public override string Code => DiagnosticCodes.StoreSchemaMismatch;
}
