using System.Collections;
using System.Numerics;
using Ciem.Core.Collections;

namespace Ciem.Core.Aws.Catalog;

/// <summary>
/// An immutable set of actions of one <see cref="AwsActionCatalog"/>, stored as a bitset over action
/// ids (one <c>ulong</c> per 64 actions: about 2.7 KB for the whole AWS catalog); the algebra is in
/// <see cref="CatalogBitSet{TSelf}"/>, vectorised, with one allocation for the result; use <see cref="ActionSetBuilder"/> to
/// accumulate many sets without intermediate allocations.
/// </summary>
public sealed class ActionSet : CatalogBitSet<ActionSet>, IReadOnlyCollection<AwsAction>
{
    internal ActionSet(AwsActionCatalog catalog, ulong[] words)
        : base(catalog, catalog.Count, words)
    {
        Catalog = catalog;
    }

    public AwsActionCatalog Catalog { get; }

    public bool Contains(int actionId) => ContainsId(actionId);

    public bool Contains(AwsAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Contains(action.Id) && ReferenceEquals(Catalog.Actions[action.Id], action);
    }

    /// <summary>Every action of the catalog that is not in this set.</summary>
    public ActionSet Complement() => Catalog.All.Except(this);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<AwsAction> IEnumerable<AwsAction>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Count <= 5
        ? $"{{{string.Join(", ", this.Select(a => a.FullName))}}}"
        : $"{{{Count} actions}}";

    private protected override ActionSet Create(ulong[] words) => new(Catalog, words);

    /// <summary>Allocation-free enumeration of the actions in id order.</summary>
    public struct Enumerator : IEnumerator<AwsAction>
    {
        private readonly ActionSet _set;
        private int _wordIndex;
        private ulong _word;

        internal Enumerator(ActionSet set)
        {
            _set = set;
            _wordIndex = -1;
            _word = 0;
            Current = null!;
        }

        public AwsAction Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            var words = _set.RawWords;
            while (_word == 0)
            {
                if (++_wordIndex >= words.Length) { return false; }
                _word = words[_wordIndex];
            }
            var id = (_wordIndex << 6) + BitOperations.TrailingZeroCount(_word);
            _word &= _word - 1;
            Current = _set.Catalog.Actions[id];
            return true;
        }

        public void Reset()
        {
            _wordIndex = -1;
            _word = 0;
        }

        public readonly void Dispose()
        {
        }
    }
}

/// <summary>A mutable bitset for accumulating an <see cref="ActionSet"/> in place (one array, reused).</summary>
public sealed class ActionSetBuilder
{
    private readonly ulong[] _words;

    public ActionSetBuilder(AwsActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        _words = new ulong[AwsActionCatalog.WordCount(catalog.Count)];
    }

    public AwsActionCatalog Catalog { get; }

    public void Add(int actionId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actionId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actionId, Catalog.Count);
        _words[actionId >> 6] |= 1UL << actionId;
    }

    public void Add(AwsAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Add(action.Id);
    }

    /// <summary>Adds ids start..start+count-1 (a service's actions).</summary>
    internal void AddRange(int start, int count)
    {
        for (var id = start; id < start + count; id++) { _words[id >> 6] |= 1UL << id; }
    }

    public void UnionWith(ActionSet other)
    {
        var otherWords = WordsOf(other);
        BitOps.Or(_words, otherWords, _words);
    }

    public void IntersectWith(ActionSet other)
    {
        var otherWords = WordsOf(other);
        BitOps.And(_words, otherWords, _words);
    }

    public void ExceptWith(ActionSet other)
    {
        var otherWords = WordsOf(other);
        BitOps.AndNot(_words, otherWords, _words);
    }

    public void Clear() => Array.Clear(_words);

    /// <summary>An immutable snapshot; the builder can go on being used.</summary>
    public ActionSet ToActionSet() => new(Catalog, (ulong[])_words.Clone());

    private ReadOnlySpan<ulong> WordsOf(ActionSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(Catalog, other.Catalog))
        {
            throw new ArgumentException("action sets come from different catalogs", nameof(other));
        }
        return other.Words;
    }
}
