using Amazon.Runtime;

namespace Ciem.Collect.Aws;

/// <summary>What `ciem collect aws` reads and how (defaults are those of the command).</summary>
public sealed record AwsCollectOptions
{
    /// <summary>Every resource-policy service the collector can read.</summary>
    public static readonly IReadOnlySet<string> AllResourcePolicyServices =
        new SortedSet<string>(StringComparer.Ordinal) { "s3", "kms", "sqs", "sns", "lambda", "secretsmanager", "ecr" };

    /// <summary>The shared-config profile (`AWS_PROFILE` when null); credentials then come from the SDK's standard chain.</summary>
    public string? Profile { get; init; }

    /// <summary>The home region (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's, else `us-east-1`).</summary>
    public string? Region { get; init; }

    /// <summary>Regions whose regional resources (KMS, SQS, SNS, Lambda, Secrets Manager, ECR, trails) are read; empty: the home
    /// region.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>The read-only role assumed in each member account; null: only the caller's account is read.</summary>
    public string? MemberRole { get; init; } = "OpenCiemReadOnly";

    /// <summary>The external id the member roles' trust policy asks for, if any.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Only these accounts (empty: every active account of the organization).</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Accounts read at once.</summary>
    public int Parallelism { get; init; } = 4;

    public CallPolicy Call { get; init; } = CallPolicy.Default;

    /// <summary>`MaxItems` of each `GetAccountAuthorizationDetails` page.</summary>
    public int PageSize { get; init; } = 1000;

    public bool CredentialReport { get; init; } = true;

    /// <summary>How long to wait for IAM to produce a credential report.</summary>
    public TimeSpan CredentialReportWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The services whose resource policies are read (<see cref="AllResourcePolicyServices"/>); empty: none.</summary>
    public IReadOnlySet<string> ResourcePolicies { get; init; } = AllResourcePolicyServices;

    /// <summary>Read CloudTrail objects not yet ingested from the trails' buckets.</summary>
    public bool CloudTrail { get; init; } = true;

    /// <summary>At most this many new CloudTrail objects per run (oldest first); null: all.</summary>
    public int? MaxTrailObjects { get; init; }

    /// <summary>List what would be read (the caller, the accounts and the calls) without reading it or writing anything.</summary>
    public bool DryRun { get; init; }

    /// <summary>Credentials to use instead of the standard chain (tests, a host that holds its own).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Reads an environment variable (endpoints, region, profile name).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
