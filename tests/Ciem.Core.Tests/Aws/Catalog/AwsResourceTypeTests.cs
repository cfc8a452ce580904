using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Tests.Aws.Catalog;

public sealed class AwsResourceTypeTests
{
    private static AwsResourceType ResourceType(string service, string name)
    {
        Assert.True(AwsActionCatalog.Default.TryGetService(service, out var found));
        Assert.True(found!.TryGetResourceType(name, out var resourceType));
        return resourceType!;
    }

    [Theory]
    [InlineData("s3", "object", "arn:aws:s3:::my-bucket/photos/2024/cat.jpg", true)]
    [InlineData("s3", "object", "arn:aws:s3:::my-bucket/*", true)]
    [InlineData("s3", "object", "arn:aws:s3:::my-bucket", false)]
    [InlineData("s3", "object", "arn:aws:s3:::my-bucket/", false)]
    [InlineData("s3", "object", "arn:aws:s3:::/key", false)]
    [InlineData("s3", "bucket", "arn:aws:s3:::my-bucket", true)]
    [InlineData("s3", "bucket", "arn:aws-cn:s3:::my-bucket", true)]
    [InlineData("s3", "bucket", "arn:aws:s3:::my-bucket/key", false)]
    [InlineData("s3", "bucket", "arn:aws:s3:us-east-1::my-bucket", false)]
    [InlineData("iam", "role", "arn:aws:iam::123456789012:role/service-role/MyRole", true)]
    [InlineData("iam", "role", "arn:aws:iam::123456789012:user/Alice", false)]
    [InlineData("iam", "role", "arn:aws:iam::123456789012:role/", false)]
    [InlineData("ec2", "instance", "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc", true)]
    [InlineData("ec2", "instance", "arn:aws:ec2::123456789012:instance/i-0abc", false)]
    [InlineData("ec2", "instance", "arn:aws:s3:eu-west-1:123456789012:instance/i-0abc", false)]
    [InlineData("ec2", "instance", "", false)]
    [InlineData("logs", "log-group", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn", true)]
    [InlineData("sns", "topic", "arn:aws:sns:us-east-1:123456789012:alerts", true)]
    [InlineData("sns", "topic", "arn:aws:sns:us-east-1:123456789012:alerts/extra", false)]
    public void Matches_ConcreteArn_FitsTemplate(string service, string name, string arn, bool expected)
    {
        // Given a resource type from the shipped catalog
        var resourceType = ResourceType(service, name);

        // When testing a concrete ARN
        // Then variables match non-empty text within their segment, the last variable the rest
        Assert.Equal(expected, resourceType.Matches(arn));
    }

    [Fact]
    public void ResourceTypesFor_ObjectArn_IsObjectOnlyForGetObject()
    {
        // Given s3:GetObject, which applies to objects and access-point objects
        Assert.True(AwsActionCatalog.Default.TryGetAction("s3:GetObject", out var action));

        // When asking which resource types fit an object ARN
        var types = action!.ResourceTypesFor("arn:aws:s3:::bucket/key.txt").Select(r => r.ResourceType.Name).ToList();

        // Then only `object` does
        Assert.Equal(["object"], types);
    }

    [Fact]
    public void Matches_EveryTemplateOnItsOwnExample_IsTrue()
    {
        // Given every resource type of the catalog, with each variable replaced by sample text
        var failures = new List<string>();
        foreach (var resourceType in AwsActionCatalog.Default.Services.SelectMany(s => s.ResourceTypes))
        {
            var example = System.Text.RegularExpressions.Regex.Replace(resourceType.ArnTemplate, @"\$\{[^}]*\}", "x1");

            // When matching the example against its template
            if (!resourceType.Matches(example)) { failures.Add($"{resourceType} ~ {example}"); }
        }

        // Then all fit
        Assert.Empty(failures);
    }
}
