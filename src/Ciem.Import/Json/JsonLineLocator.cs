using System.Text;
using System.Text.Json;

namespace Ciem.Import.Json;

/// <summary>Finds the line of a value given by a JSON path such as `$.resource_changes[3].change.after.policy`.</summary>
public static class JsonLineLocator
{
    /// <summary>The line of the value at <paramref name="path"/>, else of its closest enclosing value (a path into a policy held as a JSON string ends at that string).</summary>
    public static long? LineOfClosest(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (var p = path; p.Length > 1; p = p[..Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['))])
        {
            if (LineOf(json, p) is { } line) { return line; }
            if (Math.Max(p.LastIndexOf('.'), p.LastIndexOf('[')) <= 0) { break; }
        }
        return null;
    }

    /// <returns>the 1-based line where the value starts, or null when the path is not in the document or the text is not JSON.</returns>
    public static long? LineOf(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var stack = new List<(bool IsArray, int Index, string Path)>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        continue;
                }
                var current = "$";
                if (stack.Count > 0)
                {
                    var top = stack[^1];
                    current = top.IsArray ? $"{top.Path}[{top.Index}]" : $"{top.Path}.{property}";
                    if (top.IsArray) { stack[^1] = top with { Index = top.Index + 1 }; }
                }
                if (current == path) { return bytes.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n') + 1; }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) { stack.Add((reader.TokenType == JsonTokenType.StartArray, 0, current)); }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }
}
