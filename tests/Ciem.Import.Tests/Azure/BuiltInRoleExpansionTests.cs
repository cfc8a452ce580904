using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;

namespace Ciem.Import.Tests.Azure;

/// <summary>
/// Reads the whole `az provider operation list` snapshot and every built-in role, and expands each role against the
/// catalog. The figures asserted here are the ones in docs/azure.md.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class BuiltInRoleExpansionTests
{
    private static readonly Lazy<IReadOnlyList<RoleDefinition>> Roles = new(() => RoleDefinitionsReader.ReadFiles(AzureSamples.BuiltInRoleFiles()).Value);

    [Fact]
    public void ProviderOperations_WholeSnapshot_ExactCounts()
    {
        // Given the 323 provider files / When read
        var result = ProviderOperationsReader.ReadFiles(AzureSamples.OperationFiles());

        // Then 24,680 listed operations give 22,520 distinct ones (2,160 repeats ignoring case), 4,257 of them data actions
        Assert.Equal(323, result.SourceFiles.Length);
        Assert.Equal(new ImportCounts(22_520, 2_160, 0), result.Counts);
        Assert.Equal(4_257, result.Value.Count(o => o.IsDataAction));
        Assert.Equal(Severity.Info, Assert.Single(result.Diagnostics).Severity);

        // And a catalog built from it equals the shipped one
        var catalog = ProviderOperationsReader.ToCatalog("test", result.Value);
        Assert.Equal(AzureOperationCatalog.Default.Operations.Select(o => (o.Name, o.IsDataAction)), catalog.Operations.Select(o => (o.Name, o.IsDataAction)));
    }

    [Fact]
    public void Expand_EveryBuiltInRole_FiguresOfTheDocs()
    {
        // Given the catalog and all 928 roles
        var catalog = AzureOperationCatalog.Default;
        var totals = new Dictionary<string, (int Control, int Data)>(StringComparer.Ordinal);
        var deadPatterns = new HashSet<(AzurePlane, string)>();
        var deadWildcards = new HashSet<(AzurePlane, string)>();
        var rolesWithDead = new HashSet<string>(StringComparer.Ordinal);
        var rolesWithDeadWildcards = new HashSet<string>(StringComparer.Ordinal);

        // When each role's permission entries are expanded (NotActions subtracted per entry)
        foreach (var role in Roles.Value)
        {
            var control = new AzureOperationSetBuilder(catalog);
            var data = new AzureOperationSetBuilder(catalog);
            foreach (var permission in role.Permissions)
            {
                foreach (var (set, plane) in AzureEffectiveAccess.Expand(permission, catalog))
                {
                    (plane == AzurePlane.Data ? data : control).UnionWith(set);
                }
                foreach (var (pattern, plane) in permission.Actions.Select(a => (a, AzurePlane.Control)).Concat(permission.DataActions.Select(a => (a, AzurePlane.Data))))
                {
                    if (!catalog.Expand(pattern, plane).IsEmpty) { continue; }
                    deadPatterns.Add((plane, pattern));
                    rolesWithDead.Add(role.RoleName);
                    if (pattern.Contains('*', StringComparison.Ordinal))
                    {
                        deadWildcards.Add((plane, pattern));
                        rolesWithDeadWildcards.Add(role.RoleName);
                    }
                }
            }
            totals[role.RoleName] = (control.ToSet().Count, data.ToSet().Count);
        }

        // Then the figures are exact
        var sums = totals.Values.Select(t => t.Control + t.Data).Order().ToList();
        Assert.Equal(928, totals.Count);
        Assert.Equal(234_014, sums.Sum());
        Assert.Equal(34, (sums[463] + sums[464]) / 2);
        Assert.Equal(43, sums.Count(s => s == 0));
        Assert.Equal(306, sums.Count(s => s is >= 1 and <= 10));
        Assert.Equal(418, sums.Count(s => s is >= 11 and <= 100));
        Assert.Equal(124, sums.Count(s => s is >= 101 and <= 1000));
        Assert.Equal(37, sums.Count(s => s > 1000));
        Assert.Equal(246, deadPatterns.Count);
        Assert.Equal(119, rolesWithDead.Count);
        Assert.Equal(101, deadWildcards.Count);
        Assert.Equal(70, rolesWithDeadWildcards.Count);
        Assert.Equal((18_263, 0), totals["Owner"]);
        Assert.Equal((18_218, 0), totals["Contributor"]);
        Assert.Equal((7_692, 0), totals["Reader"]);
        Assert.Equal((7_742, 0), totals["User Access Administrator"]);
        Assert.Equal((15, 14), totals["Storage Blob Data Owner"]);
        Assert.Equal((75, 53), totals["Key Vault Administrator"]);
    }
}
