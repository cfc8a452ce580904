using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Simulation;

/// <summary>One evaluated request of a simulate file, in input order: the JSON result line and whether it was read.</summary>
public readonly record struct SimulationOutput(long Line, string? Id, EvaluationResult? Result, IReadOnlyList<Diagnostic> Diagnostics, ReadOnlyMemory<byte> Json)
{
    public bool IsInvalid => Result is null;
}

/// <summary>Counters of one <see cref="SimulationPipeline"/> run.</summary>
public sealed record SimulationStats(long Requests, long Invalid, long PolicyCacheHits, long PolicyCacheMisses);

/// <summary>
/// Evaluates a `ciem aws simulate` input as a stream: JSON Lines are read in blocks, each block's requests are read
/// (through a shared <see cref="CompiledPolicyCache"/>, so each distinct policy document is parsed and compiled once),
/// evaluated and written as JSON in parallel across cores, and handed out in input order before the next block is read.
/// Memory stays bounded by the block size whatever the file size. A whole-file JSON array or single object is read as
/// one document (the format that cannot be streamed line by line).
/// </summary>
public sealed class SimulationPipeline
{
    private readonly SimulationReadOptions _options;
    private readonly int _blockSize;
    private readonly int _parallelism;

    public SimulationPipeline(SimulationReadOptions? options = null, int blockSize = 2048, int? parallelism = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _options = (options ?? SimulationReadOptions.Default) is { Cache: null } o ? o with { Cache = new CompiledPolicyCache() } : options!;
        _blockSize = blockSize;
        _parallelism = parallelism ?? Environment.ProcessorCount;
    }

    public CompiledPolicyCache Cache => _options.Cache!;

    /// <summary>Reads <paramref name="input"/> and calls <paramref name="emit"/> for every request, in input order.</summary>
    public SimulationStats Run(Stream input, string fileName, Action<SimulationOutput> emit)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(emit);
        long requests = 0, invalid = 0;
        void Count(SimulationOutput o)
        {
            requests++;
            if (o.IsInvalid) { invalid++; }
            emit(o);
        }
        var buffered = input.CanSeek ? input : new BufferedStream(input, 1 << 16);
        var first = FirstSignificantByte(buffered);
        if (first is (byte)'[' || (first is (byte)'{' && !LooksLikeJsonLines(buffered)))
        {
            foreach (var o in EvaluateDocument(buffered, fileName)) { Count(o); }
        }
        else
        {
            var lines = new LineSource(buffered);
            var block = new LineBlock(_blockSize);
            var results = new SimulationOutput[_blockSize];
            while (lines.Fill(block))
            {
                Flush(block, results, fileName, Count);
            }
        }
        return new SimulationStats(requests, invalid, Cache.Hits, Cache.Misses);
    }

    private void Flush(LineBlock block, SimulationOutput[] results, string fileName, Action<SimulationOutput> emit)
    {
        Parallel.For(0, block.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, i =>
        {
            var (line, bytes) = block[i];
            results[i] = EvaluateLine(line, bytes, fileName);
        });
        for (var i = 0; i < block.Count; i++)
        {
            emit(results[i]);
            results[i] = default;
        }
        block.Clear();
    }

    private SimulationOutput EvaluateLine(long line, ReadOnlyMemory<byte> bytes, string fileName)
    {
        var location = new SourceLocation(File: fileName, Line: line);
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            return Render(line, null, null, [Diagnostic.Error(DiagnosticCodes.InputInvalidUtf8, "line is not valid utf-8", location)]);
        }
        try { return EvaluateValidLine(line, bytes, location); }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException or System.Text.EncoderFallbackException)
        {
            // An escaped lone surrogate (`"\ud800"`) is valid JSON that no .NET string can hold.
            return Render(line, null, null, [Diagnostic.Error(DiagnosticCodes.CliBadInputLine, $"line holds a string that is not unicode: {ex.Message.TrimEnd('.')}", location)]);
        }
    }

    private SimulationOutput EvaluateValidLine(long line, ReadOnlyMemory<byte> bytes, SourceLocation location)
    {
        // The plain shape is read from the bytes; anything else (including invalid JSON) by the full reader below.
        if (SimulationReader.TryRead(bytes, location, out var simulation, out var diags, _options))
        {
            return simulation is null
                ? Render(line, null, null, diags)
                : Render(line, simulation.Id, AwsAuthorizer.Evaluate(simulation.Request, simulation.Policies), diags);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            var d = Diagnostic.Error(DiagnosticCodes.CliBadInputLine, $"line is not valid JSON: {ex.Message.TrimEnd('.')}", location);
            return Render(line, null, null, [d]);
        }
        using (doc)
        {
            return Evaluate(doc.RootElement, location, line);
        }
    }

    private SimulationOutput Evaluate(JsonElement element, SourceLocation location, long line)
    {
        SimulationCase? simulation;
        ImmutableArray<Diagnostic> diags;
        try { simulation = SimulationReader.Read(element, location, out diags, _options); }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException or System.Text.EncoderFallbackException)
        {
            return Render(line, null, null, [Diagnostic.Error(DiagnosticCodes.CliBadInputLine, $"a string is not unicode: {ex.Message.TrimEnd('.')}", location)]);
        }
        if (simulation is null) { return Render(line, TryId(element), null, diags); }
        var result = AwsAuthorizer.Evaluate(simulation.Request, simulation.Policies);
        return Render(line, simulation.Id, result, diags);
    }

    private IEnumerable<SimulationOutput> EvaluateDocument(Stream input, string fileName)
    {
        JsonDocument doc;
        string? error = null;
        try
        {
            // Checked as every whole-document reader is: invalid UTF-8 is a located error, a BOM or UTF-16 is read.
            doc = JsonDocument.Parse(new Json.Utf8InputStream(input, Json.Utf8Check.Reject));
        }
        catch (JsonException ex)
        {
            doc = null!;
            error = $"input is not valid JSON: {ex.Message.TrimEnd('.')}";
        }
        if (error is not null)
        {
            yield return Render(1, null, null, [Diagnostic.Error(DiagnosticCodes.CliBadInputLine, error, new SourceLocation(File: fileName, Line: 1))]);
            yield break;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                yield return Evaluate(doc.RootElement, new SourceLocation(File: fileName, Line: 1), 1);
                yield break;
            }
            var items = doc.RootElement.EnumerateArray().ToArray();
            for (var start = 0; start < items.Length; start += _blockSize)
            {
                var count = Math.Min(_blockSize, items.Length - start);
                var results = new SimulationOutput[count];
                Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, i =>
                    results[i] = Evaluate(items[start + i], new SourceLocation(File: fileName, Line: 1, Record: start + i), 1));
                foreach (var r in results) { yield return r; }
            }
        }
    }

    // One writer and buffer per thread: each result is written there and copied out at its exact size.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static SimulationOutput Render(long line, string? id, EvaluationResult? result, IReadOnlyList<Diagnostic> diags)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer);
        w.Reset(buffer);
        if (result is not null)
        {
            SimulationWriter.Write(w, id, result, diags);
        }
        else
        {
            w.WriteStartObject();
            if (id is null) { w.WriteNull("id"); } else { w.WriteString("id", id); }
            w.WriteString("decision", "Error");
            w.WriteNull("blockedBy");
            w.WriteStartArray("statements");
            w.WriteEndArray();
            w.WriteStartArray("diagnostics");
            foreach (var d in diags) { w.WriteStringValue(d.ToString()); }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.Flush();
        return new SimulationOutput(line, id, result, diags, buffer.WrittenSpan.ToArray());
    }

    private static string? TryId(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>The first byte that is not whitespace or a UTF-8 byte-order mark, leaving the stream where it was.</summary>
    private static int? FirstSignificantByte(Stream s)
    {
        var start = s.Position;
        int b;
        while ((b = s.ReadByte()) >= 0)
        {
            if (b is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) { continue; }
            s.Position = start;
            return b;
        }
        s.Position = start;
        return null;
    }

    /// <summary>A file starting with `{` is JSON Lines when its first non-blank line is a complete JSON value.</summary>
    private static bool LooksLikeJsonLines(Stream s)
    {
        var start = s.Position;
        try
        {
            var first = new LineBlock(1);
            if (!new LineSource(s).Fill(first)) { return false; }
            try
            {
                using var _ = JsonDocument.Parse(first[0].Bytes);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
        finally
        {
            s.Position = start;
        }
    }

    /// <summary>
    /// Up to a block of non-blank lines with their 1-based numbers, in one buffer reused from block to block so that
    /// reading allocates nothing per line.
    /// </summary>
    private sealed class LineBlock(int capacity)
    {
        private readonly List<(long Line, int Start, int Length)> _lines = new(capacity);
        private byte[] _bytes = new byte[1 << 16];
        private int _end;
        private int _pending;

        public int Count => _lines.Count;

        public bool IsFull => _lines.Count >= capacity;

        public bool HasPending => _end > _pending;

        public (long Line, ReadOnlyMemory<byte> Bytes) this[int i]
        {
            get
            {
                var (line, start, length) = _lines[i];
                return (line, new ReadOnlyMemory<byte>(_bytes, start, length));
            }
        }

        /// <summary>Adds bytes to the line being read.</summary>
        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (_end + bytes.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _end + bytes.Length));
            }
            bytes.CopyTo(_bytes.AsSpan(_end));
            _end += bytes.Length;
        }

        /// <summary>Ends the line being read as line <paramref name="number"/>; a blank line is dropped.</summary>
        public void EndLine(long number)
        {
            var span = _bytes.AsSpan(_pending, _end - _pending).TrimEnd((byte)'\r');
            if (span.Trim(" \t"u8).IsEmpty)
            {
                _end = _pending;
                return;
            }
            _lines.Add((number, _pending, span.Length));
            _pending = _end;
        }

        /// <summary>Forgets the block's lines, keeping a line still being read.</summary>
        public void Clear()
        {
            var carry = _end - _pending;
            if (carry > 0) { Array.Copy(_bytes, _pending, _bytes, 0, carry); }
            _lines.Clear();
            _pending = 0;
            _end = carry;
        }
    }

    /// <summary>Reads a stream's lines into <see cref="LineBlock"/>s, 64 KB at a time.</summary>
    private sealed class LineSource(Stream stream)
    {
        private readonly byte[] _chunk = new byte[1 << 16];
        private int _position;
        private int _length;
        private long _number;
        private bool _ended;

        /// <summary>Fills <paramref name="block"/> up to its capacity; false when the stream had no more lines.</summary>
        public bool Fill(LineBlock block)
        {
            while (!block.IsFull)
            {
                if (_position == _length)
                {
                    if (_ended) { break; }
                    _length = stream.Read(_chunk, 0, _chunk.Length);
                    _position = 0;
                    if (_length == 0)
                    {
                        _ended = true;
                        // A final line without a newline.
                        if (block.HasPending) { block.EndLine(++_number); }
                        break;
                    }
                }
                var rest = _chunk.AsSpan(_position, _length - _position);
                var nl = rest.IndexOf((byte)'\n');
                if (nl < 0)
                {
                    block.Append(rest);
                    _position = _length;
                    continue;
                }
                block.Append(rest[..nl]);
                _position += nl + 1;
                block.EndLine(++_number);
            }
            return block.Count > 0;
        }
    }
}
