using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Ciem.Import.Json;

/// <summary>
/// Hands a reader UTF-8 whatever text encoding the file uses: a UTF-8 byte order mark is dropped, UTF-16 (with a
/// byte order mark, or told by the zero bytes of ASCII JSON — Windows PowerShell's `&gt;` writes it) is transcoded,
/// and UTF-8 is checked as it passes, in vectorised blocks. <see cref="Utf8Check.Reject"/> stops at the first invalid
/// sequence with a <see cref="JsonException"/> that names its line and byte offset (the readers turn it into their
/// not-json diagnostic); <see cref="Utf8Check.Count"/> lets the bytes through and counts the invalid sequences, for
/// readers that keep every readable record and say how many sequences were replaced.
/// </summary>
internal sealed class Utf8InputStream : Stream
{
    private readonly Utf8Check _check;
    private Stream _inner;
    private bool _started;
    private readonly byte[] _carry = new byte[8];
    private int _carryLength;
    private readonly byte[] _tail = new byte[5];
    private int _tailLength;
    private long _offset;
    private long _lines;

    public Utf8InputStream(Stream inner, Utf8Check check)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _check = check;
    }

    /// <summary>Wraps a stream unless it is one already.</summary>
    public static Utf8InputStream Wrap(Stream stream, Utf8Check check) =>
        stream as Utf8InputStream ?? new Utf8InputStream(stream, check);

    /// <summary>The encoding the input was transcoded from (`utf-16le`, `utf-16be`), or null for UTF-8.</summary>
    public string? TranscodedFrom { get; private set; }

    /// <summary>Invalid UTF-8 sequences let through (<see cref="Utf8Check.Count"/> only).</summary>
    public long InvalidSequences { get; private set; }

    /// <summary>
    /// True once the text holds an escape that may encode a lone surrogate (`\uD800`): valid JSON that .NET cannot
    /// turn into a string, so such a document has its strings checked (<see cref="JsonText.CheckStrings(JsonDocument)"/>).
    /// </summary>
    public bool SawSurrogateEscape { get; private set; }

    /// <summary>The byte offset and line (1-based) of the first invalid sequence, when there was one.</summary>
    public (long Offset, long Line)? FirstInvalid { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _offset; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Logs (Count) are UTF-8 by the services' definition and their byte counts must match the gzip trailer.
        if (!_started) { _started = true; if (_check != Utf8Check.Count) { Start(); } }
        var read = _inner.Read(buffer);
        if (_check == Utf8Check.None) { return read; }
        if (read == 0)
        {
            if (_carryLength > 0) { Invalid(_offset - _carryLength, 0); _carryLength = 0; }
            return 0;
        }
        Check(buffer[..read]);
        if (!SawSurrogateEscape) { SawSurrogateEscape = SurrogateEscapeIn(buffer[..read]); }
        return read;
    }

    /// <summary>Looks at the first bytes for a byte order mark or UTF-16, then reads on through the right decoder.</summary>
    private void Start()
    {
        var head = new byte[4];
        var got = _inner.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, got);
        Encoding? utf16 = null;
        var skip = 0;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) { skip = 3; }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) { utf16 = Encoding.Unicode; skip = 2; }
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) { utf16 = Encoding.BigEndianUnicode; skip = 2; }
        else if (got == 4 && span[0] != 0 && span[1] == 0 && span[2] != 0 && span[3] == 0) { utf16 = Encoding.Unicode; }
        else if (got == 4 && span[0] == 0 && span[1] != 0 && span[2] == 0 && span[3] != 0) { utf16 = Encoding.BigEndianUnicode; }
        Stream rest = new PrefixedStream(head.AsSpan(skip, got - skip).ToArray(), _inner);
        if (utf16 is not null)
        {
            TranscodedFrom = utf16.CodePage == Encoding.Unicode.CodePage ? "utf-16le" : "utf-16be";
            rest = Encoding.CreateTranscodingStream(rest, utf16, new UTF8Encoding(false), leaveOpen: true);
        }
        _inner = rest;
    }

    private void Check(Span<byte> block)
    {
        var start = 0;
        if (_carryLength > 0)
        {
            // Complete the sequence the previous block ended in.
            var take = Math.Min(block.Length, 4 - _carryLength);
            block[..take].CopyTo(_carry.AsSpan(_carryLength));
            var status = Rune.DecodeFromUtf8(_carry.AsSpan(0, _carryLength + take), out _, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData)
            {
                _carryLength += take;
                Advance(block[..take]);
                return;
            }
            if (status != System.Buffers.OperationStatus.Done) { Invalid(_offset - _carryLength, 0); }
            start = Math.Max(0, consumed - _carryLength);
            _carryLength = 0;
        }
        var rest = block[start..];
        var complete = CompleteLength(rest);
        if (!Utf8.IsValid(rest[..complete])) { Locate(rest[..complete], _offset + start, block[..start]); }
        rest[complete..].CopyTo(_carry);
        _carryLength = rest.Length - complete;
        Advance(block);
    }

    /// <summary>Looks for a surrogate escape in the block, including one that starts in the previous block's last bytes.</summary>
    private bool SurrogateEscapeIn(ReadOnlySpan<byte> block)
    {
        Span<byte> seam = stackalloc byte[10];
        _tail.AsSpan(0, _tailLength).CopyTo(seam);
        var head = Math.Min(block.Length, 5);
        block[..head].CopyTo(seam[_tailLength..]);
        var found = JsonText.HasSurrogateEscape(seam[..(_tailLength + head)]) || JsonText.HasSurrogateEscape(block);
        _tailLength = Math.Min(block.Length, 5);
        block[^_tailLength..].CopyTo(_tail);
        return found;
    }

    private void Advance(ReadOnlySpan<byte> bytes)
    {
        _lines += bytes.Count((byte)'\n');
        _offset += bytes.Length;
    }

    /// <summary>The length of the block without a multi-byte sequence cut off at its end.</summary>
    private static int CompleteLength(ReadOnlySpan<byte> block)
    {
        for (var i = block.Length - 1; i >= Math.Max(0, block.Length - 3); i--)
        {
            var b = block[i];
            if ((b & 0xC0) == 0x80) { continue; }
            if (b < 0x80) { return block.Length; }
            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return block.Length - i < needed ? i : block.Length;
        }
        return block.Length;
    }

    /// <summary>Finds each invalid sequence of a block (the slow path: only blocks that hold one come here).</summary>
    private void Locate(ReadOnlySpan<byte> bytes, long blockOffset, ReadOnlySpan<byte> before)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                Invalid(blockOffset + i, before.Count((byte)'\n') + bytes[..i].Count((byte)'\n'));
            }
            i += Math.Max(1, consumed);
        }
    }

    private void Invalid(long offset, long linesIntoBlock)
    {
        var line = _lines + linesIntoBlock + 1;
        FirstInvalid ??= (offset, line);
        InvalidSequences++;
        if (_check == Utf8Check.Reject)
        {
            throw new JsonException($"the file is not valid utf-8: an invalid byte sequence at byte {offset} (line {line})",
                null, line - 1, null);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The bytes read ahead to find the encoding, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return inner.Read(buffer);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>What <see cref="Utf8InputStream"/> does with invalid UTF-8.</summary>
internal enum Utf8Check
{
    /// <summary>Stop with a located error: the reader imports nothing from the file.</summary>
    Reject,
    /// <summary>
    /// Let the bytes through and count them: the reader replaces them and says how many. The input is taken as
    /// UTF-8 as it is (no transcoding), so that its byte counts stay those of the file.
    /// </summary>
    Count,
    /// <summary>Only transcode (UTF-16, byte order mark): a first look at a file, whose reader checks it later.</summary>
    None,
}
