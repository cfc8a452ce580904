using System.IO.Compression;
using System.Security.Cryptography;

namespace Ciem.Import.Json;

/// <summary>
/// What reading one log file gave: its layout, whether it was gzip, records and malformed records, whether its JSON ran
/// to the end, whether it failed to read (I/O error, corrupt gzip), and the SHA-256 of its bytes as stored.
/// </summary>
internal sealed record JsonLogFileRead(JsonRecordLayout Layout, string? Container, bool Compressed, long Records, long Malformed, bool Complete, bool Failed,
    long Size, DateTimeOffset LastWriteTimeUtc, string? Sha256);

/// <summary>
/// Opens one log file (plain or gzip, told by its first bytes, never by its name) and streams its records through
/// <see cref="JsonRecordStreamReader{T}"/>, hashing the bytes on the way when asked. An unreadable or corrupt file
/// (an I/O error, a truncated or damaged gzip stream) becomes one located error in <see cref="FileProblems"/>; the
/// records handed on before the damage stay handed on, and the result says the file was not complete.
/// </summary>
internal static class JsonLogFile
{
    public static JsonLogFileRead Read<T>(string path, JsonRecordFormat format, IJsonRecordParser<T> parser, Action<T> onRecord, bool hash,
        FileProblems problems, string unreadableCode, CancellationToken cancellationToken) where T : class
    {
        JsonRecordStreamReader<T>? reader = null;
        var compressed = false;
        long size = 0;
        var time = DateTimeOffset.MinValue;
        try
        {
            var info = new FileInfo(path);
            size = info.Length;
            time = info.LastWriteTimeUtc;
            using var file = InputFiles.OpenRead(path, bufferSize: 0);
            using var hashing = new HashingStream(file, hash);
            compressed = IsGzip(file);
            using var decoded = compressed ? new GZipStream(hashing, CompressionMode.Decompress, leaveOpen: true) : (Stream)hashing;
            using var source = new Utf8InputStream(decoded, Utf8Check.Count);
            reader = new JsonRecordStreamReader<T>(source, path, format, parser, onRecord, problems);
            reader.Run(cancellationToken);
            ReportReplaced(source, path, problems);
            hashing.Drain();
            if (compressed && reader.Complete && !TrailerMatches(file, reader.BytesRead))
            {
                throw new InvalidDataException("the gzip stream ends before its trailer, or its size does not match: the file is truncated or damaged");
            }
            return new JsonLogFileRead(reader.Format, reader.ContainerName, compressed, reader.Events, reader.Malformed, reader.Whole, false, size, time, hashing.Hash());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // InvalidDataException: a corrupt gzip stream. Records read before the damage were delivered.
            var records = reader?.Events ?? 0;
            problems.Add(Core.Diagnostics.Diagnostic.Error(unreadableCode,
                $"cannot read the file: {JsonRecordFormat.FirstLine(ex.Message)}" + (records > 0 ? $" ({records} records before the damage were read)" : ""),
                new Core.Diagnostics.SourceLocation(path)), null);
            return new JsonLogFileRead(reader?.Format ?? JsonRecordLayout.Empty, reader?.ContainerName, compressed, records, reader?.Malformed ?? 0, false, true, size, time, null);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>Says how many invalid UTF-8 sequences the records' strings had replaced by U+FFFD.</summary>
    private static void ReportReplaced(Utf8InputStream source, string path, FileProblems problems)
    {
        if (source.FirstInvalid is not { } first) { return; }
        problems.Add(Core.Diagnostics.Diagnostic.Warning(Core.Diagnostics.DiagnosticCodes.InputInvalidUtf8,
            $"{source.InvalidSequences} invalid utf-8 sequences (the first at byte {first.Offset}): strings holding them were read " +
            "with U+FFFD, or their records counted as malformed",
            new Core.Diagnostics.SourceLocation(path, first.Line)), null);
    }

    /// <summary>
    /// A gzip stream ends with the uncompressed size modulo 2^32 (RFC 1952 ISIZE); a truncated file, which the decoder
    /// simply ends early, does not. (A file of several concatenated gzip members carries only the last member's size,
    /// so such a file is reported too: a false alarm that loses nothing, since every record read is kept.)
    /// </summary>
    private static bool TrailerMatches(FileStream file, long decompressed)
    {
        if (file.Length < 18) { return false; }
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer) == (uint)decompressed;
    }

    /// <summary>Peeks the gzip magic (1f 8b) and rewinds; the stream must be seekable.</summary>
    public static bool IsGzip(Stream stream)
    {
        Span<byte> head = stackalloc byte[2];
        var position = stream.Position;
        var read = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        stream.Position = position;
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }

    /// <summary>Passes reads through while hashing the bytes (SHA-256) for the file's fingerprint.</summary>
    private sealed class HashingStream(Stream inner, bool enabled) : Stream
    {
        private readonly IncrementalHash? _hash = enabled ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _hash?.AppendData(buffer[..read]);
            return read;
        }

        /// <summary>Reads what the decoder left (gzip trailers, trailing bytes) so the hash covers the whole file.</summary>
        public void Drain()
        {
            if (_hash is null) { return; }
            Span<byte> rest = stackalloc byte[4096];
            while (Read(rest) > 0) { }
        }

        public string? Hash() => _hash is null ? null : Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) { _hash?.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
