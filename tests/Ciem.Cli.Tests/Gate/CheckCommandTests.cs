using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Gate;

[Trait("Category", "SharedData")]
public sealed class CheckCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private static readonly string[] SarifLevels = ["error", "warning", "note"];

    private static string RegulaAdminPlan => TestPaths.Shared("regula-terraform-iam", "rego", "tests", "rules", "tf", "aws", "iam", "inputs", "admin_policy_infra.json");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_cli.Home, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string ReadOnlyPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}""";

    [Fact]
    public void Check_AdminPlan_Exit2WithFindings()
    {
        // When the regula plan that grants `*` is checked
        var (code, output, _) = _cli.Run("check", "--plan", RegulaAdminPlan);
        // Then the gate fails and names the new administrators
        Assert.Equal(2, code);
        Assert.Contains("CRITICAL new-admin  `group/my_group` becomes administrative (full administrator)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReadOnlyPolicyChange_Exit0()
    {
        // Given a policy that narrows s3:* to ec2:Describe*
        var before = Write("before.json", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""");
        var after = Write("after.json", ReadOnlyPolicy);
        // When checked
        var (code, output, err) = _cli.Run("check", "--before", before, "--after", after);
        // Then it passes
        Assert.True(code == 0, output + err);
        Assert.Contains("0 finding(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FailOnCritical_HighFindingPasses()
    {
        // Given a new policy with s3:* (a high finding)
        var after = Write("s3.json", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        // Then it fails at the default threshold and passes at critical
        Assert.Equal(2, _cli.Run("check", "--after", after).Code);
        Assert.Equal(0, _cli.Run("check", "--after", after, "--fail-on", "critical").Code);
    }

    [Fact]
    public void Check_ExceptionInRulesFile_Accepted()
    {
        // Given an unexpired exception for the wildcard finding
        var after = Write("s3.json", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        var rules = Write("ciem-rules.yml", "exceptions:\n  - { rule: sensitive-wildcard, principal: \"policy/s3\", reason: data lake, expires: 2027-01-31 }\n");
        // When checked with it
        var (code, output, _) = _cli.Run("check", "--after", after, "--rules", rules);
        // Then the finding is accepted and the gate passes
        Assert.Equal(0, code);
        Assert.Contains("accepted sensitive-wildcard", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"hello\":1}")]
    public void Check_UnreadablePlan_Exit3(string text)
    {
        var (code, _, err) = _cli.Run("check", "--plan", Write("plan.json", text));
        Assert.Equal(3, code);
        Assert.Contains("CIEM6402", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MissingFileOrBadRules_Exit3()
    {
        Assert.Equal(3, _cli.Run("check", "--plan", Path.Combine(_cli.Home, "missing.json")).Code);
        Assert.Equal(3, _cli.Run("check", "--after", Write("p.json", ReadOnlyPolicy), "--rules", Write("r.yml", "fail-on: [")).Code);
        Assert.Equal(3, _cli.Run("check").Code);
    }

    [Fact]
    public void Check_Sarif_HasRequiredProperties()
    {
        // When the admin plan is rendered as SARIF
        var (code, output, _) = _cli.Run("check", "--plan", RegulaAdminPlan, "--format", "sarif");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        // Then the required SARIF 2.1.0 properties are present
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("OpenCIEM", driver.GetProperty("name").GetString());
        var ruleIds = driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        foreach (var r in results)
        {
            Assert.Contains(r.GetProperty("ruleId").GetString(), ruleIds);
            Assert.Contains(r.GetProperty("level").GetString(), SarifLevels);
            Assert.False(string.IsNullOrEmpty(r.GetProperty("message").GetProperty("text").GetString()));
            var physical = Assert.Single(r.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            Assert.Equal("admin_policy_infra.json", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.True(physical.GetProperty("region").GetProperty("startLine").GetInt32() > 1);
        }
    }

    [Fact]
    public void Check_Markdown_MatchesSnapshot()
    {
        var (_, output, _) = _cli.Run("check", "--plan", RegulaAdminPlan, "--format", "markdown");
        Snapshot.Match(output, "check-admin-plan.md", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Check_Json_ListsPrincipalsAndFindings()
    {
        var (_, output, _) = _cli.Run("check", "--plan", RegulaAdminPlan, "--format", "json");
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("failed").GetBoolean());
        Assert.Equal(5, doc.RootElement.GetProperty("principals").GetArrayLength());
        Assert.Equal(11, doc.RootElement.GetProperty("iamResources").GetInt32());
    }

    [Fact]
    public void Check_WithStore_UsesInventoryContext()
    {
        // Given the sample estate imported
        _cli.ImportSamples();
        var after = Write("after.json", ReadOnlyPolicy);
        // When a policy is checked in its context
        var (code, output, err) = _cli.Run("check", "--after", after, "--db", _cli.Db, "--format", "json");
        // Then the check runs (a standalone policy is not in the inventory)
        Assert.True(code == 0, output + err);
        Assert.Contains("\"inInventory\": false", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CloudFormationTemplates_SarifLinesFromYaml()
    {
        // Given two versions of a template, the new one trusting a partner account
        string T(string name) => TestPaths.Repo("tests", "Ciem.Import.Tests", "Iac", "Templates", name);
        // When checked as SARIF
        var (code, output, err) = _cli.Run("check", "--template", T("app-after.yaml"), "--before", T("app-before.yaml"), "--format", "sarif");
        // Then the gate fails and the trust finding points at its YAML line
        Assert.True(code == 2, err);
        using var doc = JsonDocument.Parse(output);
        var trust = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "new-cross-account-trust");
        Assert.Equal(19, trust.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void Check_TwoInputs_Exit3() =>
        Assert.Equal(3, _cli.Run("check", "--plan", RegulaAdminPlan, "--after", RegulaAdminPlan).Code);

    public void Dispose() => _cli.Dispose();
}
