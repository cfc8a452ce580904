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
