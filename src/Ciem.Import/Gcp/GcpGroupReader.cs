using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// Reads Google group memberships in a simple format of ours (directory import proper is another reader):
/// `[{"group": "admins@example.com", "members": ["user:alice@example.com", "group:nested@example.com"]}]`
/// (or the same records newline-delimited). `group` may carry the `group:` prefix. Members use allow-policy identifiers.
/// </summary>
public static class GcpGroupReader
{
    public static ImportResult<GcpInventory> ReadFile(string path) => GcpRun.OpenFile(path, Read);

    public static ImportResult<GcpInventory> Read(Stream stream, string name) =>
        GcpRun.ReadRecords(stream, name, ["groups"], Group, groups => GcpInventory.Empty with { Groups = groups });

    private static GroupMembership? Group(GcpJsonRecord record, GcpRun run)
    {
        var e = record.Element;
        var group = e.String("group");
        if (e.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(group) || e.Property("members") is not { ValueKind: JsonValueKind.Array } members)
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpBadGroup, "a group membership needs `group` and a `members` array; the record was quarantined", record.Location);
            return null;
        }
        var list = GcpFields.Members(members, record.Location.Under(record.Location.JsonPath + ".members"), run.Diagnostics);
        return list is null ? null : new GroupMembership(group.StartsWith("group:", StringComparison.Ordinal) ? group : "group:" + group, list.Value);
    }
}
