using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using static Ciem.Core.Tests.Paths.Clouds.CloudScenario;

namespace Ciem.Core.Tests.Paths.Clouds;

/// <summary>
/// A principal PIM-eligible for a role that assigns roles (Owner, User Access Administrator, RBAC Administrator) is a
/// privilege administrator of the scope once it activates it: listed as such, marked as needing activation; an eligibility
/// outside its window, a role that assigns nothing and a condition that keeps the privileged roles out are not.
/// </summary>
public sealed class PimEligibleGrantorTests
{
    private static readonly string Alice = Id(101);
    private static readonly string Bob = Id(102);
    private static readonly string Carol = Id(103);

    /// <summary>Role assignments only to principals other than <paramref name="self"/>.</summary>
    private static string OthersOnly(string self) =>
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        + $"(@Request[Microsoft.Authorization/roleAssignments:PrincipalId] ForAnyOfAllValues:GuidNotEquals {{{self}}}))";

    /// <summary>Role assignments of any role but Owner, User Access Administrator and RBAC Administrator.</summary>
    private const string NoPrivilegedRoles = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        + "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals "
        + "{8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168}))";

    private static ScopeAdministrators Subscription(CloudScenario scenario)
    {
        var inputs = scenario.Inputs();
        var sub = Assert.Single(AdminScopes.Azure(inputs.Azure!), s => s.Scope.Equals(Sub, StringComparison.OrdinalIgnoreCase));
        return new CloudAttackPaths(CloudGraphBuilder.Build(inputs)).Administrators(sub);
    }

    private static CloudStanding? Row(ScopeAdministrators admins, string id) =>
        admins.Administrators.SingleOrDefault(a => a.Node.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Grants_EligibleRbacAdministratorForOthersOnly_PrivilegeAdministratorOnActivation()
    {
        // Given Alice, eligible for RBAC Administrator of the subscription, who may assign roles to others only
        var admins = Subscription(new CloudScenario().Eligible(Alice, RbacAdministrator, Sub, OthersOnly(Alice)));

        // Then she cannot become administrator herself, but once she activates the role she can make others administrators
        var alice = Row(admins, Alice)!;
        Assert.Equal(AdminCategory.PrivilegeAdministrator, alice.Category);
        Assert.Null(alice.Shortest);
        var grant = Assert.Single(alice.GrantsAt);
        Assert.Equal("azure-pim-activation", grant.Technique.Id);
        Assert.Equal(EdgeCertainty.Indeterminate, grant.Certainty);
        Assert.StartsWith("needs activation of eligible `Role Based Access Control Administrator` at `"
            + Sub + "`", grant.Evidence[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains(grant.Evidence, e => e.Contains("assigns another principal Owner", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("User Access Administrator")]
    [InlineData("Owner")]
    public void Grants_EligibleOwnerOrUserAccessAdministrator_CanBecomeAdministratorAndGrantsOnActivation(string role)
    {
        // Given Alice, eligible for the role at the subscription (no condition)
        var guid = role == "Owner" ? Owner : UserAccessAdministrator;
        var admins = Subscription(new CloudScenario().Eligible(Alice, guid, Sub));

        // Then she can become administrator through the activation, and is a privilege administrator on activation too
        var alice = Row(admins, Alice)!;
        Assert.Equal(AdminCategory.CanBecomeAdministrator, alice.Category);
        Assert.Equal(["azure-pim-activation"], alice.Shortest.Techniques());
        Assert.Equal("azure-pim-activation", Assert.Single(alice.GrantsAt).Technique.Id);
        Assert.True(alice.IsPrivilegeAdministrator);
    }

    [Fact]
    public void Grants_ActiveGrantorAlsoEligible_KeepsTheActiveGrant()
    {
        // Given Bob, User Access Administrator (active) and eligible Owner of the subscription
        var admins = Subscription(new CloudScenario().Assign(Bob, UserAccessAdministrator, Sub).Eligible(Bob, Owner, Sub));

        // Then his grant to others needs no activation
        var bob = Row(admins, Bob)!;
        Assert.Equal("azure-role-assignment-write", Assert.Single(bob.GrantsAt).Technique.Id);
        Assert.Equal(EdgeCertainty.Certain, bob.GrantsAt[0].Certainty);
    }

    [Fact]
    public void Grants_NearMissTwins_ExpiredNotYetStartedReaderAndConstrainedCondition_NotListed()
    {
        // Given twins of an eligible grantor: one whose eligibility ended, one whose has not started, one eligible for
        // Reader, one eligible for RBAC Administrator constrained to non-privileged roles
        var admins = Subscription(new CloudScenario()
            .Eligible(Alice, RbacAdministrator, Sub, OthersOnly(Alice), AsOf.AddDays(-100), AsOf.AddDays(-1))
            .Eligible(Bob, UserAccessAdministrator, Sub, null, AsOf.AddDays(5), AsOf.AddDays(50))
            .Eligible(Carol, Reader, Sub)
            .Eligible(Id(104), RbacAdministrator, Sub, NoPrivilegedRoles));

        // Then none is an administrator of any kind of the subscription
        Assert.Null(Row(admins, Alice));
        Assert.Null(Row(admins, Bob));
        Assert.Null(Row(admins, Carol));
        Assert.Null(Row(admins, Id(104)));
    }
}
