using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import;
using Ciem.Import.Azure;
using Ciem.Storage;

namespace Ciem.App.Imports;

/// <summary>What an Azure input file holds, recognised from the shape of its first record.</summary>
public enum AzureInputKind
{
    Unknown,
    Empty,
    RoleDefinitions,
    RoleAssignments,
    DenyAssignments,
    EligibleAssignments,
    ManagementGroups,
    Subscriptions,
    ResourceGroups,
    GroupMemberships,
    ProviderOperations,
}

/// <summary>
/// `ciem import azure`: `az` / ARM outputs (each file's kind recognised from its content) read into one inventory and
/// stored as one snapshot of the tenant (or of the subscriptions they cover), in one transaction.
/// </summary>
public static class AzureImport
{
    private const string Expected = "an `az` output the azure import reads: role definitions, role assignments, deny assignments, "
        + "eligible schedule instances, a management-group tree, subscriptions, resource groups, group memberships or provider operations";

    /// <summary>
    /// Reads the files <paramref name="paths"/> name, taken at <paramref name="takenAt"/> (default: <paramref name="now"/>),
    /// and stores them as a snapshot of <paramref name="scope"/> (default: <see cref="AzureSnapshotScope.Of"/>) unless
    /// nothing was readable (<paramref name="allOrNothing"/>: or any file had an error, as an upload to the server is).
    /// </summary>
    public static SnapshotImportResult Import(CiemSession session, IEnumerable<string> paths, DateTimeOffset? takenAt, string? scope,
        DateTimeOffset now, bool allOrNothing = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        var problems = new DiagnosticBag();
        var files = ImportFiles.Expand(paths, Detect, problems);
        if (files is null) { return SnapshotImportResult.Refused(problems); }
        var unknown = files.Where(f => f.Kind == AzureInputKind.Unknown).Select(f => ImportFiles.Unknown(f.Path, Expected)).ToList();
        if (unknown.Count > 0) { return SnapshotImportResult.Refused(unknown); }

        var totals = new ImportTotals();
        var inventory = AzureInventory.Empty;
        foreach (var (path, kind) in files)
        {
            inventory = kind switch
            {
                AzureInputKind.RoleDefinitions => inventory with { RoleDefinitions = [.. inventory.RoleDefinitions, .. totals.Add(ImportFiles.Read(path, RoleDefinitionsReader.Read))] },
                AzureInputKind.RoleAssignments => inventory with { RoleAssignments = [.. inventory.RoleAssignments, .. totals.Add(ImportFiles.Read(path, RoleAssignmentsReader.Read))] },
                AzureInputKind.DenyAssignments => inventory with { DenyAssignments = [.. inventory.DenyAssignments, .. totals.Add(ImportFiles.Read(path, DenyAssignmentsReader.Read))] },
                AzureInputKind.EligibleAssignments => inventory with
                {
                    EligibleAssignments = [.. inventory.EligibleAssignments, .. totals.Add(ImportFiles.Read(path, EligibleAssignmentsReader.Read))],
                },
                AzureInputKind.ManagementGroups => AddTree(inventory, totals.Add(ImportFiles.Read(path, ManagementGroupsReader.Read))),
                AzureInputKind.Subscriptions => inventory with { Subscriptions = [.. inventory.Subscriptions, .. totals.Add(ImportFiles.Read(path, SubscriptionsReader.Read))] },
                AzureInputKind.ResourceGroups => inventory with { ResourceGroups = [.. inventory.ResourceGroups, .. totals.Add(ImportFiles.Read(path, ResourceGroupsReader.Read))] },
                AzureInputKind.GroupMemberships => inventory with
                {
                    GroupMemberships = [.. inventory.GroupMemberships, .. totals.Add(ImportFiles.Read(path, GroupMembershipsReader.Read))],
                },
                _ => inventory,
            };
            if (kind == AzureInputKind.ProviderOperations)
            {
                totals.Diagnostics.Add(Diagnostic.Info(DiagnosticCodes.ImportUnknownFormat,
                    "provider operations are not stored: the shipped operation catalog is used (tools/update-azure-catalog.sh regenerates it)", new SourceLocation(path)));
            }
        }
        if (inventory.IsEmpty || (allOrNothing && totals.HasErrors)) { return totals.Nothing(); }

        session.Imported();
        var write = session.Store.ImportAzure(new AzureImportRequest(inventory, scope ?? AzureSnapshotScope.Of(inventory), takenAt ?? now, now,
            totals.Sources.ToImmutable(), totals.Counts));
        return totals.Stored([write], Counts(inventory));
    }

    /// <summary>Recognises an input file from the shape of its first record.</summary>
    public static AzureInputKind Detect(string path)
    {
        var shape = RecordShape.Of(path);
        if (shape is null) { return AzureInputKind.Unknown; }
        if (shape.IsEmpty) { return AzureInputKind.Empty; }
        if (shape.TopNames.Count > 0 && shape.RecordNames.IsEmpty is false && shape.TopNames.All(n => Guid.TryParse(n, out _))) { return AzureInputKind.GroupMemberships; }
        if (shape.Has("children") || shape.TypeIs("Microsoft.Management/managementGroups")) { return AzureInputKind.ManagementGroups; }
        if (shape.Has("roleName") || shape.TypeIs("/roleDefinitions")) { return AzureInputKind.RoleDefinitions; }
        if (shape.Has("denyAssignmentName") || shape.Has("excludePrincipals") || shape.TypeIs("/denyAssignments")) { return AzureInputKind.DenyAssignments; }
        if (shape.Has("roleEligibilityScheduleId") || shape.TypeIs("/roleEligibilityScheduleInstances")) { return AzureInputKind.EligibleAssignments; }
        if (shape.Has("principalId") && shape.Has("roleDefinitionId")) { return AzureInputKind.RoleAssignments; }
        if (shape.TypeIs("Microsoft.Resources/resourceGroups")) { return AzureInputKind.ResourceGroups; }
        if ((shape.Has("tenantId") && (shape.Has("isDefault") || shape.Has("cloudName"))) || (shape.Has("subscriptionId") && shape.Has("displayName")))
        {
            return AzureInputKind.Subscriptions;
        }
        if (shape.Has("namespace") && (shape.Has("resourceTypes") || shape.Has("operations"))) { return AzureInputKind.ProviderOperations; }
        return AzureInputKind.Unknown;
    }

    private static AzureInventory AddTree(AzureInventory inventory, ManagementGroupTree tree) =>
        inventory with { ManagementGroups = [.. inventory.ManagementGroups, .. tree.ManagementGroups], Subscriptions = [.. inventory.Subscriptions, .. tree.Subscriptions] };

    private static ImmutableArray<(string What, int Count)> Counts(AzureInventory i) =>
    [
        ("role definitions", i.RoleDefinitions.Length), ("role assignments", i.RoleAssignments.Length), ("deny assignments", i.DenyAssignments.Length),
        ("eligible assignments", i.EligibleAssignments.Length), ("management groups", i.ManagementGroups.Length),
        ("subscriptions", i.Subscriptions.Select(s => s.SubscriptionId).Distinct(StringComparer.OrdinalIgnoreCase).Count()),
        ("resource groups", i.ResourceGroups.Length), ("group memberships", i.GroupMemberships.Length),
    ];
}
