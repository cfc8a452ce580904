namespace Ciem.Core.Collections;

/// <summary>
/// The immutable bitset shared by the catalogs' sets (<c>ActionSet</c> for AWS, <c>AzureOperationSet</c> for Azure): one
/// bit per dense item id of one catalog. Set algebra allocates only the result; operands must come from the same catalog.
/// Subclasses add the typed catalog, item lookups and enumeration.
/// </summary>
public abstract class CatalogBitSet<TSelf> : IEquatable<TSelf>
    where TSelf : CatalogBitSet<TSelf>
{
    private readonly object _catalog;
    private readonly int _capacity;
    private readonly ulong[] _words;
    private int _count = -1;

    private protected CatalogBitSet(object catalog, int capacity, ulong[] words)
    {
        _catalog = catalog;
        _capacity = capacity;
        _words = words;
    }

    /// <summary>Number of items in the set (a population count, computed once).</summary>
    public int Count => _count >= 0 ? _count : _count = BitWords.PopCount(_words);

    public bool IsEmpty => BitWords.IsZero(_words);

    /// <summary>Item ids in ascending order.</summary>
    public IEnumerable<int> Ids => BitWords.Bits(_words);

    public TSelf Union(TSelf other) => Create(BitWords.Or(_words, WordsOf(other)));

    public TSelf Intersect(TSelf other) => Create(BitWords.And(_words, WordsOf(other)));

    public TSelf Except(TSelf other) => Create(BitWords.AndNot(_words, WordsOf(other)));

    public bool Overlaps(TSelf other) => BitWords.Overlaps(_words, WordsOf(other));

    public bool IsSubsetOf(TSelf other) => BitWords.IsSubsetOf(_words, WordsOf(other));

    public bool Equals(TSelf? other) =>
        other is not null && ReferenceEquals(_catalog, other._catalog) && _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => obj is TSelf other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _words) { hash.Add(word); }
        return hash.ToHashCode();
    }

    internal ReadOnlySpan<ulong> Words => _words;

    private protected ulong[] RawWords => _words;

    private protected bool ContainsId(int id) => (uint)id < (uint)_capacity && BitWords.Contains(_words, id);

    private protected abstract TSelf Create(ulong[] words);

    /// <summary>The words of <paramref name="other"/>; throws when it belongs to another catalog (a caller bug).</summary>
    private protected ReadOnlySpan<ulong> WordsOf(TSelf other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(_catalog, other._catalog))
        {
            throw new ArgumentException("sets come from different catalogs", nameof(other));
        }
        return other._words;
    }
}
