using System.Collections.Immutable;
using Ciem.App.Imports;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import;
using Ciem.Import.Azure;
using Ciem.Import.Directories;
using Ciem.Import.Gcp;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.App.Tests.Questions;

/// <summary>
/// One SQLite store holding the repository's AWS, Azure and GCP samples (read by the real readers) and an Entra
/// directory that names two of the Azure sample's users and its service principal, built once for the question tests.
/// </summary>
public sealed class QuestionEstate : IDisposable
{
    public const string Alice = "a11ce000-0000-4000-8000-000000000001";
    public const string Bob = "b0b00000-0000-4000-8000-000000000002";
    public const string CiDeploy = "c1de9107-0000-4000-8000-000000000003";
    public const string CiDeployAppId = "22222222-aaaa-4bbb-8ccc-000000000009";
    public const string Carol = "ca201000-0000-4000-8000-000000000004";
    public const string Prod = "/subscriptions/11111111-1111-4111-8111-111111111111";

    public static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // Alice and Carol share a display name (an ambiguous name); Bob is a group-only user the exports name by GUID alone.
    private const string Entra = $$"""
        {
          "Format": "openciem-entra/1",
          "tenantId": "72f9a0be-0000-4000-8000-00000000c0de",
          "users": { "value": [
            { "id": "{{Alice}}", "displayName": "Sam Taylor", "userPrincipalName": "sam.taylor@contoso.example",
              "mail": "alice@contoso.example", "accountEnabled": true },
            { "id": "{{Carol}}", "displayName": "Sam Taylor", "userPrincipalName": "sam.taylor2@contoso.example", "accountEnabled": true },
            { "id": "{{Bob}}", "displayName": "Bob Stone", "userPrincipalName": "bob@contoso.example",
              "mail": "bob.stone@contoso.example", "accountEnabled": true }
          ] },
          "groups": { "value": [] },
          "servicePrincipals": { "value": [
            { "id": "{{CiDeploy}}", "appId": "{{CiDeployAppId}}", "displayName": "ci-deploy-pipeline",
              "servicePrincipalType": "Application", "accountEnabled": true, "owners": [] }
          ] },
          "applications": { "value": [] },
          "directoryRoles": { "value": [] }
        }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ciem-questions-" + Guid.NewGuid().ToString("N"));

    public QuestionEstate()
    {
        Directory.CreateDirectory(_folder);
        Db = Path.Combine(_folder, "ciem.db");
        using var session = new CiemSession(Db);
        var aws = Directory.GetFiles(TestPaths.Repo("samples", "aws"), "*.json").Select(p => (p, AwsImport.Detect(p)))
            .Where(f => f.Item2 != AwsInputKind.Unknown).ToList();
        var imported = AwsImport.Import(session, aws, Now, Now);
        Assert.NotNull(imported.Summary);
        var store = session.Store;
        store.ImportAzure(new AzureImportRequest(Azure(), "tenant/72f9a0be-0000-4000-8000-00000000c0de", Now, Now, [], default));
        store.ImportGcp(new GcpImportRequest(Gcp(), "organizations/123456789012", Now, Now, [], default));
        var entra = Path.Combine(_folder, "entra.json");
        File.WriteAllText(entra, Entra);
        var directory = EntraReader.ReadFile(entra, Now).Value!;
        store.ImportDirectories(new DirectoryImportRequest([directory], Now, [entra], default));
    }

    /// <summary>The store with every provider's sample.</summary>
    public string Db { get; }

    /// <summary>A store path in the fixture's folder that does not exist yet.</summary>
    public string Missing(string name) => Path.Combine(_folder, name + ".db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static T Read<T>(string provider, string file, Func<Stream, string, ImportResult<T>> read)
    {
        var path = TestPaths.Repo("samples", provider, file);
        using var stream = File.OpenRead(path);
        var result = read(stream, path);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        return result.Value;
    }

    private static AzureInventory Azure()
    {
        var tree = Read("azure", "management-groups.json", ManagementGroupsReader.Read);
        return AzureInventory.Empty with
        {
            RoleDefinitions = Read("azure", "role-definitions.json", RoleDefinitionsReader.Read),
            RoleAssignments = Read("azure", "role-assignments.json", RoleAssignmentsReader.Read),
            DenyAssignments = Read("azure", "deny-assignments.json", DenyAssignmentsReader.Read),
            EligibleAssignments = Read("azure", "eligible-assignments.json", EligibleAssignmentsReader.Read),
            ManagementGroups = tree.ManagementGroups,
            Subscriptions = [.. tree.Subscriptions, .. Read("azure", "subscriptions.json", SubscriptionsReader.Read)],
            ResourceGroups = Read("azure", "resource-groups.json", ResourceGroupsReader.Read),
            GroupMemberships = Read("azure", "group-memberships.json", GroupMembershipsReader.Read),
        };
    }

    private static GcpInventory Gcp() =>
        new[]
        {
            ("resources.json", (Func<Stream, string, ImportResult<GcpInventory>>)GcpAssetReader.Read),
            ("iam-policies.json", GcpAssetReader.Read),
            ("deny-policies.json", GcpDenyPolicyReader.Read),
            ("custom-roles.json", GcpRoleReader.Read),
            ("groups.json", GcpGroupReader.Read),
        }
        .Aggregate(GcpInventory.Empty, (inventory, f) => inventory.Merge(Read("gcp", f.Item1, f.Item2)));
}
