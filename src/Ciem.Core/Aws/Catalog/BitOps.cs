using System.Numerics;
using System.Runtime.InteropServices;

namespace Ciem.Core.Aws.Catalog;

/// <summary>Word-wise set operations over bitsets of equal length, vectorised where the hardware allows.</summary>
internal static class BitOps
{
    public static void Or(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination)
    {
        var done = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l = MemoryMarshal.Cast<ulong, Vector<ulong>>(left);
            var r = MemoryMarshal.Cast<ulong, Vector<ulong>>(right);
            var d = MemoryMarshal.Cast<ulong, Vector<ulong>>(destination);
            for (var i = 0; i < d.Length; i++) { d[i] = l[i] | r[i]; }
            done = d.Length * Vector<ulong>.Count;
        }
        for (var i = done; i < destination.Length; i++) { destination[i] = left[i] | right[i]; }
    }

    public static void And(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination)
    {
        var done = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l = MemoryMarshal.Cast<ulong, Vector<ulong>>(left);
            var r = MemoryMarshal.Cast<ulong, Vector<ulong>>(right);
            var d = MemoryMarshal.Cast<ulong, Vector<ulong>>(destination);
            for (var i = 0; i < d.Length; i++) { d[i] = l[i] & r[i]; }
            done = d.Length * Vector<ulong>.Count;
        }
        for (var i = done; i < destination.Length; i++) { destination[i] = left[i] & right[i]; }
    }

    /// <summary>left AND NOT right.</summary>
    public static void AndNot(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination)
    {
        var done = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l = MemoryMarshal.Cast<ulong, Vector<ulong>>(left);
            var r = MemoryMarshal.Cast<ulong, Vector<ulong>>(right);
            var d = MemoryMarshal.Cast<ulong, Vector<ulong>>(destination);
            for (var i = 0; i < d.Length; i++) { d[i] = Vector.AndNot(l[i], r[i]); }
            done = d.Length * Vector<ulong>.Count;
        }
        for (var i = done; i < destination.Length; i++) { destination[i] = left[i] & ~right[i]; }
    }
}
