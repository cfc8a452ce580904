using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Storage.Tests;

/// <summary>Azure and GCP inventories that set every field of every record (optional ones included).</summary>
internal static class MulticloudInventories
{
    public const string Tenant = "0f0f0f0f-1111-2222-3333-444444444444";
    public const string Sub = "11111111-aaaa-bbbb-cccc-000000000001";

    public static AzureInventory Azure(string roleName = "Storage Reader (custom)") => new(
        [new RoleDefinition($"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/5d1c7a52-0000-4000-8000-000000000001",
            "5d1c7a52-0000-4000-8000-000000000001", roleName, "CustomRole", "reads storage",
            [new RolePermission(["Microsoft.Storage/*/read"], ["Microsoft.Storage/storageAccounts/listKeys/action"],
                ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], ["Microsoft.Storage/x/write"],
                "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'", "2.0")],
            [$"/subscriptions/{Sub}"])],
        [new RoleAssignment($"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/ra1", $"/subscriptions/{Sub}",
            "/providers/Microsoft.Authorization/roleDefinitions/5d1c7a52-0000-4000-8000-000000000001", "aaaaaaaa-0000-0000-0000-000000000001",
            "User", "alice@example.com", roleName, "@Request[x] StringEquals 'y'", "2.0")],
        [new DenyAssignment("/providers/Microsoft.Authorization/denyAssignments/d1", "deny delete", $"/subscriptions/{Sub}",
            [new RolePermission(["*/delete"], [], [], [])],
            [new DenyPrincipal(DenyPrincipal.EveryoneId, "SystemDefined")], [new DenyPrincipal("bbbbbbbb-0000-0000-0000-000000000002", "ServicePrincipal")],
            true, "blueprint lock", true, "@Request[a] StringEquals 'b'", "2.0")],
        [new EligibleAssignment("/providers/Microsoft.Authorization/roleEligibilityScheduleInstances/e1", $"/subscriptions/{Sub}",
            "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "aaaaaaaa-0000-0000-0000-000000000001",
            "User", "Direct", "Provisioned", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)),
            "@Request[c] StringEquals 'd'", "2.0")],
        [new ManagementGroup("/providers/Microsoft.Management/managementGroups/root", "root", "Tenant Root Group", null),
         new ManagementGroup("/providers/Microsoft.Management/managementGroups/prod", "prod", "Production", "/providers/Microsoft.Management/managementGroups/root")],
        [new Subscription(Sub, "prod-1", "Enabled", Tenant, "/providers/Microsoft.Management/managementGroups/prod", new Dictionary<string, string> { ["env"] = "prod" })],
        [new ResourceGroup($"/subscriptions/{Sub}/resourceGroups/rg-app", "rg-app", Sub, "westeurope", new Dictionary<string, string> { ["environment"] = "uat", ["team"] = "app" })],
        [KeyValuePair.Create("aaaaaaaa-0000-0000-0000-000000000001", ImmutableArray.Create("cccccccc-0000-0000-0000-000000000003"))]);

    public static GcpInventory Gcp(string role = "roles/viewer") => new(
        [new GcpResource("//cloudresourcemanager.googleapis.com/organizations/123", "cloudresourcemanager.googleapis.com/Organization", null, []),
         new GcpResource("//cloudresourcemanager.googleapis.com/projects/456", "cloudresourcemanager.googleapis.com/Project",
            "//cloudresourcemanager.googleapis.com/organizations/123", ["//cloudresourcemanager.googleapis.com/projects/acme-prod"], "acme-prod", new Dictionary<string, string> { ["env"] = "prod" })],
        [new IamPolicy("//cloudresourcemanager.googleapis.com/projects/456",
            [new IamBinding(role, ["user:alice@example.com", "group:devs@example.com"], new IamCondition("request.time < timestamp('2027-01-01T00:00:00Z')", "until 2027", "temporary"))],
            3, "BwX=")],
        [new DenyPolicy("policies/cloudresourcemanager.googleapis.com%2Forganizations%2F123/denypolicies/no-delete",
            "//cloudresourcemanager.googleapis.com/organizations/123", "No delete",
            [new DenyRule(["principalSet://goog/public:all"], ["principal://goog/subject/admin@example.com"],
                ["cloudresourcemanager.googleapis.com/projects.delete"], ["cloudresourcemanager.googleapis.com/projects.get"],
                new IamCondition("resource.matchTag('123/env', 'prod')", "prod only", null))])],
        [new CustomRoleDefinition("organizations/123/roles/bucketReader", "Bucket reader", "GA", ["storage.buckets.get", "storage.objects.list"], false)],
        [new GroupMembership("group:devs@example.com", ["user:bob@example.com", "group:nested@example.com"])])
    {
        ServiceAccounts = [new ServiceAccount("etl@acme-prod.iam.gserviceaccount.com", "acme-prod", "1045", "ETL", "Owner: data-eng@example.com", false)],
        ServiceAccountKeys = [new ServiceAccountKey("etl@acme-prod.iam.gserviceaccount.com", "3f1c", "USER_MANAGED", new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero), null, false)],
    };
}
