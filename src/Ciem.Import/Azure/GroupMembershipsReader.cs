using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Azure;

/// <summary>
/// Reads group memberships: a JSON object keyed by principal object id whose values are what Microsoft Graph
/// `GET /directoryObjects/{id}/transitiveMemberOf` returns (`{"value": [{"@odata.type": "#microsoft.graph.group",
/// "id": …}, …]}`), that `value` array alone, or an array of group ids. Entries that are not groups (directory roles,
/// administrative units) are skipped and counted.
/// </summary>
public static class GroupMembershipsReader
{
    public static ImportResult<ImmutableArray<KeyValuePair<string, ImmutableArray<string>>>> Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var diagnostics = new DiagnosticBag();
        var result = ImmutableArray.CreateBuilder<KeyValuePair<string, ImmutableArray<string>>>();
        var quarantine = new List<QuarantinedRecord>();
        int skipped = 0;
        try
        {
            using var document = JsonText.Parse(stream);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(DiagnosticCodes.AzureUnknownFormat, "expected a json object keyed by principal id, so nothing was imported", new SourceLocation(name, JsonPath: "$"));
                return new([], diagnostics, new ImportCounts(0, 1, 0), [], [name]);
            }
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var path = $"$['{member.Name}']";
                var items = member.Value.ValueKind == JsonValueKind.Array ? member.Value : member.Value.Property("value");
                if (items is not { ValueKind: JsonValueKind.Array } array)
                {
                    diagnostics.Error(DiagnosticCodes.AzureBadRecord,
                        $"memberships of `{member.Name}` must be an array or a graph response with `value`; the record was quarantined", new SourceLocation(name, JsonPath: path));
                    quarantine.Add(new QuarantinedRecord(new SourceLocation(name, JsonPath: path), DiagnosticCodes.AzureBadRecord, member.Value.GetRawText()));
                    continue;
                }
                var groups = ImmutableArray.CreateBuilder<string>();
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String) { groups.Add(item.GetString()!); continue; }
                    var type = item.String("@odata.type");
                    if (item.String("id") is { } id && (type is null || type.Equals("#microsoft.graph.group", StringComparison.OrdinalIgnoreCase)))
                    {
                        groups.Add(id);
                    }
                    else
                    {
                        skipped++;
                    }
                }
                result.Add(KeyValuePair.Create(member.Name, groups.ToImmutable()));
            }
        }
        catch (JsonException ex)
        {
            diagnostics.Error(DiagnosticCodes.AzureNotJson, $"not valid json, so nothing from this file was imported: {PolicyText.FirstLine(ex.Message)}",
                new SourceLocation(name, ex.LineNumber is { } l ? l + 1 : null));
            return new([], diagnostics, new ImportCounts(0, 1, 0), [], [name]);
        }
        return new(result.ToImmutable(), diagnostics, new ImportCounts(result.Count, skipped, quarantine.Count), [.. quarantine], [name]);
    }
}
