using System.Collections.Immutable;

namespace Ciem.Core.Aws.Inventory;

/// <summary>An inline (embedded) policy: its name and the policy document as raw JSON text.</summary>
public sealed record InlinePolicy(string Name, string Document);

public sealed record IamUser(
    string Arn,
    string Name,
    string Id,
    string Path,
    DateTimeOffset? CreateDate,
    ImmutableArray<string> GroupNames,
    ImmutableArray<InlinePolicy> InlinePolicies,
    ImmutableArray<string> AttachedPolicyArns,
    string? PermissionsBoundaryArn,
    ImmutableArray<KeyValuePair<string, string>> Tags,
    DateTimeOffset? PasswordLastUsed);

public sealed record IamGroup(
    string Arn,
    string Name,
    string Id,
    string Path,
    DateTimeOffset? CreateDate,
    ImmutableArray<InlinePolicy> InlinePolicies,
    ImmutableArray<string> AttachedPolicyArns);

/// <summary>When and where a role was last used (IAM tracks the last 400 days).</summary>
public sealed record RoleLastUsed(DateTimeOffset Date, string? Region);

public sealed record InstanceProfile(string Arn, string Name, string Id, string Path);

public sealed record IamRole(
    string Arn,
    string Name,
    string Id,
    string Path,
    DateTimeOffset? CreateDate,
    string TrustPolicy,
    ImmutableArray<InlinePolicy> InlinePolicies,
    ImmutableArray<string> AttachedPolicyArns,
    string? PermissionsBoundaryArn,
    ImmutableArray<KeyValuePair<string, string>> Tags,
    ImmutableArray<InstanceProfile> InstanceProfiles,
    RoleLastUsed? LastUsed,
    int? MaxSessionDuration,
    string? Description)
{
    public const string ServiceLinkedPath = "/aws-service-role/";

    public bool IsServiceLinked => Path.StartsWith(ServiceLinkedPath, StringComparison.Ordinal);
}

/// <summary>
/// A managed policy with its default version. <see cref="IsAwsManaged"/> when the ARN's account is <c>aws</c>
/// (<c>arn:aws:iam::aws:policy/…</c>); such policies are shared by every account.
/// </summary>
public sealed record ManagedPolicy(
    string Arn,
    string Name,
    string Id,
    string Path,
    string DefaultVersionId,
    string Document,
    DateTimeOffset? CreateDate,
    DateTimeOffset? UpdateDate)
{
    public bool IsAwsManaged => Inventory.Arn.TryParse(Arn, out var arn) && arn.Account == Inventory.Arn.AwsAccount;
}
