using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ciem.Tests;

/// <summary>The JSON Schema keywords the subsets use: type, required, properties, items, const, enum, pattern, maxLength, minItems.</summary>
internal static class SchemaSubset
{
    public static List<string> Validate(JsonElement schema, JsonElement value, string at = "$")
    {
        var errors = new List<string>();
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!)) { errors.Add($"{at}: expected {type.GetString()}"); return errors; }
        if (schema.TryGetProperty("const", out var c) && !JsonElement.DeepEquals(c, value)) { errors.Add($"{at}: expected {c.GetRawText()}"); }
        if (schema.TryGetProperty("enum", out var e) && !e.EnumerateArray().Any(x => JsonElement.DeepEquals(x, value))) { errors.Add($"{at}: {value.GetRawText()} not allowed"); }
        if (schema.TryGetProperty("pattern", out var p) && value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, p.GetString()!)) { errors.Add($"{at}: does not match {p.GetString()}"); }
        if (schema.TryGetProperty("maxLength", out var max) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > max.GetInt32()) { errors.Add($"{at}: longer than {max.GetInt32()}"); }
        if (schema.TryGetProperty("minItems", out var min) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < min.GetInt32()) { errors.Add($"{at}: fewer than {min.GetInt32()} items"); }
        if (schema.TryGetProperty("required", out var required) && value.ValueKind == JsonValueKind.Object)
        {
            errors.AddRange(required.EnumerateArray().Select(r => r.GetString()!).Where(r => !value.TryGetProperty(r, out _)).Select(r => $"{at}: `{r}` is required"));
        }
        if (schema.TryGetProperty("properties", out var properties) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (value.TryGetProperty(property.Name, out var child) && child.ValueKind != JsonValueKind.Null) { errors.AddRange(Validate(property.Value, child, $"{at}.{property.Name}")); }
            }
        }
        if (schema.TryGetProperty("items", out var items) && value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) { errors.AddRange(Validate(items, item, $"{at}[{i++}]")); }
        }
        return errors;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };
}
