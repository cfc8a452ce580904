using Ciem.Core.Collections;

namespace Ciem.Import.Aws.CloudTrail;

/// <summary>
/// Remembers values parsed from a JSON fragment keyed by the fragment's exact bytes, so that a repeated fragment
/// (the same caller's <c>userIdentity</c>, the same <c>resources</c>) is looked up instead of parsed and allocated
/// again. Bounded; one per worker thread; not thread-safe.
/// </summary>
internal sealed class ByteKeyedCache<T> where T : class
{
    private readonly Dictionary<byte[], T> _entries = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], T>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly int _maxEntries;
    private readonly int _maxKeyBytes;

    public ByteKeyedCache(int maxEntries, int maxKeyBytes)
    {
        _maxEntries = maxEntries;
        _maxKeyBytes = maxKeyBytes;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public bool TryGet(ReadOnlySpan<byte> key, out T? value)
    {
        value = null;
        return key.Length <= _maxKeyBytes && _lookup.TryGetValue(key, out value);
    }

    public void Add(ReadOnlySpan<byte> key, T value)
    {
        if (key.Length <= _maxKeyBytes && _entries.Count < _maxEntries) { _entries.TryAdd(key.ToArray(), value); }
    }
}
