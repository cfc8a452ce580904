using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Import.Gcp;
using Ciem.Tests;

namespace Ciem.Import.Tests.Gcp;

[Trait("Category", "SharedData")]
public sealed class GcpAssetReaderTests
{
    private static readonly string Fixtures = TestPaths.Shared("gcp-policy-library-cai-iam", "validator", "test", "fixtures");

    [Theory]
    [InlineData("bigquery_dataset_world_readable/assets/data.json", 4, 4, 12)]
    [InlineData("enforce_labels/assets/projects/data.json", 5, 0, 0)]
    [InlineData("gcp_iam_restrict_service_account_creation/assets/data.json", 3, 0, 0)]
    [InlineData("gcp_iam_restrict_service_account_key_age/assets/data.json", 5, 0, 0)]
    [InlineData("gcp_iam_restrict_service_account_key_type/assets/data.json", 2, 0, 0)]
    [InlineData("iam_allow_ban_roles/assets/data.json", 1, 1, 3)]
    [InlineData("iam_allowed_bindings/assets/data.json", 6, 6, 13)]
    [InlineData("iam_allowed_policy_member_domains/assets/data.json", 2, 2, 11)]
    [InlineData("iam_audit_log/assets/data.json", 5, 5, 0)]
    [InlineData("iam_required_bindings/assets/data.json", 3, 3, 8)]
    [InlineData("resource_value_pattern/assets/data.json", 4, 0, 0)]
    [InlineData("storage_bucket_world_readable/assets/data.json", 3, 3, 6)]
    public void Read_PolicyLibrarySample_ImportsEveryRecord(string file, int assets, int policies, int bindings)
    {
        // Given a Cloud Asset Inventory export (snake_case, Forseti style) / When read
        var result = GcpAssetReader.ReadFile(Path.Combine(Fixtures, file));

        // Then every record is imported with its policy and bindings, and nothing is wrong
        Assert.Equal(new ImportCounts(assets, 0, 0), result.Counts);
        Assert.Equal(policies, result.Value.Policies.Length);
        Assert.Equal(bindings, result.Value.Policies.Sum(p => p.Bindings.Length));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
    }

    [Fact]
    public void Read_AllSamples_FlagsPublicBindingsAndPlacesProjectsUnderTheOrganisation()
    {
        // Given every sample merged
        var results = Directory.EnumerateFiles(Fixtures, "data.json", SearchOption.AllDirectories).Select(GcpAssetReader.ReadFile).ToList();
        var inventory = results.Select(r => r.Value).Aggregate(GcpInventory.Empty, (a, b) => a.Merge(b));
        var estate = GcpPolicySet.Create(inventory);

        // Then the totals hold: 43 assets, 24 policies, 53 bindings, 14 public grants
        Assert.Equal(12, results.Count);
        Assert.Equal(new ImportCounts(43, 0, 0), results.Select(r => r.Counts).Aggregate((a, b) => a + b));
        Assert.Equal(24, inventory.Policies.Length);
        Assert.Equal(53, inventory.Policies.Sum(p => p.Bindings.Length));
        Assert.Equal(14, GcpEffectiveAccess.FindPublic(estate).Length);
        Assert.Equal(["//cloudresourcemanager.googleapis.com/projects/216968792402", "//cloudresourcemanager.googleapis.com/organizations/382777088978"],
            estate.Ancestry("//cloudresourcemanager.googleapis.com/projects/valid-project-test").ToArray());
    }

    [Fact]
    public void Read_SampleWithOwnerAndPublicViewer_EvaluatesFromTheExport()
    {
        // Given the iam_allowed_bindings export
        var estate = GcpPolicySet.Create(GcpAssetReader.ReadFile(Path.Combine(Fixtures, "iam_allowed_bindings/assets/data.json")).Value);
        var project = "//cloudresourcemanager.googleapis.com/projects/12345";

        // When the owner and an anonymous caller ask
        var owner = GcpAuthorizer.Evaluate(new GcpRequest(new GcpPrincipal("user:powerful@google.com"), "resourcemanager.projects.setIamPolicy", project), estate);
        var anonymous = GcpAuthorizer.Evaluate(new GcpRequest(new GcpPrincipal("allUsers"), "resourcemanager.projects.get", project), estate);

        // Then owner is allowed by binding 1; the public viewer binding is flagged
        Assert.Equal(Decision.Allow, owner.Decision);
        Assert.Equal(1, Assert.Single(owner.Bindings).Binding);
        Assert.Equal(Decision.Allow, anonymous.Decision);
        Assert.True(anonymous.IsPublic);
    }

    [Fact]
    public void Read_CamelCaseJsonLines_WithAncestorsAndConditions()
    {
        // Given a newline-delimited export in the REST (camelCase) spelling
        const string text = """
            {"name":"//storage.googleapis.com/logs-bucket","assetType":"storage.googleapis.com/Bucket","ancestors":["projects/42","folders/7","organizations/9"],"iamPolicy":{"version":3,"bindings":[{"role":"roles/storage.objectViewer","members":["group:readers@example.com"],"condition":{"title":"until 2030","expression":"request.time < timestamp('2030-01-01T00:00:00Z')"}}]}}
            {"name":"//cloudresourcemanager.googleapis.com/projects/42","assetType":"cloudresourcemanager.googleapis.com/Project","resource":{"parent":"//cloudresourcemanager.googleapis.com/folders/7","data":{"projectId":"logs-prod","projectNumber":"42"}},"ancestors":["projects/42","folders/7","organizations/9"]}
            """;

        // When read
        var result = GcpAssetReader.Read(TestData.Stream(text), "export.jsonl");
        var estate = GcpPolicySet.Create(result.Value);

        // Then both records are imported, the condition kept, the hierarchy known, and the project id resolves
        Assert.Equal(new ImportCounts(2, 0, 0), result.Counts);
        var binding = Assert.Single(Assert.Single(result.Value.Policies).Bindings);
        Assert.Equal("until 2030", binding.Condition!.Title);
        Assert.Equal(3, result.Value.Policies[0].Version);
        Assert.Equal(
            ["//storage.googleapis.com/logs-bucket", "//cloudresourcemanager.googleapis.com/projects/42", "//cloudresourcemanager.googleapis.com/folders/7", "//cloudresourcemanager.googleapis.com/organizations/9"],
            estate.Ancestry("//storage.googleapis.com/logs-bucket").ToArray());
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/42", estate.Canonical("projects/logs-prod"));
    }

    [Fact]
    public void Read_SearchAllIamPoliciesOutput_PlacesResourcesUnderProjectFoldersAndOrganisation()
    {
        // Given `gcloud asset search-all-iam-policies --format=json` output
        const string text = """
            [{"resource":"//storage.googleapis.com/my-bucket","assetType":"storage.googleapis.com/Bucket","project":"projects/123","folders":["folders/456","folders/789"],"organization":"organizations/1000",
              "policy":{"bindings":[{"role":"roles/storage.admin","members":["user:amy@example.com"]}]}},
             {"resource":"//cloudresourcemanager.googleapis.com/projects/123","assetType":"cloudresourcemanager.googleapis.com/Project","project":"projects/123","folders":["folders/456","folders/789"],"organization":"organizations/1000",
              "policy":{"bindings":[{"role":"roles/viewer","members":["domain:example.com"]}]}}]
            """;

        // When read
        var result = GcpAssetReader.Read(TestData.Stream(text), "search.json");
        var estate = GcpPolicySet.Create(result.Value);

        // Then both policies are imported and the ancestry runs nearest first
        Assert.Equal(new ImportCounts(2, 0, 0), result.Counts);
        Assert.Equal(
            ["//storage.googleapis.com/my-bucket", "//cloudresourcemanager.googleapis.com/projects/123", "//cloudresourcemanager.googleapis.com/folders/456",
             "//cloudresourcemanager.googleapis.com/folders/789", "//cloudresourcemanager.googleapis.com/organizations/1000"],
            estate.Ancestry("//storage.googleapis.com/my-bucket").ToArray());
        Assert.Equal(Decision.Allow, GcpAuthorizer.Evaluate(new GcpRequest(new GcpPrincipal("user:bo@example.com"), "storage.buckets.list", "//storage.googleapis.com/my-bucket"), estate).Decision);
    }

    [Fact]
    public void ReadPolicy_GetIamPolicyOutput_AttachesToTheNamedResource()
    {
        // Given `gcloud projects get-iam-policy my-project --format=json` output
        const string text = """{"bindings":[{"role":"roles/owner","members":["user:o@example.com"]}],"etag":"BwXhqDo=","version":1}""";

        // When read for `projects/my-project`
        var result = GcpAssetReader.ReadPolicy(TestData.Stream(text), "projects/my-project", "policy.json");

        // Then it is the policy of the project's full name
        var policy = Assert.Single(result.Value.Policies);
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/my-project", policy.Resource);
        Assert.Equal("BwXhqDo=", policy.Etag);
    }

    [Fact]
    public void Read_InvalidJson_ImportsNothingAndSaysWhere()
    {
        // Given a truncated array whose first record is fine
        const string text = "[\n{\"name\":\"//cloudresourcemanager.googleapis.com/projects/1\",\"asset_type\":\"cloudresourcemanager.googleapis.com/Project\"},\n{\"name\": ";

        // When read
        var result = GcpAssetReader.Read(TestData.Stream(text), "broken.json");

        // Then nothing is imported, and the error names the file and line
        Assert.Empty(result.Value.Resources);
        Assert.Equal(0, result.Counts.Total);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.GcpNotJson, error.Code);
        Assert.Equal("broken.json", error.Location!.File);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void Read_BadBinding_QuarantinesTheWholeRecordWithItsPath()
    {
        // Given a record whose second binding has no members array, beside a good record
        const string text = """
            [{"name":"//cloudresourcemanager.googleapis.com/projects/1","asset_type":"cloudresourcemanager.googleapis.com/Project",
              "iam_policy":{"bindings":[{"role":"roles/viewer","members":["user:a@example.com"]},{"role":"roles/owner","members":"user:b@example.com"}]}},
             {"name":"//cloudresourcemanager.googleapis.com/projects/2","asset_type":"cloudresourcemanager.googleapis.com/Project",
              "iam_policy":{"bindings":[{"role":"roles/viewer","members":["user:a@example.com", 7]}]}},
             {"name":"//cloudresourcemanager.googleapis.com/projects/3","asset_type":"cloudresourcemanager.googleapis.com/Project",
              "iam_policy":{"bindings":[{"role":"roles/viewer","members":["user:a@example.com"],"condition":{"title":"no expression"}}]}},
             {"something":"else"},
             {"name":"//cloudresourcemanager.googleapis.com/projects/4","asset_type":"cloudresourcemanager.googleapis.com/Project",
              "iam_policy":{"bindings":[{"role":"roles/viewer","members":["usr:typo@example.com"]}]}}]
            """;

        // When read
        var result = GcpAssetReader.Read(TestData.Stream(text), "bad.json");

        // Then the bad records are quarantined whole with located errors; the unknown member type only warns
        Assert.Equal(new ImportCounts(1, 0, 4), result.Counts);
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/4", Assert.Single(result.Value.Policies).Resource);
        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.Equal(["$[0].iam_policy.bindings[1]", "$[1].iam_policy.bindings[0].members[1]", "$[2].iam_policy.bindings[0].condition", "$[3]"],
            errors.Select(e => e.Location!.JsonPath));
        Assert.Equal([DiagnosticCodes.GcpBadBinding, DiagnosticCodes.GcpBadMember, DiagnosticCodes.GcpBadBinding, DiagnosticCodes.GcpUnknownRecord],
            result.Quarantine.Select(q => q.Code));
        Assert.Equal(1, errors[0].Location!.Line);
        Assert.Equal(3, errors[1].Location!.Line);
        var warning = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Warning);
        Assert.Equal(DiagnosticCodes.GcpBadMember, warning.Code);
    }

    [Theory]
    [InlineData("user:")]
    [InlineData("serviceAccount: ")]
    [InlineData("deleted:")]
    public void Read_MemberWithATypeButNoPrincipal_QuarantinedWithItsPath(string member)
    {
        // Given a binding naming a member type and nothing after it, beside a good record (the near miss)
        var text = $$$"""
            [{"name":"//cloudresourcemanager.googleapis.com/projects/1","asset_type":"cloudresourcemanager.googleapis.com/Project",
              "iam_policy":{"bindings":[{"role":"roles/owner","members":["user:a@example.com","{{{member}}}"]}]}},
             {"name":"//cloudresourcemanager.googleapis.com/projects/2","asset_type":"cloudresourcemanager.googleapis.com/Project",
              "iam_policy":{"bindings":[{"role":"roles/viewer","members":["user:a@example.com","deleted:user:b@example.com?uid=1"]}]}}]
            """;

        // When read
        var result = GcpAssetReader.Read(TestData.Stream(text), "members.json");

        // Then the first record is quarantined, naming the member and its path; the second (a deleted member) is kept
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/2", Assert.Single(result.Value.Policies).Resource);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticCodes.GcpBadMember, error.Code);
        Assert.Equal("$[0].iam_policy.bindings[0].members[1]", error.Location!.JsonPath);
        Assert.Contains("names a type but no principal", error.Message, StringComparison.Ordinal);
    }
}
