using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Azure;

/// <summary>
/// Reads deny assignments: the ARM REST list `GET {scope}/providers/Microsoft.Authorization/denyAssignments` (`value`
/// with `properties`: `denyAssignmentName`, `permissions`, `scope`, `principals`, `excludePrincipals`,
/// `doNotApplyToChildScopes`, `isSystemProtected`) or the same records flattened. A record without `scope`,
/// `permissions` or `principals` is quarantined.
/// </summary>
public static class DenyAssignmentsReader
{
    public static ImportResult<ImmutableArray<DenyAssignment>> Read(Stream stream, string name)
    {
        var run = new AzureReaderRun<DenyAssignment>("deny assignment", d => d.Id);
        run.Read(stream, name, Parse);
        return run.Build();
    }

    private static DenyAssignment? Parse(AzureRecord record)
    {
        var id = record.String("id") ?? record.String("name");
        var what = id is null ? "a deny assignment" : $"deny assignment `{id}`";
        var scope = record.Scope("scope", what);
        if (scope is null) { return null; }
        if (record.Value("permissions") is not { ValueKind: JsonValueKind.Array } permissionsElement)
        {
            record.Fail(DiagnosticCodes.AzureMissingField, $"{what} has no `permissions` array", record.At("permissions"));
            return null;
        }
        var permissions = RoleDefinitionsReader.Permissions(record, permissionsElement, record.PathOf("permissions"), what);
        if (permissions is null) { return null; }
        if (record.Value("principals") is not { ValueKind: JsonValueKind.Array } principalsElement)
        {
            record.Fail(DiagnosticCodes.AzureMissingField, $"{what} has no `principals` array", record.At("principals"));
            return null;
        }
        var principals = Principals(record, principalsElement, record.PathOf("principals"), what);
        var excluded = record.Value("excludePrincipals") is { ValueKind: JsonValueKind.Array } excludedElement
            ? Principals(record, excludedElement, record.PathOf("excludePrincipals"), what)
            : [];
        if (principals is null || excluded is null) { return null; }
        var name = record.String("denyAssignmentName") ?? record.String("name") ?? id ?? scope;
        return new DenyAssignment(id ?? $"{scope}/providers/Microsoft.Authorization/denyAssignments/{name}", name, scope,
            permissions.Value, principals.Value, excluded.Value, record.Bool("doNotApplyToChildScopes") ?? false,
            record.String("description"), record.Bool("isSystemProtected") ?? false, record.String("condition"), record.String("conditionVersion"));
    }

    private static ImmutableArray<DenyPrincipal>? Principals(AzureRecord record, JsonElement array, string path, string what)
    {
        var builder = ImmutableArray.CreateBuilder<DenyPrincipal>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.String("id") is not { Length: > 0 } principalId)
            {
                record.Fail(DiagnosticCodes.AzureMissingField, $"principal {i} of {what} has no `id`", record.Location.Under($"{path}[{i}]"));
                return null;
            }
            builder.Add(new DenyPrincipal(principalId, item.String("type")));
            i++;
        }
        return builder.ToImmutable();
    }
}
