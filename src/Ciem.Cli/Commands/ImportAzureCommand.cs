using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import azure PATH…`: reads `az` / ARM outputs (each file's kind recognised from its content) and writes them
/// to the store as one snapshot of the tenant (or of the subscriptions they cover), in one transaction.
/// </summary>
public static class ImportAzureCommand
{
    public enum InputKind
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

    private const string Expected = "an `az` output the azure import reads: role definitions, role assignments, deny assignments, eligible schedule instances, a management-group tree, subscriptions, resource groups, group memberships or provider operations";

    public static Command Create(CliHost host) => ImportInputs.Command(host, "azure",
        "import an Azure estate: role definitions and assignments, deny and eligible assignments, hierarchy, group memberships",
        "files or folders (*.json inside) with `az role definition list`, `az role assignment list --all`, deny assignments, PIM eligible instances, `az account management-group show --expand --recurse`, `az account list`, `az group list`, group memberships",
        "what the snapshot covers (default: the tenant id, else the subscription ids)", Run);

    public static int Run(CliHost host, string[] paths, DateTimeOffset? takenAt, string? scope, string? db, string format)
    {
        var now = host.Clock.GetUtcNow();
        var files = ImportInputs.Expand(host, paths, Detect);
        if (files is null) { return ExitCodes.InvalidInput; }
        if (ImportInputs.ReportUnknown(host, files.Where(f => f.Kind == InputKind.Unknown).Select(f => f.Path), Expected)) { return ExitCodes.InvalidInput; }

        var totals = new ImportInputs.Totals();
        var inventory = AzureInventory.Empty;
        foreach (var (path, kind) in files)
        {
            inventory = kind switch
            {
                InputKind.RoleDefinitions => inventory with { RoleDefinitions = [.. inventory.RoleDefinitions, .. totals.Add(ImportInputs.Read(path, RoleDefinitionsReader.Read))] },
                InputKind.RoleAssignments => inventory with { RoleAssignments = [.. inventory.RoleAssignments, .. totals.Add(ImportInputs.Read(path, RoleAssignmentsReader.Read))] },
                InputKind.DenyAssignments => inventory with { DenyAssignments = [.. inventory.DenyAssignments, .. totals.Add(ImportInputs.Read(path, DenyAssignmentsReader.Read))] },
                InputKind.EligibleAssignments => inventory with { EligibleAssignments = [.. inventory.EligibleAssignments, .. totals.Add(ImportInputs.Read(path, EligibleAssignmentsReader.Read))] },
                InputKind.ManagementGroups => AddTree(inventory, totals.Add(ImportInputs.Read(path, ManagementGroupsReader.Read))),
                InputKind.Subscriptions => inventory with { Subscriptions = [.. inventory.Subscriptions, .. totals.Add(ImportInputs.Read(path, SubscriptionsReader.Read))] },
                InputKind.ResourceGroups => inventory with { ResourceGroups = [.. inventory.ResourceGroups, .. totals.Add(ImportInputs.Read(path, ResourceGroupsReader.Read))] },
                InputKind.GroupMemberships => inventory with { GroupMemberships = [.. inventory.GroupMemberships, .. totals.Add(ImportInputs.Read(path, GroupMembershipsReader.Read))] },
                _ => inventory,
            };
            if (kind == InputKind.ProviderOperations)
            {
                totals.Diagnostics.Add(Diagnostic.Info(DiagnosticCodes.ImportUnknownFormat,
                    "provider operations are not stored: the shipped operation catalog is used (tools/update-azure-catalog.sh regenerates it)", new SourceLocation(path)));
            }
        }

        if (inventory.IsEmpty)
        {
            StoreAccess.WriteDiagnostics(host, totals.Diagnostics);
            host.Error.WriteLine("error: nothing could be imported; the store was not changed");
            return ExitCodes.InvalidInput;
        }

        var store = StoreAccess.OpenForImport(host, db);
        var snapshotScope = scope ?? ScopeOf(inventory);
        var write = store.ImportAzure(new AzureImportRequest(inventory, snapshotScope, takenAt ?? now, now, totals.Sources.ToImmutable(), totals.Counts));
        var dbPath = StoreAccess.PathFor(host, db);
        if (format == "json")
        {
            ImportOutput.WriteJson(host, write, totals, dbPath, Counts(inventory));
        }
        else
        {
            ImportOutput.Render(host, write, totals, dbPath, Counts(inventory));
        }
        return ExitCodes.Ok;
    }

    /// <summary>The tenant when the inputs name exactly one, else the sorted subscription ids, else `azure`.</summary>
    public static string ScopeOf(AzureInventory inventory) => AzureSnapshotScope.Of(inventory);

    /// <summary>Recognises an input file from the shape of its first record.</summary>
    public static InputKind Detect(string path)
    {
        var shape = ImportInputs.Sniff(path);
        if (shape is null) { return InputKind.Unknown; }
        if (shape.IsEmpty) { return InputKind.Empty; }
        if (shape.TopNames.Count > 0 && shape.RecordNames.IsEmpty is false && shape.TopNames.All(n => Guid.TryParse(n, out _))) { return InputKind.GroupMemberships; }
        if (shape.Has("children") || shape.TypeIs("Microsoft.Management/managementGroups")) { return InputKind.ManagementGroups; }
        if (shape.Has("roleName") || shape.TypeIs("/roleDefinitions")) { return InputKind.RoleDefinitions; }
        if (shape.Has("denyAssignmentName") || shape.Has("excludePrincipals") || shape.TypeIs("/denyAssignments")) { return InputKind.DenyAssignments; }
        if (shape.Has("roleEligibilityScheduleId") || shape.TypeIs("/roleEligibilityScheduleInstances")) { return InputKind.EligibleAssignments; }
        if (shape.Has("principalId") && shape.Has("roleDefinitionId")) { return InputKind.RoleAssignments; }
        if (shape.TypeIs("Microsoft.Resources/resourceGroups")) { return InputKind.ResourceGroups; }
        if ((shape.Has("tenantId") && (shape.Has("isDefault") || shape.Has("cloudName"))) || (shape.Has("subscriptionId") && shape.Has("displayName"))) { return InputKind.Subscriptions; }
        if (shape.Has("namespace") && (shape.Has("resourceTypes") || shape.Has("operations"))) { return InputKind.ProviderOperations; }
        return InputKind.Unknown;
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

/// <summary>The summary every Azure and GCP import prints: the snapshot, what it holds, the readers' counts and diagnostics.</summary>
internal static class ImportOutput
{
    public static void Render(CliHost host, SnapshotWrite write, ImportInputs.Totals totals, string dbPath, ImmutableArray<(string What, int Count)> contents)
    {
        var table = new Table().AddColumns("snapshot", "scope", "outcome", "contents");
        table.AddRow(write.Kind, Markup.Escape(write.Scope), write.Outcome.ToString(),
            Markup.Escape(string.Join(", ", contents.Where(c => c.Count > 0).Select(c => $"{c.Count.ToString(CultureInfo.InvariantCulture)} {c.What}"))));
        host.Console.Write(table);
        var c = totals.Counts;
        host.Console.WriteLine($"imported {c.Imported} records, skipped {c.Skipped}, quarantined {c.Quarantined}; store: {dbPath}");
        if (totals.Diagnostics.Count > 0)
        {
            host.Console.WriteLine($"{totals.Diagnostics.Count} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, totals.Diagnostics);
        }
    }

    public static void WriteJson(CliHost host, SnapshotWrite write, ImportInputs.Totals totals, string dbPath, ImmutableArray<(string What, int Count)> contents)
    {
        var doc = new
        {
            store = dbPath,
            imported = totals.Counts.Imported,
            skipped = totals.Counts.Skipped,
            quarantined = totals.Counts.Quarantined,
            snapshots = new[] { new { kind = write.Kind, scope = write.Scope, id = write.SnapshotId, outcome = write.Outcome.ToString() } },
            contents = contents.ToDictionary(x => x.What, x => x.Count),
            diagnostics = totals.Diagnostics.Select(d => new { severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message, location = d.Location?.ToString() }),
        };
        CliJson.Write(host, "import-cloud", doc);
    }
}
