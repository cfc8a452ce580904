using Amazon;
using Amazon.Runtime.CredentialManagement;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect.Aws;

/// <summary>
/// Where each service is called, by the AWS SDKs' configured-endpoint rules, so that the calls this project signs
/// itself go where the SDK's own clients go: `AWS_ENDPOINT_URL_&lt;SERVICE&gt;`, then `AWS_ENDPOINT_URL`, then the
/// profile's `endpoint_url`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is true; otherwise the service's public endpoint in the region's partition.
/// </summary>
public sealed class AwsEndpoints
{
    private readonly Func<string, string?> _environment;
    private readonly string? _profileEndpoint;
    private readonly bool _ignoreConfigured;

    /// <param name="environment">reads an environment variable (the host passes
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    /// <param name="profile">the shared-config profile in use, if any.</param>
    public AwsEndpoints(Func<string, string?> environment, CredentialProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _profileEndpoint = profile?.EndpointUrl;
        _ignoreConfigured = IsTrue(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || profile?.IgnoreConfiguredEndpointUrls == true;
    }

    /// <summary>The configured endpoint of <paramref name="service"/>, or null (the public one is used).</summary>
    /// <exception cref="CollectException">a configured value is not an absolute http or https URL.</exception>
    public Uri? Configured(AwsService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (_ignoreConfigured) { return null; }
        var variable = $"AWS_ENDPOINT_URL_{service.EnvironmentId}";
        foreach (var (name, value) in new[] { (variable, _environment(variable)), ("AWS_ENDPOINT_URL", _environment("AWS_ENDPOINT_URL")),
            ("endpoint_url (profile)", _profileEndpoint) })
        {
            if (string.IsNullOrWhiteSpace(value)) { continue; }
            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CollectException(DiagnosticCodes.CollectBadSetting, $"`{name}` is `{value}`, not an absolute http or https url");
            }
            return uri;
        }
        return null;
    }

    /// <summary>The endpoint of <paramref name="service"/> in <paramref name="region"/>: the configured one, else the public one.</summary>
    public Uri For(AwsService service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (Configured(service) is { } configured) { return configured; }
        var suffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix ?? "amazonaws.com";
        var host = service.Global is { } global ? global(region, suffix) : $"{service.HostPrefix}.{region}.{suffix}";
        return new Uri($"https://{host}/");
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A service as the endpoint rules and the signer name it.</summary>
/// <param name="SigningName">the SigV4 service name.</param>
/// <param name="EnvironmentId">the service id in `AWS_ENDPOINT_URL_&lt;ID&gt;` (upper case, spaces as `_`).</param>
/// <param name="HostPrefix">the first label of the regional public host name.</param>
/// <param name="Global">the public host of a global service (IAM, Organizations) from the region and the partition's suffix.</param>
/// <param name="SigningRegion">the region a global service signs for, from the caller's region.</param>
public sealed record AwsService(string SigningName, string EnvironmentId, string HostPrefix,
    Func<string, string, string>? Global = null, Func<string, string>? SigningRegion = null)
{
    public static readonly AwsService Iam = new("iam", "IAM", "iam",
        (region, suffix) => Partition(region) switch { "aws-cn" => $"iam.cn-north-1.{suffix}", "aws-us-gov" => $"iam.us-gov.{suffix}", _
            => $"iam.{suffix}" },
        region => Partition(region) switch { "aws-cn" => "cn-north-1", "aws-us-gov" => "us-gov-west-1", _ => "us-east-1" });

    public static readonly AwsService Organizations = new("organizations", "ORGANIZATIONS", "organizations",
        (region, suffix) => Partition(region) switch { "aws-cn" => $"organizations.cn-northwest-1.{suffix}", "aws-us-gov"
            => $"organizations.us-gov-west-1.{suffix}", _ => $"organizations.us-east-1.{suffix}" },
        region => Partition(region) switch { "aws-cn" => "cn-northwest-1", "aws-us-gov" => "us-gov-west-1", _ => "us-east-1" });

    public static readonly AwsService Sts = new("sts", "STS", "sts");
    public static readonly AwsService S3 = new("s3", "S3", "s3");
    public static readonly AwsService Kms = new("kms", "KMS", "kms");
    public static readonly AwsService Sqs = new("sqs", "SQS", "sqs");
    public static readonly AwsService Sns = new("sns", "SNS", "sns");
    public static readonly AwsService Lambda = new("lambda", "LAMBDA", "lambda");
    public static readonly AwsService SecretsManager = new("secretsmanager", "SECRETS_MANAGER", "secretsmanager");
    public static readonly AwsService Ecr = new("ecr", "ECR", "api.ecr");
    public static readonly AwsService CloudTrail = new("cloudtrail", "CLOUDTRAIL", "cloudtrail");
    public static readonly AwsService SsoAdmin = new("sso", "SSO_ADMIN", "sso");
    public static readonly AwsService IdentityStore = new("identitystore", "IDENTITYSTORE", "identitystore");

    /// <summary>The region the request is signed for.</summary>
    public string RegionFor(string region) => SigningRegion?.Invoke(region) ?? region;

    private static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal)
            ? "aws-us-gov" : "aws";
}
