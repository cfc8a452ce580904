using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Tests.Aws.Policies;

public sealed class PolicyParserTests
{
    [Fact]
    public void Parse_SingleStatementObjectAndStringValues_NormalisesToLists()
    {
        // Given a policy whose Statement is one object and whose values are single strings
        const string json = """{"Version":"2012-10-17","Id":"x","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":10}}}}""";

        // When it is parsed
        var result = PolicyParser.Parse(json, "p", PolicyKind.Identity);

        // Then one statement with list values and text forms of booleans and numbers
        Assert.Empty(result.Diagnostics);
        var s = Assert.Single(result.Document!.Statements);
        Assert.Equal(PolicyLanguageVersion.V20121017, result.Document.Version);
        Assert.Equal("x", result.Document.Id);
        Assert.Equal(["s3:GetObject"], s.Actions.AsEnumerable());
        Assert.False(s.NotAction);
        Assert.Equal(["arn:aws:s3:::b/*"], s.Resources.AsEnumerable());
        Assert.Equal("$.Statement", s.JsonPath);
        Assert.Collection(s.Conditions,
            c => { Assert.Equal("Bool", c.Operator); Assert.Equal("aws:SecureTransport", c.Key); Assert.Equal(["true"], c.Values.AsEnumerable()); },
            c => { Assert.Equal("NumericLessThan", c.Operator); Assert.Equal(["10"], c.Values.AsEnumerable()); });
        Assert.Null(s.Defect);
    }

    [Fact]
    public void Parse_NoVersion_IsTreatedAs2008()
    {
        // Given a policy without Version / When parsed / Then it is 2008-10-17 (no policy variables), as AWS documents
        var result = PolicyParser.Parse("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", "p", PolicyKind.Identity);
        Assert.Equal(PolicyLanguageVersion.V20081017, result.Document!.Version);
        Assert.False(result.Document.SupportsPolicyVariables);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resources":"*"}]}""", DiagnosticCodes.PolicyUnknownElement, "$.Statement[0].Resources")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}""", DiagnosticCodes.StatementBadEffect, "$.Statement[0].Effect")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}]}""", DiagnosticCodes.StatementActionConflict, "$.Statement[0]")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}""", DiagnosticCodes.StatementMissingAction, "$.Statement[0]")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}]}""", DiagnosticCodes.ActionMalformed, "$.Statement[0].Action")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}]}""", DiagnosticCodes.StatementUnexpectedPrincipal, "$.Statement[0]")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":"x"}}]}""", DiagnosticCodes.StatementBadCondition, "$.Statement[0].Condition.StringEquals")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[1],"Resource":"*"}]}""", DiagnosticCodes.StatementBadValue, "$.Statement[0].Action[0]")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}""", DiagnosticCodes.StatementMissingResource, "$.Statement[0]")]
    [InlineData("""{"Version":"2013-01-01","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", DiagnosticCodes.PolicyBadVersion, "$.Version")]
    public void Parse_MalformedStatement_LocatedDiagnosticAndDefect(string json, string code, string path)
    {
        // Given a malformed policy / When parsed
        var result = PolicyParser.Parse(json, "p", PolicyKind.Identity, new SourceLocation(File: "gaad.json", JsonPath: "$"));

        // Then a located error with the stable code, and the statement is kept with a defect (never dropped)
        var d = Assert.Single(result.Diagnostics, x => x.Code == code);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(path, d.Location!.JsonPath);
        Assert.Equal("gaad.json", d.Location.File);
        Assert.NotNull(Assert.Single(result.Document!.Statements).Defect);
    }

    [Fact]
    public void Parse_NotJson_ErrorWithLineAndNoDocument()
    {
        // Given broken JSON / When parsed / Then no document and a CIEM1001 error with the line
        var result = PolicyParser.Parse("{\n \"Version\": \"2012-10-17\",\n \"Statement\": [\n", "p", PolicyKind.Identity);
        Assert.Null(result.Document);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.PolicyNotJson, d.Code);
        Assert.NotNull(d.Location!.Line);
    }

    [Fact]
    public void Parse_TrustPolicyPrincipals_AllTypesParsed()
    {
        // Given a trust policy with every principal type
        const string json = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"],
          "Principal":{"AWS":["arn:aws:iam::222222222222:root","333333333333"],"Service":"ec2.amazonaws.com",
                       "Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com","CanonicalUser":"79a59df900b949e55d96a1e698fbaced"}}]}
        """;

        // When parsed as a trust policy (no Resource needed)
        var result = PolicyParser.Parse(json, "trust", PolicyKind.Trust);

        // Then the principals keep their types and no diagnostic is raised
        Assert.Empty(result.Diagnostics);
        var p = result.Document!.Statements[0].Principal!;
        Assert.False(p.IsWildcard);
        Assert.Equal(5, p.Values.Length);
        Assert.Equal(new PrincipalValue(PrincipalType.Service, "ec2.amazonaws.com"), p.Values[2]);
        Assert.False(result.Document.Statements[0].HasResourceElement);
    }

    [Fact]
    public void Parse_DuplicateSid_Warns()
    {
        var result = PolicyParser.Parse("""{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]}""", "p", PolicyKind.Identity);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.StatementDuplicateSid, d.Code);
        Assert.Equal(Severity.Warning, d.Severity);
    }
}
