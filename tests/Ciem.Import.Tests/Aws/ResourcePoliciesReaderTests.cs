using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;

namespace Ciem.Import.Tests.Aws;

[Trait("Category", "SharedData")]
public sealed class ResourcePoliciesReaderTests
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}""";

    [Fact]
    public void ReadFiles_Sample_ThreeServices()
    {
        // Given the sample file (the SQS entry is `get-queue-attributes` output)
        var result = ResourcePoliciesReader.ReadFiles([TestData.Sample("aws", "resource-policies.json")]);

        // Then each policy is keyed by ARN with its service
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["kms", "s3", "sqs"], result.Value.Select(p => p.Service));
        Assert.Contains("AllowOrdersTopic", result.Value.Single(p => p.Service == "sqs").Document, StringComparison.Ordinal);
        Assert.Equal(new ImportCounts(3, 0, 0), result.Counts);
    }

    [Theory]
    [InlineData("""{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}""")]
    [InlineData("""{"policyText": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}""")]
    [InlineData("""{"ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}""")]
    [InlineData("""{"Attributes": {"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}}""")]
    [InlineData("""  "{\"Version\":\"2012-10-17\",\"Statement\":[]}" """)]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""")]
    public void Read_ServiceCliOutputOrDocument_Unwrapped(string value)
    {
        var result = ResourcePoliciesReader.Read(TestData.Stream($$"""{"arn:aws:lambda:eu-west-1:222222222222:function:f": {{value}}}"""), "rp.json");

        Assert.Empty(result.Diagnostics);
        var policy = Assert.Single(result.Value);
        Assert.Equal(("lambda", """{"Version":"2012-10-17","Statement":[]}"""), (policy.Service, policy.Document));
    }

    [Fact]
    public void Read_BadArnAndBadPolicy_QuarantinedWithPaths()
    {
        // Given one key that is not an ARN and one policy that is not an object
        var text = $$"""{"my-bucket": {{Policy}}, "arn:aws:sqs:eu-west-1:222222222222:q": [1], "arn:aws:s3:::ok": {{Policy}}}""";

        // When read
        var result = ResourcePoliciesReader.Read(TestData.Stream(text), "rp.json");

        // Then both are quarantined where they are, and the good one is kept
        Assert.Equal(
            [(DiagnosticCodes.ImportBadArn, "$['my-bucket']"), (DiagnosticCodes.ImportBadPolicy, "$['arn:aws:sqs:eu-west-1:222222222222:q']")],
            result.Diagnostics.Select(d => (d.Code, d.Location!.JsonPath!)));
        Assert.Equal(new ImportCounts(1, 0, 2), result.Counts);
        Assert.Equal(2, result.Quarantine.Length);
    }

    [Fact]
    public void Read_Truncated_NothingImported()
    {
        var result = ResourcePoliciesReader.Read(TestData.Stream($$"""{"arn:aws:s3:::ok": {{Policy}}, "arn:aws:s3:::cut": {"Ver"""), "rp.json");

        Assert.Equal(DiagnosticCodes.ImportNotJson, Assert.Single(result.Diagnostics).Code);
        Assert.Empty(result.Value);
        Assert.Equal(new ImportCounts(0, 1, 0), result.Counts);
    }
}
