using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Usage;

/// <summary>
/// One use of a permission seen in a cloud audit log: who (and the person behind them, or empty), what, on which
/// resource, when; <see cref="ErrorCode"/> is set for a failed or denied call, which counts as an attempt, not a use.
/// </summary>
public sealed record UsageEvent(string Identity, string Person, string Action, string Resource, DateTimeOffset Time, string? ErrorCode);

/// <summary>
/// What a usage log reader found: the events plus counts of what it left out. <see cref="Records"/> counts every
/// record read; <see cref="NoIdentity"/> and <see cref="NoAction"/> are records that name no caller or no permission,
/// <see cref="InProgress"/> intermediate statuses (`Started`, `Accepted`) whose final record is counted instead,
/// <see cref="Unmapped"/> operations the catalog does not know (kept, under their own name), <see cref="Malformed"/>
/// records or lines that are not JSON objects or lack a time.
/// </summary>
public sealed record UsageLogResult(
    ImmutableArray<UsageEvent> Events,
    ImmutableArray<(string Path, long Records)> Files,
    long Records,
    long NoIdentity,
    long NoAction,
    long InProgress,
    ImmutableDictionary<string, long> Unmapped,
    long Malformed,
    ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// The record walk shared by the usage log readers: JSON Lines, one JSON array, or an object holding the records
/// (`value`, `records`, `entries`); a record wrapped in `log` (Panther's test events) is unwrapped. Never throws on
/// content: an unreadable file, line or record becomes a located diagnostic and is counted as malformed.
/// </summary>
internal static class UsageLogRecords
{
    private static readonly string[] Containers = ["value", "records", "entries"];

    public delegate void RecordHandler(JsonElement record, SourceLocation where);

    /// <summary>Calls <paramref name="handle"/> for every record of the file; returns the records seen and the malformed count.</summary>
    public static (long Records, long Malformed) Walk(string path, string badCode, DiagnosticBag diagnostics, RecordHandler handle)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(badCode, $"cannot read the file: {e.Message}", new SourceLocation(path));
            return (0, 1);
        }
        long records = 0, malformed = 0;
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty) { return (0, 0); }
        // A whole-file document first (an array, or one object pretty-printed over many lines); JSON Lines otherwise.
        if (trimmed[0] == '[' || !LooksLikeJsonLines(text))
        {
            try
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                Dispatch(document.RootElement, new SourceLocation(path, JsonPath: "$"), badCode, diagnostics, handle, ref records, ref malformed);
                return (records, malformed);
            }
            catch (JsonException e)
            {
                if (trimmed[0] == '[')
                {
                    diagnostics.Error(badCode, $"not valid JSON: {e.Message}", new SourceLocation(path, e.LineNumber + 1));
                    return (0, 1);
                }
            }
        }
        var line = 0L;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) { continue; }
            try
            {
                using var document = JsonDocument.Parse(raw);
                Dispatch(document.RootElement, new SourceLocation(path, line), badCode, diagnostics, handle, ref records, ref malformed);
            }
            catch (JsonException e)
            {
                records++;
                malformed++;
                diagnostics.Error(badCode, $"line is not valid JSON: {e.Message}", new SourceLocation(path, line));
            }
        }
        return (records, malformed);
    }

    private static bool LooksLikeJsonLines(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (end < 0 ? text : text[..end]).Trim();
        if (first.Length < 2 || first[0] != '{') { return false; }
        try
        {
            using var _ = JsonDocument.Parse(first);
            return true;
        }
        catch (JsonException) { return false; }
    }

    private static void Dispatch(JsonElement element, SourceLocation where, string badCode, DiagnosticBag diagnostics, RecordHandler handle, ref long records, ref long malformed)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Dispatch(item, where with { JsonPath = $"{where.JsonPath ?? "$"}[{i}]", Record = i }, badCode, diagnostics, handle, ref records, ref malformed);
                i++;
            }
            return;
        }
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in Containers)
            {
                if (element.TryGetProperty(name, out var inner) && inner.ValueKind == JsonValueKind.Array)
                {
                    Dispatch(inner, where with { JsonPath = $"{where.JsonPath ?? "$"}.{name}" }, badCode, diagnostics, handle, ref records, ref malformed);
                    return;
                }
            }
            records++;
            handle(element.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.Object ? log : element, where);
            return;
        }
        records++;
        malformed++;
        diagnostics.Error(badCode, $"record is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, not an object", where);
    }
}
