using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Usage;

/// <summary>`propose --provider azure|gcp PRINCIPAL --out DIR` on the sample estates with the usage fixtures.</summary>
public sealed class CloudProposeCommandsTests
{
    private static string Fixture(string name) => TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", name);

    private static JsonElement Propose(CliRunner cli, string provider, string principal, string output)
    {
        var (code, text, err) = cli.Run("propose", "--provider", provider, principal, "--out", output, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void ProposeAzure_CiDeploy_CustomRoleOnTheVirtualMachine()
    {
        // Given the Azure sample tenant and its activity log (ci-deploy started vm-build on two days)
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "azure-activity", Fixture("azure-activity.json"), "--db", cli.Db).Code);
        var output = Path.Combine(cli.Home, "proposals");

        // When a proposal is asked for ci-deploy
        var r = Propose(cli, "azure", "c1de9107-0000-4000-8000-000000000003", output);

        // Then a verified custom role with one operation, assigned on the machine, is written as az JSON and Terraform
        Assert.True(r.GetProperty("emitted").GetBoolean(), r.ToString());
        Assert.Equal((7, 1), (r.GetProperty("grantedBefore").GetInt32(), r.GetProperty("grantedAfter").GetInt32()));
        var stem = Path.Combine(output, "azure-c1de9107-0000-4000-8000-000000000003");
        using var role = JsonDocument.Parse(File.ReadAllText(stem + ".role.json"));
        Assert.Equal(["/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg-dev/providers/Microsoft.Compute/virtualMachines/vm-build"],
            role.RootElement.GetProperty("AssignableScopes").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Contains("resource \"azurerm_role_assignment\"", File.ReadAllText(stem + ".tf"), StringComparison.Ordinal);
    }

    [Fact]
    public void ProposeGcp_CarolAndCiDeploy_OneEmittedOneNot()
    {
        // Given the GCP sample organisation and its audit log
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp-audit", Fixture("gcp-audit.json"), "--db", cli.Db).Code);
        var output = Path.Combine(cli.Home, "proposals");

        // When proposals are asked for carol (started vm-1 in acme-prod) and ci-deploy (read a bucket the inventory does not hold)
        var carol = Propose(cli, "gcp", "user:carol@acme.example", output);
        var ci = Propose(cli, "gcp", "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com", output);

        // Then carol gets a one-permission role; ci-deploy's cannot be placed in the hierarchy, so it is not emitted
        Assert.True(carol.GetProperty("emitted").GetBoolean(), carol.ToString());
        // (after: the one permission plus the 8 of Storage Object Viewer that `allUsers` holds on the public bucket)
        Assert.Equal(9, carol.GetProperty("grantedAfter").GetInt32());
        Assert.Contains("compute.instances.start", File.ReadAllText(Path.Combine(output, "gcp-user_carol_acme.example.role.json")), StringComparison.Ordinal);
        Assert.False(ci.GetProperty("emitted").GetBoolean());
        Assert.Contains("share no ancestor in the inventory", ci.GetProperty("failures")[0].GetString(), StringComparison.Ordinal);
    }
}
