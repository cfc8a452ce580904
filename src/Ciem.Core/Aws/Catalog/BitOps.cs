using System.Numerics;
using System.Runtime.InteropServices;

namespace Ciem.Core.Aws.Catalog;

/// <summary>Word-wise set operations over bitsets of equal length, vectorised where the hardware allows.</summary>
internal static class BitOps
{
    public static void Or(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination) =>
        Apply<OrOp>(left, right, destination);

    public static void And(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination) =>
        Apply<AndOp>(left, right, destination);

    /// <summary>left AND NOT right.</summary>
    public static void AndNot(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination) =>
        Apply<AndNotOp>(left, right, destination);

    // The operation is a struct type argument so the JIT compiles one specialised, inlined loop per operation.
    private static void Apply<TOp>(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination)
        where TOp : struct, IWordOp
    {
        var done = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l = MemoryMarshal.Cast<ulong, Vector<ulong>>(left);
            var r = MemoryMarshal.Cast<ulong, Vector<ulong>>(right);
            var d = MemoryMarshal.Cast<ulong, Vector<ulong>>(destination);
            for (var i = 0; i < d.Length; i++) { d[i] = TOp.Apply(l[i], r[i]); }
            done = d.Length * Vector<ulong>.Count;
        }
        for (var i = done; i < destination.Length; i++) { destination[i] = TOp.Apply(left[i], right[i]); }
    }

    private interface IWordOp
    {
        static abstract ulong Apply(ulong left, ulong right);

        static abstract Vector<ulong> Apply(Vector<ulong> left, Vector<ulong> right);
    }

    private readonly struct OrOp : IWordOp
    {
        public static ulong Apply(ulong left, ulong right) => left | right;

        public static Vector<ulong> Apply(Vector<ulong> left, Vector<ulong> right) => left | right;
    }

    private readonly struct AndOp : IWordOp
    {
        public static ulong Apply(ulong left, ulong right) => left & right;

        public static Vector<ulong> Apply(Vector<ulong> left, Vector<ulong> right) => left & right;
    }

    private readonly struct AndNotOp : IWordOp
    {
        public static ulong Apply(ulong left, ulong right) => left & ~right;

        public static Vector<ulong> Apply(Vector<ulong> left, Vector<ulong> right) => Vector.AndNot(left, right);
    }
}
