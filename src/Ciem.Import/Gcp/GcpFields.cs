using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// Field access that accepts both spellings Google's tools write: snake_case (Cloud Asset Inventory v1 exports,
/// Forseti) and camelCase (REST, `gcloud --format=json`). Validation of the shared shapes — bindings, members,
/// conditions — lives here so that every reader rejects the same things with the same messages.
/// </summary>
internal static class GcpFields
{
    public static JsonElement? Get(this JsonElement element, string snake, string camel) => element.Property(snake) ?? element.Property(camel);

    public static string? Text(this JsonElement element, string snake, string camel) => element.String(snake) ?? element.String(camel);

    /// <summary>Reads an IAM policy's bindings; a malformed binding fails the whole policy (returns null) with a located error.</summary>
    public static ImmutableArray<IamBinding>? Bindings(JsonElement policy, SourceLocation at, string path, DiagnosticBag diagnostics)
    {
        var bindings = ImmutableArray.CreateBuilder<IamBinding>();
        var list = policy.Property("bindings");
        if (list is { } l && l.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Error(DiagnosticCodes.GcpBadBinding, $"`bindings` must be an array, not {l.ValueKind}; the record was quarantined", at.Under($"{path}.bindings"));
            return null;
        }
        foreach (var (binding, index) in policy.Items("bindings"))
        {
            var where = at.Under($"{path}.bindings[{index}]");
            var role = binding.String("role");
            if (string.IsNullOrWhiteSpace(role))
            {
                diagnostics.Error(DiagnosticCodes.GcpBadBinding, $"binding {index} has no `role`; the record was quarantined", where);
                return null;
            }
            if (binding.Property("members") is not { ValueKind: JsonValueKind.Array } membersElement)
            {
                diagnostics.Error(DiagnosticCodes.GcpBadBinding, $"binding {index} (`{role}`) has no `members` array; the record was quarantined", where);
                return null;
            }
            var members = Members(membersElement, where.Under($"{where.JsonPath}.members"), diagnostics);
            if (members is null) { return null; }
            IamCondition? condition = null;
            if (binding.Property("condition") is { } c)
            {
                condition = Condition(c, where.Under($"{where.JsonPath}.condition"), diagnostics);
                if (condition is null) { return null; }
            }
            bindings.Add(new IamBinding(role, members.Value, condition));
        }
        return bindings.ToImmutable();
    }

    /// <summary>Member identifiers: strings, non-empty; an unknown prefix is kept with a warning (it evaluates as undecidable).</summary>
    public static ImmutableArray<string>? Members(JsonElement array, SourceLocation at, DiagnosticBag diagnostics)
    {
        var members = ImmutableArray.CreateBuilder<string>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                diagnostics.Error(DiagnosticCodes.GcpBadMember, $"member {i} is not a non-empty string; the record was quarantined", at.Under($"{at.JsonPath}[{i}]"));
                return null;
            }
            var member = item.GetString()!.Trim();
            var colon = member.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && string.IsNullOrWhiteSpace(member[(colon + 1)..]))
            {
                // `user:`, `group:` … with nothing after the type: no principal at all (a truncated or templated export).
                diagnostics.Error(DiagnosticCodes.GcpBadMember, $"member {i} `{member}` names a type but no principal; the record was quarantined",
                    at.Under($"{at.JsonPath}[{i}]"));
                return null;
            }
            if (GcpMembers.KindOf(member) == GcpMemberKind.Unknown)
            {
                diagnostics.Warning(DiagnosticCodes.GcpBadMember, $"unknown member type `{member}`; it is kept and evaluates as undecidable", at.Under($"{at.JsonPath}[{i}]"));
            }
            members.Add(member);
            i++;
        }
        return members.ToImmutable();
    }

    public static IamCondition? Condition(JsonElement condition, SourceLocation at, DiagnosticBag diagnostics)
    {
        var expression = condition.String("expression");
        if (condition.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(expression))
        {
            diagnostics.Error(DiagnosticCodes.GcpBadBinding, "a condition needs an `expression` string; the record was quarantined", at);
            return null;
        }
        return new IamCondition(expression, condition.String("title"), condition.String("description"));
    }

    public static ImmutableArray<string> Strings(JsonElement element, string snake, string camel) =>
        element.Get(snake, camel) is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}

/// <summary>Counts and quarantine for one reader run, and the record loop every GCP reader shares.</summary>
internal sealed class GcpRun(string file)
{
    private bool _skip;

    /// <summary>Opens a file and reads it with <paramref name="read"/>.</summary>
    public static ImportResult<GcpInventory> OpenFile(string path, Func<Stream, string, ImportResult<GcpInventory>> read)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = InputFiles.OpenRead(path);
        return read(stream, path);
    }

    /// <summary>
    /// Splits the input into records and parses each: a value is imported; null quarantines the record (the parser
    /// has added the error) unless the parser called <see cref="SkipRecord"/>.
    /// </summary>
    public static ImportResult<GcpInventory> ReadRecords<T>(Stream stream, string name, string[] wrappers,
        Func<GcpJsonRecord, GcpRun, T?> parse, Func<ImmutableArray<T>, GcpInventory> build)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        var run = new GcpRun(name);
        var records = GcpJsonRecords.Read(stream, name, run.Diagnostics, wrappers);
        if (records is null) { return run.Result(GcpInventory.Empty); }
        var items = ImmutableArray.CreateBuilder<T>();
        foreach (var record in records)
        {
            if (parse(record, run) is { } item)
            {
                items.Add(item);
                run.Imported++;
            }
            else if (run._skip) { run._skip = false; run.Skipped++; }
            else { run.Quarantine(record, run.LastErrorCode); }
        }
        return run.Result(build(items.ToImmutable()));
    }

    /// <summary>Marks the record being parsed as redundant: counted as skipped, not quarantined.</summary>
    public void SkipRecord() => _skip = true;

    public string File { get; } = file;

    public DiagnosticBag Diagnostics { get; } = new();

    public List<QuarantinedRecord> Quarantined { get; } = [];

    public int Imported { get; private set; }

    public int Skipped { get; private set; }

    public void Quarantine(GcpJsonRecord record, string code)
    {
        Quarantined.Add(new QuarantinedRecord(record.Location, code, record.Element.GetRawText()));
    }

    public ImportResult<GcpInventory> Result(GcpInventory inventory) =>
        new(inventory, Diagnostics, new ImportCounts(Imported, Skipped, Quarantined.Count), [.. Quarantined], [File]);

    /// <summary>The code of the last error diagnostic (what a quarantined record is filed under).</summary>
    public string LastErrorCode => Diagnostics.LastError?.Code ?? DiagnosticCodes.GcpUnknownRecord;
}
