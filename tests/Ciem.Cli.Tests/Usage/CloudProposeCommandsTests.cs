using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Usage;

/// <summary>`propose --provider azure|gcp PRINCIPAL --out DIR` on the sample estates with the usage fixtures.</summary>
public sealed class CloudProposeCommandsTests
{
    private static string Fixture(string name) => TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", name);

    private static JsonElement Propose(CliRunner cli, string provider, string principal, string output, params string[] more)
    {
        var (code, text, err) = cli.Run(["propose", "--provider", provider, principal, "--out", output, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json", .. more]);
        using var doc = JsonDocument.Parse(text);
        // Nothing emitted is exit 1 (the reasons are in the JSON), a proposal exit 0.
        Assert.True(code == (doc.RootElement.GetProperty("emitted").GetBoolean() ? 0 : 1), err);
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

        // When a proposal is asked for ci-deploy, leaving out what the logs cannot show
        var r = Propose(cli, "azure", "c1de9107-0000-4000-8000-000000000003", output, "--drop-unknown");

        // Then a verified custom role with one operation, assigned on the machine, is written as az JSON and Terraform
        Assert.True(r.GetProperty("emitted").GetBoolean(), r.ToString());
        Assert.Equal((7, 1), (r.GetProperty("grantedBefore").GetInt32(), r.GetProperty("grantedAfter").GetInt32()));
        var stem = Path.Combine(output, "azure", "c1de9107-0000-4000-8000-000000000003");
        using var role = JsonDocument.Parse(File.ReadAllText(Path.Combine(stem, "role.json")));
        Assert.Equal(["/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg-dev/providers/Microsoft.Compute/virtualMachines/vm-build"],
            role.RootElement.GetProperty("AssignableScopes").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Contains("resource \"azurerm_role_assignment\"", File.ReadAllText(Path.Combine(stem, "proposal.tf")), StringComparison.Ordinal);
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
        var carol = Propose(cli, "gcp", "user:carol@acme.example", output, "--drop-unknown");
        var ci = Propose(cli, "gcp", "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com", output);

        // Then carol gets a one-permission role; ci-deploy's cannot be placed in the hierarchy, so it is not emitted
        Assert.True(carol.GetProperty("emitted").GetBoolean(), carol.ToString());
        // (after: the one permission plus the 8 of Storage Object Viewer that `allUsers` holds on the public bucket)
        Assert.Equal(9, carol.GetProperty("grantedAfter").GetInt32());
        Assert.Contains("compute.instances.start", File.ReadAllText(Path.Combine(output, "gcp", "user%3Acarol@acme.example", "role.json")), StringComparison.Ordinal);
        Assert.False(ci.GetProperty("emitted").GetBoolean());
        Assert.Contains("share no ancestor in the inventory", ci.GetProperty("failures")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProposeGcp_ProjectTheExportNamesByNumber_RoleAndTerraformNameItsId()
    {
        // Given the GCP sample organisation as Cloud Asset exports it (IAM policies on `projects/111111111111`, the
        // project's record mapping that number to `acme-prod`) and carol's audit log (she started vm-1 in acme-prod)
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp-audit", Fixture("gcp-audit.json"), "--db", cli.Db).Code);
        var output = Path.Combine(cli.Home, "proposals");

        // When her proposal is asked
        var carol = Propose(cli, "gcp", "user:carol@acme.example", output, "--drop-unknown");

        // Then the custom role is named, created and bound under the project id, as GCP names it once created
        Assert.True(carol.GetProperty("emitted").GetBoolean(), carol.ToString());
        Assert.Contains("`projects/acme-prod/roles/ciem_lp_carol`", carol.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var terraform = File.ReadAllText(Path.Combine(output, "gcp", "user%3Acarol@acme.example", "proposal.tf"));
        Assert.Contains("resource \"google_project_iam_custom_role\" \"ciem_lp_carol\" {\n  project     = \"acme-prod\"\n", terraform,
            StringComparison.Ordinal);
        Assert.Contains("resource \"google_project_iam_member\" \"ciem_lp_carol\" {\n  project = \"acme-prod\"\n", terraform,
            StringComparison.Ordinal);
        Assert.DoesNotContain("111111111111", terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void ProposeGcp_ProjectIdNotInTheInventory_ProposalSaysSoAndInventsNoId()
    {
        // Given only the IAM policy export (projects by number, no project record) and an audit log that names the
        // project by its number too
        using var cli = new CliRunner();
        var policies = Path.Combine(cli.Home, "iam-policies.json");
        File.Copy(TestPaths.Repo("samples", "gcp", "iam-policies.json"), policies);
        var log = Path.Combine(cli.Home, "gcp-audit.json");
        var byNumber = File.ReadAllText(Fixture("gcp-audit.json"))
            .Replace("projects/acme-prod/zones", "projects/111111111111/zones", StringComparison.Ordinal);
        File.WriteAllText(log, byNumber);
        Assert.Equal(0, cli.Run("import", "gcp", policies, "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp-audit", log, "--db", cli.Db).Code);
        var output = Path.Combine(cli.Home, "proposals");

        // When carol's proposal is asked
        var carol = Propose(cli, "gcp", "user:carol@acme.example", output, "--drop-unknown");

        // Then it is made, says the project id is unknown and how to give it, and the Terraform asks for the id
        // instead of putting the number where the id belongs
        Assert.True(carol.GetProperty("emitted").GetBoolean(), carol.ToString());
        var summary = carol.GetProperty("summary").GetString()!;
        Assert.Contains("the project id of project number `111111111111` is not in the inventory", summary, StringComparison.Ordinal);
        var terraform = File.ReadAllText(Path.Combine(output, "gcp", "user%3Acarol@acme.example", "proposal.tf"));
        Assert.Contains("variable \"project_id_111111111111\" {", terraform, StringComparison.Ordinal);
        Assert.Contains("  project     = var.project_id_111111111111\n", terraform, StringComparison.Ordinal);
        Assert.DoesNotContain("\"111111111111\"", terraform, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-prod", terraform, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Kept(JsonElement r) =>
        r.GetProperty("kept").EnumerateArray().ToDictionary(k => k.GetProperty("permission").GetString()!, k => k.GetProperty("reason").GetString()!, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void ProposeAzure_Default_UnknownReadKeptAndMarkedWithConfidence()
    {
        // Given the Azure sample tenant and its activity log (ci-deploy started vm-build; VM Operator also grants the VM read)
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "azure-activity", Fixture("azure-activity.json"), "--db", cli.Db).Code);

        // When a proposal is asked with the defaults
        var r = Propose(cli, "azure", "c1de9107-0000-4000-8000-000000000003", Path.Combine(cli.Home, "p"));

        // Then the read, which the Activity Log never records, is kept and marked unknown; the storage operations
        // of a provider it never used are not; the confidence says why it is low
        Assert.True(r.GetProperty("emitted").GetBoolean(), r.ToString());
        var kept = Kept(r);
        Assert.Equal("used", kept["Microsoft.Compute/virtualMachines/start/action"]);
        Assert.Equal("unknown", kept["Microsoft.Compute/virtualMachines/read"]);
        Assert.DoesNotContain(kept.Keys, k => k.StartsWith("Microsoft.Storage/", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, r.GetProperty("grantedAfter").GetInt32());
        var confidence = r.GetProperty("confidence");
        Assert.Equal("low", confidence.GetProperty("level").GetString());
        Assert.StartsWith("usage logged on ", confidence.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("1 of 2 kept permissions are unknown (not recorded by the logs)", confidence.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProposeGcp_DataAccessEntriesOfTheService_ReadsNoLongerUnknown()
    {
        // Given carol's audit log (she started vm-1) — first alone, then with a Data Access sink file of Compute Engine in the window
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp-audit", Fixture("gcp-audit.json"), "--db", cli.Db).Code);
        var before = Kept(Propose(cli, "gcp", "user:carol@acme.example", Path.Combine(cli.Home, "a")));
        var sink = Path.Combine(cli.Home, "sink", "cloudaudit.googleapis.com", "data_access", "2026", "11", "27", "10:00:00_10:59:59_S0.json");
        Directory.CreateDirectory(Path.GetDirectoryName(sink)!);
        File.WriteAllText(sink, """
            {"insertId":"-q3v9ze1a2b","logName":"projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"dev-lead@acme.example"},"authorizationInfo":[{"granted":true,"permission":"compute.instances.list","resource":"projects/acme-prod","resourceAttributes":{"name":"projects/acme-prod","service":"compute","type":"compute.instances"}}],"methodName":"v1.compute.instances.list","resourceName":"projects/acme-prod/zones/europe-west1-b/instances","serviceName":"compute.googleapis.com"},"receiveTimestamp":"2026-11-27T10:15:01.2Z","resource":{"labels":{"project_id":"acme-prod"},"type":"gce_instance"},"severity":"INFO","timestamp":"2026-11-27T10:15:00.9Z"}

            """);
        Assert.Equal(0, cli.Run("import", "gcp-audit", Path.Combine(cli.Home, "sink"), "--db", cli.Db).Code);

        // When the proposal is asked again
        var after = Kept(Propose(cli, "gcp", "user:carol@acme.example", Path.Combine(cli.Home, "b")));

        // Then Compute Engine reads were unknown (kept) before, and are unused (dropped) once Data Access entries of the service are in the window
        Assert.Equal("used", before["compute.instances.start"]);
        Assert.Equal("unknown", before["compute.instances.get"]);
        Assert.Contains(before.Values, v => v == "unknown");
        Assert.DoesNotContain(after.Values, v => v == "unknown");
        Assert.Equal("used", after["compute.instances.start"]);
    }
}
