using System.Text;
using System.Text.Json;

namespace Ciem.Import.Aws.CloudTrail;

/// <summary>
/// Shares one string instance per distinct short value (event sources, names, regions, ARNs) so that millions of
/// events hold a few thousand strings. Looks values up by their UTF-8 bytes, so a repeated value costs a hash of its
/// bytes and no transcoding. One per worker thread; not thread-safe. Stops adding past a bound, so an input of
/// all-distinct values costs no more than plain strings.
/// </summary>
internal sealed class StringInterner
{
    private const int MaxLength = 512;
    private const int MaxEntries = 200_000;

    private readonly ByteKeyedCache<string> _byBytes = new(MaxEntries, MaxLength);

    /// <summary>The current string token's value, interned when short and unescaped.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength) { return reader.GetString()!; }
        var bytes = reader.ValueSpan;
        if (_byBytes.TryGet(bytes, out var existing)) { return existing!; }
        var created = Encoding.UTF8.GetString(bytes);
        _byBytes.Add(bytes, created);
        return created;
    }
}
