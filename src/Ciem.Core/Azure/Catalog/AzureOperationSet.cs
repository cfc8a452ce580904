using System.Collections;
using Ciem.Core.Collections;

namespace Ciem.Core.Azure.Catalog;

/// <summary>
/// An immutable set of operations of one <see cref="AzureOperationCatalog"/>, a bitset over operation ids (about
/// 2.8 KB for the whole Azure catalog). Set algebra allocates only the result.
/// </summary>
public sealed class AzureOperationSet : IEquatable<AzureOperationSet>, IReadOnlyCollection<AzureOperation>
{
    private readonly ulong[] _words;
    private int _count = -1;

    internal AzureOperationSet(AzureOperationCatalog catalog, ulong[] words)
    {
        Catalog = catalog;
        _words = words;
    }

    public AzureOperationCatalog Catalog { get; }

    public int Count => _count >= 0 ? _count : _count = BitWords.PopCount(_words);

    public bool IsEmpty => BitWords.IsZero(_words);

    public bool Contains(int operationId) => (uint)operationId < (uint)Catalog.Count && BitWords.Contains(_words, operationId);

    public bool Contains(AzureOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Contains(operation.Id) && ReferenceEquals(Catalog.Operations[operation.Id], operation);
    }

    public AzureOperationSet Union(AzureOperationSet other) => new(Catalog, BitWords.Or(_words, WordsOf(other)));

    public AzureOperationSet Intersect(AzureOperationSet other) => new(Catalog, BitWords.And(_words, WordsOf(other)));

    public AzureOperationSet Except(AzureOperationSet other) => new(Catalog, BitWords.AndNot(_words, WordsOf(other)));

    public bool Overlaps(AzureOperationSet other) => BitWords.Overlaps(_words, WordsOf(other));

    public bool IsSubsetOf(AzureOperationSet other) => BitWords.IsSubsetOf(_words, WordsOf(other));

    /// <summary>Operation ids in ascending order.</summary>
    public IEnumerable<int> Ids => BitWords.Bits(_words);

    public IEnumerator<AzureOperation> GetEnumerator()
    {
        foreach (var id in BitWords.Bits(_words)) { yield return Catalog.Operations[id]; }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(AzureOperationSet? other) =>
        other is not null && ReferenceEquals(Catalog, other.Catalog) && _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => Equals(obj as AzureOperationSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _words) { hash.Add(word); }
        return hash.ToHashCode();
    }

    public override string ToString() => Count <= 5 ? $"{{{string.Join(", ", this)}}}" : $"{{{Count} operations}}";

    internal ReadOnlySpan<ulong> Words => _words;

    private ulong[] WordsOf(AzureOperationSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(Catalog, other.Catalog))
        {
            throw new ArgumentException("operation sets come from different catalogs", nameof(other));
        }
        return other._words;
    }
}

/// <summary>A mutable bitset for accumulating an <see cref="AzureOperationSet"/> in place.</summary>
public sealed class AzureOperationSetBuilder
{
    private readonly ulong[] _words;

    public AzureOperationSetBuilder(AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        _words = new ulong[BitWords.WordCount(catalog.Count)];
    }

    public AzureOperationCatalog Catalog { get; }

    public void Add(int operationId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operationId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(operationId, Catalog.Count);
        BitWords.Set(_words, operationId);
    }

    public void UnionWith(AzureOperationSet other) => BitWords.OrInPlace(_words, Checked(other).Words);

    public void ExceptWith(AzureOperationSet other) => BitWords.AndNotInPlace(_words, Checked(other).Words);

    public void Clear() => Array.Clear(_words);

    /// <summary>An immutable snapshot; the builder can go on being used.</summary>
    public AzureOperationSet ToSet() => new(Catalog, (ulong[])_words.Clone());

    private AzureOperationSet Checked(AzureOperationSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(Catalog, other.Catalog))
        {
            throw new ArgumentException("operation sets come from different catalogs", nameof(other));
        }
        return other;
    }
}
