using System.Collections;
using Ciem.Core.Collections;

namespace Ciem.Core.Azure.Catalog;

/// <summary>
/// An immutable set of operations of one <see cref="AzureOperationCatalog"/>, a bitset over operation ids (about
/// 2.8 KB for the whole Azure catalog). Set algebra allocates only the result.
/// </summary>
public sealed class AzureOperationSet : CatalogBitSet<AzureOperationSet>, IReadOnlyCollection<AzureOperation>
{
    internal AzureOperationSet(AzureOperationCatalog catalog, ulong[] words)
        : base(catalog, catalog.Count, words)
    {
        Catalog = catalog;
    }

    public AzureOperationCatalog Catalog { get; }

    public bool Contains(int operationId) => ContainsId(operationId);

    public bool Contains(AzureOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Contains(operation.Id) && ReferenceEquals(Catalog.Operations[operation.Id], operation);
    }

    public IEnumerator<AzureOperation> GetEnumerator()
    {
        foreach (var id in Ids) { yield return Catalog.Operations[id]; }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Count <= 5 ? $"{{{string.Join(", ", this)}}}" : $"{{{Count} operations}}";

    private protected override AzureOperationSet Create(ulong[] words) => new(Catalog, words);
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
