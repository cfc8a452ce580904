using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Import.Gcp;
using Ciem.Tests;

namespace Ciem.Import.Tests.Gcp;

[Trait("Category", "SharedData")]
public sealed class GcpPolicyReaderTests
{
    // The shape `gcloud iam policies get my-policy --attachment-point=… --kind=denypolicies --format=json` prints.
    private const string DenyPolicy = """
        {
          "name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fmy-project/denypolicies/my-deny-policy",
          "uid": "6665c437-a3b2-a018-6934-54dd16d3426e",
          "kind": "DenyPolicy",
          "displayName": "Only project admins can delete projects.",
          "etag": "MTc1MTkzMjY0MjM=",
          "createTime": "2022-06-28T19:06:12.455151Z",
          "updateTime": "2022-06-28T19:06:12.455151Z",
          "rules": [
            {
              "denyRule": {
                "deniedPrincipals": ["principalSet://goog/public:all"],
                "exceptionPrincipals": ["principalSet://goog/group/project-admins@example.com"],
                "deniedPermissions": ["cloudresourcemanager.googleapis.com/projects.delete"],
                "denialCondition": {"title": "Only for non-test projects", "expression": "!resource.matchTag('12345678/env', 'test')"}
              }
            }
          ]
        }
        """;

    [Fact]
    public void Read_DenyPolicy_MapsRulesAndAttachmentPoint()
    {
        // Given a deny policy as gcloud prints it / When read
        var result = GcpDenyPolicyReader.Read(TestData.Stream(DenyPolicy), "deny.json");

        // Then the policy, its attachment point and its rule are imported
        Assert.Equal(new ImportCounts(1, 0, 0), result.Counts);
        var policy = Assert.Single(result.Value.DenyPolicies);
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/my-project", policy.AttachmentPoint);
        Assert.Equal("my-deny-policy", policy.Id);
        var rule = Assert.Single(policy.Rules);
        Assert.Equal(["principalSet://goog/group/project-admins@example.com"], rule.ExceptionPrincipals.ToArray());
        Assert.Equal("Only for non-test projects", rule.DenialCondition!.Title);
    }

    [Fact]
    public void Read_DenyPolicy_PermissionsAreNotCheckedAsMembers()
    {
        // Given the deny policy of the GCP sample / When read
        using var stream = File.OpenRead(TestPaths.Repo("samples", "gcp", "deny-policies.json"));
        var result = GcpDenyPolicyReader.Read(stream, "deny-policies.json");

        // Then its permissions are kept without a member-type warning
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["cloudresourcemanager.googleapis.com/projects.delete", "cloudresourcemanager.googleapis.com/projects.setIamPolicy"],
            result.Value.DenyPolicies.Single().Rules.Single().DeniedPermissions.ToArray());
    }

    [Fact]
    public void Read_DenyPolicy_EvaluatesWithTags()
    {
        // Given the deny policy, an owner binding and a project tagged env=prod
        var inventory = GcpDenyPolicyReader.Read(TestData.Stream(DenyPolicy), "deny.json").Value.Merge(
            GcpAssetReader.ReadPolicy(TestData.Stream("""{"bindings":[{"role":"roles/owner","members":["user:o@example.com","group:project-admins@example.com"]}]}"""), "projects/my-project", "p.json").Value);
        var estate = GcpPolicySet.Create(inventory);
        var tags = new Core.Gcp.Conditions.ConditionAttributes(Tags: new Dictionary<string, string> { ["12345678/env"] = "prod" });
        GcpRequest Ask(string member, params string[] groups) => new(new GcpPrincipal(member, [.. groups]), "resourcemanager.projects.delete", "projects/my-project", tags);

        // Then the owner is denied, an exception-group member is not
        Assert.Equal(Decision.ExplicitDeny, GcpAuthorizer.Evaluate(Ask("user:o@example.com"), estate).Decision);
        Assert.Equal(Decision.Allow, GcpAuthorizer.Evaluate(Ask("user:a@example.com", "group:project-admins@example.com"), estate).Decision);
    }

    [Fact]
    public void Read_ListedDenyPolicyWithoutRules_IsQuarantinedWithAHint()
    {
        // Given `gcloud iam policies list` output (no rules), a v1 permission and a wrong kind
        const string text = """
            {"policies":[
              {"name":"policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/a","kind":"DenyPolicy","displayName":"listed"},
              {"name":"policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/b","rules":[{"denyRule":{"deniedPrincipals":["principalSet://goog/public:all"],"deniedPermissions":["iam.roles.delete"]}}]},
              {"name":"policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/c","kind":"AllowPolicy","rules":[]},
              {"name":"policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/d","rules":[{"denyRule":{"deniedPermissions":["iam.googleapis.com/roles.delete"]}}]}
            ]}
            """;

        // When read
        var result = GcpDenyPolicyReader.Read(TestData.Stream(text), "list.json");

        // Then every record is quarantined with a located, specific error
        Assert.Equal(new ImportCounts(0, 0, 4), result.Counts);
        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.Contains("gcloud iam policies get", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("$.policies[0]", errors[0].Location!.JsonPath);
        Assert.Contains("`iam.roles.delete`", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("$.policies[1].rules[0].denyRule", errors[1].Location!.JsonPath);
        Assert.Equal("$.policies[2].kind", errors[2].Location!.JsonPath);
        Assert.Equal(DiagnosticCodes.GcpBadDenyRule, errors[3].Code);
    }

    [Fact]
    public void ReadRoles_DescribeOutput_ImportsCustomRoles()
    {
        // Given `gcloud iam roles describe` output for two custom roles, newline-delimited, one listed without permissions
        const string text = """
            {"name":"projects/my-project/roles/bucketReader","title":"Bucket reader","stage":"GA","etag":"BwW=","includedPermissions":["storage.buckets.get","storage.objects.list"]}
            {"name":"organizations/123/roles/auditor","title":"Auditor","stage":"BETA","includedPermissions":["logging.logEntries.list","future.things.read"]}
            {"name":"projects/my-project/roles/listed","title":"Listed","stage":"GA","etag":"BwX="}
            {"name":"projects/my-project/roles/bad","includedPermissions":["storage buckets get"]}
            """;

        // When read
        var result = GcpRoleReader.Read(TestData.Stream(text), "roles.jsonl");

        // Then two roles are imported; the listed one and the malformed one are quarantined
        Assert.Equal(new ImportCounts(2, 0, 2), result.Counts);
        Assert.Equal(["projects/my-project/roles/bucketReader", "organizations/123/roles/auditor"], result.Value.CustomRoles.Select(r => r.Name));
        Assert.Contains("gcloud iam roles describe", result.Diagnostics.First(d => d.Severity == Severity.Error).Message, StringComparison.Ordinal);
        Assert.Equal(3, result.Diagnostics.First(d => d.Severity == Severity.Error).Location!.Line);
        var estate = GcpPolicySet.Create(result.Value);
        Assert.True(estate.TryGetRole("organizations/123/roles/auditor", out var auditor));
        Assert.Equal(["future.things.read"], auditor.UnknownPermissions.ToArray());
    }

    [Fact]
    public void ReadRoles_AllPredefinedRoleFiles_ImportsThoseWithPermissions()
    {
        // Given every predefined role of the dataset (each a `gcloud iam roles describe` output)
        var files = Directory.EnumerateFiles(TestPaths.Shared("iam-dataset", "gcp", "roles"), "*.json").ToList();

        // When each is read
        var results = files.Select(GcpRoleReader.ReadFile).ToList();

        // Then 2,434 are imported and the 27 published without `includedPermissions` are quarantined, not half-imported
        Assert.Equal(2461, files.Count);
        Assert.Equal(new ImportCounts(2434, 0, 27), results.Select(r => r.Counts).Aggregate((a, b) => a + b));
        Assert.Equal(165179, results.SelectMany(r => r.Value.CustomRoles).Sum(r => r.IncludedPermissions.Distinct().Count()));
    }

    [Fact]
    public void ReadGroups_MembershipsAreFollowedTransitively()
    {
        // Given two groups, one nested, and a bad record
        const string text = """
            [{"group":"admins@example.com","members":["user:ann@example.com","group:sre@example.com"]},
             {"group":"group:sre@example.com","members":["user:sam@example.com","serviceAccount:bot@p.iam.gserviceaccount.com"]},
             {"group":"broken@example.com"}]
            """;

        // When read
        var result = GcpGroupReader.Read(TestData.Stream(text), "groups.json");
        var estate = GcpPolicySet.Create(result.Value);

        // Then sam is in both groups; the bad record is quarantined
        Assert.Equal(new ImportCounts(2, 0, 1), result.Counts);
        Assert.Equal(["group:sre@example.com", "group:admins@example.com"], estate.GroupsOf("user:sam@example.com").ToArray());
        Assert.Equal(DiagnosticCodes.GcpBadGroup, Assert.Single(result.Quarantine).Code);
    }

    [Fact]
    public void Read_Utf16File_TranscodedAndRead()
    {
        // Given the custom roles sample saved as utf-16 with a byte order mark (Windows PowerShell's `>`)
        var text = File.ReadAllText(TestData.Sample("gcp", "custom-roles.json"));
        var bytes = System.Text.Encoding.Unicode.GetPreamble().Concat(System.Text.Encoding.Unicode.GetBytes(text)).ToArray();

        // When read, Then it gives what the utf-8 file gives
        var utf16 = GcpRoleReader.Read(new MemoryStream(bytes), "roles.json");
        var utf8 = GcpRoleReader.Read(TestData.Stream(text), "roles.json");
        Assert.DoesNotContain(utf16.Diagnostics, d => d.Severity == Core.Diagnostics.Severity.Error);
        Assert.NotEmpty(utf16.Value.CustomRoles);
        Assert.Equal(utf8.Value.CustomRoles.Select(r => r.Name), utf16.Value.CustomRoles.Select(r => r.Name));
    }
}
