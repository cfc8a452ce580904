using System.Buffers;
using System.Text;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Json;

/// <summary>Turns the bytes of one record into a <typeparamref name="T"/>; one instance per worker thread.</summary>
internal interface IJsonRecordParser<T> where T : class
{
    /// <summary>Parses one complete JSON value; on failure returns null and says why (lowercase, no final period, `not valid json…` for syntax).</summary>
    T? Parse(ReadOnlySpan<byte> json, out string? error);

    /// <summary>Parses the JSON value at the start of <paramref name="json"/>, which may be followed by anything; <paramref name="consumed"/> is its length on success.</summary>
    T? ParsePrefix(ReadOnlySpan<byte> json, out string? error, out int consumed);
}

/// <summary>How a file was laid out, as <see cref="JsonRecordStreamReader{T}"/> found it.</summary>
internal enum JsonRecordLayout
{
    /// <summary>No JSON value at all.</summary>
    Empty,
    /// <summary>An object whose member (one of <see cref="JsonRecordFormat.Containers"/>) holds the records.</summary>
    Container,
    /// <summary>A bare JSON array of records.</summary>
    Array,
    /// <summary>One record per line (several top-level values).</summary>
    JsonLines,
    /// <summary>A file holding one record.</summary>
    Single,
}

/// <summary>
/// What a log format looks like to <see cref="JsonRecordStreamReader{T}"/>: the member names of a top-level object that
/// hold the records (`Records`, `records`, `value`, `entries`), the names that mark such an object even when they come
/// first (`NextToken`, `nextLink`, `nextPageToken`), and the diagnostic codes of the source.
/// </summary>
internal sealed class JsonRecordFormat
{
    public JsonRecordFormat(IEnumerable<string> containers, IEnumerable<string> markers, string malformedRecord, string malformedFile, string tooManyProblems)
    {
        Containers = [.. containers.Select(Encoding.UTF8.GetBytes)];
        Markers = [.. Containers, .. markers.Select(Encoding.UTF8.GetBytes)];
        MalformedRecord = malformedRecord;
        MalformedFile = malformedFile;
        TooManyProblems = tooManyProblems;
    }

    public byte[][] Containers { get; }

    public byte[][] Markers { get; }

    public string MalformedRecord { get; }

    public string MalformedFile { get; }

    public string TooManyProblems { get; }

    /// <summary>The first line of an exception message in the diagnostics' style (lowercase, no final period).</summary>
    public static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].TrimEnd('.', ' ', '\r');
        return line.Length > 0 ? char.ToLowerInvariant(line[0]) + line[1..] : line;
    }

    public static bool Contains(byte[][] names, ReadOnlySpan<byte> name)
    {
        foreach (var n in names)
        {
            if (name.SequenceEqual(n)) { return true; }
        }
        return false;
    }
}

/// <summary>
/// Splits one (decompressed) stream into records and hands each to the parser, holding at most one record plus a
/// read block in memory. Records are framed by a light scan for brackets and strings over a pooled buffer that is
/// refilled in place (vectorised searches, no tokenising), so every byte is tokenised once, by the parser, which also
/// validates it. Layouts: an object holding the records in one of the format's container members
/// (<c>{"Records":[…]}</c>, <c>{"records":[…]}</c>, <c>{"value":[…]}</c>, <c>{"entries":[…]}</c>), a bare array,
/// JSON Lines (several top-level values) or a single record. A broken line in JSON Lines is skipped to the next line;
/// broken structure inside an array ends the file (records before it are kept). Used by CloudTrail and by the Azure
/// Activity Log and GCP audit log readers.
/// </summary>
internal sealed class JsonRecordStreamReader<T> : IDisposable where T : class
{
    private const int InitialBuffer = 256 * 1024;
    private const int MaxRecordBytes = 128 * 1024 * 1024;
    private const int MaxBrokenLineLookahead = 1024 * 1024;
    private const int MaxQuarantinedChars = 16 * 1024;

    private static readonly SearchValues<byte> Structural = SearchValues.Create("{}[]\""u8);
    private static readonly SearchValues<byte> StringStop = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> ScalarStop = SearchValues.Create(",]} \t\r\n"u8);

    private readonly Stream _stream;
    private readonly string _file;
    private readonly IJsonRecordParser<T> _parser;
    private readonly Action<T> _onEvent;
    private readonly FileProblems _problems;
    private readonly JsonRecordFormat _format;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;
    private bool _final;
    private long _lines;
    private int _countedTo;
    private long _recordIndex;
    private string _arrayPath = "$";
    private Mode _mode = Mode.Top;
    private bool _arrayInContainer;
    private int _topValues;

    public JsonRecordStreamReader(Stream stream, string file, JsonRecordFormat format, IJsonRecordParser<T> parser, Action<T> onEvent, FileProblems problems)
    {
        _format = format;
        _stream = stream;
        _file = file;
        _parser = parser;
        _onEvent = onEvent;
        _problems = problems;
    }

    private enum Mode { Top, Array, Container }

    private enum Step { Done, NeedMore, End }

    public JsonRecordLayout Format { get; private set; } = JsonRecordLayout.Empty;

    /// <summary>The container member whose array was read (`Records`, `Events`, `records`…), when the layout is <see cref="JsonRecordLayout.Container"/>.</summary>
    public string? ContainerName { get; private set; }

    /// <summary>Bytes read from the (decompressed) stream.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Records parsed (and handed on).</summary>
    public long Events { get; private set; }

    public long Malformed { get; private set; }

    /// <summary>False when the file's JSON broke off and the rest was skipped.</summary>
    public bool Complete { get; private set; } = true;

    /// <summary>The file was read to its end, and its last line is cut: JSON that does not end, with no line break after it.</summary>
    public bool LastLineCut { get; private set; }

    /// <summary>Every record of the file was read whole: the JSON did not break off, and the last line is not cut.</summary>
    public bool Whole => Complete && !LastLineCut;

    public void Run(CancellationToken cancellationToken)
    {
        SkipBom();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = Next();
            if (step == Step.End) { return; }
            if (step == Step.NeedMore)
            {
                if (_final)
                {
                    FileError($"the file ends in the middle of the json after record {_recordIndex}");
                    return;
                }
                Fill();
            }
        }
    }

    private ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    private Step Next()
    {
        var whitespace = Available.IndexOfAnyExcept(" \t\r\n"u8);
        if (whitespace < 0)
        {
            _start = _end;
            return _final ? (_mode == Mode.Top ? Step.End : Step.NeedMore) : Step.NeedMore;
        }
        _start += whitespace;
        var span = Available;
        switch (_mode)
        {
            case Mode.Top:
                if (span[0] == (byte)'[')
                {
                    _start++;
                    EnterArray("$", inContainer: false);
                    SetFormat(JsonRecordLayout.Array);
                    return Step.Done;
                }
                if (span[0] == (byte)'{')
                {
                    var container = FirstNameIsMarker(span, out var complete);
                    if (!complete && !_final) { return Step.NeedMore; }
                    if (container)
                    {
                        _start++;
                        _mode = Mode.Container;
                        SetFormat(JsonRecordLayout.Container);
                        return Step.Done;
                    }
                }
                _topValues++;
                SetFormat(_topValues > 1 ? JsonRecordLayout.JsonLines : JsonRecordLayout.Single);
                return EmitValue();
            case Mode.Array:
                if (span[0] == (byte)']')
                {
                    _start++;
                    _mode = _arrayInContainer ? Mode.Container : Mode.Top;
                    return Step.Done;
                }
                if (span[0] == (byte)',')
                {
                    _start++;
                    return Step.Done;
                }
                return EmitValue();
            default:
                return ContainerMember(span);
        }
    }

    /// <summary>In the top-level object: `}`, `,`, or a member; a container member's array is entered, others skipped.</summary>
    private Step ContainerMember(ReadOnlySpan<byte> span)
    {
        if (span[0] == (byte)'}')
        {
            _start++;
            _mode = Mode.Top;
            return Step.Done;
        }
        if (span[0] == (byte)',')
        {
            _start++;
            return Step.Done;
        }
        if (span[0] != (byte)'"')
        {
            FileError($"expected a member name, found `{(char)span[0]}`");
            return Step.End;
        }
        var nameEnd = StringEnd(span, 1);
        if (nameEnd < 0) { return Step.NeedMore; }
        var colon = NextNonWhitespace(span, nameEnd + 1);
        if (colon < 0) { return Step.NeedMore; }
        var value = NextNonWhitespace(span, colon + 1);
        if (value < 0) { return Step.NeedMore; }
        if (span[colon] != (byte)':')
        {
            FileError("expected `:` after a member name");
            return Step.End;
        }
        var name = span[1..nameEnd];
        if (span[value] == (byte)'[' && JsonRecordFormat.Contains(_format.Containers, name))
        {
            ContainerName = Encoding.UTF8.GetString(name);
            _start += value + 1;
            EnterArray("$." + ContainerName, inContainer: true);
            return Step.Done;
        }
        var end = ValueEnd(span, value);
        if (end == -1) { return Step.NeedMore; }
        if (end < 0)
        {
            FileError("unexpected closing bracket");
            return Step.End;
        }
        _start += end;
        return Step.Done;
    }

    private void EnterArray(string path, bool inContainer)
    {
        _mode = Mode.Array;
        _arrayInContainer = inContainer;
        _arrayPath = path;
        _recordIndex = 0;
    }

    private void SetFormat(JsonRecordLayout format)
    {
        if (Format == JsonRecordLayout.Empty || (Format == JsonRecordLayout.Single && format == JsonRecordLayout.JsonLines))
        {
            Format = format;
        }
    }

    /// <summary>The reader is at the first byte of a value: frame it, parse it, count it.</summary>
    private Step EmitValue()
    {
        var span = Available;
        if (span[0] == (byte)'{' && _parser.ParsePrefix(span, out _, out var consumed) is { } parsed)
        {
            // Fast path: a complete, valid event at the front of the buffer, tokenised once. Anything else
            // (an incomplete record at the buffer's end, a bad record) is framed by the scan below and reported.
            LineAt(_start);
            _recordIndex++;
            _start += consumed;
            Events++;
            _onEvent(parsed);
            return Step.Done;
        }
        var end = ValueEnd(span, 0);
        if (end == -1 && !_final)
        {
            // A broken JSON line swallows the lines after it; do not read far to find out.
            if (_mode == Mode.Top && span.Length > MaxBrokenLineLookahead && span.IndexOf((byte)'\n') >= 0) { return SkipBrokenLine("not valid json: the value does not end"); }
            if (span.Length >= MaxRecordBytes)
            {
                FileError($"a record is larger than {MaxRecordBytes / (1024 * 1024)} MiB");
                return Step.End;
            }
            return Step.NeedMore;
        }
        if (end < 0)
        {
            if (_mode == Mode.Top)
            {
                return SkipBrokenLine(end == -1 ? "not valid json: the input ends inside the value" : "not valid json: unexpected closing bracket", cut: end == -1);
            }
            FileError(end == -1 ? $"the file ends in the middle of record {_recordIndex}" : $"unexpected closing bracket after record {_recordIndex}");
            return Step.End;
        }
        var record = span[..end];
        var ev = _parser.Parse(record, out var error);
        if (ev is null && _mode == Mode.Top && record.IndexOf((byte)'\n') >= 0 && error!.StartsWith("not valid json", StringComparison.Ordinal))
        {
            return SkipBrokenLine(error);
        }
        var line = LineAt(_start);
        var index = _recordIndex++;
        _start += end;
        if (ev is not null)
        {
            Events++;
            _onEvent(ev);
            return Step.Done;
        }
        Malformed++;
        var path = _mode == Mode.Top ? null : $"{_arrayPath}[{index}]";
        var location = new SourceLocation(_file, line, path, index);
        _problems.Add(Diagnostic.Warning(_format.MalformedRecord, $"{error}; the record was skipped", location),
            new QuarantinedRecord(location, _format.MalformedRecord, Truncate(record)));
        return Step.Done;
    }

    /// <summary>
    /// JSON Lines: the current line is one broken record; skip it and go on with the next line. A last line
    /// <paramref name="cut"/> by the end of the file (its JSON does not end, no line break follows) is a log still being
    /// appended to, or copied in part: the file is then not complete, so it is not recorded as read, and its lines are
    /// counted once, when the whole file is read after the line was completed.
    /// </summary>
    private Step SkipBrokenLine(string error, bool cut = false)
    {
        var line = LineAt(_start);
        var index = _recordIndex++;
        Malformed++;
        var newline = Available.IndexOf((byte)'\n');
        var length = newline < 0 ? _end - _start : newline;
        var location = new SourceLocation(_file, line, null, index);
        var last = cut && _final && newline < 0;
        if (last) { LastLineCut = true; }
        var skipped = last ? "the last line is cut (no line break, the json does not end): the file is read again once it is complete"
            : "the line was skipped";
        _problems.Add(Diagnostic.Warning(_format.MalformedRecord, $"{JsonRecordFormat.FirstLine(error)}; {skipped}", location),
            new QuarantinedRecord(location, _format.MalformedRecord, Truncate(Available[..length])));
        _start += newline < 0 ? length : newline + 1;
        return Step.Done;
    }

    private void FileError(string message)
    {
        Complete = false;
        _problems.Add(Diagnostic.Error(_format.MalformedFile,
            $"{message}; the rest of the file was skipped ({Events} records before it were read)",
            new SourceLocation(_file, LineAt(_start), _mode == Mode.Top ? null : _arrayPath, _recordIndex)), null);
    }

    /// <summary>Whether an object's first member names a container or marker; <paramref name="complete"/> is false when the span needs more bytes to tell.</summary>
    private bool FirstNameIsMarker(ReadOnlySpan<byte> span, out bool complete)
    {
        complete = false;
        var quote = NextNonWhitespace(span, 1);
        if (quote < 0) { return false; }
        complete = true;
        if (span[quote] != (byte)'"') { return false; }
        var end = StringEnd(span, quote + 1);
        if (end < 0)
        {
            complete = false;
            return false;
        }
        return JsonRecordFormat.Contains(_format.Markers, span[(quote + 1)..end]);
    }

    /// <summary>
    /// The offset just past the value starting at <paramref name="start"/>: -1 when the span ends first, -2 at a closing
    /// bracket that closes nothing. Only brackets and strings are followed; the parser validates the rest.
    /// </summary>
    private static int ValueEnd(ReadOnlySpan<byte> span, int start)
    {
        var first = span[start];
        if (first == (byte)'"')
        {
            var close = StringEnd(span, start + 1);
            return close < 0 ? -1 : close + 1;
        }
        if (first is (byte)'}' or (byte)']') { return -2; }
        if (first is not ((byte)'{' or (byte)'['))
        {
            var stop = span[start..].IndexOfAny(ScalarStop);
            return stop < 0 ? -1 : start + Math.Max(stop, 1);
        }
        var depth = 0;
        var position = start;
        while (true)
        {
            var next = span[position..].IndexOfAny(Structural);
            if (next < 0) { return -1; }
            position += next;
            var b = span[position];
            if (b == (byte)'"')
            {
                var close = StringEnd(span, position + 1);
                if (close < 0) { return -1; }
                position = close + 1;
                continue;
            }
            position++;
            if (b is (byte)'{' or (byte)'[') { depth++; }
            else if (--depth == 0) { return position; }
        }
    }

    /// <summary>The offset of the quote closing a string whose content starts at <paramref name="from"/>; -1 if not in the span.</summary>
    private static int StringEnd(ReadOnlySpan<byte> span, int from)
    {
        while (from < span.Length)
        {
            var next = span[from..].IndexOfAny(StringStop);
            if (next < 0) { return -1; }
            var at = from + next;
            if (span[at] == (byte)'"') { return at; }
            from = at + 2;
        }
        return -1;
    }

    private static int NextNonWhitespace(ReadOnlySpan<byte> span, int from)
    {
        if (from >= span.Length) { return -1; }
        var next = span[from..].IndexOfAnyExcept(" \t\r\n"u8);
        return next < 0 ? -1 : from + next;
    }

    private static string Truncate(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.Length > MaxQuarantinedChars ? bytes[..MaxQuarantinedChars] : bytes);

    /// <summary>1-based line of a buffer position; positions are asked in increasing order.</summary>
    private long LineAt(int position)
    {
        if (position > _countedTo)
        {
            _lines += _buffer.AsSpan(_countedTo, position - _countedTo).Count((byte)'\n');
            _countedTo = position;
        }
        return _lines + 1;
    }

    private void SkipBom()
    {
        while (!_final && _end < 3) { Fill(); }
        if (_buffer.AsSpan(0, _end).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) { _start = 3; _countedTo = 3; }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            LineAt(_start);
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _countedTo -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) { _final = true; } else { _end += read; BytesRead += read; }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A file's diagnostics and quarantined records, capped so that a bad file cannot flood memory; counts stay exact.</summary>
internal sealed class FileProblems(string file, int maxDiagnostics, int maxQuarantined, string tooManyCode)
{
    private int _dropped;

    public List<Diagnostic> Diagnostics { get; } = [];

    public List<QuarantinedRecord> Quarantined { get; } = [];

    public void Add(Diagnostic diagnostic, QuarantinedRecord? record)
    {
        if (Diagnostics.Count < maxDiagnostics) { Diagnostics.Add(diagnostic); } else { _dropped++; }
        if (record is not null && Quarantined.Count < maxQuarantined) { Quarantined.Add(record); }
    }

    public void Finish()
    {
        if (_dropped > 0)
        {
            Diagnostics.Add(Diagnostic.Warning(tooManyCode,
                $"{_dropped} more problems in this file were not listed", new SourceLocation(file)));
        }
    }
}
