using System.Collections.Immutable;
using System.Security.Cryptography;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// What every usage import shares: a file already ingested for the provider (same path, size and time, or same
/// content) is skipped, and so is a second copy of the same content within one run, so re-running never double counts.
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
    public static (ImmutableArray<UsageRow> Usage, ImmutableArray<AttemptRow> Attempts) Roll(IEnumerable<Import.Usage.UsageEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var list = events.ToList();
        var usage = list.Where(e => e.ErrorCode is null)
            .GroupBy(e => (e.Identity, e.Person, e.Action, e.Resource, Day: DateOnly.FromDateTime(e.Time.UtcDateTime)))
            .Select(g => new UsageRow(g.Key.Identity, g.Key.Person, g.Key.Action, g.Key.Resource, g.Key.Day, g.LongCount(), g.Min(e => e.Time), g.Max(e => e.Time)))
            .OrderBy(u => u.Day).ThenBy(u => u.Identity, StringComparer.Ordinal).ThenBy(u => u.Action, StringComparer.Ordinal)
            .ThenBy(u => u.Resource, StringComparer.Ordinal).ThenBy(u => u.Person, StringComparer.Ordinal).ToImmutableArray();
        var attempts = list.Where(e => e.ErrorCode is not null)
            .GroupBy(e => (e.Identity, e.Person, e.Action, e.Resource, Day: DateOnly.FromDateTime(e.Time.UtcDateTime), Code: e.ErrorCode!))
            .Select(g => new AttemptRow(g.Key.Identity, g.Key.Person, g.Key.Action, g.Key.Resource, g.Key.Day, g.Key.Code, g.LongCount(), g.Min(e => e.Time), g.Max(e => e.Time)))
            .ToImmutableArray();
        return (usage, attempts);
    }

    /// <summary>The files a path names: itself, or the `.json`, `.jsonl` and `.log` files under a folder.</summary>
    public static IReadOnlyList<string> EnumerateFiles(IEnumerable<string> paths, Core.Diagnostics.DiagnosticBag diagnostics, string code)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) { files.Add(path); }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".log", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else { diagnostics.Error(code, $"no such file or folder `{path}`", new Core.Diagnostics.SourceLocation(path)); }
        }
        return files;
    }

    public sealed record Result(IngestCounts Counts, long RunId, IReadOnlyList<Core.Diagnostics.Diagnostic> Diagnostics);

    /// <summary>
    /// `ciem import azure-activity|gcp-audit PATH…`: selects the files not yet ingested, reads them with
    /// <paramref name="read"/>, rolls the events up per day and adds them to the store in one transaction.
    /// </summary>
    public static int Run(CliHost host, string provider, string source, string badCode, string[] paths, string? db, string format,
        Func<IReadOnlyList<string>, Import.Usage.UsageLogResult> read)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(read);
        var result = Ingest(host, provider, source, badCode, paths, db, read);
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
                records = c.Events,
                usageEvents = c.UsageEvents,
                attempts = c.Attempts,
                inProgress = c.Duplicates,
                noIdentityOrAction = c.NoAction,
                unmapped = c.Unmapped,
                malformed = c.Malformed,
                diagnostics = result.Diagnostics.Select(d => d.ToString()),
            }, CliJson.Options));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("files read", "skipped (already ingested)", "records", "usage", "failed attempts", "in progress", "no caller or permission", "unmapped", "malformed");
        table.AddRow(N(c.Files), N(c.FilesSkipped), N(c.Events), N(c.UsageEvents), N(c.Attempts), N(c.Duplicates), N(c.NoAction), N(c.Unmapped), N(c.Malformed));
        host.Console.Write(table);
        host.Console.WriteLine($"store: {StoreAccess.PathFor(host, db)}");
        if (result.Diagnostics.Count > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        return ExitCodes.Ok;
    }

    /// <summary>Reads, rolls up and stores; null when the paths name nothing readable.</summary>
    public static Result? Ingest(CliHost host, string provider, string source, string badCode, string[] paths, string? db, Func<IReadOnlyList<string>, Import.Usage.UsageLogResult> read)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(read);
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var candidates = EnumerateFiles(paths, diagnostics, badCode);
        if (candidates.Count == 0 && diagnostics.HasErrors)
        {
            StoreAccess.WriteDiagnostics(host, diagnostics);
            return null;
        }
        using var store = StoreAccess.Open(host, db);
        var (files, skipped) = SelectNew(store, provider, candidates);
        var log = read([.. files.Select(f => f.Path)]);
        diagnostics.AddRange(log.Diagnostics);
        var (usage, attempts) = Roll(log.Events);
        var recordsByFile = log.Files.ToDictionary(f => f.Path, f => f.Records, StringComparer.Ordinal);
        var ingested = files.Select(f => f.File with { Events = recordsByFile.GetValueOrDefault(f.Path) }).ToImmutableArray();
        var counts = new IngestCounts(files.Count, skipped, log.Records, usage.Sum(u => u.Count), attempts.Sum(a => a.Count),
            log.InProgress, log.NoIdentity + log.NoAction, log.Unmapped.Values.Sum(), log.Malformed);
        var unmapped = log.Unmapped.Select(kv => (source, kv.Key, kv.Value)).ToImmutableArray();
        var runId = store.IngestUsage(new UsageIngestRequest(provider, host.Clock.GetUtcNow(), usage, attempts, unmapped, ingested, counts));
        return new Result(counts, runId, diagnostics);
    }

    private static string N(long v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
