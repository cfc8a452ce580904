using System.Text.Json;

namespace Ciem.Import.Aws.CloudTrail;

/// <summary>
/// Shares one string instance per distinct short value (event sources, names, regions, ARNs) so that millions of
/// events hold a few thousand strings. One per worker thread; not thread-safe. Stops adding past a bound, so an
/// input of all-distinct values costs no more than plain strings.
/// </summary>
internal sealed class StringInterner
{
    private const int MaxLength = 512;
    private const int MaxEntries = 200_000;

    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly char[] _chars = new char[MaxLength];

    public StringInterner() => _lookup = _set.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The current string token's value, interned when short.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxLength) { return reader.GetString()!; }
        var written = reader.CopyString(_chars);
        var span = _chars.AsSpan(0, written);
        if (_lookup.TryGetValue(span, out var existing)) { return existing; }
        var created = new string(span);
        if (_set.Count < MaxEntries) { _set.Add(created); }
        return created;
    }

    public string Intern(string value)
    {
        if (_lookup.TryGetValue(value.AsSpan(), out var existing)) { return existing; }
        if (_set.Count < MaxEntries) { _set.Add(value); }
        return value;
    }
}
