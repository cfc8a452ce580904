using System.Numerics;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Collections;

/// <summary>
/// Set algebra over bitsets stored as <c>ulong</c> arrays (bit <c>i</c> of word <c>i / 64</c>) for the Azure operation
/// set: allocation of results, population count, subset tests and bit enumeration, over the vectorised word loops of
/// <see cref="BitOps"/> that the AWS action set uses. Both operands have the same length: they come from one catalog.
/// </summary>
internal static class BitWords
{
    public static int WordCount(int bits) => (bits + 63) >> 6;

    public static bool Contains(ReadOnlySpan<ulong> words, int bit) => (words[bit >> 6] & (1UL << bit)) != 0;

    public static void Set(Span<ulong> words, int bit) => words[bit >> 6] |= 1UL << bit;

    public static int PopCount(ReadOnlySpan<ulong> words)
    {
        var count = 0;
        foreach (var word in words) { count += BitOperations.PopCount(word); }
        return count;
    }

    public static bool IsZero(ReadOnlySpan<ulong> words) => !words.ContainsAnyExcept(0UL);

    public static bool IsEmpty(ReadOnlySpan<ulong> words) => IsZero(words);

    /// <summary>Whether <paramref name="id"/> is a member, false outside [0, <paramref name="bits"/>).</summary>
    public static bool Contains(ReadOnlySpan<ulong> words, int id, int bits) =>
        (uint)id < (uint)bits && (words[id >> 6] & (1UL << id)) != 0;

    public static ulong[] Or(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var result = new ulong[a.Length];
        BitOps.Or(a, b, result);
        return result;
    }

    public static ulong[] And(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var result = new ulong[a.Length];
        BitOps.And(a, b, result);
        return result;
    }

    public static ulong[] AndNot(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var result = new ulong[a.Length];
        BitOps.AndNot(a, b, result);
        return result;
    }

    public static void OrInPlace(Span<ulong> target, ReadOnlySpan<ulong> other) => BitOps.Or(target, other, target);

    public static void AndNotInPlace(Span<ulong> target, ReadOnlySpan<ulong> other) => BitOps.AndNot(target, other, target);

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

    /// <summary>The set bits in ascending order.</summary>
    public static IEnumerable<int> Bits(ulong[] words)
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
