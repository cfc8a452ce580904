using System.Text.Json.Nodes;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;

namespace Ciem.Import.Tests.Aws;

[Trait("Category", "SharedData")]
public sealed class OrganizationsReaderTests
{
    private static readonly string SamplePath = TestData.Sample("aws", "organization.json");

    [Fact]
    public void ReadFile_Sample_TreeAccountsAndPoliciesWithTargets()
    {
        // Given the sample bundle
        // When it is read
        var result = OrganizationsReader.ReadFile(SamplePath, TestData.TakenAt);

        // Then the tree, the accounts and every SCP and RCP are there
        Assert.Empty(result.Diagnostics);
        var org = result.Value!;
        Assert.Equal(("o-a1b2c3d4e5", "111111111111", "r-a1b2"), (org.Id, org.ManagementAccountId, org.RootId));
        Assert.Equal(["r-a1b2", "ou-a1b2-k3l4m5n6", "ou-a1b2-p7q8r9s0"], org.Units.Select(u => u.Id));
        Assert.Equal([null, "r-a1b2", "r-a1b2"], org.Units.Select(u => u.ParentId));
        Assert.Equal([("111111111111", "r-a1b2"), ("222222222222", "ou-a1b2-k3l4m5n6")], org.Accounts.Select(a => (a.Id, a.ParentId!)));
        Assert.Equal(3, org.Policies.Count(p => p.Kind == OrgPolicyKind.Scp));
        Assert.Equal(2, org.Policies.Count(p => p.Kind == OrgPolicyKind.Rcp));
        var fullAccess = org.Policies.Single(p => p.Id == "p-FullAWSAccess");
        Assert.True(fullAccess.AwsManaged);
        // FullAWSAccess is attached everywhere, as AWS does when SCPs are enabled
        Assert.Equal<string>(["r-a1b2", "ou-a1b2-k3l4m5n6", "ou-a1b2-p7q8r9s0", "111111111111", "222222222222"], fullAccess.TargetIds);
        Assert.StartsWith("{", fullAccess.Document, StringComparison.Ordinal);
        Assert.Equal(TestData.TakenAt, org.TakenAt);
        Assert.Equal(new ImportCounts(2 + 2 + 5, 0, 0), result.Counts);
    }

    [Fact]
    public void ChainFor_ProdAccount_RootThenOuThenAccount()
    {
        var org = OrganizationsReader.ReadFile(SamplePath, TestData.TakenAt).Value!;

        Assert.Equal<string>(["r-a1b2", "ou-a1b2-k3l4m5n6", "222222222222"], org.ChainFor("222222222222"));
        Assert.Equal<string>(["r-a1b2", "111111111111"], org.ChainFor("111111111111"));
        Assert.Empty(org.ChainFor("999999999999"));
        Assert.Equal(["DenyOutsideApprovedRegions", "FullAWSAccess"], org.PoliciesFor("ou-a1b2-k3l4m5n6", OrgPolicyKind.Scp).Select(p => p.Name));
    }

    [Fact]
    public void Read_ListedPolicyWithoutDescribePolicy_QuarantinedWithPath()
    {
        // Given a bundle whose describe-policy output for one SCP is missing
        var bundle = Sample();
        bundle["describe-policy"]!.AsObject().Remove("p-9d3f5h7j2k");

        // When it is read
        var result = Read(bundle);

        // Then the listed policy is quarantined, pointing at its list-policies entry
        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        var diagnostic = Assert.Single(errors);
        Assert.Equal(DiagnosticCodes.ImportMissingField, diagnostic.Code);
        Assert.Equal("$['list-policies']['SERVICE_CONTROL_POLICY'].Policies[2]", diagnostic.Location!.JsonPath);
        Assert.Equal(1, result.Counts.Quarantined);
        Assert.DoesNotContain(result.Value!.Policies, p => p.Id == "p-9d3f5h7j2k");
    }

    [Fact]
    public void Read_PolicyContentNotJson_QuarantinedAtContent()
    {
        // Given a policy whose content is broken JSON
        var bundle = Sample();
        bundle["describe-policy"]!["p-4r8t2w6y1z"]!["Policy"]!["Content"] = "{\"Version\": ";

        // When it is read
        var result = Read(bundle);

        // Then
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportBadPolicy, diagnostic.Code);
        Assert.Equal("$['describe-policy']['p-4r8t2w6y1z'].Policy.Content", diagnostic.Location!.JsonPath);
        Assert.Equal(4, result.Value!.Policies.Length);
    }

    [Fact]
    public void Read_TargetOutsideTheTree_DanglingWarning()
    {
        var bundle = Sample();
        bundle["list-targets-for-policy"]!["p-9d3f5h7j2k"]!["Targets"]!.AsArray().Add(new JsonObject { ["TargetId"] = "ou-a1b2-gone0000" });

        var result = Read(bundle);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.ImportDanglingReference, Severity.Warning), (diagnostic.Code, diagnostic.Severity));
        Assert.Contains("`ou-a1b2-gone0000`", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotABundle_UnknownFormat()
    {
        var result = OrganizationsReader.Read(TestData.Stream("""{"Roots":[]}"""), "roots.json", TestData.TakenAt);

        Assert.Null(result.Value);
        Assert.Equal(DiagnosticCodes.ImportUnknownFormat, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Read_NotJson_ErrorWithLine()
    {
        var result = OrganizationsReader.Read(TestData.Stream("{\n  \"describe-organization\": \n}"), "org.json", TestData.TakenAt);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportNotJson, diagnostic.Code);
        Assert.Equal(("org.json", 3L), (diagnostic.Location!.File, diagnostic.Location.Line));
    }

    private static JsonNode Sample() => JsonNode.Parse(File.ReadAllText(SamplePath))!;

    private static ImportResult<AwsOrganization?> Read(JsonNode bundle) =>
        OrganizationsReader.Read(TestData.Stream(bundle.ToJsonString()), "bundle.json", TestData.TakenAt);
}
