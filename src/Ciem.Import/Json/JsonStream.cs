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
    private bool _started;
    private JsonReaderState _state = new(Options);

    public JsonStream(Stream stream) => _stream = stream;

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The property name or string value of the current token; null for other tokens.</summary>
    public string? Text { get; private set; }

    /// <summary>Advances one token; false at the end of the input.</summary>
    public bool Read()
    {
        EnsureStarted();
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                TokenType = reader.TokenType;
                Text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString() : null;
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
        EnsureStarted();
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
                if (JsonDocument.TryParseValue(ref reader, out var document))
                {
                    Commit(ref reader);
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

    private void EnsureStarted()
    {
        if (_started) { return; }
        _started = true;
        while (!_final && _end < 4) { Fill(); }
        var head = _buffer.AsSpan(0, _end);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) { _start = 3; }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new JsonException("the file is utf-16 (as written by Windows PowerShell `>`); save it as utf-8");
        }
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
