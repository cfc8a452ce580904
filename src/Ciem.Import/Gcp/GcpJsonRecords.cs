using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>One record of an input file with where it was: line, record index and JSON path.</summary>
internal readonly record struct GcpJsonRecord(JsonElement Element, SourceLocation Location);

/// <summary>
/// Splits a GCP input into records whatever its framing: a JSON array (`gcloud … --format=json`), newline-delimited
/// JSON (Cloud Asset Inventory exports to Cloud Storage), a single object, or a REST response wrapping the list
/// (`{"results": […]}`, `{"policies": […]}`, `{"roles": […]}`, `{"assets": […]}`). Invalid JSON anywhere rejects the
/// whole file with a located error, so that nothing is half-imported.
/// </summary>
internal static class GcpJsonRecords
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowMultipleValues = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static List<GcpJsonRecord>? Read(Stream stream, string file, DiagnosticBag diagnostics, params string[] wrappers)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        var input = Utf8InputStream.Wrap(stream, Utf8Check.Reject);
        try
        {
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        catch (JsonException ex)
        {
            diagnostics.Error(Core.Diagnostics.DiagnosticCodes.GcpNotJson,
                $"{PolicyText.FirstLine(ex.Message)}; nothing from this file was imported", new SourceLocation(file, ex.LineNumber + 1));
            return null;
        }
        if (bytes.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            diagnostics.Error(Core.Diagnostics.DiagnosticCodes.GcpNotJson, "the file is empty: it holds no json; nothing was imported", new SourceLocation(file, 1));
            return null;
        }
        const int start = 0;
        var lines = new Lines(bytes);
        var records = new List<GcpJsonRecord>();
        var reader = new Utf8JsonReader(bytes.AsSpan(start), Options);
        var topLevel = 0;
        try
        {
            while (reader.Read())
            {
                var offset = start + reader.TokenStartIndex;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    var index = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var at = start + reader.TokenStartIndex;
                        using var item = JsonDocument.ParseValue(ref reader);
                        if (input.SawSurrogateEscape) { JsonText.CheckStrings(item); }
                        records.Add(new(item.RootElement.Clone(), new SourceLocation(file, lines.At(at), $"$[{index}]", records.Count)));
                        index++;
                    }
                }
                else
                {
                    using var document = JsonDocument.ParseValue(ref reader);
                    if (input.SawSurrogateEscape) { JsonText.CheckStrings(document); }
                    var root = document.RootElement;
                    var wrapper = wrappers.FirstOrDefault(w => root.Property(w) is { ValueKind: JsonValueKind.Array });
                    if (wrapper is not null)
                    {
                        foreach (var (item, index) in root.Items(wrapper))
                        {
                            records.Add(new(item.Clone(), new SourceLocation(file, lines.At(offset), $"$.{wrapper}[{index}]", records.Count)));
                        }
                    }
                    else
                    {
                        records.Add(new(root.Clone(), new SourceLocation(file, lines.At(offset), topLevel == 0 ? "$" : $"$ (value {topLevel + 1})", records.Count)));
                    }
                }
                topLevel++;
            }
        }
        catch (JsonException ex)
        {
            var at = start + (int)Math.Min(reader.BytesConsumed, bytes.Length - start);
            diagnostics.Error(Core.Diagnostics.DiagnosticCodes.GcpNotJson,
                $"not valid json: {PolicyText.FirstLine(ex.Message)}; nothing from this file was imported", new SourceLocation(file, ex.LineNumber is { } l ? l + 1 : lines.At(at)));
            return null;
        }
        return records;
    }

    /// <summary>Byte offset → 1-based line number.</summary>
    private sealed class Lines
    {
        private readonly List<int> _starts = [0];

        public Lines(byte[] bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n') { _starts.Add(i + 1); }
            }
        }

        public long At(long offset)
        {
            var index = _starts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
