using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.App.Reports;

/// <summary>
/// The JSON documents of the imports (`import-aws`, `import-cloud`, `import-directory`, `import-cloudtrail`,
/// `usage-import` in docs/schemas), for every host that reports an import; the host wraps them in the envelope. The
/// parts every import and collection reports (counts and snapshots written, time taken, located diagnostics) are here
/// for the collectors' documents too (`Ciem.Collect.CollectJson`).
/// </summary>
public static class ImportJson
{
    /// <summary>
    /// A snapshot import: the readers' counts, the snapshots written and the diagnostics, with what each kind of record
    /// counted when <paramref name="contents"/> is given (Azure, GCP).
    /// </summary>
    public static JsonObject Snapshots(string store, ImportCounts counts, IEnumerable<SnapshotWrite> writes,
        ImmutableArray<Diagnostic> diagnostics, ImmutableArray<(string What, int Count)>? contents = null) =>
        ReportJson.Join(
            new { store },
            Written(counts, writes),
            contents is { } c ? new { contents = c.ToDictionary(x => x.What, x => x.Count) } : null,
            new { diagnostics = Located(diagnostics) });

    /// <summary>`imported`, `skipped`, `quarantined` and the `snapshots` written (null when none was to be written).</summary>
    public static object Written(ImportCounts counts, IEnumerable<SnapshotWrite>? writes) => new
    {
        imported = counts.Imported,
        skipped = counts.Skipped,
        quarantined = counts.Quarantined,
        snapshots = writes?.Select(Snapshot),
    };

    /// <summary>One snapshot written: its kind, scope, id and whether it was added, added as history or unchanged.</summary>
    public static object Snapshot(SnapshotWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new { kind = write.Kind, scope = write.Scope, id = write.SnapshotId, outcome = write.Outcome.ToString() };
    }

    /// <summary>Diagnostics with their severity, code, message and location (null when they have none).</summary>
    public static IEnumerable<object> Located(ImmutableArray<Diagnostic> diagnostics) => diagnostics.Select(d => new
    {
        severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message, location = d.Location?.ToString(),
    });

    /// <summary>The time a run took, in seconds to two decimals.</summary>
    public static double Seconds(TimeSpan elapsed) => Math.Round(elapsed.TotalSeconds, 2);

    /// <summary>A CloudTrail ingestion: files, events and what became of them.</summary>
    public static object CloudTrail(UsageIngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Counts;
        return new
        {
            run = result.RunId,
            files = c.Files,
            filesSkipped = c.FilesSkipped,
            events = c.Events,
            usageEvents = c.UsageEvents,
            attempts = c.Attempts,
            duplicates = c.Duplicates,
            noAction = c.NoAction,
            unmapped = c.Unmapped,
            malformed = c.Malformed,
            seconds = Seconds(result.Elapsed),
            diagnostics = result.Diagnostics.Select(d => d.ToString()),
        };
    }

    /// <summary>An Activity Log or Cloud Audit Logs ingestion, in the records' own words (in progress, no caller).</summary>
    public static object Usage(string provider, UsageIngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Counts;
        return new
        {
            provider,
            run = result.RunId,
            files = c.Files,
            filesSkipped = c.FilesSkipped,
            filesFailed = result.FilesFailed,
            records = c.Events,
            usageEvents = c.UsageEvents,
            attempts = c.Attempts,
            inProgress = c.Duplicates,
            noIdentityOrAction = c.NoAction,
            unmapped = c.Unmapped,
            malformed = c.Malformed,
            seconds = Seconds(result.Elapsed),
            diagnostics = result.Diagnostics.Select(d => d.ToString()),
        };
    }
}
