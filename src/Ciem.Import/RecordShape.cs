using System.Collections.Immutable;
using System.Text.Json;

namespace Ciem.Import;

/// <param name="TopNames">the document's top-level property names (empty unless it is an object).</param>
/// <param name="RecordNames">the first record's property names, with those under `properties`.</param>
/// <param name="Type">the first record's `type`, if any.</param>
/// <param name="IsEmpty">the document holds no record (`[]`, `{"value": []}`).</param>
/// <param name="Name">the first record's `name`, if any.</param>
public sealed record RecordShape(ImmutableHashSet<string> TopNames, ImmutableHashSet<string> RecordNames, string? Type, bool IsEmpty, string? Name = null)
{
    /// <summary>
    /// The shape of a file's first record: the top-level property names of the document, the property names of its
    /// first record (an array's first item, or the first item of a list wrapper such as `value` or `results`, or the
    /// object itself) including those under `properties`, and the record's `type`. Null when the file is not JSON
    /// (nor newline-delimited JSON); <see cref="IsEmpty"/> when it holds no record at all.
    /// </summary>
    public static RecordShape? Of(string path, params string[] wrappers)
    {
        byte[] bytes;
        try { bytes = InputFiles.ReadAllUtf8(path); }
        catch (IOException) { return null; }
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, options);
        }
        catch (JsonException)
        {
            // Newline-delimited JSON: the first non-empty line is the first record.
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            if (first is null) { return null; }
            try { document = JsonDocument.Parse(first, options); }
            catch (JsonException) { return null; }
        }
        using (document)
        {
            var root = document.RootElement;
            var top = root.ValueKind == JsonValueKind.Object ? root.EnumerateObject().Select(p => p.Name).ToImmutableHashSet(StringComparer.Ordinal) : [];
            JsonElement? record = root.ValueKind switch
            {
                JsonValueKind.Array => root.GetArrayLength() > 0 ? root[0] : null,
                JsonValueKind.Object => wrappers.Concat(["value"]).Select(w => root.TryGetProperty(w, out var list) && list.ValueKind == JsonValueKind.Array ? list : (JsonElement?)null)
                    .FirstOrDefault(l => l is not null) is { } wrapped ? (wrapped.GetArrayLength() > 0 ? wrapped[0] : null) : root,
                _ => null,
            };
            if (record is not { ValueKind: JsonValueKind.Object } r) { return new RecordShape(top, [], null, IsEmpty: record is null); }
            var names = r.EnumerateObject().Select(p => p.Name).ToList();
            if (r.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                names.AddRange(properties.EnumerateObject().Select(p => p.Name));
            }
            var type = r.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var name = r.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return new RecordShape(top, [.. names], type, IsEmpty: false, name);
        }
    }

    public bool Has(string name) => RecordNames.Contains(name);

    public bool TypeIs(string suffix) => Type is not null && Type.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}
