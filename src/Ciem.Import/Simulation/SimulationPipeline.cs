using System.Buffers;
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
            var block = new List<(long Line, byte[] Bytes)>(_blockSize);
            var results = new SimulationOutput[_blockSize];
            foreach (var line in Lines(buffered))
            {
                block.Add(line);
                if (block.Count == _blockSize) { Flush(block, results, fileName, Count); }
            }
            Flush(block, results, fileName, Count);
        }
        return new SimulationStats(requests, invalid, Cache.Hits, Cache.Misses);
    }

    private void Flush(List<(long Line, byte[] Bytes)> block, SimulationOutput[] results, string fileName, Action<SimulationOutput> emit)
    {
        if (block.Count == 0) { return; }
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

    private SimulationOutput EvaluateLine(long line, byte[] bytes, string fileName)
    {
        var location = new SourceLocation(File: fileName, Line: line);
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
        var simulation = SimulationReader.Read(element, location, out var diags, _options);
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
            doc = JsonDocument.Parse(input);
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

    private static SimulationOutput Render(long line, string? id, EvaluationResult? result, IReadOnlyList<Diagnostic> diags)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
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
        }
        return new SimulationOutput(line, id, result, diags, buffer.WrittenMemory);
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
            foreach (var (_, bytes) in Lines(s))
            {
                try
                {
                    using var _ = JsonDocument.Parse(bytes);
                    return true;
                }
                catch (JsonException)
                {
                    return false;
                }
            }
            return false;
        }
        finally
        {
            s.Position = start;
        }
    }

    /// <summary>Non-blank lines with their 1-based numbers, as UTF-8 bytes (a final line without newline included).</summary>
    private static IEnumerable<(long Line, byte[] Bytes)> Lines(Stream s)
    {
        var buffer = new byte[1 << 16];
        var pending = new ArrayBufferWriter<byte>(1 << 12);
        long number = 0;
        int read;
        while ((read = s.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (true)
            {
                var nl = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                if (nl < 0)
                {
                    pending.Write(buffer.AsSpan(start, read - start));
                    break;
                }
                pending.Write(buffer.AsSpan(start, nl - start));
                number++;
                if (Line(pending) is { } bytes) { yield return (number, bytes); }
                pending.ResetWrittenCount();
                start = nl + 1;
            }
        }
        if (pending.WrittenCount > 0)
        {
            number++;
            if (Line(pending) is { } last) { yield return (number, last); }
        }
    }

    private static byte[]? Line(ArrayBufferWriter<byte> pending)
    {
        var span = pending.WrittenSpan.TrimEnd((byte)'\r');
        if (span.Trim(" \t"u8).IsEmpty) { return null; }
        return span.ToArray();
    }
}
