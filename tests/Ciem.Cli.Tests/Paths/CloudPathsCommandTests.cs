using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Paths;

public sealed class CloudPathsCommandTests
{
    private const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string EntraAlice = "4f1c2a9e-6b7d-4e21-9a35-0c8d7e6f5a41";
    private const string Carol = "ca201000-0000-4000-8000-000000000004";

    private static CliRunner Samples(bool directory = true)
    {
        var cli = new CliRunner();
        foreach (var args in new[]
        {
            new[] { "import", "azure", TestPaths.Repo("samples", "azure") },
            ["import", "gcp", TestPaths.Repo("samples", "gcp")],
            directory ? ["import", "directory", "entra", TestPaths.Repo("samples", "directory", "entra.json")] : null,
        })
        {
            if (args is null) { continue; }
            var (code, _, err) = cli.Run([.. args, "--db", cli.Db]);
            Assert.True(code == 0, err);
        }
        return cli;
    }

    /// <summary>A copy of `samples/NAME` in the runner's home, to be broken in one place.</summary>
    private static string SampleCopy(CliRunner cli, string name)
    {
        var copy = Directory.CreateDirectory(Path.Combine(cli.Home, name)).FullName;
        foreach (var f in Directory.GetFiles(TestPaths.Repo("samples", name))) { File.Copy(f, Path.Combine(copy, Path.GetFileName(f))); }
        return copy;
    }

    [Fact]
    public void Paths_AzureOwner_Json_IsAdministratorOfItsManagementGroup()
    {
        // Given the Azure, GCP and Entra samples / When Alice's paths are asked as JSON
        using var cli = Samples();
        var (code, output, err) = cli.Run("paths", Alice, "--db", cli.Db, "--format", "json");

        // Then she is an administrator of contoso-prod, the closing step explained by the Owner assignment
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("azure", root.GetProperty("provider").GetString());
        Assert.Equal("administrator", root.GetProperty("category").GetString());
        var step = root.GetProperty("shortest").GetProperty("steps")[0];
        Assert.Equal("azure-administrator", step.GetProperty("technique").GetString());
        Assert.Contains("contoso-prod", step.GetProperty("to").GetString(), StringComparison.Ordinal);
        Assert.Contains(step.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("role `Owner`",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_EntraGlobalAdministrator_Json_ElevatesToTheRootScope()
    {
        // Given the Entra sample, where Alice Martin is Global Administrator / When her object id's paths are asked
        using var cli = Samples();
        var (code, output, err) = cli.Run("paths", EntraAlice, "--db", cli.Db, "--format", "json");

        // Then she can become administrator of `/` by elevating access, in one hop
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("can-become-administrator", root.GetProperty("category").GetString());
        var shortest = root.GetProperty("shortest");
        Assert.Equal(1, shortest.GetProperty("hops").GetInt32());
        Assert.Equal("entra-elevate-access", shortest.GetProperty("steps")[0].GetProperty("technique").GetString());
    }

    [Fact]
    public void Paths_GcpMembers_Json_OwnerIsAdministrator_ViewerHasNoPath()
    {
        // Given the GCP sample: dev-lead owns acme-dev, carol holds narrower roles
        using var cli = Samples(directory: false);

        // When both are asked
        var (code, owner, err) = cli.Run("paths", "user:dev-lead@acme.example", "--db", cli.Db, "--format", "json");
        var (_, carol, _) = cli.Run("paths", "carol@acme.example", "--db", cli.Db, "--format", "json");

        // Then the owner is an administrator of the project, carol has none; without the directory the graph says what it lacked
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(owner).RootElement;
        Assert.Equal("gcp", root.GetProperty("provider").GetString());
        Assert.Equal("administrator", root.GetProperty("category").GetString());
        Assert.Equal("gcp-administrator", root.GetProperty("shortest").GetProperty("steps")[0].GetProperty("technique").GetString());
        var c = JsonDocument.Parse(carol).RootElement;
        Assert.Equal("none", c.GetProperty("category").GetString());
        Assert.Equal(0, c.GetProperty("paths").GetArrayLength());
        Assert.Contains(root.GetProperty("notModelled").EnumerateArray(), n => n.GetString()!.Contains("no Entra directory",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_UnknownCloudIdentity_ExitsWithInvalidInput()
    {
        // Given the samples / When an email that names nobody is asked
        using var cli = Samples();
        var (code, _, err) = cli.Run("paths", "nobody@acme.example", "--db", cli.Db);

        // Then the error says what is accepted, exit code 3
        Assert.Equal(3, code);
        Assert.Contains("no Azure, GCP or federated identity `nobody@acme.example`", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_CloudIdentityWithZeroHopsOrARequestGoal_IsRefused()
    {
        // Given the samples / When --max-hops 0, or --to ACTION RESOURCE, is asked for an Azure identity
        using var cli = Samples();
        var (zero, _, zeroErr) = cli.Run("paths", Alice, "--max-hops", "0", "--db", cli.Db);
        var (to, _, toErr) = cli.Run("paths", Alice, "--to", "Microsoft.Compute/virtualMachines/write", "/subscriptions/x", "--db", cli.Db);

        // Then both are refused as invalid input before anything is built
        Assert.Equal(3, zero);
        Assert.Contains("`--max-hops 0` is out of range", zeroErr, StringComparison.Ordinal);
        Assert.Equal(3, to);
        Assert.Contains("`--to ACTION RESOURCE` is answered for AWS identities", toErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_AzureIdentityWithoutAnyAzureOrGcpEstate_Fails()
    {
        // Given a store with the AWS samples only / When an Azure object id is asked
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, _, err) = cli.Run("paths", Alice, "--db", cli.Db);

        // Then it says there is no Azure or GCP estate to analyse (exit 1)
        Assert.Equal(1, code);
        Assert.Contains("ciem import azure", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_AzureText_EscapesAndNamesTheTechnique()
    {
        // Given the samples / When Alice's paths are asked as text
        using var cli = Samples();
        var (code, output, err) = cli.Run("paths", Alice, "--db", cli.Db);

        // Then the closing step names its technique and certainty in brackets (markup escaped)
        Assert.True(code == 0, err);
        Assert.Contains("[azure-administrator, certain]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_AzureEligibleAssignmentQuarantined_SaysTheEstateLacksItInsteadOfSilence()
    {
        // Given the Azure sample where carol's only eligible assignment names a scope that is not one (no leading `/`)
        using var cli = new CliRunner();
        var azure = SampleCopy(cli, "azure");
        var eligible = Path.Combine(azure, "eligible-assignments.json");
        File.WriteAllText(eligible, File.ReadAllText(eligible).Replace("\"scope\": \"/subscriptions/22222222-2222-4222-8222-222222222222\"",
            "\"scope\": \"subscriptions-22222222\"", StringComparison.Ordinal));

        // When it is imported, then carol's paths are asked (her eligible Owner is her only way to an administrator)
        var (importCode, _, imported) = cli.Run("import", "azure", azure, "--db", cli.Db);
        var (code, output, error) = cli.Run("paths", Carol, "--db", cli.Db, "--format", "json");

        // Then the import quarantines the assignment where it failed; paths find no path and say that a record is missing
        Assert.Equal(0, importCode);
        Assert.Contains($"has scope `subscriptions-22222222`, which does not start with `/`; the record was quarantined ({eligible}, "
            + "$.value[0].properties.scope)", imported, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        Assert.Equal("none", JsonDocument.Parse(output).RootElement.GetProperty("category").GetString());
        Assert.Contains("warning CIEM3010: 1 record(s) quarantined by the import of ", error, StringComparison.Ordinal);
        Assert.Contains("and 5 more file(s) (2026-11-28 12:00 UTC) are not in the estate of `tenant/", error, StringComparison.Ordinal);

        // And the sample as published (the twin) gives her the PIM path, without the warning
        using var clean = Samples(directory: false);
        var (_, cleanOutput, cleanError) = clean.Run("paths", Carol, "--db", clean.Db, "--format", "json");
        Assert.Equal("can-become-administrator", JsonDocument.Parse(cleanOutput).RootElement.GetProperty("category").GetString());
        Assert.DoesNotContain("CIEM3010", cleanError, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_GcpPolicyWithMalformedBinding_QuarantinedAndPathsSayTheEstateLacksIt()
    {
        // Given the GCP sample where the organisation's policy, which makes admin an Organization Administrator, has a binding
        // whose role is not a string
        using var cli = new CliRunner();
        var gcp = SampleCopy(cli, "gcp");
        var policies = Path.Combine(gcp, "iam-policies.json");
        const string binding = "{\"role\":\"roles/resourcemanager.organizationAdmin\",\"members\":[\"user:admin@acme.example\"]}";
        Assert.Contains(binding, File.ReadAllText(policies), StringComparison.Ordinal);
        File.WriteAllText(policies, File.ReadAllText(policies).Replace(binding, "{\"role\":42,\"members\":[\"user:admin@acme.example\"]}",
            StringComparison.Ordinal));

        // When it is imported, then admin's paths are asked
        var (importCode, _, imported) = cli.Run("import", "gcp", gcp, "--db", cli.Db);
        var (code, _, error) = cli.Run("paths", "user:admin@acme.example", "--db", cli.Db);

        // Then the organisation's policy is quarantined where it failed, admin is no longer in the graph, and the refusal says
        // that the estate lacks a record
        Assert.Equal(0, importCode);
        Assert.Contains($"error CIEM8004: binding 0 has no `role`; the record was quarantined ({policies}:1, record 0, "
            + "$.iam_policy.bindings[0])", imported, StringComparison.Ordinal);
        Assert.Equal(3, code);
        Assert.Contains("error: no Azure, GCP or federated identity `user:admin@acme.example`", error, StringComparison.Ordinal);
        Assert.Contains("warning CIEM3010: 1 record(s) quarantined by the import of ", error, StringComparison.Ordinal);
        Assert.Contains("are not in the estate of `organizations/123456789012`", error, StringComparison.Ordinal);

        // And the sample as published (the twin) makes admin able to become an administrator, without the warning
        using var clean = Samples(directory: false);
        var (cleanCode, cleanOutput, cleanError) = clean.Run("paths", "user:admin@acme.example", "--db", clean.Db, "--format", "json");
        Assert.True(cleanCode == 0, cleanError);
        Assert.Equal("can-become-administrator", JsonDocument.Parse(cleanOutput).RootElement.GetProperty("category").GetString());
        Assert.DoesNotContain("CIEM3010", cleanError, StringComparison.Ordinal);
    }
}
