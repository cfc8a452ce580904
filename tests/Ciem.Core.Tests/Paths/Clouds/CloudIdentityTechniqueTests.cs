using Ciem.Core.Directories;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using static Ciem.Core.Tests.Paths.Clouds.CloudScenario;

namespace Ciem.Core.Tests.Paths.Clouds;

/// <summary>
/// One scenario per modelled identity technique not covered elsewhere (GCP signJwt, signBlob and a service account's own
/// policy; a user-assigned identity assigned to a new VM; a service principal's owner; Entra credential resets), each with
/// a near-miss twin that cannot.
/// </summary>
public sealed class CloudIdentityTechniqueTests
{
    private const string Deployer = "deployer@proj-a.iam.gserviceaccount.com";
    private const string Other = "other@proj-a.iam.gserviceaccount.com";
    private const string Dev = "user:dev@example.com";
    private const string Ops = "user:ops@example.com";
    private const string Signer = "projects/proj-a/roles/signer";
    private static readonly string Alice = Id(101);
    private static readonly string Bob = Id(102);
    private static readonly string Carol = Id(103);
    private static readonly string Mi = Id(201);
    private const string Uami = Rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy";

    [Theory]
    [InlineData("gcp-sign-jwt", "iam.serviceAccounts.signJwt")]
    [InlineData("gcp-sign-blob", "iam.serviceAccounts.signBlob")]
    [InlineData("gcp-service-account-set-iam-policy", "iam.serviceAccounts.setIamPolicy")]
    public void Gcp_OnePermissionOnTheOwnerAccount_BecomesIt_OnAnotherAccountDoesNot(string technique, string permission)
    {
        // Given the owner account of proj-a; Dev holds only the permission on it, Ops only on another account
        var paths = new CloudScenario().ServiceAccount(Deployer, "111222333").ServiceAccount(Other, "444555666")
            .Bind(Project, "roles/owner", "serviceAccount:" + Deployer)
            .CustomGcpRole(Signer, permission)
            .Bind(SaResource(Deployer), Signer, Dev).Bind(SaResource(Other), Signer, Ops).Paths();

        // Then Dev becomes the owner account by the technique and reaches administrator of the project; Ops does not
        Assert.Equal(technique, paths.Edge(Dev, Deployer)?.Technique.Id);
        Assert.Equal([technique, "gcp-administrator"], paths.Standing(Dev).Shortest.Techniques());
        Assert.Null(paths.Edge(Ops, Deployer));
        Assert.Equal(AdminCategory.None, paths.Standing(Ops).Category);
    }

    [Fact]
    public void Azure_AssignUserAssignedIdentityToANewVm_BecomesIt_WithoutVmWriteDoesNot()
    {
        // Given a user-assigned identity that is Owner; Alice may assign it and write VMs in its resource group, Bob may
        // only assign it
        const string assignAndVm = "99999999-0000-0000-0000-0000000000a1";
        const string assignOnly = "99999999-0000-0000-0000-0000000000a2";
        var paths = new CloudScenario()
            .ManagedIdentity(Mi, "id-deploy", Uami).Assign(Mi, Owner, Sub, "ServicePrincipal")
            .CustomAzureRole(assignAndVm, "identity-vm", Rg, "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
                "Microsoft.Compute/virtualMachines/write")
            .CustomAzureRole(assignOnly, "identity-only", Rg, "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action")
            .Assign(Alice, assignAndVm, Rg).Assign(Bob, assignOnly, Rg).Paths();

        // Then Alice becomes the identity (and so administrator); Bob has no edge
        Assert.Equal("azure-assign-user-assigned-identity", paths.Edge(Alice, Mi)?.Technique.Id);
        Assert.Equal(["azure-assign-user-assigned-identity", "azure-administrator"], paths.Standing(Alice).Shortest.Techniques());
        Assert.Null(paths.Edge(Bob, Mi));
    }

    [Fact]
    public void Entra_ServicePrincipalOwner_BecomesIt_AndANonOwnerDoesNot()
    {
        // Given a service principal that is Owner of the subscription, owned by Alice (Bob owns nothing)
        var sp = Id(301);
        var paths = new CloudScenario().EntraUser(Alice, "alice@example.com").EntraUser(Bob, "bob@example.com")
            .ServicePrincipalOwnedBy(sp, "deployer", Alice).Assign(sp, Owner, Sub, "ServicePrincipal").Paths();

        // Then Alice adds a credential to it and reaches administrator; Bob has no edge to it
        Assert.Equal(["entra-sp-owner", "azure-administrator"], paths.Standing(Alice).Shortest.Techniques());
        Assert.Null(paths.Edge(Bob, sp));
        Assert.Equal(AdminCategory.None, paths.Standing(Bob).Category);
    }

    [Fact]
    public void Entra_HelpdeskAdministrator_ResetsAPlainUser_NotOneHoldingADirectoryRole()
    {
        // Given Alice, Helpdesk Administrator; Bob, a plain user, and Carol, who holds a directory role, both Owners
        var paths = new CloudScenario().EntraUser(Alice, "alice@example.com").EntraUser(Bob, "bob@example.com")
            .EntraUser(Carol, "carol@example.com")
            .DirectoryRole("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", new DirectoryMember(MemberKind.User, Alice))
            .DirectoryRole("4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader", new DirectoryMember(MemberKind.User, Carol))
            .Assign(Bob, Owner, Sub).Assign(Carol, Owner, Sub).Paths();

        // Then Alice reaches administrator through Bob's credentials, indeterminate (sign-in policies are not imported),
        // and no path of hers goes through Carol
        var alice = paths.Standing(Alice);
        Assert.Equal(["entra-reset-credentials", "class-member", "azure-administrator"], alice.Shortest.Techniques());
        Assert.Equal(EdgeCertainty.Indeterminate, alice.Shortest!.Certainty);
        var all = paths.AllPaths(paths.Resolve(Alice).Node, 5, 50).Paths;
        Assert.NotEmpty(all);
        Assert.DoesNotContain(all, p => p.Steps.Any(s => s.To.Id.Equals(Carol, StringComparison.OrdinalIgnoreCase)));
    }
}
