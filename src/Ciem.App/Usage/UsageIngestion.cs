using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using Ciem.Core.Diagnostics;
using Ciem.Import.Usage;
using Ciem.Storage;

namespace Ciem.App.Usage;

/// <summary>The files a run reads (not yet ingested for the provider) and how many it left out.</summary>
public sealed record UsageIngestPlan(IReadOnlyList<(string Path, IngestedFile File)> Files, int Skipped, DiagnosticBag Diagnostics);

/// <summary>
/// What one ingestion run added. <see cref="NothingReadable"/>: files were selected and not one could be read — the
/// run failed, whatever it stored (hosts exit non-zero).
/// </summary>
public sealed record UsageIngestResult(IngestCounts Counts, long RunId, IReadOnlyList<Diagnostic> Diagnostics, TimeSpan Elapsed, int FilesFailed,
    bool NothingReadable = false);

/// <summary>
/// The one usage-ingestion pipeline, for every log kind (<see cref="UsageLog{TRollup}"/>) and every host: a file
/// already ingested for the provider (same path, size and time, or same content) is skipped, and so is a second copy
/// of the same content within one run, so re-running never double counts; everything a run adds is written in one
/// transaction, so a run stopped half-way leaves nothing behind. <see cref="Plan"/> then <see cref="Ingest"/>: a host
/// knows the number of files before reading starts (for its progress bar).
/// </summary>
public static class UsageIngestion
{
    /// <summary>
    /// The new files among what <paramref name="paths"/> name; null (with the diagnostics) when the paths name nothing
    /// readable — the store is then not opened.
    /// </summary>
    public static UsageIngestPlan? Plan<TRollup>(CiemSession session, UsageLog<TRollup> log, IEnumerable<string> paths, out IReadOnlyList<Diagnostic> problems)
        where TRollup : class
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(log);
        var diagnostics = new DiagnosticBag();
        var candidates = log.EnumerateFiles(paths, diagnostics);
        problems = diagnostics;
        if (candidates.Count == 0 && diagnostics.HasErrors) { return null; }
        var (files, skipped) = SelectNew(session.Store, log.Provider, candidates, log.IsIgnored);
        return new UsageIngestPlan(files, skipped, diagnostics);
    }

    /// <summary>
    /// <see cref="Plan"/> then <see cref="Ingest"/>, the one call of `ciem import cloudtrail|azure-activity|gcp-audit`:
    /// null (with <paramref name="problems"/>) when the paths name nothing readable. <paramref name="progress"/> is told
    /// the number of files before reading starts.
    /// </summary>
    public static UsageIngestResult? Run<TRollup>(CiemSession session, UsageLog<TRollup> log, IEnumerable<string> paths, DateTimeOffset now,
        out IReadOnlyList<Diagnostic> problems, IProgress<UsageReadProgress>? progress = null)
        where TRollup : class
    {
        var plan = Plan(session, log, paths, out problems);
        if (plan is null) { return null; }
        progress?.Report(new UsageReadProgress(0, plan.Files.Count, 0, 0));
        return Ingest(session, log, plan, now, progress);
    }

    /// <summary>
    /// Reads the planned files, rolls them up and stores them in one transaction. A file that ended early (truncated,
    /// broken JSON or gzip, unreadable) is neither stored nor recorded as ingested: a log still being written, or copied
    /// in part, is read whole once it is complete (it then has a new hash), and its first records are not counted twice.
    /// The complete files of such a run are read again without it, which costs a second read only when a file broke.
    /// </summary>
    public static UsageIngestResult Ingest<TRollup>(CiemSession session, UsageLog<TRollup> log, UsageIngestPlan plan, DateTimeOffset now,
        IProgress<UsageReadProgress>? progress = null)
        where TRollup : class
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(plan);
        var watch = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            var read = log.Read([.. plan.Files.Select(f => f.Path)], plan.Skipped, progress);
            var complete = plan.Files.Where(f => !read.IncompleteFiles.Contains(f.Path)).ToList();
            var batch = complete.Count == plan.Files.Count ? read
                : log.Read([.. complete.Select(f => f.Path)], plan.Skipped);
            var ingested = complete.Select(f => f.File with { Events = batch.RecordsByFile.GetValueOrDefault(f.Path) }).ToImmutableArray();
            long runId;
            try
            {
                runId = Save(session.Store, log.Provider, batch, ingested, now);
            }
            catch (UsageAlreadyIngestedException) when (attempt < MaxAttempts)
            {
                // Another run recorded some of these files between the plan and the write: nothing was written. Select
                // again (those files are skipped now) and read what is still new.
                var (files, skipped) = SelectNew(session.Store, log.Provider, plan.Files.Select(f => f.Path), log.IsIgnored);
                plan = plan with { Files = files, Skipped = plan.Skipped + skipped };
                continue;
            }
            session.Imported();
            var diagnostics = new List<Diagnostic>(plan.Diagnostics);
            diagnostics.AddRange(read.Diagnostics);
            var nothingReadable = plan.Files.Count > 0 && read.FilesFailed >= plan.Files.Count;
            // Bad records of the files left out (a cut last line) were seen in this run: they are counted as malformed once.
            var counts = batch.Counts with { Malformed = Math.Max(batch.Counts.Malformed, read.Counts.Malformed) };
            return new UsageIngestResult(counts, runId, diagnostics, watch.Elapsed, read.FilesFailed, nothingReadable);
        }
    }

    /// <summary>Reads of one run when other runs keep recording its files first.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Adds a batch (and the files it came from) to the store in one transaction; the run's id.</summary>
    public static long Save(ICiemStore store, string provider, UsageBatch batch, ImmutableArray<IngestedFile> files, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batch);
        return store.IngestUsage(new UsageIngestRequest(provider, now, batch.Usage, batch.Attempts, batch.Unmapped, files, batch.Counts, batch.Coverage));
    }

    /// <summary>The candidates not yet ingested for <paramref name="provider"/>, fingerprinted; duplicates within the run left out.</summary>
    public static (IReadOnlyList<(string Path, IngestedFile File)> Files, int Skipped) SelectNew(ICiemStore store, string provider, IEnumerable<string> candidates,
        Func<string, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(candidates);
        var known = store.IngestedFileHashes(provider);
        var thisRun = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<(string Path, IngestedFile File)>();
        var skipped = 0;
        foreach (var path in candidates)
        {
            var info = new FileInfo(path);
            var full = info.FullName;
            if ((skip?.Invoke(path) ?? false) || store.IsFileIngested(provider, full, info.Length, info.LastWriteTimeUtc))
            {
                skipped++;
                continue;
            }
            var sha = Sha256(path);
            if (known.Contains(sha) || !thisRun.Add(sha))
            {
                skipped++;
                continue;
            }
            files.Add((path, new IngestedFile(full, sha, info.Length, info.LastWriteTimeUtc, 0)));
        }
        return (files, skipped);
    }

    /// <summary>Daily rollups of <paramref name="events"/>, in primary-key order.</summary>
    public static (ImmutableArray<UsageRow> Usage, ImmutableArray<AttemptRow> Attempts) Roll(IEnumerable<UsageEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var rollup = new UsageDayRollup();
        foreach (var e in events) { rollup.Add(e); }
        return Rows(rollup);
    }

    /// <summary>
    /// The rows of a rollup: uses summed per identity, person, action, resource and day; failures likewise, per error
    /// code; both in primary-key order.
    /// </summary>
    public static (ImmutableArray<UsageRow> Usage, ImmutableArray<AttemptRow> Attempts) Rows(UsageDayRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return Ordered(
            rollup.Usage.Select(kv => new UsageRow(kv.Key.Identity, kv.Key.Person, kv.Key.Action, kv.Key.Resource, kv.Key.Day, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen)),
            rollup.Attempts.Select(kv => new AttemptRow(kv.Key.Usage.Identity, kv.Key.Usage.Person, kv.Key.Usage.Action, kv.Key.Usage.Resource, kv.Key.Usage.Day,
                kv.Key.ErrorCode, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen)));
    }

    /// <summary>Rows in primary-key order: SQLite then appends to its B-tree instead of inserting at random places.</summary>
    public static (ImmutableArray<UsageRow> Usage, ImmutableArray<AttemptRow> Attempts) Ordered(IEnumerable<UsageRow> usage, IEnumerable<AttemptRow> attempts) =>
        ([.. usage.OrderBy(u => u.Day).ThenBy(u => u.Identity, StringComparer.Ordinal).ThenBy(u => u.Action, StringComparer.Ordinal)
            .ThenBy(u => u.Resource, StringComparer.Ordinal).ThenBy(u => u.Person, StringComparer.Ordinal)],
         [.. attempts.OrderBy(a => a.Day).ThenBy(a => a.Identity, StringComparer.Ordinal).ThenBy(a => a.Action, StringComparer.Ordinal)
            .ThenBy(a => a.Resource, StringComparer.Ordinal).ThenBy(a => a.Person, StringComparer.Ordinal).ThenBy(a => a.ErrorCode, StringComparer.Ordinal)]);

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
