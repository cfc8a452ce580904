using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using static Ciem.Core.Tests.Paths.Clouds.CloudScenario;

namespace Ciem.Core.Tests.Paths.Clouds;

/// <summary>The effective administrators of each Azure subscription and GCP project, in three engine-decided categories.</summary>
public sealed class CloudAdministratorsTests
{
    private static readonly string Alice = Id(101);
    private static readonly string Bob = Id(102);
    private static readonly string Carol = Id(103);
    private static readonly string Dave = Id(104);
    private static readonly string Erin = Id(105);
    private static readonly string Frank = Id(106);
    private static readonly string Mi = Id(201);
    private const string Vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm-app";
    private const string Deployer = "deployer@proj-a.iam.gserviceaccount.com";

    /// <summary>Role assignments only to principals other than <paramref name="self"/> (and only Owner or UAA when asked).</summary>
    private static string OthersOnly(string self) =>
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        + $"(@Request[Microsoft.Authorization/roleAssignments:PrincipalId] ForAnyOfAllValues:GuidNotEquals {{{self}}}))";

    private static ScopeAdministrators Azure(CloudScenario scenario)
    {
        var inputs = scenario.Inputs();
        var scopes = AdminScopes.Azure(inputs.Azure!);
        var sub = Assert.Single(scopes, s => s.Scope.Equals(Sub, StringComparison.OrdinalIgnoreCase));
        return new CloudAttackPaths(CloudGraphBuilder.Build(inputs)).Administrators(sub);
    }

    private static CloudStanding? Row(ScopeAdministrators admins, string id) =>
        admins.Administrators.SingleOrDefault(a => a.Node.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Administrators_AzureSubscription_ThreeCategoriesApart_AndNearMissesLeftOut()
    {
        // Given Alice Owner of the subscription, Frank Owner of the root scope, Bob User Access Administrator, Carol RBAC
        // Administrator who may assign roles to others only, Dave a twin of Carol constrained to no privileged role, Erin Owner
        // of another resource group only, and Mi, Owner, the managed identity of a VM a VM contributor of rg-app runs code on
        var admins = Azure(new CloudScenario()
            .Assign(Alice, Owner, Sub).Assign(Frank, Owner, "/").Assign(Bob, UserAccessAdministrator, Sub)
            .Assign(Carol, RbacAdministrator, Sub, condition: OthersOnly(Carol))
            .Assign(Dave, RbacAdministrator, Sub, condition: "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
                + "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals "
                + "{8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168}))")
            .Assign(Erin, Owner, Sub + "/resourceGroups/rg-other")
            .ManagedIdentity(Mi, "vm-app", Vm).Assign(Mi, Owner, Sub, "ServicePrincipal").Assign(Id(107), VmContributor, Rg));

        // Then Alice and Frank (through `/`) are administrators, Bob and the VM contributor can become one with the path, Carol
        // can make others administrators but not herself, and Dave and Erin are not listed
        Assert.Equal(AdminCategory.Administrator, Row(admins, Alice)?.Category);
        Assert.Equal(AdminCategory.Administrator, Row(admins, Frank)?.Category);
        var bob = Row(admins, Bob)!;
        Assert.Equal(AdminCategory.CanBecomeAdministrator, bob.Category);
        Assert.Equal(["azure-role-assignment-write"], bob.Shortest.Techniques());
        Assert.True(bob.IsPrivilegeAdministrator);
        var runner = Row(admins, Id(107))!;
        Assert.Equal(["azure-vm-run-command", "azure-administrator"], runner.Shortest.Techniques());
        Assert.False(runner.IsPrivilegeAdministrator);
        var carol = Row(admins, Carol)!;
        Assert.Equal(AdminCategory.PrivilegeAdministrator, carol.Category);
        Assert.Null(carol.Shortest);
        Assert.Contains(carol.GrantsAt.Single().Evidence, e => e.Contains("another principal", StringComparison.Ordinal));
        Assert.Null(Row(admins, Dave));
        Assert.Null(Row(admins, Erin));
        Assert.Equal(AdminCategory.Administrator, admins.Administrators[0].Category);
    }

    [Fact]
    public void Administrators_GcpProject_OrganisationOwnerAndIamAdmin_ExpiredConditionAndViewerLeftOut()
    {
        // Given the owner account of proj-a, an organisation owner, a Project IAM Admin, one under an expired condition, a viewer,
        // and Dev, Token Creator on the owner account
        var inputs = new CloudScenario().ServiceAccount(Deployer, "111222333")
            .Bind(Project, "roles/owner", "serviceAccount:" + Deployer)
            .Bind(Organization, "roles/owner", "user:org@example.com")
            .Bind(Project, "roles/resourcemanager.projectIamAdmin", "user:iam@example.com")
            .Bind(Project, "roles/resourcemanager.projectIamAdmin", "user:old@example.com",
                "request.time < timestamp(\"2020-01-01T00:00:00Z\")")
            .Bind(Project, "roles/viewer", "user:viewer@example.com")
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountTokenCreator", "user:dev@example.com")
            .Inputs();
        var project = Assert.Single(AdminScopes.Gcp(inputs.Gcp!));
        Assert.Equal(Project, project.Scope);
        Assert.Contains(Organization, project.Within);

        // When the project's administrators are listed
        var admins = new CloudAttackPaths(CloudGraphBuilder.Build(inputs)).Administrators(project);

        // Then the account and the organisation owner (whose roles/owner holds the project's setIamPolicy, not the
        // organisation's) are administrators of the project, the IAM admin and Dev can become one, the IAM admin also grants
        // to others; the expired binding and the viewer are not listed
        Assert.Equal(AdminCategory.Administrator, Row(admins, "serviceAccount:" + Deployer)?.Category);
        Assert.Equal(AdminCategory.Administrator, Row(admins, "user:org@example.com")?.Category);
        var iam = Row(admins, "user:iam@example.com")!;
        Assert.Equal(AdminCategory.CanBecomeAdministrator, iam.Category);
        Assert.Equal(["gcp-set-iam-policy"], iam.Shortest.Techniques());
        Assert.Equal("gcp-set-iam-policy", Assert.Single(iam.GrantsAt).Technique.Id);
        Assert.Equal(["gcp-get-access-token", "gcp-administrator"], Row(admins, "user:dev@example.com")!.Shortest.Techniques());
        Assert.Empty(Row(admins, "user:dev@example.com")!.GrantsAt);
        Assert.Null(Row(admins, "user:old@example.com"));
        Assert.Null(Row(admins, "user:viewer@example.com"));
    }

    [Fact]
    public void AllStandings_MatchTheSingleStandings_ForEveryIdentity()
    {
        // Given an estate with administrators, paths and a grantor
        var paths = new CloudScenario().Assign(Alice, Owner, Sub).Assign(Bob, UserAccessAdministrator, Sub)
            .Assign(Carol, RbacAdministrator, Sub, condition: OthersOnly(Carol)).Assign(Dave, Reader, Sub)
            .ManagedIdentity(Mi, "vm-app", Vm).Assign(Mi, Owner, Sub, "ServicePrincipal").Assign(Erin, VmContributor, Rg).Paths();

        // When every standing is computed at once (one reverse search)
        var all = paths.AllStandings(includeNone: true);

        // Then each agrees with the per-identity search: category, hops and certainty
        Assert.NotEmpty(all);
        foreach (var s in all)
        {
            var one = paths.Standing(s.Node.Index);
            Assert.Equal(one.Category, s.Category);
            Assert.Equal(one.Shortest?.Hops, s.Shortest?.Hops);
            Assert.Equal(one.Shortest?.Certainty, s.Shortest?.Certainty);
            Assert.Equal(one.GrantsAt.Length, s.GrantsAt.Length);
        }
        Assert.Equal(AdminCategory.None, all.Single(s => s.Node.Id == Dave).Category);
        Assert.Equal(AdminCategory.PrivilegeAdministrator, all.Single(s => s.Node.Id == Carol).Category);
    }

    [Fact]
    public void WhoCan_Transitive_DirectThroughAnIdentityAndThroughAnAdministrator()
    {
        // Given Mi allowed directly (the engine's answer), Carol who runs code as Mi, Bob UAA of the subscription, Dave a reader
        var paths = new CloudScenario().ManagedIdentity(Mi, "vm-app", Vm).Assign(Mi, Contributor, Rg, "ServicePrincipal")
            .Assign(Carol, VmContributor, Rg).Assign(Bob, UserAccessAdministrator, Sub).Assign(Dave, Reader, Sub).Paths();
        var mi = paths.Resolve(Mi).Node;
        var admin = paths.Graph.IndexOf(CloudNodeKind.Administrator, "azure:" + Sub);
        Assert.True(admin >= 0);

        // When who reaches it is asked, with deny assignments in the estate (administrator paths then indeterminate)
        var hits = paths.WhoCan(new Dictionary<int, EdgeCertainty> { [mi] = EdgeCertainty.Certain }, [admin], EdgeCertainty.Indeterminate);

        // Then Mi directly, Carol through Mi (certain), Bob through the administrator (indeterminate); Dave not at all
        Assert.Equal(Mi, hits[0].Identity.Id);
        Assert.Empty(hits[0].Path.Steps);
        var carol = hits.Single(h => h.Identity.Id == Carol);
        Assert.Equal(["azure-vm-run-command"], carol.Path.Techniques());
        Assert.False(carol.ViaAdministrator);
        Assert.Equal(EdgeCertainty.Certain, carol.Certainty);
        var bob = hits.Single(h => h.Identity.Id == Bob);
        Assert.True(bob.ViaAdministrator);
        Assert.Equal(EdgeCertainty.Indeterminate, bob.Certainty);
        Assert.DoesNotContain(hits, h => h.Identity.Id == Dave);
    }

    [Fact]
    public void Shortest_TwoGoalsTie_SameAnswerWhateverOrderTheStoreReturnedThePolicies()
    {
        // Given one IAM admin of two projects (two one-hop paths that tie), bound in one order and in the other
        const string other = "//cloudresourcemanager.googleapis.com/projects/proj-b";
        const string admin = "user:iam@example.com";
        var forward = new CloudScenario().Bind(Project, "roles/resourcemanager.projectIamAdmin", admin)
            .Bind(other, "roles/resourcemanager.projectIamAdmin", admin).Bind(other, "roles/viewer", "user:z@example.com").Paths();
        var backward = new CloudScenario().Bind(other, "roles/viewer", "user:z@example.com")
            .Bind(other, "roles/resourcemanager.projectIamAdmin", admin).Bind(Project, "roles/resourcemanager.projectIamAdmin", admin).Paths();

        // When the shortest path to an administrator is asked of each
        var a = forward.Standing(admin);
        var b = backward.Standing(admin);

        // Then both pick the same goal (the first by id) and number every node alike
        Assert.Equal("gcp:" + Project, a.Shortest!.Goal.Id);
        Assert.Equal(a.Shortest!.Goal.Id, b.Shortest!.Goal.Id);
        Assert.Equal(forward.Graph.Nodes.Select(n => n.Id), backward.Graph.Nodes.Select(n => n.Id));
        Assert.Equal(forward.Graph.Edges.Select(e => (e.From, e.To, e.Technique.Id)),
            backward.Graph.Edges.Select(e => (e.From, e.To, e.Technique.Id)));
    }
}
