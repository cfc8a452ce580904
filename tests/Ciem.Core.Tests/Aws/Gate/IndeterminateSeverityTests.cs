using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Tests.Aws.Gate;

/// <summary>An indeterminate change is rated by what its unknown content could reach.</summary>
public sealed class IndeterminateSeverityTests
{
    private static readonly PermissionDeltaCalculator Calculator = new(AwsActionCatalog.Default);

    private static GatePolicy Policy(string name, string statement)
    {
        var parsed = PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""", name, PolicyKind.Identity);
        return new GatePolicy(name, parsed.Document, new SourceLocation(File: "plan.json", JsonPath: "$.x"));
    }

    private static GateFinding Indeterminate(params GatePolicy[] after)
    {
        var change = new PrincipalChange(GatePrincipalKind.Role, "app", "111111111111", [], [.. after], null, null, null, null, new SourceLocation(File: "plan.json"));
        return Assert.Single(AwsGateRules.Evaluate(Calculator.Compute(change)), f => f.RuleId == GateRules.IndeterminateChange);
    }

    // A misspelt element (`Condtion`) makes the statement defective: what it grants is indeterminate.
    private static string Unknown(string action) =>
        """{"Effect":"Allow","Action":""" + "\"" + action + "\"" + ""","Resource":"*","Condtion":{"StringLike":{"aws:PrincipalTag/team":"x"}}}""";

    [Fact]
    public void IndeterminateChange_ContentKnownOnlyAfterApply_CriticalAsAdministrator()
    {
        // Given a policy whose content is known only after apply: it could grant anything, policy writes included
        var f = Indeterminate(new GatePolicy("later", null, new SourceLocation(File: "plan.json")));

        // Then the finding is rated as new administrative access would be, and says why
        Assert.Equal(FindingSeverity.Critical, f.Severity);
        Assert.Contains("they could include `iam:", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IndeterminateChange_DefectiveStatementOnPassRole_HighAsEscalation()
    {
        // Given a defective statement on iam:PassRole alone
        var f = Indeterminate(Policy("pass", Unknown("iam:PassRole")));

        // Then it is rated as an escalation step
        Assert.Equal(FindingSeverity.High, f.Severity);
        Assert.Contains("`iam:PassRole`", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IndeterminateChange_DefectiveStatementOnARead_StaysMedium()
    {
        // Given the same defect on s3:GetObject (the near-miss twin)
        var f = Indeterminate(Policy("read", Unknown("s3:GetObject")));

        // Then the rule's default severity stands
        Assert.Equal(FindingSeverity.Medium, f.Severity);
        Assert.DoesNotContain("could include", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PolicyFarAboveTheSizeLimits_IndeterminateWithoutEvaluatingIt()
    {
        // Given an identity policy of 100,000 statements (about 9 MB; AWS caps a managed policy at 6,144 characters)
        var statements = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $$"""{"Sid":"S{{i}}","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b{{i}}/*"}"""));
        var json = $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""";

        // When it is parsed
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var parsed = PolicyParser.Parse(json, "huge", PolicyKind.Identity);

        // Then it is not read statement by statement: one unknown statement stands for it, with a warning
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), watch.Elapsed.ToString());
        var statement = Assert.Single(parsed.Document!.Statements);
        Assert.True(statement.EffectUnknown);
        Assert.Contains($"above the {PolicyParser.MaxDocumentChars} evaluated", statement.Defect, StringComparison.Ordinal);
        var warning = Assert.Single(parsed.Diagnostics);
        Assert.Equal(DiagnosticCodes.InputPolicyOversized, warning.Code);
        Assert.Equal(PolicyKind.Identity, parsed.Document.Kind);
    }

    [Fact]
    public void Parse_PolicyJustUnderTheBound_ReadAsUsual()
    {
        // Given a policy just under the bound (the near-miss twin)
        var padding = new string(' ', PolicyParser.MaxDocumentChars - 200);
        var json = $$"""{"Version":"2012-10-17",{{padding}}"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

        // Then it is parsed statement by statement
        var parsed = PolicyParser.Parse(json, "padded", PolicyKind.Identity);
        Assert.Empty(parsed.Diagnostics);
        Assert.False(Assert.Single(parsed.Document!.Statements).EffectUnknown);
    }
}
