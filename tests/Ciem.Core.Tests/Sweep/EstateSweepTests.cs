using Ciem.Core.Sweep;

namespace Ciem.Core.Tests.Sweep;

public sealed class EstateSweepTests
{
    private static EstateSweepResult Combined()
    {
        var azure = CloudSweepRunner.RunAzure(CloudSweepRunnerTests.Azure(), CloudSweepRunnerTests.AzureUsage, new HashSet<string> { "entra:signIn" }, CloudSweepRunnerTests.AsOf);
        var gcp = CloudSweepRunner.RunGcp(CloudSweepRunnerTests.Gcp(), CloudSweepRunnerTests.GcpUsage, CloudSweepRunnerTests.AsOf);
        return EstateSweep.Combine(CloudSweepRunnerTests.AsOf, new SweepOptions(), null, null, azure, gcp);
    }

    [Fact]
    public void Combine_AzureAndGcp_TotalsAreTheSumOfTheProviders()
    {
        // Given the Azure and GCP sweeps / When combined
        var result = Combined();

        // Then the total is the sum of the provider slices, column by column
        Assert.Equal(["azure", "gcp"], result.ProviderNames.ToArray());
        Assert.Equal(["provider:azure", "provider:gcp"], result.Providers.Select(p => p.Name).ToArray());
        Assert.Equal(6, result.Total.Identities);
        Assert.Equal(result.Providers.Sum(p => p.Granted), result.Total.Granted);
        Assert.Equal(result.Providers.Sum(p => p.GrantedAfter), result.Total.GrantedAfter);
        Assert.Equal(result.Providers.Sum(p => p.Used), result.Total.Used);
        Assert.Equal((4, 1, 1, 2), (result.Total.ServiceIdentities, result.Total.Administrators, result.Total.UnusedAdministrators, result.Total.Inactive));
        Assert.Equal((3, 0, 1), (result.ProposalCount, result.FailureCount, result.ExcludedCount));
        Assert.True(result.Total.ProjectedReductionPercent > 0);
        Assert.Equal(result.Rows.Where(r => r.Provider == "azure").Sum(r => r.GrantedAfter), result.Providers[0].GrantedAfter);
    }

    [Fact]
    public void Combine_AzureAndGcp_MatrixInReviewOrder()
    {
        // Given the Azure and GCP sweeps / When combined
        var result = Combined();

        // Then service identities in preprod come first, then in prod; people last; empty cells are left out
        Assert.Equal(["service/preprod", "service/prod", "human/prod"], result.Matrix.Select(c => c.Slice.Name).ToArray());
        Assert.Equal((3, 3), (result.Matrix[0].Slice.Identities, result.Matrix[0].Slice.ServiceIdentities));
        Assert.Equal(("human", "prod", 2), (result.Matrix[2].Kind, result.Matrix[2].Environment, result.Matrix[2].Slice.Identities));
        Assert.Equal(["kind:service", "kind:human"], result.Kinds.Select(k => k.Name).ToArray());
        Assert.Equal(["env:preprod", "env:prod"], result.Environments.Select(k => k.Name).ToArray());
        Assert.Equal(result.Total.Identities, result.Matrix.Sum(c => c.Slice.Identities));
    }

    [Fact]
    public void Slice_Rows_CountsEveryColumn()
    {
        // Given four rows: an unused administrator (inactive), one that can become administrator through a path, a
        // privilege administrator, and one with no standing
        var env = new ResolvedEnvironment("prod", EnvironmentSource.Tag, "env=prod on account 1");
        SweepRow[] rows =
        [
            new("aws", "a", "a", Model.IdentityKind.ServiceIdentity, env, Ciem.Core.Paths.AdminCategory.None, false, false, false, 100, 10, 12),
            new("gcp", "b", "b", Model.IdentityKind.HumanUser, env, Ciem.Core.Paths.AdminCategory.Administrator, true, true, true, 50, 0, 50),
            new("aws", "c", "c", Model.IdentityKind.ServiceIdentity, env, Ciem.Core.Paths.AdminCategory.CanBecomeAdministrator, false, false, false, 10, 5, 10),
            new("azure", "d", "d", Model.IdentityKind.HumanUser, env, Ciem.Core.Paths.AdminCategory.PrivilegeAdministrator, true, false, false, 20, 5, 20),
        ];

        // When sliced / Then every column is the sum or count, and the reduction is (granted − after) / granted
        var slice = EstateSweep.Slice("x", rows);
        Assert.Equal(new SweepSlice("x", 4, 2, 1, 1, 1, 180, 20, 92) { CanBecomeAdministrators = 1, PrivilegeAdministrators = 2 }, slice);
        Assert.Equal(48.9, slice.ProjectedReductionPercent);
        Assert.True(rows[1].IsAdministrator);
        Assert.False(rows[2].IsAdministrator);
    }
}
