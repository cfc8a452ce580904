using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.LeastPrivilege;
using Ciem.Storage;
using Ciem.Tests;
using Xunit;

namespace Ciem.Cli.Tests.Gate;

/// <summary>`ciem reductions` for Azure and GCP reductions over successive `ciem import azure|gcp` of az/gcloud exports.</summary>
public sealed class CloudReductionsTests
{
    private const string Subscription = "11111111-1111-4111-8111-111111111111";
    private const string Tenant = "72f9a0be-0000-4000-8000-00000000c0de";
    private const string Deployer = "d3910000-0000-4000-8000-000000000001";
    private const string Reader = "7ead0000-0000-4000-8000-000000000002";
    private const string RoleId = "0ce00000-0000-4000-8000-0000000000a1";
    private const string Delete = "Microsoft.Compute/virtualMachines/delete";
    private const string Start = "Microsoft.Compute/virtualMachines/start/action";
    private const string Read = "Microsoft.Compute/virtualMachines/read";
    private static readonly DateTimeOffset Delivered = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>`az role definition list`, `az role assignment list --all` and `az account list` for one subscription: the custom role `vm-operator` with <paramref name="actions"/>, assigned to the deployer (when <paramref name="deployer"/>) and to a reader.</summary>
    private static void WriteAzure(string folder, string[] actions, bool deployer = true)
    {
        Directory.CreateDirectory(folder);
        var sub = $"/subscriptions/{Subscription}";
        var role = new JsonObject
        {
            ["assignableScopes"] = new JsonArray(sub), ["description"] = "operates virtual machines",
            ["id"] = $"{sub}/providers/Microsoft.Authorization/roleDefinitions/{RoleId}", ["name"] = RoleId,
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray([.. actions.Select(a => JsonValue.Create(a))]), ["condition"] = null, ["conditionVersion"] = null,
                ["dataActions"] = new JsonArray(), ["notActions"] = new JsonArray(), ["notDataActions"] = new JsonArray(),
            }),
            ["roleName"] = "vm-operator", ["roleType"] = "CustomRole", ["type"] = "Microsoft.Authorization/roleDefinitions",
        };
        File.WriteAllText(Path.Combine(folder, "role-definitions.json"), new JsonArray(role).ToJsonString());
        JsonObject Assignment(string principal, string name, string type, string id) => new()
        {
            ["condition"] = null, ["conditionVersion"] = null, ["createdBy"] = Reader, ["createdOn"] = "2026-03-02T10:15:00.000000+00:00",
            ["delegatedManagedIdentityResourceId"] = null, ["description"] = "",
            ["id"] = $"{sub}/providers/Microsoft.Authorization/roleAssignments/{id}", ["name"] = id,
            ["principalId"] = principal, ["principalName"] = name, ["principalType"] = type,
            ["roleDefinitionId"] = $"{sub}/providers/Microsoft.Authorization/roleDefinitions/{RoleId}", ["roleDefinitionName"] = "vm-operator",
            ["scope"] = sub, ["type"] = "Microsoft.Authorization/roleAssignments", ["updatedBy"] = Reader, ["updatedOn"] = "2026-03-02T10:15:00.000000+00:00",
        };
        var assignments = new JsonArray(Assignment(Reader, "reader@contoso.example", "User", "0a000000-0000-4000-8000-0000000000b2"));
        if (deployer) { assignments.Add(Assignment(Deployer, "ci-deployer", "ServicePrincipal", "0a000000-0000-4000-8000-0000000000b1")); }
        File.WriteAllText(Path.Combine(folder, "role-assignments.json"), assignments.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "subscriptions.json"), new JsonArray(new JsonObject
        {
            ["cloudName"] = "AzureCloud", ["homeTenantId"] = Tenant, ["id"] = Subscription, ["isDefault"] = true, ["managedByTenants"] = new JsonArray(),
            ["name"] = "contoso-prod-1", ["state"] = "Enabled", ["tenantId"] = Tenant, ["user"] = new JsonObject { ["name"] = "reader@contoso.example", ["type"] = "user" },
        }).ToJsonString());
    }

    /// <summary>`gcloud asset search-all-iam-policies --format=json` style lines: the project `acme-prod` granting `roles/<paramref name="role"/>` to the deployer (when <paramref name="deployer"/>) and `roles/viewer` to an auditor.</summary>
    private static void WriteGcp(string folder, string role, bool deployer = true)
    {
        Directory.CreateDirectory(folder);
        var bindings = new JsonArray(new JsonObject { ["role"] = "roles/viewer", ["members"] = new JsonArray("user:auditor@acme.example") });
        if (deployer) { bindings.Add(new JsonObject { ["role"] = role, ["members"] = new JsonArray("serviceAccount:deployer@acme-prod.iam.gserviceaccount.com") }); }
        var policy = new JsonObject
        {
            ["name"] = "//cloudresourcemanager.googleapis.com/projects/111111111111", ["asset_type"] = "cloudresourcemanager.googleapis.com/Project",
            ["iam_policy"] = new JsonObject { ["version"] = 1, ["etag"] = "BwXprod=", ["bindings"] = bindings },
            ["ancestors"] = new JsonArray("projects/111111111111"), ["update_time"] = "2026-11-20T08:00:00Z",
        };
        File.WriteAllText(Path.Combine(folder, "iam-policies.json"), policy.ToJsonString() + "\n");
    }

    private static void Import(CliRunner cli, string provider, string folder, string takenAt)
    {
        var (code, _, err) = cli.Run("import", provider, folder, "--db", cli.Db, "--taken-at", takenAt, "--scope", provider + "-test");
        Assert.True(code == 0, err);
    }

    private static void Deliver(CliRunner cli, string provider, string identity, string scope, string[] removed)
    {
        using var store = SqliteStore.Open(cli.Db);
        store.RecordReductions([new DeliveredReduction(0, provider, identity, scope, identity, [.. removed], 3, 2, Delivered, "files", "/tmp/proposals", null, [$"{provider}.role.json"], null)]);
    }

    private static JsonElement Status(CliRunner cli, string identity, out int code)
    {
        var run = cli.Run("reductions", "--db", cli.Db, "--format", "json", "--fail-on-regrown");
        code = run.Code;
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.GetProperty("reductions").EnumerateArray().Single(r => r.GetProperty("identity").GetString() == identity).Clone();
    }

    [Fact]
    public void Reductions_SuccessiveAzureImports_PendingAppliedRegrownThenIdentityGone()
    {
        // Given an Azure export taken before a reduction removing the VM delete from the deployer is delivered
        using var cli = new CliRunner();
        string[] broad = [Read, Start, Delete];
        WriteAzure(Path.Combine(cli.Home, "a1"), broad);
        Import(cli, "azure", Path.Combine(cli.Home, "a1"), "2026-11-01T00:00:00Z");
        Deliver(cli, "azure", Deployer, $"/subscriptions/{Subscription}", [Delete]);

        // When an export taken after the delivery still grants it
        WriteAzure(Path.Combine(cli.Home, "a2"), [Delete, Start, Read]);
        Import(cli, "azure", Path.Combine(cli.Home, "a2"), "2026-11-12T00:00:00Z");

        // Then it is pending, with the delete still granted
        var s = Status(cli, Deployer, out var code);
        Assert.Equal((0, "pending"), (code, s.GetProperty("status").GetString()));
        Assert.Equal([Delete], s.GetProperty("stillGranted").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(1, s.GetProperty("snapshotsSinceDelivery").GetInt32());

        // When the role no longer grants the delete
        WriteAzure(Path.Combine(cli.Home, "a3"), [Read, Start]);
        Import(cli, "azure", Path.Combine(cli.Home, "a3"), "2026-11-15T00:00:00Z");

        // Then it is applied since that snapshot, with two operations granted now
        s = Status(cli, Deployer, out code);
        Assert.Equal((0, "applied"), (code, s.GetProperty("status").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), s.GetProperty("appliedAt").GetDateTimeOffset());
        Assert.Equal(2, s.GetProperty("grantedNow").GetInt32());

        // When the delete is granted again
        WriteAzure(Path.Combine(cli.Home, "a4"), broad);
        Import(cli, "azure", Path.Combine(cli.Home, "a4"), "2026-11-20T00:00:00Z");

        // Then it has regrown since that snapshot and --fail-on-regrown exits 2
        s = Status(cli, Deployer, out code);
        Assert.Equal((ExitCodes.Findings, "regrown"), (code, s.GetProperty("status").GetString()));
        var back = Assert.Single(s.GetProperty("regrown").EnumerateArray());
        Assert.Equal(Delete, back.GetProperty("action").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), back.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("azure", s.GetProperty("provider").GetString());

        // When the deployer's assignment is removed
        WriteAzure(Path.Combine(cli.Home, "a5"), broad, deployer: false);
        Import(cli, "azure", Path.Combine(cli.Home, "a5"), "2026-11-25T00:00:00Z");

        // Then its identity is gone
        s = Status(cli, Deployer, out code);
        Assert.Equal((0, "identity-gone"), (code, s.GetProperty("status").GetString()));
    }

    [Fact]
    public void Reductions_SuccessiveGcpImports_PendingAppliedRegrownThenIdentityGone()
    {
        // Given a GCP export where the deployer holds Compute Instance Admin, and a reduction to Compute Viewer delivered after it
        using var cli = new CliRunner();
        const string member = "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com";
        const string deleteInstance = "compute.instances.delete";
        WriteGcp(Path.Combine(cli.Home, "g1"), "roles/compute.instanceAdmin.v1");
        Import(cli, "gcp", Path.Combine(cli.Home, "g1"), "2026-11-01T00:00:00Z");
        Deliver(cli, "gcp", member, "projects/111111111111", [deleteInstance, "compute.instances.setMetadata"]);

        // When nothing changed after the delivery (an export with another etag is taken)
        WriteGcp(Path.Combine(cli.Home, "g2"), "roles/compute.instanceAdmin.v1");
        File.AppendAllText(Path.Combine(cli.Home, "g2", "iam-policies.json"),
            """{"name":"//cloudresourcemanager.googleapis.com/projects/222222222222","asset_type":"cloudresourcemanager.googleapis.com/Project","iam_policy":{"version":1,"etag":"BwXdev=","bindings":[{"role":"roles/viewer","members":["user:dev@acme.example"]}]},"ancestors":["projects/222222222222"],"update_time":"2026-11-20T08:00:00Z"}""" + "\n");
        Import(cli, "gcp", Path.Combine(cli.Home, "g2"), "2026-11-12T00:00:00Z");

        // Then it is pending
        var s = Status(cli, member, out var code);
        Assert.Equal((0, "pending"), (code, s.GetProperty("status").GetString()));
        Assert.Equal(2, s.GetProperty("stillGranted").GetArrayLength());

        // When the binding is replaced by Compute Viewer
        WriteGcp(Path.Combine(cli.Home, "g3"), "roles/compute.viewer");
        Import(cli, "gcp", Path.Combine(cli.Home, "g3"), "2026-11-15T00:00:00Z");

        // Then it is applied
        s = Status(cli, member, out code);
        Assert.Equal((0, "applied"), (code, s.GetProperty("status").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero), s.GetProperty("appliedAt").GetDateTimeOffset());

        // When the admin role is bound again
        WriteGcp(Path.Combine(cli.Home, "g4"), "roles/compute.instanceAdmin.v1");
        Import(cli, "gcp", Path.Combine(cli.Home, "g4"), "2026-11-20T00:00:00Z");

        // Then both removed permissions have regrown since that snapshot
        s = Status(cli, member, out code);
        Assert.Equal((ExitCodes.Findings, "regrown"), (code, s.GetProperty("status").GetString()));
        Assert.Equal([deleteInstance, "compute.instances.setMetadata"], s.GetProperty("regrown").EnumerateArray().Select(r => r.GetProperty("action").GetString()));

        // When the deployer has no binding any more
        WriteGcp(Path.Combine(cli.Home, "g5"), "roles/compute.instanceAdmin.v1", deployer: false);
        Import(cli, "gcp", Path.Combine(cli.Home, "g5"), "2026-11-25T00:00:00Z");

        // Then its identity is gone
        Assert.Equal("identity-gone", Status(cli, member, out _).GetProperty("status").GetString());
    }

    [Fact]
    public void Propose_AzureAndGcpOut_RecordedAsPendingFilesDeliveries()
    {
        // Given the Azure and GCP samples with their usage fixtures
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "azure-activity", TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", "azure-activity.json"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp-audit", TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", "gcp-audit.json"), "--db", cli.Db).Code);
        var output = Path.Combine(cli.Home, "proposals");

        // When proposals are written for ci-deploy (Azure) and carol (GCP)
        Assert.Equal(0, cli.Run("propose", "--provider", "azure", "c1de9107-0000-4000-8000-000000000003", "--out", output, "--db", cli.Db, "--as-of", "2026-11-28", "--drop-unknown").Code);
        Assert.Equal(0, cli.Run("propose", "--provider", "gcp", "user:carol@acme.example", "--out", output, "--db", cli.Db, "--as-of", "2026-11-28", "--drop-unknown").Code);

        // Then both are recorded as files deliveries, pending, with the removed permissions (granted before and not after)
        var azure = Status(cli, "c1de9107-0000-4000-8000-000000000003", out _);
        Assert.Equal(("azure", "pending", "files"), (azure.GetProperty("provider").GetString(), azure.GetProperty("status").GetString(), azure.GetProperty("delivery").GetProperty("channel").GetString()));
        Assert.Equal((7, 1, 6), (azure.GetProperty("grantedBefore").GetInt32(), azure.GetProperty("grantedAfter").GetInt32(), azure.GetProperty("removed").GetInt32()));
        Assert.Equal(["azure/c1de9107-0000-4000-8000-000000000003/role.json", "azure/c1de9107-0000-4000-8000-000000000003/proposal.tf"],
            azure.GetProperty("delivery").GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        var gcp = Status(cli, "user:carol@acme.example", out _);
        Assert.Equal(("gcp", "pending"), (gcp.GetProperty("provider").GetString(), gcp.GetProperty("status").GetString()));
        // (removed counts the conditional grants of carol's `until 2027` binding too, which the granted counts leave out)
        Assert.Equal((6068, 9, 6242), (gcp.GetProperty("grantedBefore").GetInt32(), gcp.GetProperty("grantedAfter").GetInt32(), gcp.GetProperty("removed").GetInt32()));
        using var store = SqliteStore.Open(cli.Db);
        var recorded = store.LoadReductions().Single(r => r.Provider == "gcp");
        Assert.DoesNotContain("compute.instances.start", recorded.Removed);
    }
}
