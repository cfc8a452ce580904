using System.Text.Json;

namespace Ciem.Import.Json;

/// <summary>
/// Pull-reads a JSON stream token by token with a growing buffer, so that a large export is never held in
/// memory whole: the caller walks the outer structure and materialises one record at a time with
/// <see cref="ReadValue"/>. Accepts several top-level values one after the other (concatenated pages).
/// Malformed or truncated input throws <see cref="JsonException"/>; readers turn it into a diagnostic.
/// </summary>
internal sealed class JsonStream
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowMultipleValues = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state = new(Options);

    /// <summary>Reads <paramref name="stream"/> as UTF-8 (transcoded from UTF-16; invalid UTF-8 rejected with its line).</summary>
    public JsonStream(Stream stream) => _stream = Utf8InputStream.Wrap(stream, Utf8Check.Reject);

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The property name or string value of the current token; null for other tokens.</summary>
    public string? Text { get; private set; }

    /// <summary>Advances one token; false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                TokenType = reader.TokenType;
                Text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? JsonText.GetString(ref reader) : null;
                Commit(ref reader);
                return true;
            }
            if (_final) { return false; }
            Fill();
        }
    }

    /// <summary>
    /// Reads the next value (an array element or a property's value) into its own document, or returns null
    /// and consumes the closing bracket when the enclosing array or object ends.
    /// </summary>
    public JsonDocument? ReadValue() => ReadValueUnless(t => t is JsonTokenType.EndArray or JsonTokenType.EndObject);

    /// <summary>Consumes a <c>[</c> and returns null, or reads any other value into a document.</summary>
    public JsonDocument? ReadValueOrArrayStart() => ReadValueUnless(t => t == JsonTokenType.StartArray);

    /// <summary>Reads the next value into a document, unless its first token is one that <paramref name="consumeOnly"/> accepts.</summary>
    private JsonDocument? ReadValueUnless(Func<JsonTokenType, bool> consumeOnly)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                if (consumeOnly(reader.TokenType))
                {
                    TokenType = reader.TokenType;
                    Text = null;
                    Commit(ref reader);
                    return null;
                }
                var value = _buffer.AsSpan(_start, _end - _start);
                if (JsonDocument.TryParseValue(ref reader, out var document))
                {
                    var raw = value[..(int)reader.BytesConsumed];
                    Commit(ref reader);
                    JsonText.CheckStrings(raw, document);
                    return document;
                }
            }
            if (_final) { throw new JsonException("the input ends in the middle of a value"); }
            Fill();
        }
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) { Array.Resize(ref _buffer, _buffer.Length * 2); }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) { _final = true; } else { _end += read; }
    }
}
