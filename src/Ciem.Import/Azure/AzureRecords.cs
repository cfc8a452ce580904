using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Azure;

/// <summary>
/// One record of `az` CLI or ARM REST output with its location. Fields are looked up on the record first (the CLI's
/// flattened camelCase) and then under `properties` (the ARM REST shape), so both read the same.
/// </summary>
internal sealed class AzureRecord(JsonElement element, SourceLocation location)
{
    private readonly List<Diagnostic> _diagnostics = [];

    public JsonElement Element => element;

    public SourceLocation Location => location;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public string FailureCode { get; private set; } = DiagnosticCodes.AzureBadRecord;

    public JsonElement? Properties => element.Property("properties") is { ValueKind: JsonValueKind.Object } p ? p : null;

    public string? String(string name) => element.String(name) ?? Properties?.String(name);

    public JsonElement? Value(string name) => element.Property(name) ?? Properties?.Property(name);

    public string PathOf(string name) =>
        element.Property(name) is null && Properties?.Property(name) is not null ? $"{location.JsonPath}.properties.{name}" : $"{location.JsonPath}.{name}";

    public SourceLocation At(string name) => location.Under(PathOf(name));

    public bool? Bool(string name) => Value(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } b ? b.GetBoolean() : null;

    public string? Required(string name, string what)
    {
        if (String(name) is { Length: > 0 } value) { return value; }
        Fail(DiagnosticCodes.AzureMissingField, $"{what} has no `{name}`", location);
        return null;
    }

    /// <summary>A scope-valued field: must start with `/`.</summary>
    public string? Scope(string name, string what)
    {
        var value = Required(name, what);
        if (value is null) { return null; }
        if (!value.StartsWith('/'))
        {
            Fail(DiagnosticCodes.AzureBadScope, $"{what} has scope `{value}`, which does not start with `/`", At(name));
            return null;
        }
        return value;
    }

    /// <summary>The `principalId`, `roleDefinitionId` and `/`-rooted `scope` every kind of assignment has; false (quarantine) if one is missing.</summary>
    public bool Assignment(string what, out string principalId, out string roleDefinitionId, out string scope)
    {
        principalId = Required("principalId", what) ?? "";
        roleDefinitionId = principalId.Length == 0 ? "" : Required("roleDefinitionId", what) ?? "";
        scope = roleDefinitionId.Length == 0 ? "" : Scope("scope", what) ?? "";
        return scope.Length > 0;
    }

    public DateTimeOffset? Date(string name)
    {
        var text = String(name);
        if (JsonFields.TryDate(text, out var date)) { return date; }
        _diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.AzureBadDate, $"`{text}` is not a date; `{name}` was left empty", At(name)));
        return null;
    }

    /// <summary>An array of strings; null (and a failure) when it holds anything else.</summary>
    public ImmutableArray<string>? Strings(JsonElement owner, string name, string ownerPath)
    {
        if (owner.Property(name) is not { } array) { return []; }
        if (array.ValueKind != JsonValueKind.Array)
        {
            Fail(DiagnosticCodes.AzureBadRecord, $"`{name}` must be an array of strings, not {array.ValueKind.ToString().ToLowerInvariant()}", location.Under($"{ownerPath}.{name}"));
            return null;
        }
        var builder = ImmutableArray.CreateBuilder<string>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                Fail(DiagnosticCodes.AzureBadRecord, $"`{name}` must hold strings; item {i} is {item.ValueKind.ToString().ToLowerInvariant()}", location.Under($"{ownerPath}.{name}[{i}]"));
                return null;
            }
            builder.Add(item.GetString()!);
            i++;
        }
        return builder.ToImmutable();
    }

    public void Fail(string code, string message, SourceLocation at)
    {
        FailureCode = code;
        _diagnostics.Add(Diagnostic.Error(code, $"{message}; the record was quarantined", at));
    }

    public void Warn(string code, string message, SourceLocation at) => _diagnostics.Add(Diagnostic.Warning(code, message, at));
}

/// <summary>
/// The envelope shared by every Azure reader: a file holds a JSON array of records (`az … list`), an ARM list
/// response `{"value": [...], "nextLink": …}`, or one record (`az … show`, one role per file). A file that is not JSON
/// imports nothing; a bad record is quarantined and counted; a duplicate (same key, ignoring case) is skipped.
/// </summary>
internal sealed class AzureReaderRun<T>(string what, Func<T, string> key, bool warnDuplicates = true)
{
    private readonly Dictionary<string, T> _items = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<T> _ordered = [];
    private readonly List<QuarantinedRecord> _quarantine = [];
    private readonly List<string> _files = [];
    private int _skipped;

    public DiagnosticBag Diagnostics { get; } = new();

    public int Skipped => _skipped;

    public void ReadFile(string path, Func<AzureRecord, T?> parse)
    {
        using var stream = InputFiles.OpenRead(path, 1 << 16);
        Read(stream, path, parse);
    }

    public void Read(Stream stream, string name, Func<AzureRecord, T?> parse) =>
        Visit(stream, name, record =>
        {
            if (parse(record) is not { } value) { return false; }
            Add(value, record.Location);
            return true;
        });

    /// <summary>Visits each record; <paramref name="visit"/> adds what it finds and returns false to quarantine the record.</summary>
    public void Visit(Stream stream, string name, Func<AzureRecord, bool> visit)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _files.Add(name);
        JsonDocument document;
        try
        {
            document = JsonText.Parse(stream);
        }
        catch (JsonException ex)
        {
            Diagnostics.Error(DiagnosticCodes.AzureNotJson,
                $"not valid json, so nothing from this file was imported: {PolicyText.FirstLine(ex.Message)}",
                new SourceLocation(name, ex.LineNumber is { } l ? l + 1 : null));
            _skipped++;
            return;
        }
        using (document)
        {
            foreach (var (element, path) in Records(document.RootElement, name))
            {
                var record = new AzureRecord(element, new SourceLocation(name, JsonPath: path));
                var ok = element.ValueKind == JsonValueKind.Object && visit(record);
                if (element.ValueKind != JsonValueKind.Object)
                {
                    record.Fail(DiagnosticCodes.AzureBadRecord, $"a {what} must be a json object, not {element.ValueKind.ToString().ToLowerInvariant()}", record.Location);
                }
                Diagnostics.AddRange(record.Diagnostics);
                if (!ok) { _quarantine.Add(new QuarantinedRecord(record.Location, record.FailureCode, element.GetRawText())); }
            }
        }
    }

    public void Add(T value, SourceLocation location)
    {
        if (!_items.TryAdd(key(value), value))
        {
            _skipped++;
            if (!warnDuplicates) { return; }
            Diagnostics.Warning(DiagnosticCodes.AzureDuplicate, $"{what} `{key(value)}` appears more than once; the first was kept", location);
            return;
        }
        _ordered.Add(value);
    }

    public ImportResult<ImmutableArray<T>> Build() =>
        new([.. _ordered], Diagnostics, new ImportCounts(_ordered.Count, _skipped, _quarantine.Count), [.. _quarantine], [.. _files]);

    private IEnumerable<(JsonElement Element, string Path)> Records(JsonElement root, string name)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in root.EnumerateArray()) { yield return (item, $"$[{i++}]"); }
        }
        else if (root.ValueKind == JsonValueKind.Object && root.Property("value") is { ValueKind: JsonValueKind.Array } value)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) { yield return (item, $"$.value[{i++}]"); }
        }
        else if (root.ValueKind == JsonValueKind.Object)
        {
            yield return (root, "$");
        }
        else
        {
            Diagnostics.Error(DiagnosticCodes.AzureUnknownFormat,
                $"expected a json array, an object with `value`, or one {what} object, not {root.ValueKind.ToString().ToLowerInvariant()}, so nothing was imported",
                new SourceLocation(name, JsonPath: "$"));
            _skipped++;
        }
    }
}
