using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ciem.App.Reports;

/// <summary>The JSON every output of ours is written with: camelCase, indented, ISO 8601 dates.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>The same, one document per line (JSON Lines).</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    /// <summary>
    /// One document of parts (objects written with <see cref="Options"/>; a null part adds nothing): their properties in
    /// order, as one object declaring them all would be written, so that documents share the parts they have in common.
    /// </summary>
    /// <exception cref="ArgumentException">two parts name the same property, or a part is not an object.</exception>
    public static JsonObject Join(params ReadOnlySpan<object?> parts)
    {
        var joined = new JsonObject();
        foreach (var part in parts)
        {
            if (part is null) { continue; }
            if (JsonSerializer.SerializeToNode(part, Options) is not JsonObject node)
            {
                throw new ArgumentException($"a part of type `{part.GetType().Name}` is not written as a JSON object", nameof(parts));
            }
            foreach (var (name, value) in node.ToList())
            {
                node.Remove(name);
                joined.Add(name, value);
            }
        }
        return joined;
    }
}
