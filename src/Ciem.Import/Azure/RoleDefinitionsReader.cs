using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Azure;

/// <summary>
/// Reads role definitions: `az role definition list` (an array, built-in and custom), `az role definition list
/// --name X` / one role per file (an object), or the ARM REST list `GET …/roleDefinitions` (`value` with `properties`).
/// A record without `roleName` or `permissions`, or with a non-string pattern, is quarantined.
/// </summary>
public static class RoleDefinitionsReader
{
    public static ImportResult<ImmutableArray<RoleDefinition>> Read(Stream stream, string name)
    {
        var run = NewRun();
        run.Read(stream, name, Parse);
        return run.Build();
    }

    public static ImportResult<ImmutableArray<RoleDefinition>> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var run = NewRun();
        foreach (var path in paths) { run.ReadFile(path, Parse); }
        return run.Build();
    }

    private static AzureReaderRun<RoleDefinition> NewRun() => new("role definition", r => r.Name);

    private static RoleDefinition? Parse(AzureRecord record)
    {
        var id = record.String("id");
        var guid = record.String("name") ?? (id is null ? null : AzureScope.LastSegment(id));
        var roleName = record.Required("roleName", guid is null ? "a role definition" : $"role definition `{guid}`");
        if (roleName is null) { return null; }
        if (guid is null)
        {
            record.Fail(DiagnosticCodes.AzureMissingField, $"role definition `{roleName}` has neither `name` nor `id`", record.Location);
            return null;
        }
        if (!Named(record, roleName, guid)) { return null; }
        if (record.Value("permissions") is not { ValueKind: JsonValueKind.Array } permissionsElement)
        {
            record.Fail(DiagnosticCodes.AzureMissingField, $"role definition `{roleName}` has no `permissions` array", record.At("permissions"));
            return null;
        }
        var permissions = Permissions(record, permissionsElement, record.PathOf("permissions"), $"role definition `{roleName}`");
        if (permissions is null) { return null; }
        var scopes = record.Strings(record.Properties ?? record.Element, "assignableScopes", record.PathOf("assignableScopes"));
        return new RoleDefinition(id ?? $"/providers/Microsoft.Authorization/roleDefinitions/{guid}", guid, roleName,
            record.String("roleType") ?? record.Properties?.String("type") ?? "CustomRole",
            record.String("description"), permissions.Value, scopes ?? []);
    }

    /// <summary>
    /// Role names reach generated Terraform, reports and terminals: a `roleName` outside Azure's documented limits, or
    /// a `name` (a GUID Azure assigns) with a control character or `${`, did not come from Azure.
    /// </summary>
    private static bool Named(AzureRecord record, string roleName, string guid)
    {
        if (!CloudNames.IsAzureRoleName(roleName))
        {
            record.Fail(DiagnosticCodes.AzureBadName,
                $"role definition `{CloudNames.Shown(guid)}` has a `roleName` `{CloudNames.Shown(roleName)}` outside Azure's limits "
                + $"(1 to {CloudNames.AzureRoleNameMax} characters, no control characters or `${{`)", record.At("roleName"));
            return false;
        }
        if (CloudNames.HasUnsafeText(guid) || guid.Length > 128)
        {
            record.Fail(DiagnosticCodes.AzureBadName,
                $"role definition `{CloudNames.Shown(roleName)}` has a `name` `{CloudNames.Shown(guid)}` with control characters, "
                + "`${` or more than 128 characters", record.At(record.String("name") is null ? "id" : "name"));
            return false;
        }
        return true;
    }

    /// <summary>Reads a `permissions` array (role definitions and deny assignments share it).</summary>
    internal static ImmutableArray<RolePermission>? Permissions(AzureRecord record, JsonElement array, string path, string what)
    {
        var builder = ImmutableArray.CreateBuilder<RolePermission>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                record.Fail(DiagnosticCodes.AzureBadRecord, $"permission entry of {what} must be an object", record.Location.Under(itemPath));
                return null;
            }
            var actions = record.Strings(item, "actions", itemPath);
            var notActions = record.Strings(item, "notActions", itemPath);
            var dataActions = record.Strings(item, "dataActions", itemPath);
            var notDataActions = record.Strings(item, "notDataActions", itemPath);
            if (actions is null || notActions is null || dataActions is null || notDataActions is null) { return null; }
            builder.Add(new RolePermission(actions.Value, notActions.Value, dataActions.Value, notDataActions.Value,
                item.String("condition"), item.String("conditionVersion")));
        }
        return builder.ToImmutable();
    }
}
