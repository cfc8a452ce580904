using System.Text.Json;

namespace Ciem.Import.Json;

/// <summary>
/// Strings of untrusted JSON that .NET cannot turn into a string: an escaped lone surrogate (`"\ud800"`) is valid
/// JSON syntax but not Unicode, and <see cref="Utf8JsonReader.GetString"/> and <see cref="JsonElement.GetString"/>
/// throw <see cref="InvalidOperationException"/> on it. These helpers turn that into a located
/// <see cref="JsonException"/>, which every reader already reports as bad input.
/// </summary>
internal static class JsonText
{
    /// <summary>The options every whole-document reader parses exports with.</summary>
    public static readonly JsonDocumentOptions ExportOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Parses a whole input: UTF-16 transcoded, a byte order mark dropped, invalid UTF-8 and unreadable strings
    /// rejected with a located <see cref="JsonException"/>.
    /// </summary>
    public static JsonDocument Parse(Stream stream) => Parse(stream, ExportOptions);

    public static JsonDocument Parse(Stream stream, JsonDocumentOptions options)
    {
        var input = Utf8InputStream.Wrap(stream, Utf8Check.Reject);
        var document = JsonDocument.Parse(input, options);
        if (input.SawSurrogateEscape)
        {
            try { CheckStrings(document); }
            catch (JsonException) { document.Dispose(); throw; }
        }
        return document;
    }

    public static string? GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"a string is not valid unicode: {PolicyText.FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>Throws when a string or property name of the document cannot be read (checked only when the raw text holds a surrogate escape).</summary>
    public static void CheckStrings(ReadOnlySpan<byte> raw, JsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!HasSurrogateEscape(raw)) { return; }
        if (FirstUnreadable(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            throw new JsonException($"the string at `{path}` is not valid unicode (an escaped lone surrogate)");
        }
    }

    /// <summary>The same check for a whole document parsed from text.</summary>
    public static void CheckStrings(JsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (FirstUnreadable(document.RootElement, "$") is { } path)
        {
            throw new JsonException($"the string at `{path}` is not valid unicode (an escaped lone surrogate)");
        }
    }

    /// <summary>True when the bytes hold `\uD8..`–`\uDF..`, the only escapes that can encode a lone surrogate.</summary>
    public static bool HasSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        var at = 0;
        while (at < raw.Length)
        {
            var i = raw[at..].IndexOf("\\u"u8);
            if (i < 0) { return false; }
            at += i + 2;
            if (at + 1 < raw.Length && (raw[at] | 0x20) == 'd' && raw[at + 1] is >= (byte)'8' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F')
            {
                return true;
            }
        }
        return false;
    }

    private static string? FirstUnreadable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try { _ = element.GetString(); return null; }
                catch (InvalidOperationException) { return path; }
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return path + ".<name>"; }
                    if (FirstUnreadable(property.Value, $"{path}.{name}") is { } found) { return found; }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnreadable(item, $"{path}[{index++}]") is { } found) { return found; }
                }
                return null;
            default:
                return null;
        }
    }
}
