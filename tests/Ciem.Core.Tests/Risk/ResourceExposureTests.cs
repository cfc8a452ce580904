using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Risk;

namespace Ciem.Core.Tests.Risk;

public sealed class ResourceExposureTests
{
    private const string Own = "111111111111";
    private const string Outside = "444455556666";
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One account with the given resource policies, as `aws s3api get-bucket-policy` and the like return them.</summary>
    private static AwsEstate Estate(params ResourcePolicy[] policies) => AwsEstate.Build(new AwsInventory(
        [new AwsAccountSnapshot(Own, TakenAt, [], [], [], [])], null, [], [.. policies]));

    private static ResourcePolicy Bucket(string name, string statement) => new($"arn:aws:s3:::{name}", "s3",
        $$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""");

    [Fact]
    public void Scan_BucketReadableByAnyone_PublicWithStatement()
    {
        // Given a bucket policy that lets `*` read objects without a condition
        var estate = Estate(Bucket("site", """{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}"""));

        // When the estate is scanned
        var exposure = Assert.Single(ResourceExposureScanner.Scan(estate));

        // Then the bucket is public, with the factor's points and the statement that decides it
        Assert.Equal("arn:aws:s3:::site", exposure.Resource);
        Assert.Equal("public-resource", exposure.Factor);
        Assert.Equal(30, exposure.Points);
        Assert.Contains("lets anyone (s3:GetObject)", exposure.Detail, StringComparison.Ordinal);
        Assert.Contains("statement 0 (Public): Principal `*`", exposure.Detail, StringComparison.Ordinal);
        Assert.False(exposure.Indeterminate);
    }

    [Fact]
    public void Scan_AnyoneButOnlyFromTheOrganisation_NotExposed()
    {
        // Given the same grant restricted to callers of the organisation (near-miss: a restricting condition)
        var estate = Estate(Bucket("site", """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-exampleorg1"}}}"""));

        // When scanned
        // Then nothing is exposed
        Assert.Empty(ResourceExposureScanner.Scan(estate));
    }

    [Fact]
    public void Scan_AnyoneOnlyOverTls_StillPublic()
    {
        // Given `*` with a condition that does not say who the caller is (aws:SecureTransport)
        var estate = Estate(Bucket("site", """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"""));

        // When scanned
        // Then the bucket is still public
        Assert.Equal("public-resource", Assert.Single(ResourceExposureScanner.Scan(estate)).Factor);
    }

    [Fact]
    public void Scan_OutsideAccountNamed_CrossAccount_OwnAccountNamed_Not()
    {
        // Given a queue policy naming an outside account, and a key policy naming the estate's own account
        var estate = Estate(
            new ResourcePolicy($"arn:aws:sqs:eu-west-1:{Own}:jobs", "sqs",
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Outside}}:root"},"Action":"sqs:SendMessage","Resource":"*"}]}"""),
            new ResourcePolicy($"arn:aws:kms:eu-west-1:{Own}:key/1234abcd-12ab-34cd-56ef-1234567890ab", "kms",
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Own}}:root"},"Action":"kms:*","Resource":"*"}]}"""));

        // When scanned
        var exposure = Assert.Single(ResourceExposureScanner.Scan(estate));

        // Then only the queue is exposed, to the outside account
        Assert.Equal($"arn:aws:sqs:eu-west-1:{Own}:jobs", exposure.Resource);
        Assert.Equal("cross-account-resource", exposure.Factor);
        Assert.Equal(15, exposure.Points);
        Assert.Contains($"`{Outside}`", exposure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_ConditionOperatorUnknown_IndeterminateNotDropped()
    {
        // Given `*` under a condition operator the engine does not know
        var estate = Estate(Bucket("site", """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*","Condition":{"StringEqualsMaybe":{"aws:PrincipalOrgID":"o-exampleorg1"}}}"""));

        // When scanned
        var exposure = Assert.Single(ResourceExposureScanner.Scan(estate));

        // Then it is listed as public but indeterminate
        Assert.Equal("public-resource", exposure.Factor);
        Assert.True(exposure.Indeterminate);
    }
}
