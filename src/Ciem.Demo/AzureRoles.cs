using Ciem.Core.Azure.Catalog;

namespace Ciem.Demo;

/// <summary>An Azure role definition of the demo tenant: one permission entry, as `az role definition list` prints it.</summary>
internal sealed record AzureRole(string Guid, string Name, bool Custom, string Description, string[] Actions, string[] NotActions, string[] DataActions)
{
    public string[] NotDataActions { get; init; } = [];
}

/// <summary>
/// The built-in roles the demo tenant assigns, with their real ids, names and permissions taken from the shipped
/// catalog of Azure's built-in role definitions (<see cref="AzureBuiltInRoles"/>), and the tenant's own custom roles. Every
/// operation the custom roles name is in the shipped operation catalog.
/// </summary>
internal static class AzureRoles
{
    public static readonly AzureRole Owner = BuiltIn("Owner");

    public static readonly AzureRole Contributor = BuiltIn("Contributor");

    public static readonly AzureRole Reader = BuiltIn("Reader");

    public static readonly AzureRole UserAccessAdministrator = BuiltIn("User Access Administrator");

    public static readonly AzureRole MonitoringReader = BuiltIn("Monitoring Reader");

    public static readonly AzureRole WebsiteContributor = BuiltIn("Website Contributor");

    public static readonly AzureRole StorageBlobDataReader = BuiltIn("Storage Blob Data Reader");

    public static readonly AzureRole StorageBlobDataContributor = BuiltIn("Storage Blob Data Contributor");

    public static readonly AzureRole KeyVaultSecretsUser = BuiltIn("Key Vault Secrets User");

    public static readonly AzureRole AcrPull = BuiltIn("AcrPull");

    public static readonly AzureRole AcrPush = BuiltIn("AcrPush");

    /// <summary>A built-in role exactly as the shipped catalog holds it (its first permission entry: every role above has one).</summary>
    private static AzureRole BuiltIn(string name)
    {
        var role = AzureBuiltInRoles.Default.FindByName(name) ?? throw new InvalidOperationException($"built-in role `{name}` is not in the shipped catalog");
        var p = role.Permissions.Single();
        return new AzureRole(role.Name, role.RoleName, false, role.Description ?? "", [.. p.Actions], [.. p.NotActions], [.. p.DataActions]) { NotDataActions = [.. p.NotDataActions] };
    }

    /// <summary>Custom: what an application's runtime identity needs on its own resource group.</summary>
    public static readonly AzureRole AppRuntime = new("6a1f3c52-7d0e-4b8a-9c3f-2e5d7a9b1c01", "Acme App Runtime", true,
        "Runtime identity of an application: read its resources, rotate storage keys, restart its web app",
        [
            "Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/listKeys/action", "Microsoft.KeyVault/vaults/read",
            "Microsoft.Web/sites/read", "Microsoft.Web/sites/restart/action", "Microsoft.Insights/diagnosticSettings/read",
        ], [], []);

    /// <summary>Custom: start and stop the batch VMs of a resource group on a schedule.</summary>
    public static readonly AzureRole VmOperator = new("6a1f3c52-7d0e-4b8a-9c3f-2e5d7a9b1c02", "Acme VM Operator", true,
        "Start, restart and deallocate virtual machines; snapshot their disks",
        [
            "Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/restart/action",
            "Microsoft.Compute/virtualMachines/deallocate/action", "Microsoft.Compute/snapshots/write", "Microsoft.Compute/disks/beginGetAccess/action",
        ], [], []);

    /// <summary>Custom: the network team's rule editor (the platform's NSGs only).</summary>
    public static readonly AzureRole NetworkRuleEditor = new("6a1f3c52-7d0e-4b8a-9c3f-2e5d7a9b1c03", "Acme Network Rule Editor", true,
        "Edit network security group rules",
        ["Microsoft.Network/networkSecurityGroups/read", "Microsoft.Network/networkSecurityGroups/securityRules/*"], [], []);

    public static readonly IReadOnlyList<AzureRole> All =
    [
        Owner, Contributor, Reader, UserAccessAdministrator, MonitoringReader, WebsiteContributor, StorageBlobDataReader, StorageBlobDataContributor,
        KeyVaultSecretsUser, AcrPull, AcrPush, AppRuntime, VmOperator, NetworkRuleEditor,
    ];
}
