using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>`ciem import azure|gcp` and the query commands on the Azure and GCP samples (samples/azure, samples/gcp).</summary>
public sealed class MulticloudCommandsTests
{
    private const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string Bob = "b0b00000-0000-4000-8000-000000000002";
    private const string CiDeploy = "c1de9107-0000-4000-8000-000000000003";
    private const string Carol = "ca201000-0000-4000-8000-000000000004";
    private const string Prod = "/subscriptions/11111111-1111-4111-8111-111111111111";
    private const string Vm = Prod + "/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1";
    private const string Container = Prod + "/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp/blobServices/default/containers/";

    [Fact]
    public void ImportAzure_Samples_OneSnapshotOfTheTenantWithEveryKind()
    {
        // Given the Azure sample folder / When it is imported as JSON
        using var cli = new CliRunner();
        var (code, output, err) = cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db, "--format", "json");

        // Then one snapshot of the tenant holds every kind of file, nothing quarantined
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var snapshot = Assert.Single(doc.RootElement.GetProperty("snapshots").EnumerateArray());
        Assert.Equal("tenant/72f9a0be-0000-4000-8000-00000000c0de", snapshot.GetProperty("scope").GetString());
        Assert.Equal("Added", snapshot.GetProperty("outcome").GetString());
        var contents = doc.RootElement.GetProperty("contents");
        Assert.Equal(5, contents.GetProperty("role definitions").GetInt32());
        Assert.Equal(5, contents.GetProperty("role assignments").GetInt32());
        Assert.Equal(1, contents.GetProperty("deny assignments").GetInt32());
        Assert.Equal(1, contents.GetProperty("eligible assignments").GetInt32());
        Assert.Equal(2, contents.GetProperty("management groups").GetInt32());
        Assert.Equal(2, contents.GetProperty("subscriptions").GetInt32());
        Assert.Equal(2, contents.GetProperty("resource groups").GetInt32());
        Assert.Equal(1, contents.GetProperty("group memberships").GetInt32());
        Assert.Equal(0, doc.RootElement.GetProperty("quarantined").GetInt32());
    }

    [Fact]
    public void ImportGcp_Samples_OneSnapshotOfTheOrganisation()
    {
        using var cli = new CliRunner();
        var (code, output, err) = cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db, "--format", "json");

        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var snapshot = Assert.Single(doc.RootElement.GetProperty("snapshots").EnumerateArray());
        Assert.Equal("organizations/123456789012", snapshot.GetProperty("scope").GetString());
        var contents = doc.RootElement.GetProperty("contents");
        Assert.Equal(5, contents.GetProperty("resources").GetInt32());
        Assert.Equal(5, contents.GetProperty("allow policies").GetInt32());
        Assert.Equal(8, contents.GetProperty("bindings").GetInt32());
        Assert.Equal(1, contents.GetProperty("deny policies").GetInt32());
        Assert.Equal(1, contents.GetProperty("custom roles").GetInt32());
        Assert.Equal(2, contents.GetProperty("groups").GetInt32());
        Assert.Empty(doc.RootElement.GetProperty("diagnostics").EnumerateArray());
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("gcp")]
    public void Import_SameSamplesTwice_SecondIsUnchanged(string provider)
    {
        // Given the samples imported once
        using var cli = new CliRunner();
        Import(cli, provider);

        // When they are imported again
        var (code, output, _) = cli.Run("import", provider, TestPaths.Repo("samples", provider), "--db", cli.Db, "--format", "json");

        // Then nothing new is written
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("Unchanged", doc.RootElement.GetProperty("snapshots")[0].GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("azure", """{"foo": 1}""")]
    [InlineData("gcp", """{"foo": 1}""")]
    [InlineData("azure", "not json at all")]
    [InlineData("gcp", """{"bindings": [], "etag": "BwX="}""")]
    public void Import_UnrecognisedFileAmongGoodOnes_Exit3AndNothingImported(string provider, string content)
    {
        // Given the samples plus a file the import does not recognise
        using var cli = new CliRunner();
        var bad = Path.Combine(cli.Home, "bad.json");
        File.WriteAllText(bad, content);

        // When they are imported together
        var (code, _, err) = cli.Run("import", provider, TestPaths.Repo("samples", provider), bad, "--db", cli.Db);

        // Then the command exits 3 naming the file and the store holds nothing
        Assert.Equal(3, code);
        Assert.Contains("CIEM3006", err, StringComparison.Ordinal);
        Assert.Contains("bad.json", err, StringComparison.Ordinal);
        Assert.Equal(1, cli.Run("identities", "--provider", provider, "--db", cli.Db).Code);
    }

    [Fact]
    public void Import_BadRecord_QuarantinedWithLocatedDiagnosticRestImported()
    {
        // Given a role-assignment file whose second record has no scope
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Home, "ra.json");
        File.WriteAllText(file, $$"""
            [{"id": "/subscriptions/x/providers/Microsoft.Authorization/roleAssignments/1", "principalId": "{{Alice}}", "principalType": "User",
              "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "scope": "{{Prod}}"},
             {"id": "2", "principalId": "{{Bob}}", "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"}]
            """);

        // When it is imported
        var (code, output, err) = cli.Run("import", "azure", file, "--db", cli.Db, "--format", "json");

        // Then the good record is imported and the bad one quarantined with its location
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("imported").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("quarantined").GetInt32());
        var diagnostic = doc.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal("CIEM7003", diagnostic.GetProperty("code").GetString());
        Assert.Contains("$[1]", diagnostic.GetProperty("location").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Identities_AllProviders_AwsRowsUnchangedAzureAndGcpRowsAdded()
    {
        // Given AWS, Azure and GCP samples in one store
        using var cli = new CliRunner();
        cli.ImportSamples();
        Import(cli, "azure");
        Import(cli, "gcp");

        // When identities are listed as JSON without --provider
        var (code, output, err) = cli.Run("identities", "--db", cli.Db, "--format", "json");

        // Then the 14 AWS identities are there as before, with the Azure and GCP ones and their admin flags
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(14, rows.Count(r => !r.TryGetProperty("provider", out _)));
        var azure = rows.Where(r => r.TryGetProperty("provider", out var p) && p.GetString() == "azure").ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal([Alice, Bob, CiDeploy, Carol], azure.Keys.Order(StringComparer.Ordinal));
        Assert.True(azure[Alice].GetProperty("admin").GetBoolean());
        Assert.Equal(18263, azure[Alice].GetProperty("granted").GetInt32());
        Assert.Equal(1, azure[Carol].GetProperty("eligible").GetInt32());
        Assert.Equal("service", azure[CiDeploy].GetProperty("kind").GetString());
        var gcp = rows.Where(r => r.TryGetProperty("provider", out var p) && p.GetString() == "gcp").ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(5, gcp.Count);
        Assert.True(gcp["user:admin@acme.example"].GetProperty("admin").GetBoolean());
        Assert.True(gcp["user:dev-lead@acme.example"].GetProperty("admin").GetBoolean());
        Assert.False(gcp["user:bob@acme.example"].GetProperty("admin").GetBoolean());
        Assert.Equal(10, gcp["serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com"].GetProperty("granted").GetInt32());
    }

    [Fact]
    public void Identities_AwsOnlyStore_TextStillMatchesSnapshot()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("identities", "--provider", "aws", "--db", cli.Db);
        Assert.Equal(0, code);
        Snapshot.Match(output, "identities-samples", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Identities_Text_AzureAndGcpTables()
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("identities", "--db", cli.Db);
        Assert.True(code == 0, err);
        Assert.Contains("4 azure identities, 1 administrative, 1 service identities", output, StringComparison.Ordinal);
        Assert.Contains("5 gcp identities, 2 administrative, 1 service identities", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_AzureServicePrincipal_CustomRoleAndConditionalDataRead()
    {
        // Given the Azure samples / When ci-deploy's effective permissions are asked by object id
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, err) = cli.Run("effective", CiDeploy, "--db", cli.Db, "--format", "json");

        // Then the custom role's four VM operations on the dev subscription and the blob read under the ABAC condition
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("azure", doc.RootElement.GetProperty("provider").GetString());
        var permissions = doc.RootElement.GetProperty("permissions").EnumerateArray().ToList();
        var vm = permissions.Where(p => p.GetProperty("action").GetString()!.StartsWith("Microsoft.Compute/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, vm.Count);
        Assert.All(vm, p => Assert.Equal("/subscriptions/22222222-2222-4222-8222-222222222222", p.GetProperty("resources").GetString()));
        Assert.Contains("VM Operator (custom)", vm[0].GetProperty("grantedBy")[0].GetString(), StringComparison.Ordinal);
        var blob = permissions.Single(p => p.GetProperty("action").GetString() == "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read");
        Assert.Equal("DataRead", blob.GetProperty("accessLevel").GetString());
        Assert.Contains("'logs'", blob.GetProperty("condition").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_AzureGroupMember_ContributorViaGroupDeleteRemovedByDenyAssignment()
    {
        // Given the Azure samples / When bob's compute permissions are asked (he holds Contributor through a group)
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, err) = cli.Run("effective", Bob, "--service", "Microsoft.Compute", "--db", cli.Db, "--format", "json");

        // Then start is granted on rg-app via the group, and delete is gone: the deny assignment above rg-app removes it
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var permissions = doc.RootElement.GetProperty("permissions").EnumerateArray().ToDictionary(p => p.GetProperty("action").GetString()!);
        var start = permissions["Microsoft.Compute/virtualMachines/start/action"];
        Assert.Equal(Prod + "/resourceGroups/rg-app", start.GetProperty("resources").GetString());
        Assert.Equal($"role `Contributor` at `{Prod}/resourceGroups/rg-app` via group `9a9a9a9a-0000-4000-8000-000000000010`", start.GetProperty("grantedBy")[0].GetString());
        Assert.False(permissions.ContainsKey("Microsoft.Compute/virtualMachines/delete"));
    }

    [Fact]
    public void Effective_AzureEligibleOwner_ListedApartNotGranted()
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, err) = cli.Run("effective", Carol, "--db", cli.Db);
        Assert.True(code == 0, err);
        Assert.Contains("granted: 7,692 permissions", output, StringComparison.Ordinal);
        Assert.Contains("eligible (PIM, not active): role `Owner` at `/subscriptions/22222222-2222-4222-8222-222222222222` until 2027-06-01", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Bob, "Microsoft.Compute/virtualMachines/delete", Vm, "ExplicitDeny", "denyAssignment", "Protect production from deletion")]
    [InlineData(Bob, "Microsoft.Compute/virtualMachines/start/action", Vm, "Allow", "roleAssignment", "Contributor")]
    [InlineData(Alice, "Microsoft.Compute/virtualMachines/delete", Vm, "Allow", "roleAssignment", "Owner")]
    [InlineData(CiDeploy, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", Container + "logs", "Allow", "roleAssignment", "Storage Blob Data Reader")]
    [InlineData(CiDeploy, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", Container + "secrets", "ImplicitDeny", null, null)]
    [InlineData(Carol, "Microsoft.Compute/virtualMachines/delete", "/subscriptions/22222222-2222-4222-8222-222222222222", "ImplicitDeny", null, null)]
    public void Can_Azure_DecisionWithDecidingAssignment(string who, string operation, string scope, string decision, string? kind, string? name)
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, err) = cli.Run("can", who, operation, scope, "--db", cli.Db, "--format", "json");

        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(decision, doc.RootElement.GetProperty("decision").GetString());
        var deciding = doc.RootElement.GetProperty("deciding").EnumerateArray().ToList();
        if (kind is null) { Assert.Empty(deciding); return; }
        Assert.Contains(deciding, d => d.GetProperty("kind").GetString() == kind && d.GetProperty("name").GetString() == name);
    }

    [Fact]
    public void Can_AzureText_ExplainsDenyAssignmentAndScope()
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, _) = cli.Run("can", Bob, "Microsoft.Compute/virtualMachines/delete", Vm, "--db", cli.Db);
        Assert.Equal(0, code);
        Assert.StartsWith("ExplicitDeny:", output, StringComparison.Ordinal);
        Assert.Contains($"denies deny assignment `Protect production from deletion` at `{Prod}` (matched `*/delete`)", output.ReplaceLineEndings(""), StringComparison.Ordinal);
    }

    [Fact]
    public void WhoCan_AzureRoleAssignmentsWrite_OnlyTheOwner()
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, err) = cli.Run("who-can", "Microsoft.Authorization/roleAssignments/write", Prod, "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var hit = Assert.Single(doc.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(Alice, hit.GetProperty("identity").GetString());
        Assert.Equal("/providers/Microsoft.Management/managementGroups/contoso-prod", hit.GetProperty("deciding")[0].GetProperty("scope").GetString());
    }

    [Fact]
    public void WhoCan_AzureRead_ReaderAtRootAndContributorAndOwner()
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        var (code, output, err) = cli.Run("who-can", "Microsoft.Compute/virtualMachines/read", Vm, "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var ids = doc.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("identity").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([Alice, Bob, Carol], ids);
    }

    [Fact]
    public void Effective_GcpGroupMember_EditorFromFolderWithDenyRuleRemovingDelete()
    {
        // Given the GCP samples / When bob's effective permissions are asked by email
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("effective", "bob@acme.example", "--service", "resourcemanager", "--db", cli.Db, "--format", "json");

        // Then editor on the prod folder, through the group, and projects.delete removed by the folder's deny rule
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("user:bob@acme.example", doc.RootElement.GetProperty("identity").GetString());
        var permissions = doc.RootElement.GetProperty("permissions").EnumerateArray().ToList();
        var get = permissions.Single(p => p.GetProperty("action").GetString() == "resourcemanager.projects.get"
            && p.GetProperty("resources").GetString() == "//cloudresourcemanager.googleapis.com/folders/345678901234");
        Assert.Equal("roles/editor on //cloudresourcemanager.googleapis.com/folders/345678901234 via group:prod-devs@acme.example", get.GetProperty("grantedBy")[0].GetString());
        Assert.DoesNotContain(permissions, p => p.GetProperty("action").GetString() == "resourcemanager.projects.delete");
    }

    [Fact]
    public void Effective_GcpConditionalBinding_ConditionShown()
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("effective", "user:carol@acme.example", "--service", "compute", "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var delete = doc.RootElement.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("action").GetString() == "compute.instances.delete");
        Assert.Equal("request.time < timestamp('2027-01-01T00:00:00Z')", delete.GetProperty("condition").GetString());
    }

    [Theory]
    [InlineData("bob@acme.example", "resourcemanager.projects.delete", "projects/acme-prod", "ExplicitDeny")]
    [InlineData("bob@acme.example", "compute.instances.delete", "projects/acme-prod", "Allow")]
    [InlineData("carol@acme.example", "compute.instances.delete", "projects/acme-prod", "Allow")]
    [InlineData("carol@acme.example", "compute.instances.delete", "projects/acme-dev", "ImplicitDeny")]
    [InlineData("ci-deploy@acme-dev.iam.gserviceaccount.com", "storage.buckets.get", "projects/acme-dev", "Allow")]
    [InlineData("allUsers", "storage.objects.get", "//storage.googleapis.com/acme-public-assets", "Allow")]
    public void Can_Gcp_Decision(string who, string permission, string resource, string decision)
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("can", who, permission, resource, "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(decision, doc.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public void Can_GcpText_ExplainsDenyRuleAndConditionalBinding()
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var deny = cli.Run("can", "bob@acme.example", "resourcemanager.projects.delete", "projects/acme-prod", "--db", cli.Db).Out.ReplaceLineEndings("");
        var conditional = cli.Run("can", "carol@acme.example", "compute.instances.delete", "projects/acme-prod", "--db", cli.Db).Out.ReplaceLineEndings("");
        Assert.Contains("denies deny rule 0 of `policies/cloudresourcemanager.googleapis.com%2Ffolders%2F345678901234/denypolicies/no-project-delete`", deny, StringComparison.Ordinal);
        Assert.Contains("`roles/compute.instanceAdmin.v1` to `user:carol@acme.example` when `until 2027: request.time < timestamp('2027-01-01T00:00:00Z')`", conditional, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-31T23:00:00Z", "Allow")]
    [InlineData("2027-01-02T00:00:00Z", "ImplicitDeny")]
    public void Can_GcpConditionalBinding_DecidedAtTheGivenRequestTime(string time, string decision)
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("can", "carol@acme.example", "compute.instances.delete", "projects/acme-prod", "-c", $"request.time={time}", "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(decision, doc.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public void Can_GcpUnknownContextKey_Exit3()
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, _, err) = cli.Run("can", "carol@acme.example", "compute.instances.delete", "projects/acme-prod", "-c", "aws:SourceIp=1.2.3.4", "--db", cli.Db);
        Assert.Equal(3, code);
        Assert.Contains("`aws:SourceIp` is not used for gcp", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Identities_AzureAndGcpText_MatchesSnapshot()
    {
        using var cli = new CliRunner();
        Import(cli, "azure");
        Import(cli, "gcp");
        var (code, output, _) = cli.Run("identities", "--db", cli.Db);
        Assert.Equal(0, code);
        Snapshot.Match(output, "identities-azure-gcp", "Ciem.Cli.Tests");
    }

    [Fact]
    public void WhoCan_GcpPublicBucket_AllUsersFirstAndPublic()
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("who-can", "storage.objects.get", "//storage.googleapis.com/acme-public-assets", "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal("allUsers", rows[0].GetProperty("identity").GetString());
        Assert.All(rows, r => Assert.True(r.GetProperty("isPublic").GetBoolean()));
    }

    [Fact]
    public void WhoCan_GcpSetIamPolicyOnProdProject_AdminsOnlyBobDenied()
    {
        using var cli = new CliRunner();
        Import(cli, "gcp");
        var (code, output, err) = cli.Run("who-can", "resourcemanager.projects.setIamPolicy", "projects/acme-prod", "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["user:admin@acme.example"], doc.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("identity").GetString()!).ToArray());
    }

    [Fact]
    public void Effective_AzureIdentityWithoutAzureData_Exit1WithHint()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, _, err) = cli.Run("effective", Alice, "--db", cli.Db);
        Assert.Equal(1, code);
        Assert.Contains("ciem import azure PATH", err, StringComparison.Ordinal);
    }

    private static void Import(CliRunner cli, string provider)
    {
        var (code, _, err) = cli.Run("import", provider, TestPaths.Repo("samples", provider), "--db", cli.Db);
        Assert.True(code == 0, err);
    }
}
