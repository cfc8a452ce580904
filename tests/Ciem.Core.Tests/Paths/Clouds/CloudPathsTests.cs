using Ciem.Core.Directories;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using static Ciem.Core.Tests.Paths.Clouds.CloudScenario;

namespace Ciem.Core.Tests.Paths.Clouds;

public sealed class CloudPathsTests
{
    private static readonly string Alice = Id(101);
    private static readonly string Bob = Id(102);
    private static readonly string Mi = Id(201);
    private const string Vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm-app";
    private const string Uami = Rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy";
    private const string RbacConstrained =
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
        + "ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168}))";

    // ---------- Azure ----------

    [Fact]
    public void Azure_Owner_IsAdministrator()
    {
        // Given Alice, Owner of the subscription / When her standing is asked
        var standing = new CloudScenario().Assign(Alice, Owner, Sub).Paths().Standing(Alice);

        // Then she is an administrator, closing with the probe of the scope
        Assert.Equal(AdminCategory.Administrator, standing.Category);
        Assert.Equal(["azure-administrator"], standing.Shortest.Techniques());
        Assert.Equal(0, standing.Shortest!.Hops);
    }

    [Fact]
    public void Azure_UserAccessAdministrator_AssignsItselfOwner_ButNotAtAResourceGroup()
    {
        // Given Alice, User Access Administrator of the subscription, and Bob, of a resource group only
        var paths = new CloudScenario().Assign(Alice, UserAccessAdministrator, Sub).Assign(Bob, UserAccessAdministrator, Rg).Paths();

        // Then Alice can become administrator in one hop; Bob's scope is no administrator's scope
        var alice = paths.Standing(Alice);
        Assert.Equal(AdminCategory.CanBecomeAdministrator, alice.Category);
        Assert.Equal(["azure-role-assignment-write"], alice.Shortest.Techniques());
        Assert.Equal(EdgeCertainty.Certain, alice.Shortest!.Certainty);
        Assert.Contains(alice.Shortest.Steps[0].Evidence, e => e.Contains("User Access Administrator", StringComparison.Ordinal));
        Assert.Equal(AdminCategory.None, paths.Standing(Bob).Category);
    }

    [Fact]
    public void Azure_RbacAdministrator_ConditionExcludingPrivilegedRoles_CannotAssignOwner()
    {
        // Given Alice, RBAC Administrator constrained as the portal offers (no Owner, UAA or RBAC Administrator), Bob unconstrained
        var paths = new CloudScenario().Assign(Alice, RbacAdministrator, Sub, condition: RbacConstrained).Assign(Bob,
            RbacAdministrator, Sub).Paths();

        // Then the condition, evaluated with the role she would assign, stops Alice; Bob assigns himself Owner
        Assert.Equal(AdminCategory.None, paths.Standing(Alice).Category);
        Assert.Equal(["azure-role-assignment-write"], paths.Standing(Bob).Shortest.Techniques());
    }

    [Fact]
    public void Azure_ConditionOnAnAttributeNotKnown_KeepsTheEdgeIndeterminate()
    {
        // Given Alice's RBAC Administrator assignment conditioned on the type of principal assigned (not known before the request)
        const string condition = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
            + "(@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))";
        var standing = new CloudScenario().Assign(Alice, RbacAdministrator, Sub, condition: condition).Paths().Standing(Alice);

        // Then the edge is kept and marked indeterminate
        Assert.Equal(AdminCategory.CanBecomeAdministrator, standing.Category);
        Assert.Equal(EdgeCertainty.Indeterminate, standing.Shortest!.Certainty);
    }

    [Fact]
    public void Azure_DenyAssignmentOnRoleAssignmentWrites_StopsTheEdge()
    {
        // Given Alice, User Access Administrator, denied role-assignment writes by a deny assignment
        var paths = new CloudScenario().Assign(Alice, UserAccessAdministrator, Sub)
            .DenyAzure(Alice, Sub, "Microsoft.Authorization/roleAssignments/write").Paths();

        // Then she cannot become administrator
        Assert.Equal(AdminCategory.None, paths.Standing(Alice).Category);
    }

    [Fact]
    public void Azure_VirtualMachineContributor_RunsCodeAsTheVmsManagedIdentity()
    {
        // Given a VM in rg-app whose managed identity is Owner of the subscription; Alice is VM Contributor of rg-app,
        // Bob only Reader, and a twin of Alice is denied run command and extensions
        var carol = Id(103);
        var paths = new CloudScenario()
            .ManagedIdentity(Mi, "vm-app", Vm).Assign(Mi, Owner, Sub, "ServicePrincipal")
            .Assign(Alice, VmContributor, Rg).Assign(Bob, Reader, Rg).Assign(carol, VmContributor, Rg)
            .DenyAzure(carol, Rg, "Microsoft.Compute/virtualMachines/runCommand/action",
                "Microsoft.Compute/virtualMachines/runCommands/write",
                "Microsoft.Compute/virtualMachines/extensions/write")
            .Paths();

        // Then Alice reaches administrator through the identity in one hop; Bob and Carol do not
        var alice = paths.Standing(Alice);
        Assert.Equal(["azure-vm-run-command", "azure-administrator"], alice.Shortest.Techniques());
        Assert.Equal(1, alice.Shortest!.Hops);
        Assert.Equal(AdminCategory.None, paths.Standing(Bob).Category);
        Assert.Equal(AdminCategory.None, paths.Standing(carol).Category);
    }

    [Fact]
    public void Azure_UserAssignedIdentity_FederatedCredentialWrite_BecomesIt()
    {
        // Given a user-assigned identity that is Owner; Alice is Managed Identity Contributor on it, Bob Reader
        var paths = new CloudScenario()
            .ManagedIdentity(Mi, "id-deploy", Uami).Assign(Mi, Owner, Sub, "ServicePrincipal")
            .Assign(Alice, ManagedIdentityContributor, Uami).Assign(Bob, Reader, Uami).Paths();

        // Then Alice adds a federated credential and becomes it; Bob cannot
        Assert.Equal("azure-federated-credential", paths.Edge(Alice, Mi)?.Technique.Id);
        Assert.Null(paths.Edge(Bob, Mi));
    }

    [Fact]
    public void Azure_EligibleOwner_PimActivationIsIndeterminate()
    {
        // Given Alice, eligible (not active) for Owner of the subscription
        var standing = new CloudScenario().Eligible(Alice, Owner, Sub).Paths().Standing(Alice);

        // Then the path needs an activation whose rules are not imported
        Assert.Equal(["azure-pim-activation"], standing.Shortest.Techniques());
        Assert.Equal(EdgeCertainty.Indeterminate, standing.Shortest!.Certainty);
    }

    [Fact]
    public void Azure_CustomRoleWithRoleDefinitionWrite_RewritesItsOwnRole()
    {
        // Given a custom role holding role-definition writes and reads, assigned to Alice at the subscription
        const string guid = "99999999-0000-0000-0000-000000000001";
        var paths = new CloudScenario().CustomAzureRole(guid, "role-editor", Sub, "Microsoft.Authorization/roleDefinitions/write", "*/read")
            .Assign(Alice, guid, Sub).Paths();

        // Then she can add `*` to her own role
        Assert.Equal(["azure-role-definition-write"], paths.Standing(Alice).Shortest.Techniques());
    }

    // ---------- Entra ID ----------

    [Fact]
    public void Entra_ApplicationOwner_BecomesItsServicePrincipal()
    {
        // Given an application whose service principal is Owner, owned by Alice; another app with a Reader principal owned by Bob
        var sp = Id(301);
        var reader = Id(302);
        var paths = new CloudScenario().EntraUser(Alice, "alice@example.com").EntraUser(Bob, "bob@example.com")
            .Application(sp, "deployer", Alice).Assign(sp, Owner, Sub, "ServicePrincipal")
            .Application(reader, "reporting", Bob).Assign(reader, Reader, Sub, "ServicePrincipal").Paths();

        // Then Alice reaches administrator through the app's credentials; Bob's app leads nowhere
        Assert.Equal(["entra-app-owner", "azure-administrator"], paths.Standing(Alice).Shortest.Techniques());
        Assert.Equal("entra-app-owner", paths.Edge(Bob, reader)?.Technique.Id);
        Assert.Equal(AdminCategory.None, paths.Standing(Bob).Category);
    }

    [Fact]
    public void Entra_DirectoryRoles_ElevateOrControlCredentials()
    {
        // Given a Global Administrator, a Privileged Role Administrator through a role-assignable group, an Application
        // Administrator, an Owner service principal, and Bob with no role
        var ga = Id(111);
        var pra = Id(112);
        var appAdmin = Id(113);
        var group = Id(120);
        var sp = Id(301);
        var paths = new CloudScenario()
            .EntraUser(ga, "ga@example.com").EntraUser(pra, "pra@example.com").EntraUser(appAdmin, "apps@example.com").EntraUser(Bob,
                "bob@example.com")
            .EntraGroup(group, "role-admins", new DirectoryMember(MemberKind.User, pra))
            .DirectoryRole("62e90394-69f5-4237-9190-012177145e10", "Global Administrator", new DirectoryMember(MemberKind.User, ga))
            .DirectoryRole("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
                new DirectoryMember(MemberKind.Group, group))
            .DirectoryRole("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", new DirectoryMember(MemberKind.User,
                appAdmin))
            .Application(sp, "deployer").Assign(sp, Owner, Sub, "ServicePrincipal").Paths();

        // Then each reaches administrator by its role's technique; Bob does not
        Assert.Equal(["entra-elevate-access"], paths.Standing(ga).Shortest.Techniques());
        Assert.Equal(["entra-privileged-role-administrator"], paths.Standing(pra).Shortest.Techniques());
        Assert.Equal(["entra-application-administrator", "class-member", "azure-administrator"],
            paths.Standing(appAdmin).Shortest.Techniques());
        Assert.Equal(1, paths.Standing(appAdmin).Shortest!.Hops);
        Assert.Equal(AdminCategory.None, paths.Standing(Bob).Category);
    }

    // ---------- GCP ----------

    private const string Deployer = "deployer@proj-a.iam.gserviceaccount.com";
    private const string Dev = "user:dev@example.com";
    private const string Ops = "user:ops@example.com";

    private static CloudScenario OwnerAccount() => new CloudScenario().ServiceAccount(Deployer, "111222333").Bind(Project,
        "roles/owner", "serviceAccount:" + Deployer);

    [Fact]
    public void Gcp_TokenCreator_BecomesTheOwnerAccount_UnlessADenyPolicyStopsIt()
    {
        // Given the owner account, Dev and Ops Token Creators on it, and a deny policy on Ops for every token and signing permission
        var paths = OwnerAccount()
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountTokenCreator", Dev)
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountTokenCreator", Ops)
            .DenyGcp("principal://goog/subject/ops@example.com", "iam.googleapis.com/serviceAccounts.getAccessToken",
                "iam.googleapis.com/serviceAccounts.signJwt", "iam.googleapis.com/serviceAccounts.signBlob",
                    "iam.googleapis.com/serviceAccounts.getOpenIdToken",
                "iam.googleapis.com/serviceAccounts.implicitDelegation")
            .Paths();

        // Then Dev reaches administrator of the project in one hop; Ops does not
        var dev = paths.Standing(Dev);
        Assert.Equal(["gcp-get-access-token", "gcp-administrator"], dev.Shortest.Techniques());
        Assert.Equal(1, dev.Shortest!.Hops);
        Assert.Equal(AdminCategory.None, paths.Standing(Ops).Category);
        Assert.Equal(AdminCategory.Administrator, paths.Standing("serviceAccount:" + Deployer).Category);
    }

    [Fact]
    public void Gcp_KeyAdmin_CreatesAKey_AndAViewerCannot()
    {
        // Given Dev, Service Account Key Admin on the owner account, and Ops, viewer of the project
        var paths = OwnerAccount().Bind(SaResource(Deployer), "roles/iam.serviceAccountKeyAdmin", Dev).Bind(Project, "roles/viewer",
            Ops).Paths();

        // Then Dev creates a key; Ops has no edge
        Assert.Equal("gcp-service-account-key", paths.Edge(Dev, Deployer)?.Technique.Id);
        Assert.Null(paths.Edge(Ops, Deployer));
    }

    [Fact]
    public void Gcp_ActAsWithCompute_BecomesTheAccount_ButActAsAloneDoesNot()
    {
        // Given Dev with Service Account User on the owner account and Compute Instance Admin on the project; Ops with the first only
        var paths = OwnerAccount()
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountUser", Dev).Bind(Project, "roles/compute.instanceAdmin.v1", Dev)
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountUser", Ops).Paths();

        // Then Dev launches a VM as the account; Ops cannot use it without a compute permission
        Assert.Equal("gcp-actas-compute", paths.Edge(Dev, Deployer)?.Technique.Id);
        Assert.Null(paths.Edge(Ops, Deployer));
    }

    [Fact]
    public void Gcp_ProjectIamAdmin_SetsThePolicy_UnlessItsConditionHasExpired()
    {
        // Given Dev, Project IAM Admin; Ops, the same under a condition that expired in 2020
        var paths = new CloudScenario().Bind(Project, "roles/resourcemanager.projectIamAdmin", Dev)
            .Bind(Project, "roles/resourcemanager.projectIamAdmin", Ops, "request.time < timestamp(\"2020-01-01T00:00:00Z\")").Paths();

        // Then Dev grants itself owner; Ops's binding never applies
        Assert.Equal(["gcp-set-iam-policy"], paths.Standing(Dev).Shortest.Techniques());
        Assert.Equal(AdminCategory.None, paths.Standing(Ops).Category);
    }

    [Fact]
    public void Gcp_CustomRoleWithRolesUpdate_RewritesItself_AndOneWithoutDoesNot()
    {
        // Given two custom roles of the project, one with iam.roles.update; Dev holds it, Ops holds the other
        var paths = new CloudScenario()
            .CustomGcpRole("projects/proj-a/roles/roleEditor", "iam.roles.update", "iam.roles.get")
            .CustomGcpRole("projects/proj-a/roles/roleReader", "iam.roles.get")
            .Bind(Project, "projects/proj-a/roles/roleEditor", Dev).Bind(Project, "projects/proj-a/roles/roleReader", Ops).Paths();

        // Then Dev can add any permission to the role it holds on the project
        Assert.Equal(["gcp-update-custom-role"], paths.Standing(Dev).Shortest.Techniques());
        Assert.Equal(AdminCategory.None, paths.Standing(Ops).Category);
    }

    [Fact]
    public void Gcp_ImplicitDelegation_ReachesTheOwnerThroughAnIntermediateAccount()
    {
        // Given Dev with implicitDelegation (Token Creator includes it) on `relay`, which may mint the owner account's tokens
        const string relay = "relay@proj-a.iam.gserviceaccount.com";
        var paths = OwnerAccount().ServiceAccount(relay)
            .Bind(SaResource(relay), "roles/iam.serviceAccountTokenCreator", Dev)
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountTokenCreator", "serviceAccount:" + relay).Paths();

        // Then Dev has a direct delegation edge to the owner account besides the two-hop path
        Assert.Equal("gcp-implicit-delegation", paths.Edge(Dev, Deployer)?.Technique.Id);
        Assert.Equal(1, paths.Standing(Dev).Shortest!.Hops);
    }

    [Fact]
    public void Gcp_LongChainAndCycle_AllPathsHonourMaxHops_AndTerminate()
    {
        // Given a chain of seven accounts, each Token Creator on the next, the last owner of the project; and a cycle of two
        // accounts that leads nowhere
        var s = new CloudScenario();
        string Sa(int i) => $"chain-{i}@proj-a.iam.gserviceaccount.com";
        for (var i = 0; i < 7; i++) { s.ServiceAccount(Sa(i)); }
        for (var i = 0; i < 6; i++) { s.Bind(SaResource(Sa(i + 1)), "roles/iam.serviceAccountTokenCreator", "serviceAccount:" + Sa(i)); }
        s.Bind(Project, "roles/owner", "serviceAccount:" + Sa(6)).Bind(SaResource(Sa(0)), "roles/iam.serviceAccountTokenCreator", Dev);
        s.ServiceAccount("loop-a@proj-a.iam.gserviceaccount.com").ServiceAccount("loop-b@proj-a.iam.gserviceaccount.com")
            .Bind(SaResource("loop-a@proj-a.iam.gserviceaccount.com"), "roles/iam.serviceAccountTokenCreator",
                "serviceAccount:loop-b@proj-a.iam.gserviceaccount.com")
            .Bind(SaResource("loop-b@proj-a.iam.gserviceaccount.com"), "roles/iam.serviceAccountTokenCreator",
                "serviceAccount:loop-a@proj-a.iam.gserviceaccount.com")
            .Bind(SaResource("loop-a@proj-a.iam.gserviceaccount.com"), "roles/iam.serviceAccountTokenCreator", Ops);
        var paths = s.Paths();
        var dev = paths.Resolve(Dev).Node;

        // When all paths are listed with several hop limits
        var (withSeven, _) = paths.AllPaths(dev, 7, 20);
        var (withTwo, _) = paths.AllPaths(dev, 2, 20);

        // Then the shortest path goes through implicit delegation, no path exceeds the limit, and the cycle ends with no path
        Assert.True(paths.Standing(Dev).Shortest!.Hops <= 7);
        Assert.NotEmpty(withSeven);
        Assert.All(withSeven, p => Assert.True(p.Hops <= 7));
        Assert.All(withTwo, p => Assert.True(p.Hops <= 2));
        Assert.Equal(AdminCategory.None, paths.Standing(Ops).Category);
        Assert.Empty(paths.AllPaths(paths.Resolve(Ops).Node, 20, 20).Paths);
    }

    // ---------- across clouds ----------

    private const string GoogleTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:sub":"SUB"}}}]}""";

    [Fact]
    public void CrossCloud_GoogleServiceAccountTrustedByAnAwsAdminRole_ChainsFromGcpToAws()
    {
        // Given an AWS administrator role trusting the owner account's Google tokens, a twin trusting another unique
        // id, and Dev Token Creator on the account
        var paths = OwnerAccount().Bind(SaResource(Deployer), "roles/iam.serviceAccountTokenCreator", Dev)
            .Aws(a => a.Role("gcp-bridge", GoogleTrust.Replace("SUB", "111222333", StringComparison.Ordinal), PathScenario.AdminPolicy)
                .Role("gcp-other", GoogleTrust.Replace("SUB", "999", StringComparison.Ordinal), PathScenario.AdminPolicy))
            .Paths();

        // Then the account's web identity assumes the bridge only, which administers its AWS account
        var edge = paths.Edge("serviceAccount:" + Deployer, PathScenario.RoleArn("gcp-bridge"));
        Assert.Equal("aws-web-identity-google", edge?.Technique.Id);
        Assert.Equal(EdgeCertainty.Certain, edge!.Certainty);
        Assert.Null(paths.Edge("serviceAccount:" + Deployer, PathScenario.RoleArn("gcp-other")));
        var all = paths.AllPaths(paths.Resolve(Dev).Node, 5, 20).Paths;
        Assert.Contains(all, p => p.Techniques().SequenceEqual(["gcp-get-access-token", "aws-web-identity-google", "aws-administrator"]));
    }

    [Fact]
    public void CrossCloud_AzureManagedIdentityTrustedByAwsRole_ChainsFromAzureToAws()
    {
        // Given a VM whose identity has only Reader in Azure but is trusted (sub and aud) by an AWS administrator
        // role; Alice is VM Contributor
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/sts.windows.net/TENANT/"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"sts.windows.net/TENANT/:sub":"MI","sts.windows.net/TENANT/:aud":"api://aws-federation"}}}]}""".Replace("TENANT", Tenant, StringComparison.Ordinal).Replace("MI", Mi, StringComparison.Ordinal);
        var paths = new CloudScenario().ManagedIdentity(Mi, "vm-app", Vm).Assign(Mi, Reader, Sub, "ServicePrincipal").Assign(Alice,
            VmContributor, Rg)
            .Aws(a => a.Role("azure-bridge", trust, PathScenario.AdminPolicy)).Paths();

        // Then Alice runs code as the identity, which assumes the AWS role: administrator of the AWS account in two hops
        var alice = paths.Standing(Alice);
        Assert.Equal(["azure-vm-run-command", "aws-web-identity-entra", "aws-administrator"], alice.Shortest.Techniques());
        Assert.Contains(alice.Shortest!.Steps[1].Evidence, e => e.Contains("api://aws-federation", StringComparison.Ordinal));
    }

    [Fact]
    public void CrossCloud_WorkloadIdentityPoolTrustingAnAwsRole_IsIndeterminate()
    {
        // Given a project owner binding for the sessions of AWS role `ci` through a pool, and a binding for an AWS role not imported
        const string pool = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws-pool/attribute.aws_role/";
        var paths = new CloudScenario().Bind(Project, "roles/owner", pool + "arn:aws:sts::111111111111:assumed-role/ci")
            .Bind(Project, "roles/viewer", pool + "arn:aws:sts::111111111111:assumed-role/gone")
            .Aws(a => a.Role("ci", PathScenario.TrustAws("arn:aws:iam::111111111111:root"),
                PathScenario.Policy(PathScenario.Allow("s3:ListBucket")))).Paths();

        // Then the AWS role reaches administrator of the project, marked indeterminate (the provider is not imported)
        var ci = paths.Standing(PathScenario.RoleArn("ci"));
        Assert.Equal(["gcp-workload-identity-aws", "gcp-administrator"], ci.Shortest.Techniques());
        Assert.Equal(EdgeCertainty.Indeterminate, ci.Shortest!.Certainty);
        Assert.Contains(paths.Graph.NotModelled, n => n.Contains("`gone`", StringComparison.Ordinal));
    }

    [Fact]
    public void CrossCloud_WorkloadIdentityPoolNamingAnAzureObjectId_ChainsFromAzureToGcp()
    {
        // Given a project owner binding for the pool subject that is the managed identity's object id
        var paths = new CloudScenario().ManagedIdentity(Mi, "vm-app", Vm).Assign(Mi, Reader, Sub, "ServicePrincipal")
            .Bind(Project, "roles/owner",
                $"principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/azure-pool/subject/{Mi}").Paths();

        // Then the identity reaches administrator of the project through the pool (indeterminate: the provider is not imported)
        Assert.Equal(["gcp-workload-identity-azure", "gcp-administrator"], paths.Standing(Mi).Shortest.Techniques());
    }

    [Fact]
    public void CrossCloud_PersonLinkedToAnAwsAdminRole_ReachesItFromThePersonAndTheirEntraAccount()
    {
        // Given Alice's Entra account federated (SAML) into an AWS administrator role
        var link = new IdentityLink("aws", PathScenario.RoleArn("admin"),
            [new FederationStep("entra user", Alice, "alice@example.com"), new FederationStep("saml app", "app", "AWS"),
                new FederationStep("role", "admin", "admin")],
            MatchKind.ImmutableId);
        var paths = new CloudScenario().EntraUser(Alice, "alice@example.com").Assign(Alice, Reader, Sub)
            .Aws(a => a.Role("admin", PathScenario.TrustAws("arn:aws:iam::111111111111:root"), PathScenario.AdminPolicy))
            .Person("alice@example.com", link).Paths();

        // Then the person and her Entra account both reach the AWS account's administrator in one hop
        Assert.Equal(["person-federation", "aws-administrator"], paths.Standing("alice@example.com").Shortest.Techniques());
        Assert.Equal(["person-federation", "aws-administrator"], paths.Standing(Alice).Shortest.Techniques());
    }

    [Fact]
    public void Resolve_UnknownOrAmbiguous_SaysSo()
    {
        // Given a small estate / When an unknown identity is asked
        var paths = new CloudScenario().Assign(Alice, Reader, Sub).Paths();
        var match = paths.Resolve("nobody@example.com");

        // Then nothing is matched and the error says what is accepted
        Assert.Equal(-1, match.Node);
        Assert.Contains("no Azure, GCP or federated identity `nobody@example.com`", match.Error, StringComparison.Ordinal);
    }
}
