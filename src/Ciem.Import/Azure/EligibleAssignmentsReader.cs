using System.Collections.Immutable;
using Ciem.Core.Azure;

namespace Ciem.Import.Azure;

/// <summary>
/// Reads PIM eligible assignments: `GET {scope}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances`
/// (ARM REST, `value` with `properties`: `principalId`, `principalType`, `roleDefinitionId`, `scope`, `memberType`,
/// `status`, `startDateTime`, `endDateTime`, `condition`), or `az rest` output of it. A record without `principalId`,
/// `roleDefinitionId` or `scope` is quarantined; a bad date is a warning and left empty.
/// </summary>
public static class EligibleAssignmentsReader
{
    public static ImportResult<ImmutableArray<EligibleAssignment>> Read(Stream stream, string name)
    {
        var run = new AzureReaderRun<EligibleAssignment>("eligible assignment", e => e.Id);
        run.Read(stream, name, Parse);
        return run.Build();
    }

    private static EligibleAssignment? Parse(AzureRecord record)
    {
        var id = record.String("id") ?? record.String("name");
        var what = id is null ? "an eligible assignment" : $"eligible assignment `{id}`";
        if (!record.Assignment(what, out var principal, out var role, out var scope)) { return null; }
        return new EligibleAssignment(id ?? $"{scope}/eligible/{principal}:{AzureScope.LastSegment(role)}", scope, role, principal,
            record.String("principalType"), record.String("memberType"), record.String("status"),
            record.Date("startDateTime"), record.Date("endDateTime"), record.String("condition"), record.String("conditionVersion"));
    }
}
