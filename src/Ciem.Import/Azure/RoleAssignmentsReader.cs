using System.Collections.Immutable;
using Ciem.Core.Azure;

namespace Ciem.Import.Azure;

/// <summary>
/// Reads role assignments: `az role assignment list --all` (camelCase, with `principalName`, `roleDefinitionName`,
/// `condition`, `conditionVersion`) or the ARM REST list `GET …/roleAssignments` (`value` with `properties`). A record
/// without `principalId`, `roleDefinitionId` or a `/`-rooted `scope` is quarantined.
/// </summary>
public static class RoleAssignmentsReader
{
    public static ImportResult<ImmutableArray<RoleAssignment>> Read(Stream stream, string name)
    {
        var run = new AzureReaderRun<RoleAssignment>("role assignment", a => a.Id);
        run.Read(stream, name, Parse);
        return run.Build();
    }

    public static ImportResult<ImmutableArray<RoleAssignment>> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var run = new AzureReaderRun<RoleAssignment>("role assignment", a => a.Id);
        foreach (var path in paths) { run.ReadFile(path, Parse); }
        return run.Build();
    }

    private static RoleAssignment? Parse(AzureRecord record)
    {
        var id = record.String("id") ?? record.String("name");
        var what = id is null ? "a role assignment" : $"role assignment `{id}`";
        if (!record.Assignment(what, out var principal, out var role, out var scope)) { return null; }
        return new RoleAssignment(id ?? $"{scope}/providers/Microsoft.Authorization/roleAssignments/{principal}:{AzureScope.LastSegment(role)}",
            scope, role, principal, record.String("principalType"), record.String("principalName"), record.String("roleDefinitionName"),
            record.String("condition"), record.String("conditionVersion"));
    }
}
