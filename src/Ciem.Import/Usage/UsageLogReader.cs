using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Usage;

/// <summary>
/// Turns one record of a usage log into a <see cref="UsageRecord"/>: one <see cref="JsonDocument"/> per record, parsed
/// from the bytes the stream reader framed; a record wrapped in `log` (Panther's test events) is unwrapped. A record
/// that cannot be used (not an object, no time) returns null with the reason, and is counted and located as malformed.
/// </summary>
internal abstract class UsageRecordParser : IJsonRecordParser<UsageRecord>
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };

    public UsageRecord? Parse(ReadOnlySpan<byte> json, out string? error) => ParsePrefix(json, out error, out _);

    public UsageRecord? ParsePrefix(ReadOnlySpan<byte> json, out string? error, out int consumed)
    {
        consumed = 0;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            consumed = (int)reader.BytesConsumed;
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"a record must be an object, not a json {root.ValueKind.ToString().ToLowerInvariant()}";
                return null;
            }
            return Interpret(root.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.Object ? log : root, out error);
        }
        catch (JsonException ex)
        {
            error = $"not valid json: {JsonRecordFormat.FirstLine(ex.Message)}";
            return null;
        }
        catch (InvalidOperationException)
        {
            // A string holding invalid UTF-8 or an escaped lone surrogate: .NET cannot make it a string.
            error = "a string of the record is not valid utf-8 or unicode";
            return null;
        }
    }

    /// <summary>Classifies one record object; null (with the reason) when it is malformed.</summary>
    protected abstract UsageRecord? Interpret(JsonElement record, out string? error);
}

/// <summary>
/// The streaming engine of the Azure Activity Log and GCP audit log readers — the CloudTrail mechanism
/// (<see cref="JsonRecordStreamReader{T}"/> over pooled buffers, gzip told by its magic bytes, files in parallel, SHA-256
/// while reading, located and capped diagnostics) with a record parser per source. Memory is bounded by the largest
/// record plus a read block per worker, whatever the file size.
/// </summary>
internal static class UsageLogReader
{
    public static UsageReadResult Read(IEnumerable<string> paths, JsonRecordFormat format, string unreadableCode, Func<UsageRecordParser> parserFactory,
        Action<UsageEvent> onEvent, UsageReadOptions? options, IProgress<UsageReadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onEvent);
        options ??= new UsageReadOptions();
        var files = paths.ToList();
        var results = new UsageFileResult[files.Count];
        var tallies = new Tally[files.Count];
        var problems = new FileProblems[files.Count];
        long bytes = 0, records = 0;
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken };
        Parallel.For(0, files.Count, parallel, parserFactory, (i, _, parser) =>
        {
            var tally = tallies[i] = new Tally();
            problems[i] = new FileProblems(files[i], options.MaxDiagnosticsPerFile, options.MaxQuarantinedPerFile, format.TooManyProblems);
            var read = JsonLogFile.Read<UsageRecord>(files[i], format, parser, record => tally.Add(record, onEvent), options.HashFiles, problems[i], unreadableCode, cancellationToken);
            var total = read.Records + read.Malformed;
            results[i] = new UsageFileResult(files[i], read.Compressed, total, read.Malformed, read.Complete, read.Failed, read.Size, read.Sha256);
            var all = Interlocked.Add(ref records, total);
            var size = Interlocked.Add(ref bytes, read.Size);
            progress?.Report(new UsageReadProgress(Interlocked.Increment(ref done), files.Count, size, all));
            return parser;
        }, _ => { });

        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var quarantine = ImmutableArray.CreateBuilder<QuarantinedRecord>();
        foreach (var p in problems)
        {
            p.Finish();
            diagnostics.AddRange(p.Diagnostics);
            quarantine.AddRange(p.Quarantined);
        }
        var unmapped = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var coverage = new Dictionary<UsageCoverage, long>();
        foreach (var t in tallies)
        {
            foreach (var (name, count) in t.Unmapped) { unmapped[name] = unmapped.GetValueOrDefault(name) + count; }
            foreach (var (c, count) in t.Coverage) { coverage[c] = coverage.GetValueOrDefault(c) + count; }
        }
        return new UsageReadResult([.. results], tallies.Sum(t => t.Events), tallies.Sum(t => t.NoIdentity), tallies.Sum(t => t.NoAction), tallies.Sum(t => t.InProgress),
            unmapped.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase), coverage.ToImmutableDictionary(), diagnostics.ToImmutable(), quarantine.ToImmutable());
    }

    /// <summary>
    /// Reads into memory, one file at a time so that events keep file and record order: for small inputs and tests; the
    /// ingest command streams instead.
    /// </summary>
    public static UsageLogResult ReadAll(IEnumerable<string> paths, JsonRecordFormat format, string unreadableCode, Func<UsageRecordParser> parserFactory)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var events = ImmutableArray.CreateBuilder<UsageEvent>();
        var result = Read(paths, format, unreadableCode, parserFactory, events.Add, new UsageReadOptions { MaxParallelism = 1, HashFiles = false }, null, CancellationToken.None);
        return new UsageLogResult(events.ToImmutable(), [.. result.Files.Select(f => (f.Path, f.Records))], result.Records, result.NoIdentity, result.NoAction,
            result.InProgress, result.Unmapped, result.Malformed, result.Diagnostics);
    }

    /// <summary>One file's counts, filled by the one thread reading it.</summary>
    private sealed class Tally
    {
        public long Events;
        public long NoIdentity;
        public long NoAction;
        public long InProgress;
        public readonly Dictionary<string, long> Unmapped = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<UsageCoverage, long> Coverage = [];

        public void Add(UsageRecord record, Action<UsageEvent> onEvent)
        {
            switch (record.Kind)
            {
                case UsageRecordKind.NoIdentity: NoIdentity++; break;
                case UsageRecordKind.NoAction: NoAction++; break;
                case UsageRecordKind.InProgress: InProgress++; break;
                default:
                    foreach (var e in record.Events)
                    {
                        Events++;
                        onEvent(e);
                    }
                    break;
            }
            if (record.Unmapped is { } name) { Unmapped[name] = Unmapped.GetValueOrDefault(name) + 1; }
            if (record.Coverage is { } c) { Coverage[c] = Coverage.GetValueOrDefault(c) + 1; }
        }
    }
}
