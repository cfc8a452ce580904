using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Collections;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>
/// Parsed and compiled policies keyed by their exact UTF-8 JSON text with the name and kind they are read under, so a
/// request file that repeats the same documents thousands of times parses and compiles each one once. Thread-safe;
/// bounded: past <see cref="Capacity"/> entries it starts afresh (a file with more distinct documents than that still
/// evaluates correctly, only with more compiling). The diagnostics of a policy are kept without their file and line
/// and placed at each request that uses it.
/// </summary>
public sealed class CompiledPolicyCache(int capacity = 16_384)
{
    // One table per (name, kind), keyed by the document's bytes; looked up by span, so a hit allocates nothing.
    private readonly ConcurrentDictionary<(string Name, PolicyKind Kind), ConcurrentDictionary<byte[], Lazy<Entry>>> _tables = new();
    private int _count;
    private long _hits;
    private long _misses;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => Volatile.Read(ref _count);

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    private sealed record Entry(CompiledPolicy Policy, ImmutableArray<Diagnostic> Diagnostics);

    /// <summary>The compiled policy for <paramref name="element"/> read as <paramref name="name"/> of <paramref name="kind"/>.</summary>
    /// <param name="element">the policy document as it stands in the request.</param>
    /// <param name="name">the name it is read under (`identityPolicies[0]`), also its JSON path below `$`.</param>
    /// <param name="kind">where it applies.</param>
    /// <param name="location">the request's file and line, where diagnostics are placed.</param>
    /// <param name="compile">parses and compiles on a miss, with the policy's own location and diagnostics.</param>
    /// <param name="diagnostics">receives the policy's diagnostics, placed at <paramref name="location"/>.</param>
    public CompiledPolicy GetOrCompile(JsonElement element, string name, PolicyKind kind, SourceLocation location, Func<JsonElement, string, PolicyKind, SourceLocation, DiagnosticBag, CompiledPolicy> compile, DiagnosticBag diagnostics)
        => GetOrCompile(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element), element, name, kind, location, compile, diagnostics);

    /// <summary>
    /// The compiled policy for the document whose exact UTF-8 text is <paramref name="utf8"/>: a hit never parses it,
    /// a miss parses it on its own and compiles it as <see cref="GetOrCompile(JsonElement, string, PolicyKind, SourceLocation, Func{JsonElement, string, PolicyKind, SourceLocation, DiagnosticBag, CompiledPolicy}, DiagnosticBag)"/> does.
    /// </summary>
    public CompiledPolicy GetOrCompile(ReadOnlySpan<byte> utf8, string name, PolicyKind kind, SourceLocation location, Func<JsonElement, string, PolicyKind, SourceLocation, DiagnosticBag, CompiledPolicy> compile, DiagnosticBag diagnostics)
        => GetOrCompile(utf8, null, name, kind, location, compile, diagnostics);

    private CompiledPolicy GetOrCompile(ReadOnlySpan<byte> raw, JsonElement? element, string name, PolicyKind kind, SourceLocation location, Func<JsonElement, string, PolicyKind, SourceLocation, DiagnosticBag, CompiledPolicy> compile, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(compile);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var table = _tables.GetOrAdd((name, kind), static _ => new ConcurrentDictionary<byte[], Lazy<Entry>>(ByteKeyComparer.Instance));
        if (!table.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(raw, out var entry))
        {
            // A miss: the first thread to publish its entry compiles it; a thread that raced it on the same document
            // waits for that one compilation instead of compiling it again, and counts as a hit.
            var key = raw.ToArray();
            var mine = new Lazy<Entry>(() => Compile(key, element, name, kind, compile), LazyThreadSafetyMode.ExecutionAndPublication);
            entry = table.GetOrAdd(key, mine);
            if (ReferenceEquals(entry, mine))
            {
                Interlocked.Increment(ref _misses);
                if (Interlocked.Increment(ref _count) > Capacity)
                {
                    // Bounded: start afresh rather than grow without limit on a file of ever-new documents.
                    foreach (var t in _tables.Values) { t.Clear(); }
                    Volatile.Write(ref _count, 1);
                }
            }
            else
            {
                Interlocked.Increment(ref _hits);
            }
        }
        else
        {
            Interlocked.Increment(ref _hits);
        }
        var value = entry.Value;
        foreach (var d in value.Diagnostics) { diagnostics.Add(d with { Location = Place(d.Location, location) }); }
        return value.Policy;
    }

    // Compiles from the caller's element when it has one (the caller waits on this entry, so its document is alive
    // until the compilation ends), otherwise from the document's own bytes.
    private static Entry Compile(byte[] key, JsonElement? element, string name, PolicyKind kind,
        Func<JsonElement, string, PolicyKind, SourceLocation, DiagnosticBag, CompiledPolicy> compile)
    {
        var own = new DiagnosticBag();
        CompiledPolicy policy;
        if (element is { } e)
        {
            policy = compile(e, name, kind, new SourceLocation(JsonPath: "$." + name), own);
        }
        else
        {
            using var doc = JsonDocument.Parse(key);
            policy = compile(doc.RootElement, name, kind, new SourceLocation(JsonPath: "$." + name), own);
        }
        return new Entry(policy, own.ToImmutable());
    }

    private static SourceLocation Place(SourceLocation? cached, SourceLocation at) =>
        (cached ?? SourceLocation.None) with { File = at.File, Line = at.Line, Record = at.Record };
}
