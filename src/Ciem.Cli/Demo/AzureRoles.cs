namespace Ciem.Cli.Demo;

/// <summary>An Azure role definition of the demo tenant: one permission entry, as `az role definition list` prints it.</summary>
internal sealed record AzureRole(string Guid, string Name, bool Custom, string Description, string[] Actions, string[] NotActions, string[] DataActions)
{
    public string[] NotDataActions { get; init; } = [];
}

/// <summary>
/// The built-in roles the demo tenant assigns, with their real ids, names and permissions (Azure's published role
/// definitions, as `az role definition list` returns them in 2026), and the tenant's own custom roles. Every
/// operation the custom roles name is in the shipped operation catalog.
/// </summary>
internal static class AzureRoles
{
    public static readonly AzureRole Owner = new("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", false,
        "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.", ["*"], [], []);

    public static readonly AzureRole Contributor = new("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor", false,
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        ["*"],
        [
            "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete", "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
            "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action",
        ], []);

    public static readonly AzureRole Reader = new("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", false,
        "View all resources, but does not allow you to make any changes.", ["*/read"], [], []);

    public static readonly AzureRole UserAccessAdministrator = new("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator", false,
        "Lets you manage user access to Azure resources.", ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], [], []);

    public static readonly AzureRole MonitoringReader = new("43d0d8ad-25c7-4714-9337-8ba259a9fe05", "Monitoring Reader", false,
        "Can read all monitoring data.", ["*/read", "Microsoft.OperationalInsights/workspaces/search/action", "Microsoft.Support/*"], [], []);

    public static readonly AzureRole WebsiteContributor = new("de139f84-1756-47ae-9be6-808fbbe84772", "Website Contributor", false,
        "Lets you manage websites (not web plans), but not access to them.",
        [
            "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Insights/components/*", "Microsoft.ResourceHealth/availabilityStatuses/read",
            "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*", "Microsoft.Web/certificates/*",
            "Microsoft.Web/listSitesAssignedToHostName/read", "Microsoft.Web/register/action", "Microsoft.Web/serverFarms/join/action", "Microsoft.Web/serverFarms/read",
            "Microsoft.Web/sites/*",
        ], [], []);

    public static readonly AzureRole StorageBlobDataReader = new("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader", false,
        "Allows for read access to Azure Storage blob containers and data",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"],
        [], ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]);

    public static readonly AzureRole StorageBlobDataContributor = new("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor", false,
        "Allows for read, write and delete access to Azure Storage blob containers and data",
        [
            "Microsoft.Storage/storageAccounts/blobServices/containers/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/write", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
        ],
        [],
        [
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
        ]);

    public static readonly AzureRole KeyVaultSecretsUser = new("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User", false,
        "Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.",
        [], [], ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]);

    public static readonly AzureRole AcrPull = new("7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull", false, "acr pull",
        ["Microsoft.ContainerRegistry/registries/pull/read"], [], []);

    public static readonly AzureRole AcrPush = new("8311e382-0749-4cb8-b61a-304f252e45ec", "AcrPush", false, "acr push",
        ["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write"], [], []);

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
