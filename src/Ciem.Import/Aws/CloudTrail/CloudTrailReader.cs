using System.Collections.Immutable;
using System.IO.Compression;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Aws.CloudTrail;

/// <summary>How a file was laid out.</summary>
public enum CloudTrailFileFormat
{
    /// <summary>No JSON value at all.</summary>
    Empty,
    /// <summary><c>{"Records":[…]}</c>, as CloudTrail delivers to S3.</summary>
    RecordsObject,
    /// <summary>A bare JSON array of records.</summary>
    Array,
    /// <summary>One record per line (CloudTrail Lake and Athena exports, SIEM exports).</summary>
    JsonLines,
    /// <summary><c>aws cloudtrail lookup-events</c> output: <c>{"Events":[{…, "CloudTrailEvent":"…"}]}</c>.</summary>
    LookupEvents,
    /// <summary>A file holding one event object.</summary>
    SingleEvent,
    /// <summary>A CloudTrail digest file: skipped.</summary>
    Digest,
    /// <summary>The file could not be opened or read.</summary>
    Unreadable,
}

/// <summary>What a store needs to recognise a file it has already ingested: size, modification time and SHA-256 of the bytes as stored.</summary>
public sealed record CloudTrailFileFingerprint(long Size, DateTimeOffset LastWriteTimeUtc, string? Sha256);

/// <summary>One file's outcome. <see cref="Complete"/> is false when broken JSON ended it early.</summary>
public sealed record CloudTrailFileResult(
    string Path,
    CloudTrailFileFormat Format,
    bool Compressed,
    long Events,
    long Malformed,
    bool Complete,
    CloudTrailFileFingerprint? Fingerprint);

/// <summary>Progress so far: files finished of the total, bytes read from disk (compressed), events read.</summary>
public readonly record struct CloudTrailProgress(int FilesDone, int FilesTotal, long Bytes, long Events);

/// <summary>Options of <see cref="CloudTrailReader"/>.</summary>
public sealed record CloudTrailReadOptions
{
    /// <summary>Files read at once; defaults to the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Keep <c>requestParameters</c> as JSON text on each event (costs memory and time; off for counting only).</summary>
    public bool KeepRequestParameters { get; init; } = true;

    /// <summary>Hash each file's bytes for its fingerprint.</summary>
    public bool HashFiles { get; init; } = true;

    /// <summary>Diagnostics listed per file; more are counted in one summary diagnostic.</summary>
    public int MaxDiagnosticsPerFile { get; init; } = 20;

    /// <summary>Bad records kept aside (as text) per file.</summary>
    public int MaxQuarantinedPerFile { get; init; } = 5;
}

/// <summary>The outcome of a read: per-file results in path order, diagnostics, quarantined records and totals.</summary>
public sealed record CloudTrailReadResult(
    ImmutableArray<CloudTrailFileResult> Files,
    DiagnosticBag Diagnostics,
    ImmutableArray<QuarantinedRecord> Quarantine)
{
    public int FilesRead => Files.Count(f => f.Format is not (CloudTrailFileFormat.Digest or CloudTrailFileFormat.Unreadable));

    /// <summary>Digest files and files that could not be read.</summary>
    public int FilesSkipped => Files.Length - FilesRead;

    public long EventsRead => Files.Sum(f => f.Events);

    public long RecordsMalformed => Files.Sum(f => f.Malformed);
}

/// <summary>
/// Reads CloudTrail logs from files and folders: the S3 delivery layout (<c>AWSLogs/&lt;account&gt;/CloudTrail/…</c>
/// and organisation trails <c>AWSLogs/o-…/&lt;account&gt;/…</c>), gzip or plain, as <c>{"Records":[…]}</c>, bare arrays,
/// JSON Lines or <c>lookup-events</c> output (detected per file, see docs/cloudtrail.md). Digest files are skipped.
/// Files are read in parallel with bounded memory; <paramref name="onEvent"/> is called from several threads at once
/// and must be thread-safe. Bad input never throws: it is skipped, counted and reported with its location.
/// </summary>
public static class CloudTrailReader
{
    private static readonly string[] LogExtensions = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz"];

    public static CloudTrailReadResult Read(
        IEnumerable<string> paths,
        Action<CloudTrailEvent> onEvent,
        CloudTrailReadOptions? options = null,
        IProgress<CloudTrailProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onEvent);
        options ??= new CloudTrailReadOptions();
        var diagnostics = new DiagnosticBag();
        var files = EnumerateFiles(paths, diagnostics);
        var results = new CloudTrailFileResult[files.Count];
        var problems = new FileProblems[files.Count];
        long bytes = 0, events = 0;
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken };
        Parallel.For(0, files.Count, parallel,
            () => new CloudTrailRecordParser(options.KeepRequestParameters),
            (i, _, parser) =>
            {
                problems[i] = new FileProblems(files[i], options.MaxDiagnosticsPerFile, options.MaxQuarantinedPerFile, DiagnosticCodes.CloudTrailTooManyProblems);
                results[i] = ReadFile(files[i], parser, onEvent, options, problems[i], cancellationToken);
                var total = Interlocked.Add(ref events, results[i].Events);
                var read = Interlocked.Add(ref bytes, results[i].Fingerprint?.Size ?? 0);
                progress?.Report(new CloudTrailProgress(Interlocked.Increment(ref done), files.Count, read, total));
                return parser;
            },
            _ => { });
        var quarantine = ImmutableArray.CreateBuilder<QuarantinedRecord>();
        foreach (var p in problems)
        {
            p.Finish();
            diagnostics.AddRange(p.Diagnostics);
            quarantine.AddRange(p.Quarantined);
        }
        return new CloudTrailReadResult([.. results], diagnostics, quarantine.ToImmutable());
    }

    /// <summary>Reads one stream (plain or gzip, detected from its first bytes), e.g. an upload; <paramref name="name"/> locates diagnostics.</summary>
    public static CloudTrailReadResult ReadStream(Stream stream, string name, Action<CloudTrailEvent> onEvent, CloudTrailReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(onEvent);
        options ??= new CloudTrailReadOptions();
        var problems = new FileProblems(name, options.MaxDiagnosticsPerFile, options.MaxQuarantinedPerFile, DiagnosticCodes.CloudTrailTooManyProblems);
        var parser = new CloudTrailRecordParser(options.KeepRequestParameters) { PathAccount = AccountFromPath(name) };
        // Uploads need not be seekable: peek the magic bytes, then read them again through a prefixed stream.
        var head = new byte[2];
        var headLength = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        var compressed = headLength == 2 && head[0] == 0x1f && head[1] == 0x8b;
        var whole = new PrefixedStream(head.AsMemory(0, headLength), stream);
        using var source = compressed ? new GZipStream(whole, CompressionMode.Decompress, leaveOpen: true) : (Stream)whole;
        var result = ReadDecoded(source, name, compressed, parser, onEvent, problems, null, CancellationToken.None);
        problems.Finish();
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(problems.Diagnostics);
        return new CloudTrailReadResult([result], diagnostics, [.. problems.Quarantined]);
    }

    /// <summary>True for CloudTrail digest files (<c>…/CloudTrail-Digest/…</c>, <c>…_CloudTrail-Digest_…</c>).</summary>
    public static bool IsDigest(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Contains("CloudTrail-Digest", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The account of an S3 delivery path: <c>AWSLogs/&lt;account&gt;/CloudTrail/…</c> or <c>AWSLogs/o-…/&lt;account&gt;/CloudTrail/…</c>.</summary>
    public static string? AccountFromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Replace('\\', '/').Split('/');
        for (var i = 0; i + 2 < parts.Length; i++)
        {
            if (parts[i] != "AWSLogs") { continue; }
            var next = parts[i + 1].StartsWith("o-", StringComparison.Ordinal) ? i + 2 : i + 1;
            if (next + 1 < parts.Length && Core.Aws.Inventory.Arn.IsAccountId(parts[next])
                && parts[next + 1].StartsWith("CloudTrail", StringComparison.Ordinal))
            {
                return parts[next];
            }
        }
        return null;
    }

    /// <summary>Files named directly are read whatever their extension; folders are walked for log files, in ordinal path order.</summary>
    /// <summary>The log files under the given files and folders (sorted per folder); missing paths become diagnostics.</summary>
    public static List<string> EnumerateFiles(IEnumerable<string> paths, DiagnosticBag diagnostics) =>
        InputFiles.Expand(paths, f => LogExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)), diagnostics,
            DiagnosticCodes.CloudTrailUnreadable);

    private static CloudTrailFileResult ReadFile(string path, CloudTrailRecordParser parser, Action<CloudTrailEvent> onEvent,
        CloudTrailReadOptions options, FileProblems problems, CancellationToken cancellationToken)
    {
        if (IsDigest(path)) { return new CloudTrailFileResult(path, CloudTrailFileFormat.Digest, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), 0, 0, true, null); }
        parser.PathAccount = AccountFromPath(path);
        var read = JsonLogFile.Read(path, Format, parser, onEvent, options.HashFiles, problems, DiagnosticCodes.CloudTrailUnreadable, cancellationToken);
        if (read.Failed)
        {
            return new CloudTrailFileResult(path, CloudTrailFileFormat.Unreadable, false, 0, 0, false, null);
        }
        return new CloudTrailFileResult(path, FormatOf(read.Layout, read.Container), read.Compressed, read.Records, read.Malformed, read.Complete,
            new CloudTrailFileFingerprint(read.Size, read.LastWriteTimeUtc, read.Sha256));
    }

    /// <summary>`Records` (S3 delivery) and `Events` (lookup-events) hold the records; `NextToken` first also marks lookup-events output.</summary>
    private static readonly JsonRecordFormat Format = new(["Records", "Events"], ["NextToken"],
        DiagnosticCodes.CloudTrailMalformedRecord, DiagnosticCodes.CloudTrailMalformedFile, DiagnosticCodes.CloudTrailTooManyProblems);

    private static CloudTrailFileFormat FormatOf(JsonRecordLayout layout, string? container) => layout switch
    {
        JsonRecordLayout.Container => container == "Events" ? CloudTrailFileFormat.LookupEvents : CloudTrailFileFormat.RecordsObject,
        JsonRecordLayout.Array => CloudTrailFileFormat.Array,
        JsonRecordLayout.JsonLines => CloudTrailFileFormat.JsonLines,
        JsonRecordLayout.Single => CloudTrailFileFormat.SingleEvent,
        _ => CloudTrailFileFormat.Empty,
    };

    private static CloudTrailFileResult ReadDecoded(Stream source, string name, bool compressed, CloudTrailRecordParser parser,
        Action<CloudTrailEvent> onEvent, FileProblems problems, CloudTrailFileFingerprint? fingerprint, CancellationToken cancellationToken)
    {
        using var reader = new JsonRecordStreamReader<CloudTrailEvent>(source, name, Format, parser, onEvent, problems);
        reader.Run(cancellationToken);
        return new CloudTrailFileResult(name, FormatOf(reader.Format, reader.ContainerName), compressed, reader.Events, reader.Malformed, reader.Whole, fingerprint);
    }

    /// <summary>Bytes already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) { return inner.Read(buffer); }
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
