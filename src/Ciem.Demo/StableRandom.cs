namespace Ciem.Demo;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by this code, not by the runtime's
/// <see cref="Random"/> implementation, so that demo files stay byte-identical across .NET versions.
/// Streams are derived from the seed and a few integers, so any part can be regenerated on its own.
/// </summary>
internal sealed class StableRandom
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private ulong _state;

    public StableRandom(ulong seed) => _state = seed;

    public static StableRandom For(int seed, long a, long b = 0, long c = 0) => new(Mix(Mix(Mix((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a) ^ (ulong)b) ^ (ulong)c));

    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL) ^ 0x5DEECE66DUL;

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, max).</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextUInt64() % (ulong)max);

    public int Next(int min, int max) => min + Next(max - min);

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index drawn with weight 1/(i+1)^s: the first items are the most frequent.</summary>
    public int Zipf(int count, double s = 1.1)
    {
        double total = 0;
        for (var i = 0; i < count; i++) { total += Math.Pow(i + 1, -s); }
        var x = NextDouble() * total;
        for (var i = 0; i < count; i++)
        {
            x -= Math.Pow(i + 1, -s);
            if (x < 0) { return i; }
        }
        return count - 1;
    }

    /// <summary>A Pareto draw with minimum 1 and the given tail index, capped.</summary>
    public double Pareto(double alpha, double cap) => Math.Min(cap, Math.Pow(1 - NextDouble(), -1 / alpha));

    /// <summary>A Poisson draw (Knuth for small means, a normal approximation above 30).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0) { return 0; }
        if (mean > 30)
        {
            var u1 = 1 - NextDouble();
            var u2 = NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * z));
        }
        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do { k++; p *= NextDouble(); } while (p > l);
        return k - 1;
    }

    public string Upper(int length) => Chars(Alphanumeric, length);

    public string LowerAlnum(int length) => Chars(Lower, length);

    public string Mixed(int length) => Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);

    public string Digits(int length) => Chars("0123456789", length);

    public string Hex(int length) => Chars("0123456789abcdef", length);

    /// <summary>A version-4-shaped GUID string drawn from this stream.</summary>
    public string Guid() => NextGuid().ToString();

    /// <summary>A version-4-shaped GUID drawn from this stream.</summary>
    public System.Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new System.Guid(bytes);
    }

    private string Chars(string alphabet, int length) => string.Create(length, this, (span, rng) =>
    {
        for (var i = 0; i < span.Length; i++) { span[i] = alphabet[rng.Next(alphabet.Length)]; }
    });
}
