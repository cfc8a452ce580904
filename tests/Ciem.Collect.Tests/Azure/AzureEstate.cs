using System.Text.Json.Nodes;
using Azure.Core;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Azure;

/// <summary>A bearer token the way a credential gives one, without a sign-in (the local APIs check it).</summary>
internal sealed class StaticToken(string token) : TokenCredential
{
    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes) { Scopes.AddRange(requestContext.Scopes); }
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>
/// A small tenant in Azure Resource Manager's and Microsoft Graph's documented REST shapes: two subscriptions under
/// the tenant root group (one through `prod`), a built-in and a custom role, an assignment at the management group
/// (listed under both subscriptions, as ARM lists inherited assignments), a group assignment, a deny assignment, a
/// PIM eligibility, resource groups, and the group's members. Served by <see cref="Serve"/>, exported by <see cref="Export"/>.
/// </summary>
internal static class AzureEstate
{
    public const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.test";
    public const string Tenant = "72f9a0be-0000-4000-8000-00000000c0de";
    public const string Prod = "11111111-1111-4111-8111-111111111111";
    public const string Dev = "22222222-2222-4222-8222-222222222222";
    public const string Group = "9a9a9a9a-0000-4000-8000-000000000010";
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string Deployer = "d3d3d3d3-0000-4000-8000-000000000001";
    private const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string Bob = "b0b00000-0000-4000-8000-000000000002";
    private const string Robot = "5e7e1000-0000-4000-8000-000000000003";
    private const string Auth = "providers/Microsoft.Authorization";

    public static JsonObject Subscription(string id, string name) => new()
    {
        ["id"] = $"/subscriptions/{id}", ["authorizationSource"] = "RoleBased", ["managedByTenants"] = new JsonArray(),
        ["tags"] = new JsonObject { ["env"] = name.StartsWith("prod", StringComparison.Ordinal) ? "prod" : "dev" },
        ["subscriptionId"] = id, ["tenantId"] = Tenant, ["displayName"] = name, ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject { ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "PayAsYouGo_2014-09-01", ["spendingLimit"] = "Off" },
    };

    public static JsonArray Subscriptions() => [Subscription(Prod, "prod-1"), Subscription(Dev, "dev-1")];

    public static JsonObject ManagementGroups() => new()
    {
        ["id"] = $"/providers/Microsoft.Management/managementGroups/{Tenant}", ["type"] = "Microsoft.Management/managementGroups", ["name"] = Tenant,
        ["properties"] = new JsonObject
        {
            ["tenantId"] = Tenant, ["displayName"] = "Tenant Root Group",
            ["details"] = new JsonObject { ["version"] = 3, ["updatedTime"] = "2026-03-01T10:00:00.0000000Z", ["updatedBy"] = Alice, ["parent"] = null },
            ["children"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = "/providers/Microsoft.Management/managementGroups/prod", ["type"] = "Microsoft.Management/managementGroups", ["name"] = "prod", ["displayName"] = "Production",
                    ["children"] = new JsonArray(new JsonObject { ["id"] = $"/subscriptions/{Prod}", ["type"] = "/subscriptions", ["name"] = Prod, ["displayName"] = "prod-1", ["children"] = null }),
                },
                new JsonObject { ["id"] = $"/subscriptions/{Dev}", ["type"] = "/subscriptions", ["name"] = Dev, ["displayName"] = "dev-1", ["children"] = null }),
        },
    };

    public static JsonArray ResourceGroups(string subscription) => subscription == Prod
        ? [ResourceGroup(Prod, "rg-app"), ResourceGroup(Prod, "rg-data")]
        : [ResourceGroup(Dev, "rg-sandbox")];

    /// <summary>The role definitions ARM lists under a subscription: built-in ones with that subscription in their id.</summary>
    public static JsonArray RoleDefinitions(string subscription) =>
    [
        Definition(subscription, Reader, "Reader", "BuiltInRole", ["*/read"], ["/"]),
        Definition(subscription, Deployer, "Deployer", "CustomRole", ["Microsoft.Resources/deployments/*", "Microsoft.Web/sites/write"], [$"/subscriptions/{Prod}", $"/subscriptions/{Dev}"]),
    ];

    /// <summary>Assignments at, above and below the subscription, as ARM lists them without a filter.</summary>
    public static JsonArray RoleAssignments(string subscription)
    {
        var mg = Assignment("0a000000-0000-4000-8000-000000000001", $"/providers/Microsoft.Management/managementGroups/{Tenant}", subscription, Reader, Alice, "User");
        return subscription == Prod
            ? [mg, Assignment("0a000000-0000-4000-8000-000000000002", $"/subscriptions/{Prod}/resourceGroups/rg-app", Prod, Deployer, Robot, "ServicePrincipal")]
            : [mg, Assignment("0a000000-0000-4000-8000-000000000003", $"/subscriptions/{Dev}", Dev, Deployer, Group, "Group"),
                Assignment("0a000000-0000-4000-8000-000000000004", $"/subscriptions/{Dev}/resourceGroups/rg-sandbox", Dev, Reader, Bob, "User")];
    }

    public static JsonArray DenyAssignments(string subscription) => subscription != Prod ? [] :
    [
        new JsonObject
        {
            ["id"] = $"/subscriptions/{Prod}/{Auth}/denyAssignments/d0d0d0d0-0000-4000-8000-000000000001", ["name"] = "d0d0d0d0-0000-4000-8000-000000000001",
            ["type"] = "Microsoft.Authorization/denyAssignments",
            ["properties"] = new JsonObject
            {
                ["denyAssignmentName"] = "Deny deletes of the managed app", ["description"] = "Created by the managed application",
                ["permissions"] = new JsonArray(new JsonObject { ["actions"] = new JsonArray("*/delete"), ["notActions"] = new JsonArray(), ["dataActions"] = new JsonArray(), ["notDataActions"] = new JsonArray() }),
                ["scope"] = $"/subscriptions/{Prod}/resourceGroups/rg-data", ["doNotApplyToChildScopes"] = false,
                ["principals"] = new JsonArray(new JsonObject { ["id"] = "00000000-0000-0000-0000-000000000000", ["type"] = "SystemDefined" }),
                ["excludePrincipals"] = new JsonArray(new JsonObject { ["id"] = Robot, ["type"] = "ServicePrincipal" }), ["isSystemProtected"] = true,
            },
        },
    ];

    public static JsonArray Eligible(string subscription) => subscription != Dev ? [] :
    [
        new JsonObject
        {
            ["id"] = $"/subscriptions/{Dev}/{Auth}/roleEligibilityScheduleInstances/e1e1e1e1-0000-4000-8000-000000000001", ["name"] = "e1e1e1e1-0000-4000-8000-000000000001",
            ["type"] = "Microsoft.Authorization/roleEligibilityScheduleInstances",
            ["properties"] = new JsonObject
            {
                ["scope"] = $"/subscriptions/{Dev}", ["roleDefinitionId"] = $"/subscriptions/{Dev}/{Auth}/roleDefinitions/{Deployer}", ["principalId"] = Bob, ["principalType"] = "User",
                ["roleEligibilityScheduleId"] = $"/subscriptions/{Dev}/{Auth}/roleEligibilitySchedules/e2e2e2e2-0000-4000-8000-000000000001",
                ["status"] = "Provisioned", ["startDateTime"] = "2026-01-01T00:00:00Z", ["endDateTime"] = "2027-01-01T00:00:00Z", ["memberType"] = "Direct",
                ["createdOn"] = "2026-01-01T00:00:00Z",
            },
        },
    ];

    /// <summary>`GET /groups/{id}/transitiveMembers` of the group holding a role: a user and a service principal.</summary>
    public static JsonArray Members() =>
    [
        new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = Bob },
        new JsonObject { ["@odata.type"] = "#microsoft.graph.servicePrincipal", ["id"] = Robot },
    ];

    /// <summary>Answers ARM and Graph as documented, every list in pages of <paramref name="pageSize"/> linked by `nextLink` / `@odata.nextLink`.</summary>
    public static LoopbackHttpServer Serve(LoopbackHttpServer server, int pageSize = 1)
    {
        static LoopbackAnswer Arm(JsonArray items, string? next)
        {
            var body = new JsonObject { ["value"] = items };
            if (next is not null) { body["nextLink"] = next; }
            return LoopbackAnswer.Json(body);
        }
        static JsonArray Of(LoopbackRequest r, Func<string, JsonArray> items) => items(r.Segments[0]);
        server.MapPages("/subscriptions", _ => Subscriptions(), pageSize, "$skiptoken", Arm);
        server.Map("GET", $"/providers/Microsoft.Management/managementGroups/{Tenant}", ManagementGroups());
        server.MapPages("/subscriptions/{}/resourcegroups", r => Of(r, ResourceGroups), pageSize, "$skiptoken", Arm);
        server.MapPages($"/subscriptions/{{}}/{Auth}/roleDefinitions", r => Of(r, RoleDefinitions), pageSize, "$skiptoken", Arm);
        server.MapPages($"/subscriptions/{{}}/{Auth}/roleAssignments", r => Of(r, RoleAssignments), pageSize, "$skiptoken", Arm);
        server.MapPages($"/subscriptions/{{}}/{Auth}/denyAssignments", r => Of(r, DenyAssignments), pageSize, "$skiptoken", Arm);
        server.MapPages($"/subscriptions/{{}}/{Auth}/roleEligibilityScheduleInstances", r => Of(r, Eligible), pageSize, "$skiptoken", Arm);
        server.MapPages($"/v1.0/groups/{Group}/transitiveMembers", _ => Members(), pageSize, "$skiptoken", (items, next) =>
        {
            var body = new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id)", ["value"] = items };
            if (next is not null) { body["@odata.nextLink"] = next; }
            return LoopbackAnswer.Json(body);
        });
        return server;
    }

    /// <summary>The same tenant as files `ciem import azure` reads: `az rest` answers (one list each, no repeats) and the memberships file.</summary>
    public static void Export(string folder)
    {
        static JsonObject List(IEnumerable<JsonNode?> items) => new() { ["value"] = new JsonArray([.. items.Select(i => i?.DeepClone())]) };
        static IEnumerable<JsonNode?> Once(IEnumerable<JsonNode?> items) => items.DistinctBy(i => i!["id"]!.GetValue<string>());
        string[] both = [Prod, Dev];
        Write(folder, "subscriptions.json", List(Subscriptions()));
        Write(folder, "management-groups.json", ManagementGroups());
        Write(folder, "resource-groups.json", List(both.SelectMany(ResourceGroups)));
        Write(folder, "role-definitions.json", List(RoleDefinitions(Prod)));
        Write(folder, "role-assignments.json", List(Once(both.SelectMany(RoleAssignments))));
        Write(folder, "deny-assignments.json", List(both.SelectMany(DenyAssignments)));
        Write(folder, "eligible-assignments.json", List(both.SelectMany(Eligible)));
        Write(folder, "group-memberships.json", new JsonObject
        {
            [Bob] = new JsonObject { ["value"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.group", ["id"] = Group }) },
            [Robot] = new JsonObject { ["value"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.group", ["id"] = Group }) },
        });
    }

    private static void Write(string folder, string name, JsonNode json) => File.WriteAllText(Path.Combine(folder, name), json.ToJsonString());

    private static JsonObject ResourceGroup(string subscription, string name) => new()
    {
        ["id"] = $"/subscriptions/{subscription}/resourceGroups/{name}", ["name"] = name, ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = "westeurope", ["managedBy"] = null, ["tags"] = new JsonObject { ["owner"] = "platform" },
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    private static JsonObject Definition(string subscription, string name, string roleName, string type, string[] actions, string[] scopes) => new()
    {
        ["id"] = $"/subscriptions/{subscription}/{Auth}/roleDefinitions/{name}", ["name"] = name, ["type"] = "Microsoft.Authorization/roleDefinitions",
        ["properties"] = new JsonObject
        {
            ["roleName"] = roleName, ["type"] = type, ["description"] = $"{roleName} role",
            ["assignableScopes"] = new JsonArray([.. scopes.Select(s => (JsonNode)s)]),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]), ["notActions"] = new JsonArray(), ["dataActions"] = new JsonArray(), ["notDataActions"] = new JsonArray(),
            }),
            ["createdOn"] = "2015-02-02T21:55:09.8806423Z", ["updatedOn"] = "2025-11-01T10:00:00.0000000Z", ["createdBy"] = null, ["updatedBy"] = null,
        },
    };

    private static JsonObject Assignment(string name, string scope, string listedUnder, string role, string principal, string type) => new()
    {
        ["id"] = $"{scope}/{Auth}/roleAssignments/{name}", ["name"] = name, ["type"] = "Microsoft.Authorization/roleAssignments",
        ["properties"] = new JsonObject
        {
            ["roleDefinitionId"] = $"/subscriptions/{listedUnder}/{Auth}/roleDefinitions/{role}", ["principalId"] = principal, ["principalType"] = type,
            ["scope"] = scope, ["condition"] = null, ["conditionVersion"] = null, ["createdOn"] = "2026-03-02T10:15:00.0000000Z",
            ["updatedOn"] = "2026-03-02T10:15:00.0000000Z", ["createdBy"] = Alice, ["updatedBy"] = Alice, ["delegatedManagedIdentityResourceId"] = null, ["description"] = null,
        },
    };
}
