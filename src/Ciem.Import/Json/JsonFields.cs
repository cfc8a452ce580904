using System.Globalization;
using System.Text.Json;

namespace Ciem.Import.Json;

/// <summary>Tolerant accessors for optional fields of export records.</summary>
internal static class JsonFields
{
    public static string? String(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static IEnumerable<(JsonElement Item, int Index)> Items(this JsonElement element, string name)
    {
        if (element.Property(name) is not { ValueKind: JsonValueKind.Array } array) { yield break; }
        var i = 0;
        foreach (var item in array.EnumerateArray()) { yield return (item, i++); }
    }

    /// <summary>
    /// A `{"key": "value"}` object (Azure `tags`, GCP `labels`) as a dictionary, or null when absent or null; numbers and
    /// booleans keep their JSON text, nested objects and arrays are not tag values and are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? StringMap(this JsonElement element, string name)
    {
        if (element.Property(name) is not { ValueKind: JsonValueKind.Object } map) { return null; }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String) { result[entry.Name] = entry.Value.GetString()!; }
            else if (entry.Value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) { result[entry.Name] = entry.Value.GetRawText(); }
        }
        return result;
    }

    public static int? Int(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var value) ? value : null;

    public static bool? Bool(this JsonElement element, string name) =>
        element.Property(name) is { } b && b.ValueKind is JsonValueKind.True or JsonValueKind.False ? b.GetBoolean() : null;

    /// <summary>Parses both ISO-8601 (<c>2021-03-13T18:40:54Z</c>) and boto3's <c>2023-03-09 10:41:45+00:00</c>.</summary>
    public static bool TryDate(string? text, out DateTimeOffset? date)
    {
        date = null;
        if (text is null) { return true; }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            date = parsed;
            return true;
        }
        return false;
    }
}
