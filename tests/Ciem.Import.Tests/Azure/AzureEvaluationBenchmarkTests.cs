using System.Diagnostics;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Model;
using Ciem.Import.Azure;
using Xunit.Abstractions;

namespace Ciem.Import.Tests.Azure;

/// <summary>
/// Measures the Azure engine on a synthetic tenant built from the 928 real built-in roles: 1,000 principals in 50
/// groups, 10 subscriptions under 3 management groups, 200 resource groups, 10,000 role assignments, 50 deny
/// assignments. Prints throughput (figures in docs/azure.md); asserts only that the decisions are stable.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class AzureEvaluationBenchmarkTests(ITestOutputHelper output)
{
    private static readonly string[] GroupNames = ["root", "prod", "dev"];

    [Fact]
    public void Evaluate_SyntheticTenant_ReportsThroughput()
    {
        // Given a deterministic synthetic tenant
        var random = new Random(42);
        var roles = RoleDefinitionsReader.ReadFiles(AzureSamples.BuiltInRoleFiles()).Value;
        var mgs = GroupNames.Select(n => new ManagementGroup($"/providers/Microsoft.Management/managementGroups/{n}", n, null,
            n == "root" ? null : "/providers/Microsoft.Management/managementGroups/root")).ToList();
        var subs = Enumerable.Range(0, 10).Select(i => new Subscription($"00000000-0000-0000-0000-{i:000000000000}", $"sub{i}", "Enabled", null, mgs[1 + (i % 2)].Id)).ToList();
        var rgs = Enumerable.Range(0, 200).Select(i => $"{subs[i % 10].Scope}/resourceGroups/rg{i}").ToList();
        string Principal(int i) => $"10000000-0000-0000-0000-{i:000000000000}";
        string Group(int i) => $"20000000-0000-0000-0000-{i:000000000000}";
        var memberships = new GroupMemberships(Enumerable.Range(0, 1000).Select(i =>
            KeyValuePair.Create(Principal(i), (System.Collections.Immutable.ImmutableArray<string>)[Group(i % 50), Group((i * 7) % 50)])));
        string Scope(int i) => (i % 20) switch
        {
            0 => mgs[random.Next(3)].Id,
            < 5 => subs[random.Next(10)].Scope,
            _ => rgs[random.Next(200)],
        };
        var assignments = Enumerable.Range(0, 10_000).Select(i => new RoleAssignment($"ra{i}", Scope(i), roles[random.Next(roles.Length)].Id,
            i % 4 == 0 ? Group(random.Next(50)) : Principal(random.Next(1000)), i % 4 == 0 ? "Group" : "User")).ToList();
        var denies = Enumerable.Range(0, 50).Select(i => new DenyAssignment($"deny{i}", $"deny{i}", rgs[random.Next(200)],
            [new RolePermission(["*/delete"], [], [], [])], [new DenyPrincipal(DenyPrincipal.EveryoneId, "SystemDefined")],
            [new DenyPrincipal(Principal(i), "User")], false)).ToList();
        var estate = new AzureEstate(roles, assignments, denies, [], new AzureHierarchy(mgs, subs), memberships);
        var catalog = AzureOperationCatalog.Default;
        var operations = catalog.Operations.Where((_, i) => i % 37 == 0).ToArray();
        var requests = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var operation = operations[random.Next(operations.Length)];
            var scope = $"{rgs[random.Next(200)]}/providers/Microsoft.Compute/virtualMachines/vm{random.Next(10)}";
            return new AzureRequest(Principal(random.Next(1000)), operation.Name, scope, operation.IsDataAction ? AzurePlane.Data : AzurePlane.Control);
        }).ToArray();

        // When every request is evaluated, twice (the second pass is measured warm)
        var authorizer = new AzureAuthorizer(estate);
        var first = requests.Select(r => authorizer.Evaluate(r).Decision).ToArray();
        var clock = Stopwatch.StartNew();
        var second = requests.Select(r => authorizer.Evaluate(r).Decision).ToArray();
        var evaluate = clock.Elapsed;

        clock.Restart();
        var principals = Enumerable.Range(0, 20).Select(i => AzureEffectiveAccess.Compute(
            AzureEffectiveAccess.IdentityOf(Principal(i), "User", estate), estate, catalog)).ToList();
        var effective = clock.Elapsed;

        // Then decisions are stable, and the figures are printed
        Assert.Equal(first, second);
        var counts = second.GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"evaluate: {requests.Length} requests in {evaluate.TotalMilliseconds:F0} ms = {requests.Length / evaluate.TotalSeconds:F0} requests/s " +
            $"({string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))})");
        output.WriteLine($"effective access: {principals.Count} principals in {effective.TotalMilliseconds:F0} ms = {effective.TotalMilliseconds / principals.Count:F1} ms each, " +
            $"mean {principals.Average(p => p.Access.Grants.Length):F0} grants, {principals.Count(p => p.Access.IsAdministrator)} administrators");
        Assert.True(counts.GetValueOrDefault(Decision.Allow) > 0);
    }
}
