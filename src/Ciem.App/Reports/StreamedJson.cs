using System.Text.Json;

namespace Ciem.App.Reports;

/// <summary>
/// A large JSON output written a value at a time: a document whose lists are written one element at a time and
/// flushed after each (<see cref="Array{T}"/>), or JSON Lines (<see cref="Line{T}"/>), so memory does not grow with
/// the number of rows. Written with <see cref="ReportJson"/>'s options, so the bytes are those
/// <see cref="JsonSerializer"/> writes for the whole document at once.
/// </summary>
public sealed class StreamedJson : IDisposable
{
    private readonly Stream _output;
    private readonly JsonSerializerOptions _options;

    public StreamedJson(Stream output, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _options = options ?? ReportJson.Options;
        Writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = _options.WriteIndented,
            Encoder = _options.Encoder,
            IndentCharacter = _options.IndentCharacter,
            IndentSize = _options.IndentSize,
            NewLine = _options.NewLine,
        });
    }

    /// <summary>The writer, for the document's own structure (objects, property names, nulls).</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>A property of the open object, its value serialised whole (a small value: a summary, a list of names).</summary>
    public void Property<T>(string name, T value)
    {
        Writer.WritePropertyName(name);
        JsonSerializer.Serialize(Writer, value, _options);
    }

    /// <summary>A list property of the open object, each element serialised and flushed to the output as it is made.</summary>
    public void Array<T>(string name, IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Writer.WritePropertyName(name);
        Writer.WriteStartArray();
        foreach (var item in items)
        {
            JsonSerializer.Serialize(Writer, item, _options);
            Flush();
        }
        Writer.WriteEndArray();
    }

    /// <summary>One JSON Lines line: <c>{"type":TYPE,…the value's properties}</c> and a line feed, flushed.</summary>
    public void Line<T>(string type, T value)
    {
        using var document = JsonSerializer.SerializeToDocument(value, _options);
        Writer.WriteStartObject();
        Writer.WriteString("type", type);
        foreach (var property in document.RootElement.EnumerateObject()) { property.WriteTo(Writer); }
        Writer.WriteEndObject();
        Writer.Flush();
        Writer.Reset();
        _output.Write("\n"u8);
        _output.Flush();
    }

    /// <summary>Writes what the writer holds to the output and flushes the output.</summary>
    public void Flush()
    {
        Writer.Flush();
        _output.Flush();
    }

    public void Dispose() => Writer.Dispose();
}

/// <summary>A write-only stream that decodes UTF-8 into a <see cref="TextWriter"/> (pieces may split a character).</summary>
internal sealed class TextWriterStream(TextWriter output) : Stream
{
    private readonly System.Text.Decoder _decoder = System.Text.Encoding.UTF8.GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var needed = _decoder.GetCharCount(buffer, flush: false);
        if (needed > _chars.Length) { _chars = new char[needed]; }
        var written = _decoder.GetChars(buffer, _chars, flush: false);
        output.Write(_chars, 0, written);
    }

    public override void Flush() => output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
