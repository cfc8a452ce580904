using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Policies;
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
    private readonly ConcurrentDictionary<byte[], Entry> _entries = new(KeyComparer.Instance);
    private long _hits;
    private long _misses;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _entries.Count;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    private sealed record Entry(CompiledPolicy Policy, ImmutableArray<Diagnostic> Diagnostics);

    /// <summary>The compiled policy for <paramref name="element"/> read as <paramref name="name"/> of <paramref name="kind"/>.</summary>
    public CompiledPolicy GetOrCompile(JsonElement element, string name, PolicyKind kind, SourceLocation location, Func<JsonElement, string, PolicyKind, SourceLocation, DiagnosticBag, CompiledPolicy> compile, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(compile);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var key = Key(element, name, kind);
        if (_entries.TryGetValue(key, out var hit))
        {
            Interlocked.Increment(ref _hits);
            foreach (var d in hit.Diagnostics) { diagnostics.Add(d with { Location = Place(d.Location, location) }); }
            return hit.Policy;
        }
        Interlocked.Increment(ref _misses);
        var own = new DiagnosticBag();
        var policy = compile(element, name, kind, new SourceLocation(JsonPath: location.JsonPath), own);
        if (_entries.Count >= Capacity) { _entries.Clear(); }
        _entries.TryAdd(key, new Entry(policy, own.ToImmutable()));
        foreach (var d in own) { diagnostics.Add(d with { Location = Place(d.Location, location) }); }
        return policy;
    }

    private static SourceLocation Place(SourceLocation? cached, SourceLocation at) =>
        (cached ?? SourceLocation.None) with { File = at.File, Line = at.Line, Record = at.Record };

    private static byte[] Key(JsonElement element, string name, PolicyKind kind)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        var nameBytes = System.Text.Encoding.UTF8.GetByteCount(name);
        var key = new byte[raw.Length + nameBytes + 2];
        System.Text.Encoding.UTF8.GetBytes(name, key);
        key[nameBytes] = 0;
        key[nameBytes + 1] = (byte)kind;
        raw.CopyTo(key.AsSpan(nameBytes + 2));
        return key;
    }

    private sealed class KeyComparer : IEqualityComparer<byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var h = new HashCode();
            h.AddBytes(obj);
            return h.ToHashCode();
        }
    }
}
