using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Import.Iac;
using Ciem.Tests;

namespace Ciem.Import.Tests.Iac;

public sealed class CloudFormationReaderTests
{
    private static string Template(string name) => File.ReadAllText(TestPaths.Repo("tests", "Ciem.Import.Tests", "Iac", "Templates", name));

    [Fact]
    public void Read_YamlBeforeAfter_RoleChangeWithShortFormsKeptSymbolic()
    {
        // Given two versions of a YAML template with !Sub, !Ref and an !If policy
        var result = CloudFormationReader.Read(Template("app-before.yaml"), "app-before.yaml", Template("app-after.yaml"), "app-after.yaml");
        // Then one principal changes: the role, with its managed policy resolved by !Ref and the !If policy unknown
        var role = Assert.Single(result.Changes);
        Assert.Equal(3, result.IamResources);
        Assert.Equal("role/orders-service", role.Id);
        Assert.Single(role.Before);
        Assert.Equal(3, role.After.Length);
        Assert.Equal("{OrdersBucket.Arn}/*", role.After[0].Document!.Statements[0].Resources[0]);
        Assert.NotNull(role.After[1].Document);
        Assert.True(role.After[2].IsUnknown);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.GateBadPolicyValue && d.Location?.Line == 47);
    }

    [Fact]
    public void Read_YamlBeforeAfter_RulesFindTrustEscalationAndRemoval()
    {
        var result = CloudFormationReader.Read(Template("app-before.yaml"), "app-before.yaml", Template("app-after.yaml"), "app-after.yaml");
        var delta = new PermissionDeltaCalculator(AwsActionCatalog.Default).Compute(Assert.Single(result.Changes));
        var findings = AwsGateRules.Evaluate(delta);
        // Then the new partner trust (with its line), the PassRole path and the unknown policy are reported
        var trust = Assert.Single(findings, f => f.RuleId == GateRules.NewCrossAccountTrust);
        Assert.Equal(19, trust.Location?.Line);
        Assert.False(trust.Indeterminate);
        Assert.Contains(findings, f => f.RuleId == GateRules.NewEscalation && f.Evidence.Any(e => e.StartsWith("iam:PassRole with lambda:CreateFunction", StringComparison.Ordinal)));
        Assert.Contains(findings, f => f.RuleId == GateRules.IndeterminateChange);
        Assert.Contains(delta.Removed, a => a.FullName == "s3:PutObject");
    }

    [Fact]
    public void Read_JsonTemplate_GroupPolicyByRefAndGetAtt()
    {
        // Given a JSON template whose policy targets a group by Ref and a key by Fn::GetAtt
        var result = CloudFormationReader.Read(null, null, Template("ops.json"), "ops.json");
        // Then the group has the kms:* policy, located by line
        var group = Assert.Single(result.Changes);
        Assert.Equal("group/ops", group.Id);
        var policy = Assert.Single(group.After);
        Assert.Equal("{Key.Arn}", policy.Document!.Statements[0].Resources[0]);
        Assert.Equal(9, policy.Location.Line);
        var findings = AwsGateRules.Evaluate(new PermissionDeltaCalculator(AwsActionCatalog.Default).Compute(group));
        Assert.Contains(findings, f => f.RuleId == GateRules.SensitiveWildcard);
    }

    [Theory]
    [InlineData("Resources: [unclosed")]
    [InlineData("{\"NotResources\": {}}")]
    public void Read_NotATemplate_Error(string text) =>
        Assert.Contains(CloudFormationReader.Read(null, null, text, "t.yaml").Diagnostics, d => d.Severity == Severity.Error);
}
