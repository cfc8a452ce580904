using System.Buffers;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Aws.CloudTrail;

/// <summary>
/// Splits one (decompressed) stream into records and hands each to the parser, holding at most one record plus a
/// read block in memory. Walks the outer structure with <see cref="Utf8JsonReader"/> over a pooled buffer that is
/// refilled in place: <c>{"Records":[…]}</c>, <c>lookup-events</c> output <c>{"Events":[…]}</c>, a bare array,
/// JSON Lines (several top-level values) or a single event. A broken record in JSON Lines is skipped to the next
/// line; broken JSON inside an array ends the file (events before it are kept).
/// </summary>
internal sealed class CloudTrailStreamReader : IDisposable
{
    private const int InitialBuffer = 256 * 1024;
    private const int MaxRecordBytes = 128 * 1024 * 1024;
    private const int MaxQuarantinedChars = 16 * 1024;

    private static readonly JsonReaderOptions Options = new()
    {
        AllowMultipleValues = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // requestParameters of some services nest deeply; the default 64 would reject valid events.
        MaxDepth = 256,
    };

    private readonly Stream _stream;
    private readonly string _file;
    private readonly CloudTrailRecordParser _parser;
    private readonly Action<CloudTrailEvent> _onEvent;
    private readonly FileProblems _problems;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state = new(Options);
    private long _lines;
    private int _countedTo;
    private long _recordIndex;
    private string _arrayPath = "$";
    private Mode _mode = Mode.Top;
    private bool _arrayInContainer;
    private int _topValues;

    public CloudTrailStreamReader(Stream stream, string file, CloudTrailRecordParser parser, Action<CloudTrailEvent> onEvent, FileProblems problems)
    {
        _stream = stream;
        _file = file;
        _parser = parser;
        _onEvent = onEvent;
        _problems = problems;
    }

    private enum Mode { Top, Array, Container }

    private enum Step { Done, NeedMore, End }

    public CloudTrailFileFormat Format { get; private set; } = CloudTrailFileFormat.Empty;

    public long Events { get; private set; }

    public long Malformed { get; private set; }

    /// <summary>False when the file's JSON broke off and the rest was skipped.</summary>
    public bool Complete { get; private set; } = true;

    public void Run(CancellationToken cancellationToken)
    {
        SkipBom();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step step;
            try
            {
                step = Next();
            }
            catch (JsonException ex)
            {
                if (!Recover(ex)) { return; }
                continue;
            }
            if (step == Step.End) { return; }
            if (step == Step.NeedMore)
            {
                if (_final)
                {
                    if (_mode != Mode.Top) { Truncated(); }
                    return;
                }
                Fill();
            }
        }
    }

    private Step Next()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        if (!reader.Read()) { return _final && _mode == Mode.Top ? Step.End : Step.NeedMore; }
        switch (_mode)
        {
            case Mode.Top:
                return TopValue(ref reader);
            case Mode.Array:
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _mode = _arrayInContainer ? Mode.Container : Mode.Top;
                    Commit(ref reader);
                    return Step.Done;
                }
                return EmitValue(ref reader);
            default:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    _mode = Mode.Top;
                    Commit(ref reader);
                    return Step.Done;
                }
                var isList = reader.ValueTextEquals("Records"u8) || reader.ValueTextEquals("Events"u8);
                var listName = isList ? reader.GetString() : null;
                if (!reader.Read()) { return Step.NeedMore; }
                if (isList && reader.TokenType == JsonTokenType.StartArray)
                {
                    _mode = Mode.Array;
                    _arrayInContainer = true;
                    _arrayPath = $"$.{listName}";
                    _recordIndex = 0;
                    if (Format is CloudTrailFileFormat.Empty or CloudTrailFileFormat.RecordsObject)
                    {
                        Format = listName == "Events" ? CloudTrailFileFormat.LookupEvents : CloudTrailFileFormat.RecordsObject;
                    }
                    Commit(ref reader);
                    return Step.Done;
                }
                if (!reader.TrySkip()) { return Step.NeedMore; }
                Commit(ref reader);
                return Step.Done;
        }
    }

    private Step TopValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            _mode = Mode.Array;
            _arrayInContainer = false;
            _arrayPath = "$";
            _recordIndex = 0;
            SetFormat(CloudTrailFileFormat.Array);
            Commit(ref reader);
            return Step.Done;
        }
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var probe = reader;
            if (!probe.Read()) { return Step.NeedMore; }
            if (probe.TokenType == JsonTokenType.PropertyName
                && (probe.ValueTextEquals("Records"u8) || probe.ValueTextEquals("Events"u8) || probe.ValueTextEquals("NextToken"u8)))
            {
                _mode = Mode.Container;
                SetFormat(CloudTrailFileFormat.RecordsObject);
                Commit(ref reader);
                return Step.Done;
            }
        }
        // A top-level event (JSON Lines, or a file with one event) or a stray scalar.
        _topValues++;
        SetFormat(_topValues > 1 ? CloudTrailFileFormat.JsonLines : CloudTrailFileFormat.SingleEvent);
        _arrayPath = "";
        return EmitValue(ref reader);
    }

    private void SetFormat(CloudTrailFileFormat format)
    {
        if (Format == CloudTrailFileFormat.Empty || (Format == CloudTrailFileFormat.SingleEvent && format == CloudTrailFileFormat.JsonLines))
        {
            Format = format;
        }
    }

    /// <summary>The reader is on the first token of a value: take the whole value as one record.</summary>
    private Step EmitValue(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            if (_end - _start >= MaxRecordBytes) { throw new JsonException($"a record is larger than {MaxRecordBytes / (1024 * 1024)} MiB"); }
            return Step.NeedMore;
        }
        var record = _buffer.AsSpan(_start + start, (int)reader.BytesConsumed - start);
        var line = LineAt(_start + start);
        var index = _recordIndex++;
        Commit(ref reader);
        var ev = _parser.Parse(record, out var error);
        if (ev is not null)
        {
            Events++;
            _onEvent(ev);
        }
        else
        {
            Malformed++;
            var path = _mode == Mode.Top ? null : $"{_arrayPath}[{index}]";
            var location = new SourceLocation(_file, line, path, index);
            _problems.Add(Diagnostic.Warning(DiagnosticCodes.CloudTrailMalformedRecord, $"{error}; the record was skipped", location),
                new QuarantinedRecord(location, DiagnosticCodes.CloudTrailMalformedRecord, Truncate(record)));
        }
        return Step.Done;
    }

    /// <summary>Broken JSON: in JSON Lines skip to the next line; inside an array or object stop the file.</summary>
    private bool Recover(JsonException ex)
    {
        var line = LineAt(_start);
        if (_mode != Mode.Top)
        {
            Complete = false;
            _problems.Add(Diagnostic.Error(DiagnosticCodes.CloudTrailMalformedFile,
                $"not valid json after record {_recordIndex}: {CloudTrailRecordParser.FirstLine(ex.Message)}; the rest of the file was skipped ({Events} events before it were read)",
                new SourceLocation(_file, line, _arrayPath, _recordIndex)), null);
            return false;
        }
        Malformed++;
        var index = _recordIndex++;
        while (true)
        {
            // Start after the whitespace (and the previous line's end) that precedes the broken record.
            var content = _buffer.AsSpan(_start, _end - _start).IndexOfAnyExcept(" \t\r\n"u8);
            if (content > 0) { _start += content; }
            if (content >= 0) { line = LineAt(_start); }
            var newline = content < 0 ? -1 : _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var location = new SourceLocation(_file, line, null, index);
                _problems.Add(Diagnostic.Warning(DiagnosticCodes.CloudTrailMalformedRecord,
                    $"not valid json: {CloudTrailRecordParser.FirstLine(ex.Message)}; the line was skipped", location),
                    new QuarantinedRecord(location, DiagnosticCodes.CloudTrailMalformedRecord, Truncate(_buffer.AsSpan(_start, newline))));
                _start += newline + 1;
                _state = new JsonReaderState(Options);
                return true;
            }
            if (_final || _end - _start >= MaxRecordBytes)
            {
                Complete = false;
                _problems.Add(Diagnostic.Error(DiagnosticCodes.CloudTrailMalformedFile,
                    $"not valid json: {CloudTrailRecordParser.FirstLine(ex.Message)}; the rest of the file was skipped ({Events} events before it were read)",
                    new SourceLocation(_file, line, null, index)), null);
                return false;
            }
            Fill();
        }
    }

    private void Truncated()
    {
        Complete = false;
        _problems.Add(Diagnostic.Error(DiagnosticCodes.CloudTrailMalformedFile,
            $"the file ends in the middle of the json after record {_recordIndex} ({Events} events before it were read)",
            new SourceLocation(_file, LineAt(_end), _arrayPath, _recordIndex)), null);
    }

    private static string Truncate(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.Length > MaxQuarantinedChars ? bytes[..MaxQuarantinedChars] : bytes);

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

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
        if (read == 0) { _final = true; } else { _end += read; }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A file's diagnostics and quarantined records, capped so that a bad file cannot flood memory; counts stay exact.</summary>
internal sealed class FileProblems(string file, int maxDiagnostics, int maxQuarantined)
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
            Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CloudTrailTooManyProblems,
                $"{_dropped} more problems in this file were not listed", new SourceLocation(file)));
        }
    }
}
