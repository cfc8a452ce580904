using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Collect.Aws;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Collect.Usage;

/// <summary>How a log collector chooses its time windows and how much it reads at once.</summary>
public sealed record LogPullOptions
{
    /// <summary>Where a stream never collected before starts (default: <see cref="FirstWindow"/> before the end).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>How far back a first collection reaches without <see cref="Since"/>: the Activity Log keeps 90 days.</summary>
    public TimeSpan FirstWindow { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long before now a window ends: the logs deliver entries late, and a window once read is never read again,
    /// so it ends when what it holds has arrived.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(30);

    public int Parallelism { get; init; } = 4;

    public bool DryRun { get; init; }
}

/// <summary>One log stream of a run: read from when to when (and how much), not read (why), or planned in a dry run.</summary>
public sealed record LogStreamCoverage(
    string Id, AccountStatus Status, string? Reason, DateTimeOffset? From, DateTimeOffset To, int Pages, long Records);

/// <summary>What one log collection read and ingested.</summary>
/// <param name="RunId">the ingestion run that recorded it; null when nothing was written (a dry run, or every stream failed).</param>
public sealed record LogCollectResult(
    string Provider,
    ImmutableArray<LogStreamCoverage> Streams,
    IngestCounts? Counts,
    long? RunId,
    ImmutableArray<Diagnostic> Diagnostics,
    int Calls,
    TimeSpan Elapsed,
    ImmutableArray<string> Plan)
{
    public bool DryRun => !Plan.IsDefaultOrEmpty;

    public IEnumerable<LogStreamCoverage> NotRead => Streams.Where(s => s.Status == AccountStatus.NotRead);
}

/// <summary>
/// One log stream to pull: <see cref="Key"/> names it in the store's ingested files (the window's end is recorded as
/// its time, so the next run starts there); <see cref="Fetch"/> hands every page of the entries in [from, to) to the
/// page sink, in the shape the file import reads (`{"value": […]}`, `{"entries": […]}`).
/// </summary>
internal sealed record LogStream(
    string Id, string Key, Func<DateTimeOffset, DateTimeOffset, Func<RestPage, Task>, CancellationToken, Task> Fetch);

/// <summary>
/// Pulls log streams by time window into the one usage-ingestion pipeline the file imports use
/// (<see cref="StreamedUsageLog"/>, <see cref="UsageIngestion.Save"/>), so the rollups are the same as for exported
/// files. Each stream's window runs from its cursor (the end of the last window stored) to now less the settle time;
/// its pages go to owner-only temporary files as they arrive (a long window is never held in memory) and are read
/// by the file import's streaming reader. Everything the run read, with each stream's new cursor, is written in one
/// transaction: a run that fails writes nothing, and re-running never counts an entry twice. Two runs that start a
/// stream at the same cursor cannot both store it: the window is fingerprinted by stream and start, and the store
/// refuses a fingerprint it already holds.
/// </summary>
public static class LogPull
{
    internal static async Task<LogCollectResult> RunAsync(CiemSession session, StreamedUsageLog log, IReadOnlyList<LogStream> streams,
        LogPullOptions options,
        DateTimeOffset now, Func<int> calls, IProgress<CollectProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var provider = log.Provider.Name;
        var to = WindowEnd(now, options);
        var windows = streams.ToDictionary(s => s.Id,
            s => (From: session.Store.LatestIngestedTime(provider, s.Key) ?? Start(to, options), To: to),
            StringComparer.Ordinal);
        var folder = Directory.CreateTempSubdirectory("ciem-collect-log-");
        try
        {
            var pages = new ConcurrentDictionary<string, List<(string Path, long Size)>>(StringComparer.Ordinal);
            var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var done = 0;
            using var gate = new SemaphoreSlim(options.Parallelism);
            await Task.WhenAll(streams.Select(async (stream, index) =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                var files = new List<(string Path, long Size)>();
                try
                {
                    var (from, end) = windows[stream.Id];
                    if (from < end)
                    {
                        await stream.Fetch(from, end, async page =>
                        {
                            var path = Path.Combine(folder.FullName, $"{index:D5}-{files.Count:D7}.json");
                            using (var output = OwnerOnly.Open(path))
                            {
                                await output.WriteAsync(page.Body, cancellationToken).ConfigureAwait(false);
                            }
                            files.Add((path, page.Body.LongLength));
                        }, cancellationToken).ConfigureAwait(false);
                    }
                    pages[stream.Id] = files;
                }
                catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
                {
                    failed[stream.Id] = ex.Message;
                }
                finally
                {
                    gate.Release();
                    progress?.Report(new CollectProgress("reading logs", Interlocked.Increment(ref done), streams.Count));
                }
            })).ConfigureAwait(false);

            var diagnostics = new List<Diagnostic>();
            if (failed.Count == streams.Count && streams.Count > 0)
            {
                throw new CollectException(DiagnosticCodes.CollectCallFailed,
                    $"no log could be read, so the store was not changed: {Reasons(streams, failed)}");
            }

            progress?.Report(new CollectProgress("ingesting usage", 0, 0));
            UsageBatch? batch = null;
            long? runId = null;
            var stored = false;
            for (var attempt = 0; attempt < UsageIngestion.MaxAttempts && !stored; attempt++)
            {
                // A stream already up to date (its window is empty) records nothing: its cursor stays where it is.
                var kept = streams.Where(s => pages.ContainsKey(s.Id) && !failed.ContainsKey(s.Id) && windows[s.Id].From < to).ToList();
                batch = log.Read([.. kept.SelectMany(s => pages[s.Id]).Select(p => p.Path)], 0);
                if (kept.Count == 0)
                {
                    stored = true;
                    break;
                }
                var broken = kept.Where(s => pages[s.Id].Any(p => batch.IncompleteFiles.Contains(p.Path))).ToList();
                if (broken.Count > 0)
                {
                    // A page the reader could not read whole: that stream's window is left for the next run, never half counted.
                    foreach (var s in broken)
                    {
                        failed[s.Id] = "a page of its answer could not be read whole (see the diagnostics); " +
                            "the window is read again next run";
                    }
                    diagnostics.AddRange(batch.Diagnostics);
                    continue;
                }
                var files = kept.Select(s => Recorded(s, windows[s.Id], pages[s.Id], batch)).ToImmutableArray();
                try
                {
                    runId = UsageIngestion.Save(session.Store, provider, batch, files, now);
                    session.Imported();
                    stored = true;
                }
                catch (UsageAlreadyIngestedException ex)
                {
                    foreach (var s in kept.Where(s => ex.Paths.Contains(s.Key)))
                    {
                        failed[s.Id] = "another run stored this window first; nothing of it was written by this run";
                        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectLogWindowTaken,
                            $"the window of `{s.Id}` from {Time(windows[s.Id].From)} was stored by another run at the same time; " +
                            "this run left it"));
                    }
                }
            }
            if (!stored || failed.Count == streams.Count)
            {
                foreach (var s in streams.Where(s => !failed.ContainsKey(s.Id)))
                {
                    failed[s.Id] = "other runs kept storing first; nothing of it was written by this run";
                }
                throw new CollectException(DiagnosticCodes.CollectCallFailed,
                    $"no log could be stored, so the store was not changed: {Reasons(streams, failed)}");
            }
            foreach (var s in streams.Where(s => failed.ContainsKey(s.Id)))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectLogStreamNotRead,
                    $"`{s.Id}` was not read ({failed[s.Id]}); it is read from {Time(windows[s.Id].From)} next run"));
            }
            var coverage = streams.Select(s => failed.TryGetValue(s.Id, out var why)
                ? new LogStreamCoverage(s.Id, AccountStatus.NotRead, why, windows[s.Id].From, to, 0, 0)
                : new LogStreamCoverage(s.Id, AccountStatus.Read, null, windows[s.Id].From, to, pages[s.Id].Count,
                    pages[s.Id].Sum(p => batch!.RecordsByFile.GetValueOrDefault(p.Path)))).ToImmutableArray();
            return new LogCollectResult(provider, coverage, runId is null ? null : batch!.Counts, runId,
                [.. batch!.Diagnostics, .. diagnostics], calls(), watch.Elapsed, []);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The plan of a dry run: each stream with the window it would read (from its cursor, which a dry run does not look
    /// up).</summary>
    internal static LogCollectResult Plan(string provider, IReadOnlyList<LogStream> streams, LogPullOptions options, DateTimeOffset now,
        int calls,
        IEnumerable<string> plan)
    {
        var to = WindowEnd(now, options);
        var planned = streams.Select(s => new LogStreamCoverage(s.Id, AccountStatus.Planned, null, null, to, 0, 0));
        return new LogCollectResult(provider, [.. planned],
            null, null, [], calls,
            TimeSpan.Zero, [.. plan, $"each from where the last collection stopped (else {Time(Start(to, options))}) to {Time(to)}"]);
    }

    /// <summary>The end of this run's windows: now less the settle time, to the millisecond the store keeps.</summary>
    private static DateTimeOffset WindowEnd(DateTimeOffset now, LogPullOptions options) =>
        DateTimeOffset.FromUnixTimeMilliseconds((now - options.Settle).ToUnixTimeMilliseconds());

    private static DateTimeOffset Start(DateTimeOffset to, LogPullOptions options) =>
        DateTimeOffset.FromUnixTimeMilliseconds((options.Since ?? to - options.FirstWindow).ToUnixTimeMilliseconds());

    /// <summary>A time as the logs' filters write it: UTC, seven fractional digits, `Z`.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Reasons(IReadOnlyList<LogStream> streams, IReadOnlyDictionary<string, string> failed) =>
        string.Join("; ", streams.Select(s => $"`{s.Id}`: {failed[s.Id]}"));

    /// <summary>
    /// The ingested-file record of a stream's window: its key as the path, the window's end as the time (the next
    /// cursor), and a fingerprint of the stream and the window's start, so that a window is stored once.
    /// </summary>
    private static IngestedFile Recorded(LogStream stream, (DateTimeOffset From, DateTimeOffset To) window,
        List<(string Path, long Size)> pages,
        UsageBatch batch)
    {
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{stream.Key}\n{Time(window.From)}")));
        return new IngestedFile(stream.Key, fingerprint, pages.Sum(p => p.Size), window.To,
            pages.Sum(p => batch.RecordsByFile.GetValueOrDefault(p.Path)));
    }
}
