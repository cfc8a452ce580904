using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.App.Reports;
using Ciem.Core.Gate;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

/// <summary>Issue #19: `check --format ocsf|asff` validated against the published formats' required fields (Schemas/*.subset.json).</summary>
public sealed class FindingExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CheckReport Report(params GateFinding[] findings) =>
        new([], new GateOutcome([.. findings], [], []), FindingSeverity.High, 1);

    private static readonly GateFinding Admin = new("new-admin", FindingSeverity.Critical, "arn:aws:iam::111111111111:role/ci-deployer",
        "`arn:aws:iam::111111111111:role/ci-deployer` becomes administrative", ["iam:*"], null);

    private static readonly GateFinding Azure = new("broad-scope", FindingSeverity.Medium, "c1de9107-0000-4000-8000-000000000003",
        "a role assignment at a management group", [], null);

    private static JsonElement Schema(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "Ciem.App.Tests", "Reports", "Schemas", name)));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Asff_AwsFinding_ValidAgainstRequiredAttributes()
    {
        // Given an AWS finding and an Azure one
        // When exported as ASFF
        var (json, leftOut) = FindingExport.Asff(Report(Admin, Azure), Now, "eu-west-1", "111111111111");

        // Then the AWS one validates, its account is the principal's, and the Azure one is counted as left out
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(SchemaSubset.Validate(Schema("asff-2018-10-08.subset.json"), doc.RootElement));
        var finding = Assert.Single(doc.RootElement.GetProperty("Findings").EnumerateArray());
        Assert.Equal("111111111111", finding.GetProperty("AwsAccountId").GetString());
        Assert.Equal("CRITICAL", finding.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("AwsIamRole", finding.GetProperty("Resources")[0].GetProperty("Type").GetString());
        Assert.Equal(1, leftOut);
    }

    [Fact]
    public void Ocsf_EveryFinding_ValidAgainstDetectionFindingRequiredAttributes()
    {
        var json = FindingExport.Ocsf(Report(Admin, Azure), Now, "0.1.0");
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(SchemaSubset.Validate(Schema("ocsf-1.3.0-detection-finding.subset.json"), doc.RootElement));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        Assert.Equal(5, doc.RootElement[0].GetProperty("severity_id").GetInt32());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), doc.RootElement[0].GetProperty("time").GetInt64());
    }

    [Fact]
    public void Export_SameFindingTwice_SameIdSoReimportUpdates()
    {
        var (a, _) = FindingExport.Asff(Report(Admin), Now, "eu-west-1", "111111111111");
        var (b, _) = FindingExport.Asff(Report(Admin), Now.AddDays(1), "eu-west-1", "111111111111");
        string Id(string j) => JsonDocument.Parse(j).RootElement.GetProperty("Findings")[0].GetProperty("Id").GetString()!;
        Assert.Equal(Id(a), Id(b));
    }

    [Fact]
    public void SchemaSubset_NearMiss_Rejected()
    {
        // Given findings that each break one documented rule
        var schema = Schema("asff-2018-10-08.subset.json");
        using var missing = JsonDocument.Parse("""{"Findings":[{"SchemaVersion":"2018-10-08"}]}""");
        using var badLabel = JsonDocument.Parse(FindingExport.Asff(Report(Admin), Now, "eu-west-1", "111111111111").Json.Replace("\"CRITICAL\"", "\"SEVERE\"", StringComparison.Ordinal));

        // Then the validator names each problem (it can fail)
        Assert.Contains(SchemaSubset.Validate(schema, missing.RootElement), e => e.Contains("AwsAccountId", StringComparison.Ordinal));
        Assert.Contains(SchemaSubset.Validate(schema, badLabel.RootElement), e => e.Contains("Label", StringComparison.Ordinal));
    }
}
