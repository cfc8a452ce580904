using Ciem.Collect.Aws;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect.Tests.Aws;

public sealed class AwsEndpointsTests
{
    [Fact]
    public void For_ServiceVariableAndGlobalVariable_ServiceVariableWins()
    {
        // Given both `AWS_ENDPOINT_URL_IAM` and `AWS_ENDPOINT_URL`
        var endpoints = new AwsEndpoints(Env(("AWS_ENDPOINT_URL_IAM", "http://iam.local:4566"), ("AWS_ENDPOINT_URL", "http://all.local:4566")), null);

        // When IAM's and KMS's endpoints are asked for
        // Then IAM takes its own and KMS the global one
        Assert.Equal(new Uri("http://iam.local:4566/"), endpoints.For(AwsService.Iam, "eu-west-1"));
        Assert.Equal(new Uri("http://all.local:4566/"), endpoints.For(AwsService.Kms, "eu-west-1"));
    }

    [Fact]
    public void For_SecretsManagerVariable_UsesTheServiceIdWithUnderscore()
    {
        // Given the variable named after the service id `Secrets Manager`
        var endpoints = new AwsEndpoints(Env(("AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://vpce-1.secretsmanager.example")), null);

        // When Secrets Manager's and ECR's endpoints are asked for
        // Then Secrets Manager takes it, ECR its public regional endpoint
        Assert.Equal(new Uri("https://vpce-1.secretsmanager.example/"), endpoints.For(AwsService.SecretsManager, "eu-west-1"));
        Assert.Equal(new Uri("https://api.ecr.eu-west-1.amazonaws.com/"), endpoints.For(AwsService.Ecr, "eu-west-1"));
    }

    [Fact]
    public void For_IgnoreConfiguredEndpoints_PublicEndpointsOfThePartition()
    {
        // Given a configured endpoint that is to be ignored
        var endpoints = new AwsEndpoints(Env(("AWS_ENDPOINT_URL", "http://all.local:4566"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")), null);

        // When global and regional services are asked for in the aws, aws-cn and aws-us-gov partitions
        // Then the public endpoints are given, with the partition's global hosts
        Assert.Equal(new Uri("https://iam.amazonaws.com/"), endpoints.For(AwsService.Iam, "eu-west-1"));
        Assert.Equal(new Uri("https://iam.cn-north-1.amazonaws.com.cn/"), endpoints.For(AwsService.Iam, "cn-northwest-1"));
        Assert.Equal(new Uri("https://organizations.us-gov-west-1.amazonaws.com/"), endpoints.For(AwsService.Organizations, "us-gov-east-1"));
        Assert.Equal(new Uri("https://sqs.ap-south-1.amazonaws.com/"), endpoints.For(AwsService.Sqs, "ap-south-1"));
        Assert.Equal("us-east-1", AwsService.Iam.RegionFor("eu-west-1"));
        Assert.Equal("ap-south-1", AwsService.Sqs.RegionFor("ap-south-1"));
    }

    [Theory]
    [InlineData("localhost:4566")]
    [InlineData("ftp://files.example/")]
    [InlineData("not a url")]
    public void Configured_NotAnHttpUrl_BadSettingNamingTheVariable(string value)
    {
        // Given an endpoint variable that is not an absolute http(s) url
        var endpoints = new AwsEndpoints(Env(("AWS_ENDPOINT_URL_STS", value)), null);

        // When STS's endpoint is asked for
        var error = Assert.Throws<CollectException>(() => endpoints.Configured(AwsService.Sts));

        // Then the error names the variable and the value
        Assert.Equal(DiagnosticCodes.CollectBadSetting, error.Code);
        Assert.Equal($"`AWS_ENDPOINT_URL_STS` is `{value}`, not an absolute http or https url", error.Message);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
