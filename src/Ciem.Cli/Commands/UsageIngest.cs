using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using Ciem.Import.Usage;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// What every usage import shares: a file already ingested for the provider (same path, size and time, or same
/// content) is skipped, and so is a second copy of the same content within one run, so re-running never double counts;
/// everything a run adds is written in one transaction, so a run stopped half-way leaves nothing behind.
/// </summary>
public static class UsageIngest
{
    public sealed record Selection(IReadOnlyList<(string Path, IngestedFile File)> Files, int Skipped);

    public static Selection SelectNew(ICiemStore store, string provider, IEnumerable<string> candidates, Func<string, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(store);
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
        return new Selection(files, skipped);
    }

    /// <summary>
    /// Daily rollups, in primary-key order (SQLite then appends to its B-tree instead of inserting at random places):
    /// uses summed per identity, person, action, resource and day; failures likewise, per error code.
    /// </summary>
    public static (ImmutableArray<UsageRow> Usage, ImmutableArray<AttemptRow> Attempts) Roll(IEnumerable<UsageEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var rollup = new UsageDayRollup();
        foreach (var e in events) { rollup.Add(e); }
        return Rows(rollup);
    }

    /// <summary>The rows of a rollup, usage in primary-key order.</summary>
    public static (ImmutableArray<UsageRow> Usage, ImmutableArray<AttemptRow> Attempts) Rows(UsageDayRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var usage = rollup.Usage.Select(kv => new UsageRow(kv.Key.Identity, kv.Key.Person, kv.Key.Action, kv.Key.Resource, kv.Key.Day, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen))
            .OrderBy(u => u.Day).ThenBy(u => u.Identity, StringComparer.Ordinal).ThenBy(u => u.Action, StringComparer.Ordinal)
            .ThenBy(u => u.Resource, StringComparer.Ordinal).ThenBy(u => u.Person, StringComparer.Ordinal).ToImmutableArray();
        var attempts = rollup.Attempts.Select(kv => new AttemptRow(kv.Key.Usage.Identity, kv.Key.Usage.Person, kv.Key.Usage.Action, kv.Key.Usage.Resource, kv.Key.Usage.Day,
                kv.Key.ErrorCode, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen))
            .OrderBy(a => a.Day).ThenBy(a => a.Identity, StringComparer.Ordinal).ThenBy(a => a.Action, StringComparer.Ordinal)
            .ThenBy(a => a.Resource, StringComparer.Ordinal).ThenBy(a => a.Person, StringComparer.Ordinal).ThenBy(a => a.ErrorCode, StringComparer.Ordinal).ToImmutableArray();
        return (usage, attempts);
    }

    private static readonly string[] LogExtensions = [".json", ".jsonl", ".ndjson", ".log", ".gz"];

    /// <summary>
    /// The files a path names: itself, or the `.json`, `.jsonl`, `.ndjson`, `.log` and `.gz` files under a folder (hidden
    /// ones left out) in ordinal order — which takes in the Azure storage-export tree
    /// (`resourceId=/SUBSCRIPTIONS/…/y=2026/m=11/d=28/h=08/m=00/PT1H.json`) and GCS sink folders
    /// (`cloudaudit.googleapis.com/activity/2026/11/28/08:00:00_08:59:59_S0.json`).
    /// </summary>
    public static IReadOnlyList<string> EnumerateFiles(IEnumerable<string> paths, Core.Diagnostics.DiagnosticBag diagnostics, string code)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(diagnostics);
        return Ciem.Import.InputFiles.Expand(paths, f => LogExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)), diagnostics, code);
    }

    /// <summary>A streaming reader: every file, each event to the callback (from several threads), progress as files finish.</summary>
    public delegate UsageReadResult StreamReader(IReadOnlyList<string> files, Action<UsageEvent> onEvent, IProgress<UsageReadProgress>? progress);

    public sealed record Result(IngestCounts Counts, long RunId, IReadOnlyList<Core.Diagnostics.Diagnostic> Diagnostics, TimeSpan Elapsed, int FilesFailed);

    /// <summary>
    /// `ciem import azure-activity|gcp-audit PATH…`: selects the files not yet ingested, streams them through
    /// <paramref name="read"/>, rolls the events up per day and adds them to the store in one transaction.
    /// </summary>
    public static int Run(CliHost host, string provider, string source, string badCode, string[] paths, string? db, string format, StreamReader read)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(read);
        var result = Ingest(host, provider, source, badCode, paths, db, read, quiet: format == "json");
        if (result is null) { return ExitCodes.InvalidInput; }
        var c = result.Counts;
        if (format == "json")
        {
            host.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
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
            }, CliJson.Options));
            return NothingReadable(result) ? ExitCodes.Failure : ExitCodes.Ok;
        }
        var table = new Table().AddColumns("files read", "skipped (already ingested)", "records", "usage", "failed attempts", "in progress", "no caller or permission", "unmapped", "malformed");
        table.AddRow(N(c.Files), N(c.FilesSkipped), N(c.Events), N(c.UsageEvents), N(c.Attempts), N(c.Duplicates), N(c.NoAction), N(c.Unmapped), N(c.Malformed));
        host.Console.Write(table);
        var rate = result.Elapsed.TotalSeconds > 0 ? c.Events / result.Elapsed.TotalSeconds : 0;
        host.Console.WriteLine($"ingested in {result.Elapsed.TotalSeconds:0.0} s ({rate:N0} records/s); store: {StoreAccess.PathFor(host, db)}");
        if (result.Diagnostics.Count > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        return NothingReadable(result) ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>Files were selected and not one could be read: the run failed, whatever it stored.</summary>
    private static bool NothingReadable(Result result) => result.FilesFailed > 0 && result.FilesFailed >= result.Counts.Files;

    /// <summary>
    /// Reads, rolls up (one rollup per worker thread, merged) and stores in one transaction; null when the paths name
    /// nothing readable. A file that broke part-way is recorded as ingested with the records before the damage: reading
    /// it again would count them twice.
    /// </summary>
    /// <summary>Runs of one ingestion, when other runs keep recording its files first.</summary>
    public const int MaxAttempts = 5;

    public static Result? Ingest(CliHost host, string provider, string source, string badCode, string[] paths, string? db, StreamReader read, bool quiet = true,
        int attempt = 0)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(read);
        var watch = Stopwatch.StartNew();
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var candidates = EnumerateFiles(paths, diagnostics, badCode);
        if (candidates.Count == 0 && diagnostics.HasErrors)
        {
            StoreAccess.WriteDiagnostics(host, diagnostics);
            return null;
        }
        using var store = StoreAccess.Open(host, db);
        var (files, skipped) = SelectNew(store, provider, candidates);
        var rollups = new ConcurrentBag<UsageDayRollup>();
        using var local = new ThreadLocal<UsageDayRollup>(() =>
        {
            var r = new UsageDayRollup();
            rollups.Add(r);
            return r;
        });
        var log = WithProgress(host, !quiet && files.Count > 0, $"reading {source}", files.Count,
            progress => read([.. files.Select(f => f.Path)], e => local.Value!.Add(e), progress));
        diagnostics.AddRange(log.Diagnostics);
        var rollup = new UsageDayRollup();
        foreach (var r in rollups) { rollup.Merge(r); }
        var (usage, attempts) = Rows(rollup);
        var recordsByFile = log.Files.ToDictionary(f => f.Path, f => f.Records, StringComparer.Ordinal);
        var ingested = files.Select(f => f.File with { Events = recordsByFile.GetValueOrDefault(f.Path) }).ToImmutableArray();
        var counts = new IngestCounts(files.Count, skipped, log.Records, usage.Sum(u => u.Count), attempts.Sum(a => a.Count),
            log.InProgress, log.NoIdentity + log.NoAction, log.Unmapped.Values.Sum(), log.Malformed);
        var unmapped = log.Unmapped.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (source, kv.Key, kv.Value)).ToImmutableArray();
        var coverage = log.Coverage.Select(kv => new LogCoverage(kv.Key.Log, kv.Key.Service, kv.Key.Day, kv.Value)).ToImmutableArray();
        long runId;
        try
        {
            runId = store.IngestUsage(new UsageIngestRequest(provider, host.Clock.GetUtcNow(), usage, attempts, unmapped, ingested, counts, coverage));
        }
        catch (UsageAlreadyIngestedException) when (attempt < MaxAttempts)
        {
            // Another run recorded some of these files first: select again (they are skipped now) and re-read.
            store.Dispose();
            return Ingest(host, provider, source, badCode, paths, db, read, quiet, attempt + 1);
        }
        return new Result(counts, runId, diagnostics, watch.Elapsed, log.FilesFailed);
    }

    /// <summary>
    /// Runs <paramref name="read"/> under a progress bar on an interactive terminal (files done, records and records/s),
    /// plainly otherwise; the callback it is given reports (files done, records so far).
    /// </summary>
    public static T WithProgress<T>(CliHost host, bool show, string what, int files, Func<IProgress<UsageReadProgress>?, T> read)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(read);
        if (!show || !host.Interactive) { return read(null); }
        var watch = Stopwatch.StartNew();
        T result = default!;
        host.Console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(ctx =>
        {
            var task = ctx.AddTask(what, maxValue: files);
            var progress = new Progress<UsageReadProgress>(p =>
            {
                task.Value = p.FilesDone;
                var seconds = Math.Max(0.001, watch.Elapsed.TotalSeconds);
                task.Description = $"{what}: {p.Records:N0} records ({p.Records / seconds:N0}/s)";
            });
            result = read(progress);
        });
        return result;
    }

    private static string N(long v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
