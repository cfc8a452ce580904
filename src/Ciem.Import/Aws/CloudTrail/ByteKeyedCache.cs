namespace Ciem.Import.Aws.CloudTrail;

/// <summary>
/// Remembers values parsed from a JSON fragment keyed by the fragment's exact bytes, so that a repeated fragment
/// (the same caller's <c>userIdentity</c>, the same <c>resources</c>) is looked up instead of parsed and allocated
/// again. Bounded; one per worker thread; not thread-safe.
/// </summary>
internal sealed class ByteKeyedCache<T> where T : class
{
    private readonly Dictionary<byte[], T> _entries = new(Comparer.Instance);
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

    private sealed class Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
