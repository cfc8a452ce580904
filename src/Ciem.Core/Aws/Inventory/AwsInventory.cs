using System.Collections.Immutable;

namespace Ciem.Core.Aws.Inventory;

/// <summary>
/// Everything known about an AWS estate: one snapshot per account, the organization (if imported), the
/// AWS-managed policies the accounts use (shared by all accounts) and resource-based policies keyed by ARN.
/// </summary>
public sealed record AwsInventory(
    ImmutableArray<AwsAccountSnapshot> Accounts,
    AwsOrganization? Organization,
    ImmutableArray<ManagedPolicy> ManagedPolicies,
    ImmutableArray<ResourcePolicy> ResourcePolicies,
    DateTimeOffset? ResourcePoliciesTakenAt = null)
{
    public static readonly AwsInventory Empty = new([], null, [], []);

    /// <summary>The current IAM credential report of each account that has one (optional).</summary>
    public ImmutableArray<AwsCredentialReport> CredentialReports { get; init; } = [];

    public AwsCredentialReport? FindCredentialReport(string accountId) =>
        CredentialReports.IsDefault ? null : CredentialReports.FirstOrDefault(r => r.AccountId == accountId);

    public AwsAccountSnapshot? FindAccount(string accountId) =>
        Accounts.FirstOrDefault(a => a.AccountId == accountId);

    /// <summary>An AWS-managed policy, or a customer-managed policy of any imported account, by ARN.</summary>
    public ManagedPolicy? FindManagedPolicy(string arn)
    {
        if (Arn.TryParse(arn, out var parsed) && parsed.Account != Arn.AwsAccount)
        {
            return FindAccount(parsed.Account)?.Policies.FirstOrDefault(p => p.Arn == arn);
        }
        return ManagedPolicies.FirstOrDefault(p => p.Arn == arn);
    }
}

/// <summary>The IAM content of one account as exported at <see cref="TakenAt"/>.</summary>
public sealed record AwsAccountSnapshot(
    string AccountId,
    DateTimeOffset TakenAt,
    ImmutableArray<IamUser> Users,
    ImmutableArray<IamGroup> Groups,
    ImmutableArray<IamRole> Roles,
    ImmutableArray<ManagedPolicy> Policies)
{
    public int PrincipalCount => Users.Length + Groups.Length + Roles.Length;
}

/// <summary>A resource-based policy (S3 bucket policy, KMS key policy, SQS queue policy, …) as raw JSON text.</summary>
public sealed record ResourcePolicy(string Arn, string Service, string Document);
