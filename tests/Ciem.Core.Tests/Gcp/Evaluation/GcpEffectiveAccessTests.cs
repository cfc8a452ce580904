using System.Collections.Immutable;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Gcp.Evaluation;

public sealed class GcpEffectiveAccessTests
{
    private const string Org = "//cloudresourcemanager.googleapis.com/organizations/1";
    private const string Folder = "//cloudresourcemanager.googleapis.com/folders/2";
    private const string Project = "//cloudresourcemanager.googleapis.com/projects/3";
    private const string Bucket = "//storage.googleapis.com/projects/_/buckets/b";

    private static readonly int OwnerCount = Role("roles/owner").Permissions.Count;

    private static GcpRole Role(string name) => GcpRoleCatalog.Default.TryGetRole(name, out var r) ? r : throw new InvalidOperationException(name);

    private static GcpPolicySet Estate(ImmutableArray<IamPolicy> policies, ImmutableArray<DenyPolicy> denies = default, ImmutableArray<GroupMembership> groups = default) =>
        GcpPolicySet.Create(new GcpInventory(
            [new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
             new(Folder, "cloudresourcemanager.googleapis.com/Folder", Org, []),
             new(Project, "cloudresourcemanager.googleapis.com/Project", Folder, []),
             new(Bucket, "storage.googleapis.com/Bucket", Project, [])],
            policies, denies.IsDefault ? [] : denies, [], groups.IsDefault ? [] : groups));

    private static DenyPolicy Deny(string attachment, string id, string principal, string permission, IamCondition? condition = null) =>
        new($"policies/{Uri.EscapeDataString(attachment[2..])}/denypolicies/{id}", attachment, null,
            [new DenyRule([principal], [], [permission], [], condition)]);

    [Fact]
    public void Compute_OwnerOnProject_IsAdministratorWithEveryOwnerPermission()
    {
        // Given owner on a project
        var estate = Estate([new IamPolicy(Project, [new IamBinding("roles/owner", ["user:a@example.com"])])]);

        // When effective access is computed
        var access = GcpEffectiveAccess.Compute(estate, "user:a@example.com");

        // Then every owner permission is granted on the project, and the member is an administrator
        Assert.Equal(OwnerCount, access.GrantedCount);
        Assert.True(access.IsAdministrator);
        Assert.All(access.Grants, g => Assert.Equal(Project, g.Scope));
        Assert.Equal(["roles/owner on " + Project], access.Grants[0].Sources.ToArray());
        Assert.Equal(IdentityKind.HumanUser, access.Identity.Kind);
        Assert.Equal("gcp", access.Identity.Provider);
    }

    [Fact]
    public void Compute_OwnerOnBucketOnly_IsNotAdministrator()
    {
        // Given owner bound on a bucket, not on a project, folder or organisation
        var estate = Estate([new IamPolicy(Bucket, [new IamBinding("roles/owner", ["user:a@example.com"])])]);

        // Then the member is not an administrator
        Assert.False(GcpEffectiveAccess.Compute(estate, "user:a@example.com").IsAdministrator);
    }

    [Fact]
    public void Compute_UnconditionalDenyAbove_RemovesThePermission()
    {
        // Given owner on the project and a deny of project deletion at the organisation
        var estate = Estate([new IamPolicy(Project, [new IamBinding("roles/owner", ["user:a@example.com"])])],
            [Deny(Org, "d", "principal://goog/subject/a@example.com", "cloudresourcemanager.googleapis.com/projects.delete")]);

        // When effective access is computed
        var access = GcpEffectiveAccess.Compute(estate, "user:a@example.com");

        // Then that one permission is gone
        Assert.Equal(OwnerCount - 1, access.GrantedCount);
        Assert.DoesNotContain(access.Grants, g => g.Permission == "resourcemanager.projects.delete");
    }

    [Fact]
    public void Compute_SetIamPolicyDenied_IsNotAdministratorThroughThatPermission()
    {
        // Given an organisation admin whose setIamPolicy permissions are all denied at the organisation
        var estate = Estate([new IamPolicy(Org, [new IamBinding("roles/resourcemanager.organizationAdmin", ["user:a@example.com"])])],
            [Deny(Org, "d", "principal://goog/subject/a@example.com", "cloudresourcemanager.googleapis.com/*.setIamPolicy")]);

        // Then the member is not an administrator
        Assert.False(GcpEffectiveAccess.Compute(estate, "user:a@example.com").IsAdministrator);
    }

    [Fact]
    public void Compute_DenyBelowOrConditional_LimitsTheGrant()
    {
        // Given owner on the folder, an unconditional deny on the project below, a conditional deny on the folder
        var estate = Estate([new IamPolicy(Folder, [new IamBinding("roles/owner", ["user:a@example.com"])])],
            [Deny(Project, "below", "principal://goog/subject/a@example.com", "cloudresourcemanager.googleapis.com/projects.delete"),
             Deny(Folder, "tagged", "principal://goog/subject/a@example.com", "compute.googleapis.com/instances.delete", new IamCondition("resource.matchTag('1/env', 'prod')"))]);

        // When effective access is computed
        var access = GcpEffectiveAccess.Compute(estate, "user:a@example.com");

        // Then both grants are kept and say what limits them
        var delete = Assert.Single(access.Grants, g => g.Permission == "resourcemanager.projects.delete");
        Assert.Contains(delete.LimitedBy, l => l.Contains("below", StringComparison.Ordinal));
        var instances = Assert.Single(access.Grants, g => g.Permission == "compute.instances.delete");
        Assert.Contains(instances.LimitedBy, l => l.Contains("matchTag", StringComparison.Ordinal));
        Assert.True(instances.IsConditional);
        Assert.Equal(OwnerCount, access.GrantedCount);
    }

    [Fact]
    public void Compute_ViaNestedGroupAndCondition_RecordsSourceAndCondition()
    {
        // Given a conditional binding to a group the member reaches through a nested group
        var estate = Estate(
            [new IamPolicy(Bucket, [new IamBinding("roles/storage.objectViewer", ["group:outer@example.com"], new IamCondition("request.time < timestamp('2030-01-01T00:00:00Z')", "until 2030"))])],
            groups: [new GroupMembership("group:outer@example.com", ["group:inner@example.com"]), new GroupMembership("inner@example.com", ["user:a@example.com"])]);

        // When effective access is computed
        var access = GcpEffectiveAccess.Compute(estate, "user:a@example.com");

        // Then grants name the group and carry the condition, and conditional grants are not counted
        var get = Assert.Single(access.Grants, g => g.Permission == "storage.objects.get");
        Assert.Equal(["roles/storage.objectViewer on " + Bucket + " via group:outer@example.com"], get.Sources.ToArray());
        Assert.Equal("request.time < timestamp('2030-01-01T00:00:00Z')", get.Condition);
        Assert.Equal(0, access.GrantedCount);
        Assert.Equal("Read", get.AccessLevel);
    }

    [Fact]
    public void ComputeAll_ListsIndividualMembers_AndFindPublicFlagsPublicBindings()
    {
        // Given bindings to users, a group, a service account and allUsers
        var estate = Estate(
            [new IamPolicy(Project, [new IamBinding("roles/viewer", ["user:a@example.com", "group:g@example.com", "serviceAccount:sa@p3.iam.gserviceaccount.com"])]),
             new IamPolicy(Bucket, [new IamBinding("roles/storage.objectViewer", ["allUsers"])])],
            groups: [new GroupMembership("group:g@example.com", ["user:b@example.com"])]);

        // When every member is computed and public bindings are listed
        var all = GcpEffectiveAccess.ComputeAll(estate);
        var open = GcpEffectiveAccess.FindPublic(estate);

        // Then users (direct and from groups) and the service account each get an entry; allUsers is public
        Assert.Equal(["serviceAccount:sa@p3.iam.gserviceaccount.com", "user:a@example.com", "user:b@example.com"], all.Select(a => a.Identity.Id));
        var sa = all[0];
        Assert.Equal(IdentityKind.ServiceIdentity, sa.Identity.Kind);
        Assert.Equal("projects/p3", sa.Identity.Scope);
        Assert.Contains(sa.Grants, g => g.Permission == "storage.objects.get" && g.Scope == Bucket);
        Assert.Equal(Role("roles/viewer").Permissions.Union(Role("roles/storage.objectViewer").Permissions).Count, all[2].GrantedCount);
        var binding = Assert.Single(open);
        Assert.Equal((Bucket, "allUsers"), (binding.Resource, binding.Member));
    }

    [Fact]
    public void Compute_UnknownRole_IsReportedIndeterminate()
    {
        // Given a binding of a custom role that was not imported
        var estate = Estate([new IamPolicy(Project, [new IamBinding("projects/p/roles/missing", ["user:a@example.com"])])]);

        // Then the role is listed as indeterminate with a diagnostic
        var access = GcpEffectiveAccess.Compute(estate, "user:a@example.com");
        Assert.Equal(["projects/p/roles/missing on " + Project], access.Indeterminate.ToArray());
        Assert.Contains(access.Diagnostics, d => d.Code == "CIEM8201");
    }
}
