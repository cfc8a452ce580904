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
    public static ImportResult<GcpInventory> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    public static ImportResult<GcpInventory> Read(Stream stream, string name)
    {
        var run = new GcpRun(name);
        var records = GcpJsonRecords.Read(stream, name, run.Diagnostics, "groups");
        if (records is null) { return run.Result(GcpInventory.Empty); }
        var groups = ImmutableArray.CreateBuilder<GroupMembership>();
        foreach (var record in records)
        {
            var e = record.Element;
            var group = e.String("group");
            if (e.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(group) || e.Property("members") is not { ValueKind: JsonValueKind.Array } members)
            {
                run.Diagnostics.Error(DiagnosticCodes.GcpBadGroup, "a group membership needs `group` and a `members` array; the record was quarantined", record.Location);
                run.Quarantine(record, DiagnosticCodes.GcpBadGroup);
                continue;
            }
            var list = GcpFields.Members(members, record.Location.Under(record.Location.JsonPath + ".members"), run.Diagnostics);
            if (list is null) { run.Quarantine(record, run.LastErrorCode); continue; }
            groups.Add(new GroupMembership(group.StartsWith("group:", StringComparison.Ordinal) ? group : "group:" + group, list.Value));
            run.Imported++;
        }
        return run.Result(GcpInventory.Empty with { Groups = groups.ToImmutable() });
    }
}
