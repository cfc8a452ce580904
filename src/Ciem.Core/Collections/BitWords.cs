using System.Numerics;

namespace Ciem.Core.Collections;

/// <summary>
/// Word-by-word set algebra over bitsets stored as <c>ulong[]</c> (bit <c>i</c> of word <c>i &gt;&gt; 6</c> is member
/// <c>i</c>). Shared by the catalogs' immutable sets; the callers check that both operands have the same length.
/// </summary>
internal static class BitWords
{
    public static int WordCount(int bits) => (bits + 63) >> 6;

    public static int PopCount(ReadOnlySpan<ulong> words)
    {
        var count = 0;
        foreach (var word in words) { count += BitOperations.PopCount(word); }
        return count;
    }

    public static bool IsEmpty(ReadOnlySpan<ulong> words) => !words.ContainsAnyExcept(0UL);

    public static bool Contains(ReadOnlySpan<ulong> words, int id, int bits) =>
        (uint)id < (uint)bits && (words[id >> 6] & (1UL << id)) != 0;

    public static ulong[] Or(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var result = new ulong[a.Length];
        for (var i = 0; i < result.Length; i++) { result[i] = a[i] | b[i]; }
        return result;
    }

    public static ulong[] And(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var result = new ulong[a.Length];
        for (var i = 0; i < result.Length; i++) { result[i] = a[i] & b[i]; }
        return result;
    }

    public static ulong[] AndNot(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var result = new ulong[a.Length];
        for (var i = 0; i < result.Length; i++) { result[i] = a[i] & ~b[i]; }
        return result;
    }

    public static bool Overlaps(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if ((a[i] & b[i]) != 0) { return true; }
        }
        return false;
    }

    public static bool IsSubsetOf(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if ((a[i] & ~b[i]) != 0) { return false; }
        }
        return true;
    }

    public static void OrInto(Span<ulong> target, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < target.Length; i++) { target[i] |= other[i]; }
    }

    public static void AndNotInto(Span<ulong> target, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < target.Length; i++) { target[i] &= ~other[i]; }
    }

    /// <summary>Member ids in ascending order.</summary>
    public static IEnumerable<int> Ids(ulong[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            while (word != 0)
            {
                yield return (i << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }

    public static int Hash(ReadOnlySpan<ulong> words)
    {
        var hash = new HashCode();
        foreach (var word in words) { hash.Add(word); }
        return hash.ToHashCode();
    }
}
