using System.Collections.Immutable;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.App.Reports;

/// <summary>
/// The JSON documents of the imports (`import-aws`, `import-cloud`, `import-directory`, `import-cloudtrail`,
/// `usage-import` in docs/schemas), for every host that reports an import; the host wraps them in the envelope.
/// </summary>
public static class ImportJson
{
    /// <summary>
    /// A snapshot import: the readers' counts, the snapshots written and the diagnostics, with what each kind of record
    /// counted when <paramref name="contents"/> is given (Azure, GCP).
    /// </summary>
    public static object Snapshots(string store, ImportCounts counts, IEnumerable<SnapshotWrite> writes, ImmutableArray<Diagnostic> diagnostics,
        ImmutableArray<(string What, int Count)>? contents = null)
    {
        var snapshots = writes.Select(s => new { kind = s.Kind, scope = s.Scope, id = s.SnapshotId, outcome = s.Outcome.ToString() });
        var problems = diagnostics.Select(d => new
        {
            severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message, location = d.Location?.ToString(),
        });
        return contents is { } c
            ? new
            {
                store, imported = counts.Imported, skipped = counts.Skipped, quarantined = counts.Quarantined, snapshots,
                contents = c.ToDictionary(x => x.What, x => x.Count), diagnostics = problems,
            }
            : new { store, imported = counts.Imported, skipped = counts.Skipped, quarantined = counts.Quarantined, snapshots, diagnostics = problems };
    }

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
            seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
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
            seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
            diagnostics = result.Diagnostics.Select(d => d.ToString()),
        };
    }
}
