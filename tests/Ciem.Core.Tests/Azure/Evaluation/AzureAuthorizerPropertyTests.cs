using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ciem.Core.Tests.Azure.Evaluation;

/// <summary>Invariants of Azure evaluation over random roles, assignments and requests.</summary>
public sealed class AzureAuthorizerPropertyTests
{
    private const string Sub = "/subscriptions/11111111-1111-1111-1111-111111111111";
    private static readonly string[] Patterns = ["*", "*/read", "Microsoft.Compute/*", "Microsoft.Compute/virtualMachines/*/read", "microsoft.storage/*/write", "Microsoft.Compute/virtualMachines/delete"];
    private static readonly string[] Operations = ["Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/delete", "Microsoft.Compute/virtualMachines/extensions/read", "Microsoft.Storage/storageAccounts/write", "Microsoft.Network/virtualNetworks/read"];
    private static readonly string[] Scopes = [Sub, Sub + "/resourceGroups/rg1", Sub + "/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1", Sub + "/resourceGroups/rg2", "/"];
    private static readonly string[] Principals = ["alice", "bob", "g1"];
    private static readonly string[] Conditions = ["", "", "@Request[k] StringEquals 'v'", "@Request[missing] StringEquals 'v'"];

    public sealed record Scenario(RoleDefinition[] Roles, RoleAssignment[] Assignments, string Operation, string Scope, string Principal);

    private static Gen<RoleDefinition> RoleGen =>
        from actions in Gen.Elements(Patterns).ArrayOf().Select(a => a.Take(3).ToArray())
        from notActions in Gen.Elements(Patterns).ArrayOf().Select(a => a.Take(1).ToArray())
        select new RoleDefinition("", "", "", "CustomRole", null,
            [new RolePermission([.. actions], [.. notActions], [], [])], ["/"]);

    private static Gen<RoleAssignment> AssignmentGen =>
        from role in Gen.Choose(0, 3)
        from principal in Gen.Elements(Principals)
        from scope in Gen.Elements(Scopes)
        from condition in Gen.Elements(Conditions)
        from id in Gen.Choose(0, 1_000_000)
        select new RoleAssignment($"ra{id}", scope, $"/providers/Microsoft.Authorization/roleDefinitions/r{role}", principal, "User",
            Condition: condition.Length == 0 ? null : condition);

    private static Gen<Scenario> ScenarioGen =>
        from roles in Gen.ListOf(RoleGen, 4)
        from count in Gen.Choose(0, 6)
        from assignments in Gen.ListOf(AssignmentGen, count)
        from operation in Gen.Elements(Operations)
        from scope in Gen.Elements(Scopes)
        from principal in Gen.Elements("alice", "bob")
        select new Scenario([.. roles.Select((r, i) => r with { Id = $"/providers/Microsoft.Authorization/roleDefinitions/r{i}", Name = $"r{i}", RoleName = $"Role {i}" })],
            [.. assignments], operation, scope, principal);

    private static Decision Evaluate(Scenario s, IEnumerable<RoleAssignment> assignments, IEnumerable<DenyAssignment>? denies = null)
    {
        var estate = new AzureEstate(s.Roles, assignments, denies, groups: new GroupMemberships([KeyValuePair.Create("alice", (System.Collections.Immutable.ImmutableArray<string>)["g1"])]));
        var request = new AzureRequest(s.Principal, s.Operation, s.Scope, AzurePlane.Control,
            Attributes: new Dictionary<string, System.Collections.Immutable.ImmutableArray<string>> { ["@Request[k]"] = ["v"] });
        return new AzureAuthorizer(estate).Evaluate(request).Decision;
    }

    [Property(MaxTest = 400)]
    public Property Evaluate_EveryoneDenyAdded_AlwaysExplicitDeny() =>
        // Given any estate / When a deny assignment for everyone on `*` at `/` is added / Then the request is explicitly denied
        Prop.ForAll(ScenarioGen.ToArbitrary(), s => Evaluate(s, s.Assignments,
            [new DenyAssignment("d", "d", "/", [new RolePermission(["*"], [], [], [])], [new DenyPrincipal(DenyPrincipal.EveryoneId, "SystemDefined")], [], false)])
            == Decision.ExplicitDeny);

    [Property(MaxTest = 400)]
    public Property Evaluate_AssignmentsReordered_SameDecision() =>
        // Given any estate / When the assignments are reversed / Then the decision does not change
        Prop.ForAll(ScenarioGen.ToArbitrary(), s => Evaluate(s, s.Assignments) == Evaluate(s, s.Assignments.Reverse()));

    [Property(MaxTest = 400)]
    public Property Evaluate_AssignmentAdded_NeverRemovesAccess() =>
        // Given an allowed request / When one more role assignment is added / Then it stays allowed
        Prop.ForAll(ScenarioGen.ToArbitrary(), AssignmentGen.ToArbitrary(), (s, extra) =>
            Evaluate(s, s.Assignments) != Decision.Allow || Evaluate(s, [.. s.Assignments, extra]) == Decision.Allow);

    [Property(MaxTest = 200)]
    public Property Evaluate_CatalogAndPatternMatching_Agree() =>
        // Given any estate / When evaluated with the shipped catalog and with an empty one (pattern matching only) / Then same decision
        Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
        {
            var estate = new AzureEstate(s.Roles, s.Assignments);
            var request = new AzureRequest(s.Principal, s.Operation, s.Scope);
            var empty = AzureOperationCatalog.Create("empty", []);
            return new AzureAuthorizer(estate).Evaluate(request).Decision == new AzureAuthorizer(estate, empty).Evaluate(request).Decision;
        });
}
