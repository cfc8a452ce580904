using System.Collections.Immutable;

namespace Ciem.Core.Azure.Gate;

/// <summary>
/// The built-in Azure roles the gate must recognise without an imported estate (the shipped catalog lists operations,
/// not roles): their GUIDs and permissions as `az role definition list` prints them (Microsoft Learn, "Azure built-in
/// roles"). An imported estate's definitions take precedence; any other built-in role named by a change without an
/// estate is unknown content (indeterminate).
/// </summary>
public static class WellKnownRoles
{
    public const string OwnerId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string ContributorId = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string ReaderId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    public const string UserAccessAdministratorId = "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d";

    /// <summary>Roles whose assignment is administrative access by itself.</summary>
    public static readonly ImmutableHashSet<string> AdministrativeNames =
        ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator");

    public static readonly ImmutableArray<RoleDefinition> All =
    [
        Role(OwnerId, "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.", ["*"], []),
        Role(ContributorId, "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.", ["*"],
            ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
             "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete"]),
        Role(ReaderId, "Reader", "View all resources, but does not allow you to make any changes.", ["*/read"], []),
        Role(UserAccessAdministratorId, "User Access Administrator", "Lets you manage user access to Azure resources.", ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], []),
    ];

    private static RoleDefinition Role(string guid, string name, string description, ImmutableArray<string> actions, ImmutableArray<string> notActions) =>
        new($"/providers/Microsoft.Authorization/roleDefinitions/{guid}", guid, name, "BuiltInRole", description, [new RolePermission(actions, notActions, [], [])], ["/"]);
}
