using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// Reads custom roles as `gcloud iam roles describe ROLE --project=P|--organization=O --format=json` prints them
/// (one object, a JSON array, newline-delimited, or the REST list response with `view=FULL`: `{"roles": […]}`).
/// `gcloud iam roles list` prints roles without `includedPermissions`: such a record is quarantined with a hint.
/// </summary>
public static class GcpRoleReader
{
    public static ImportResult<GcpInventory> ReadFile(string path) => GcpRun.OpenFile(path, Read);

    /// <summary>A role that appears twice keeps its first record; the later one is skipped with a warning.</summary>
    public static ImportResult<GcpInventory> Read(Stream stream, string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return GcpRun.ReadRecords(stream, name, ["roles"], (record, run) =>
        {
            var role = Role(record, run.Diagnostics);
            if (role is null || seen.Add(role.Name)) { return role; }
            run.Diagnostics.Warning(DiagnosticCodes.GcpDuplicate, $"role `{role.Name}` appears again; this later record was skipped", record.Location);
            run.SkipRecord();
            return null;
        }, roles => GcpInventory.Empty with { CustomRoles = roles });
    }

    private static CustomRoleDefinition? Role(GcpJsonRecord record, DiagnosticBag diagnostics)
    {
        var e = record.Element;
        var at = record.Location;
        var name = e.String("name");
        if (e.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(name))
        {
            diagnostics.Error(DiagnosticCodes.GcpMissingField, "a role needs a `name`; the record was quarantined", at);
            return null;
        }
        if (!name.Contains("/roles/", StringComparison.Ordinal) && !name.StartsWith("roles/", StringComparison.Ordinal))
        {
            diagnostics.Error(DiagnosticCodes.GcpBadRole, $"`{name}` is not a role name (`projects/P/roles/R`, `organizations/O/roles/R`); the record was quarantined", at.Under(at.JsonPath + ".name"));
            return null;
        }
        if (!GcpNames.RoleName(name, diagnostics, at.Under(at.JsonPath + ".name"))) { return null; }
        if (e.Property("includedPermissions") is not { } included)
        {
            if (e.Bool("deleted") == true) { return new CustomRoleDefinition(name, e.String("title") ?? "", e.String("stage") ?? "", [], true); }
            diagnostics.Error(DiagnosticCodes.GcpBadRole,
                $"role `{name}` has no `includedPermissions` (`gcloud iam roles list` omits them: use `gcloud iam roles describe`); the record was quarantined", at);
            return null;
        }
        if (included.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Error(DiagnosticCodes.GcpBadRole, $"`includedPermissions` of role `{name}` must be an array; the record was quarantined", at.Under(at.JsonPath + ".includedPermissions"));
            return null;
        }
        var permissions = ImmutableArray.CreateBuilder<string>();
        var i = 0;
        foreach (var p in included.EnumerateArray())
        {
            var text = p.ValueKind == JsonValueKind.String ? p.GetString()! : null;
            if (text is null || text.Split('.').Length < 3 || text.Any(char.IsWhiteSpace))
            {
                diagnostics.Error(DiagnosticCodes.GcpBadRole,
                    $"permission {i} of role `{name}` is not `service.resource.verb`; the record was quarantined", at.Under($"{at.JsonPath}.includedPermissions[{i}]"));
                return null;
            }
            permissions.Add(text);
            i++;
        }
        return new CustomRoleDefinition(name, e.String("title") ?? "", e.String("stage") ?? "", permissions.ToImmutable(), e.Bool("deleted") == true);
    }
}
