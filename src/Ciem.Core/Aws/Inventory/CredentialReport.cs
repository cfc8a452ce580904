using System.Collections.Immutable;

namespace Ciem.Core.Aws.Inventory;

/// <summary>
/// One account's IAM credential report (`aws iam get-credential-report`): a row per IAM user plus the
/// `&lt;root_account&gt;` row. Values the report gives as `N/A`, `not_supported` or `no_information` are null.
/// </summary>
public sealed record AwsCredentialReport(string AccountId, DateTimeOffset? GeneratedAt, ImmutableArray<CredentialReportEntry> Entries)
{
    public CredentialReportEntry? Find(string userName) => Entries.FirstOrDefault(e => !e.IsRoot && e.User == userName);
}

/// <summary>One row of the credential report. <see cref="PasswordEnabled"/> is null for the root row (`not_supported`).</summary>
public sealed record CredentialReportEntry(
    string User,
    string Arn,
    DateTimeOffset? UserCreationTime,
    bool? PasswordEnabled,
    DateTimeOffset? PasswordLastUsed,
    DateTimeOffset? PasswordLastChanged,
    DateTimeOffset? PasswordNextRotation,
    bool MfaActive,
    AccessKeyStatus AccessKey1,
    AccessKeyStatus AccessKey2,
    SigningCertificateStatus Cert1,
    SigningCertificateStatus Cert2)
{
    public const string RootUser = "<root_account>";

    public bool IsRoot => User == RootUser;

    public IEnumerable<AccessKeyStatus> ActiveKeys => new[] { AccessKey1, AccessKey2 }.Where(k => k.Active);

    public bool HasActiveKeys => AccessKey1.Active || AccessKey2.Active;

    /// <summary>When the oldest active access key was created or rotated, if any key is active.</summary>
    public DateTimeOffset? OldestActiveKey => ActiveKeys.Select(k => k.LastRotated).Where(d => d is not null).Min();

    /// <summary>The latest use of the password or of any access key.</summary>
    public DateTimeOffset? LastUsed => new[] { PasswordLastUsed, AccessKey1.LastUsedDate, AccessKey2.LastUsedDate }.Max();
}

/// <param name="LastUsedRegion">null when `N/A` (never used, or no information).</param>
public sealed record AccessKeyStatus(bool Active, DateTimeOffset? LastRotated, DateTimeOffset? LastUsedDate, string? LastUsedRegion, string? LastUsedService)
{
    public static readonly AccessKeyStatus None = new(false, null, null, null, null);
}

public sealed record SigningCertificateStatus(bool Active, DateTimeOffset? LastRotated)
{
    public static readonly SigningCertificateStatus None = new(false, null);
}
