using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Demo;

/// <summary>A large synthetic Azure tenant and requests over it (<see cref="ScaledEstates.Azure"/>).</summary>
/// <param name="Estate">The tenant: custom roles, role and deny assignments, the hierarchy and group memberships.</param>
/// <param name="Requests">Control- and data-plane requests by users on virtual machines of the resource groups.</param>
/// <param name="Users">The object id of every user principal, in index order.</param>
public sealed record ScaledAzureEstate(AzureEstate Estate, ImmutableArray<AzureRequest> Requests, ImmutableArray<string> Users);

/// <summary>A large synthetic GCP organisation and requests over it (<see cref="ScaledEstates.Gcp"/>).</summary>
/// <param name="Policies">The organisation's resources and allow policies, resolved against the role catalog.</param>
/// <param name="Requests">Permission checks by members on projects and buckets.</param>
/// <param name="Members">Every user and service-account member, in index order.</param>
public sealed record ScaledGcpEstate(GcpPolicySet Policies, ImmutableArray<GcpRequest> Requests, ImmutableArray<string> Members);

/// <summary>
/// Large synthetic Azure and GCP estates built from the embedded catalogs alone (no shared data), for the evaluation
/// benchmarks and for tests that need an estate of a given size rather than the demo's story. Deterministic: the same
/// size, request count and seed give the same estate and requests on every runtime (<see cref="StableRandom"/>).
/// Names follow the demo's vocabulary (the `acme` management groups and app names, the `acme.example` domain); shapes
/// and counts are in docs/benchmarks.md ("Evaluation of a large Azure or GCP estate").
/// </summary>
public static class ScaledEstates
{
    /// <summary>The number of custom roles and of deny assignments in <see cref="Azure"/>.</summary>
    public const int AzureRoles = 200;

    /// <summary>Subscriptions and resource groups in <see cref="Azure"/>.</summary>
    public const int AzureSubscriptions = 40;

    /// <summary>Resource groups in <see cref="Azure"/>, spread over the subscriptions.</summary>
    public const int AzureResourceGroups = 2_000;

    private static readonly string[] ManagementGroups = ["acme", "acme-platform", "acme-prod", "acme-nonprod"];

    /// <summary>Folders under the organisation in <see cref="Gcp"/>.</summary>
    public const int GcpFolders = 20;

    /// <summary>
    /// An Azure tenant of <paramref name="principals"/> users: <see cref="AzureRoles"/> custom roles of provider
    /// wildcards, `…/*/read` and data actions (from the operation catalog; one in forty also writes role assignments),
    /// the `acme` management groups, 40 subscriptions, 2,000 resource groups, <c>principals × 10</c> role assignments
    /// (2 % at a management group, 10 % at a subscription, the rest at resource groups; a quarter to
    /// <c>principals / 20 + 1</c> groups, each user in two),
    /// 200 deny assignments of `*/delete`; and <paramref name="requests"/> requests for a seventeenth of the catalog's
    /// operations on virtual machines.
    /// </summary>
    public static ScaledAzureEstate Azure(int principals, int requests, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(principals, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        var random = StableRandom.For(seed, 70, principals);
        var catalog = AzureOperationCatalog.Default;
        var providers = catalog.Operations.Select(o => o.Name[..o.Name.IndexOf('/', StringComparison.Ordinal)])
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        var roles = Enumerable.Range(0, AzureRoles).Select(i => CustomRole(i, providers, random)).ToList();
        var root = DemoAzure.ManagementGroupId("acme");
        var mgs = ManagementGroups
            .Select(n => new ManagementGroup(DemoAzure.ManagementGroupId(n), n, null, n == "acme" ? null : root)).ToList();
        var subscriptions = Enumerable.Range(0, AzureSubscriptions).Select(i => new Subscription(
            Guid(0x30, i), $"acme-{DemoAzure.AppNames[i % DemoAzure.AppNames.Length]}-{i}", "Enabled", null, mgs[1 + i % 3].Id)).ToList();
        var resourceGroups = Enumerable.Range(0, AzureResourceGroups).Select(i => subscriptions[i % AzureSubscriptions].Scope
            + $"/resourceGroups/rg-{DemoAzure.AppNames[i % DemoAzure.AppNames.Length]}-{i}").ToList();
        var users = Enumerable.Range(0, principals).Select(i => Guid(0x10, i)).ToImmutableArray();
        var groups = principals / 20 + 1;
        var memberships = new GroupMemberships(users.Select((u, i) =>
            KeyValuePair.Create(u, (ImmutableArray<string>)[Guid(0x20, i % groups), Guid(0x20, i * 7 % groups)])));
        string Scope(int i) => (i % 50) switch
        {
            0 => random.Pick(mgs).Id,
            < 6 => random.Pick(subscriptions).Scope,
            _ => random.Pick(resourceGroups),
        };
        var assignments = Enumerable.Range(0, principals * 10).Select(i =>
        {
            var scope = Scope(i);
            var role = random.Pick(roles).Id;
            return i % 4 == 0
                ? new RoleAssignment($"ra{i}", scope, role, Guid(0x20, random.Next(groups)), "Group")
                : new RoleAssignment($"ra{i}", scope, role, random.Pick(users), "User");
        }).ToList();
        var denies = Enumerable.Range(0, AzureRoles).Select(i => new DenyAssignment($"deny{i}", $"deny{i}", random.Pick(resourceGroups),
            [new RolePermission(["*/delete"], [], [], [])], [new DenyPrincipal(DenyPrincipal.EveryoneId, "SystemDefined")],
            [new DenyPrincipal(users[i % principals], "User")], false)).ToList();
        var estate = new AzureEstate(roles, assignments, denies, [], new AzureHierarchy(mgs, subscriptions), memberships);
        var operations = catalog.Operations.Where((_, i) => i % 17 == 0).ToArray();
        var built = Enumerable.Range(0, requests).Select(_ =>
        {
            var operation = random.Pick(operations);
            var scope = $"{random.Pick(resourceGroups)}/providers/Microsoft.Compute/virtualMachines/vm{random.Next(10)}";
            var plane = operation.IsDataAction ? AzurePlane.Data : AzurePlane.Control;
            return new AzureRequest(random.Pick(users), operation.Name, scope, plane);
        }).ToImmutableArray();
        return new ScaledAzureEstate(estate, built, users);
    }

    /// <summary>
    /// A GCP organisation of <paramref name="principals"/> members (every tenth a service account, the rest users of
    /// `acme.example`): 20 folders, <c>principals / 10</c> projects with three buckets each, ten predefined-role bindings
    /// per project and one per folder (a quarter of the members bound are <c>principals / 20 + 1</c> groups),
    /// `roles/viewer` and `roles/browser` on the organisation, an object-viewer binding on half the buckets; and
    /// <paramref name="requests"/> checks of a seventh of the catalog's permissions on projects and buckets.
    /// </summary>
    public static ScaledGcpEstate Gcp(int principals, int requests, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(principals, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        var random = StableRandom.For(seed, 71, principals);
        var catalog = GcpRoleCatalog.Default;
        var predefined = catalog.Roles.Where(r => !r.IsCustom && !r.Deleted && r.PermissionCount > 0).ToArray();
        const string Manager = "//cloudresourcemanager.googleapis.com/";
        const string Org = Manager + "organizations/100000000001";
        var folders = Enumerable.Range(0, GcpFolders).Select(i => $"{Manager}folders/{200000000000 + i}").ToList();
        var projects = Enumerable.Range(0, Math.Max(1, principals / 10)).Select(i => $"{Manager}projects/acme-{i:00000}").ToList();
        var buckets = projects.SelectMany((p, i) => Enumerable.Range(0, 3)
            .Select(b => (Bucket: $"//storage.googleapis.com/acme-{i:00000}-b{b}", Project: p))).ToList();
        var resources = new List<GcpResource> { new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []) };
        resources.AddRange(folders.Select(f => new GcpResource(f, "cloudresourcemanager.googleapis.com/Folder", Org, [])));
        resources.AddRange(projects.Select((p, i) =>
            new GcpResource(p, "cloudresourcemanager.googleapis.com/Project", folders[i % folders.Count], [])));
        resources.AddRange(buckets.Select(b => new GcpResource(b.Bucket, "storage.googleapis.com/Bucket", b.Project, [])));
        var members = Enumerable.Range(0, principals).Select(i => i % 10 == 0
            ? $"serviceAccount:sa{i}@acme-{i / 10 % projects.Count:00000}.iam.gserviceaccount.com"
            : $"user:u{i}@{DemoGcp.Domain}").ToImmutableArray();
        var groupCount = principals / 20 + 1;
        var groups = Enumerable.Range(0, groupCount).Select(g => new GroupMembership($"group:g{g}@{DemoGcp.Domain}",
            [.. members.Where((_, i) => i % groupCount == g)])).ToList();
        string Member(int i) => i % 4 == 0 ? random.Pick(groups).Group : random.Pick(members);
        string Role() => random.Pick(predefined).Name;
        var policies = new List<IamPolicy>
        {
            new(Org, [new IamBinding("roles/viewer", [Member(0)]), new IamBinding("roles/browser", [groups[0].Group])]),
        };
        policies.AddRange(folders.Select((f, i) => new IamPolicy(f, [new IamBinding(Role(), [Member(i), Member(i + 1)])])));
        policies.AddRange(projects.Select((p, i) => new IamPolicy(p,
            [.. Enumerable.Range(0, 10).Select(b => new IamBinding(Role(), [Member(i * 10 + b), Member(i * 10 + b + 1)]))])));
        policies.AddRange(buckets.Where((_, i) => i % 2 == 0)
            .Select((b, i) => new IamPolicy(b.Bucket, [new IamBinding("roles/storage.objectViewer", [Member(i)])])));
        var set = GcpPolicySet.Create(new GcpInventory([.. resources], [.. policies], [], [], [.. groups]), catalog);
        var permissions = predefined.SelectMany(r => r.Permissions).Distinct(StringComparer.Ordinal).Where((_, i) => i % 7 == 0).ToArray();
        var built = Enumerable.Range(0, requests).Select(_ =>
        {
            var resource = random.Next(3) == 0 ? random.Pick(buckets).Bucket : random.Pick(projects);
            return new GcpRequest(new GcpPrincipal(random.Pick(members)), random.Pick(permissions), resource);
        }).ToImmutableArray();
        return new ScaledGcpEstate(set, built, members);
    }

    private static RoleDefinition CustomRole(int i, string[] providers, StableRandom random)
    {
        var picked = Enumerable.Range(0, 1 + i % 6).Select(_ => random.Pick(providers)).ToArray();
        ImmutableArray<string> actions = i % 10 == 0 ? ["*/read"] : [.. picked.Select(p => i % 3 == 0 ? p + "/*/read" : p + "/*")];
        // One role in forty also delegates access (as an application team's "access manager" role does), so the estate
        // has the role-assignment writers that privilege-escalation paths start from, whatever the random draws.
        if (i % 40 == 7) { actions = actions.Add("Microsoft.Authorization/roleAssignments/write"); }
        ImmutableArray<string> dataActions = i % 4 == 0 ? [.. picked.Select(p => p + "/*")] : [];
        var guid = Guid(0x40, i);
        return new RoleDefinition($"/providers/Microsoft.Authorization/roleDefinitions/{guid}", guid, $"acme-custom-role-{i}", "CustomRole",
            null, [new RolePermission(actions, i % 5 == 0 ? ["Microsoft.Authorization/*/write"] : [], dataActions, [])], ["/"]);
    }

    /// <summary>A readable object id: the kind in the first byte (0x10 users, 0x20 groups, 0x30 subscriptions, 0x40 roles).</summary>
    private static string Guid(int kind, int index) => $"{kind:x2}000000-0000-4000-8000-{index:000000000000}";
}
