using System.Collections.Immutable;

namespace Ciem.Core.Directories;

/// <summary>The directory a record was read from; <see cref="DirectorySources"/> has the names used on the command line and in the store.</summary>
public enum DirectorySource
{
    IdentityCenter,
    Entra,
    Okta,
    Google,
}

public static class DirectorySources
{
    public static string Name(DirectorySource source) => source switch
    {
        DirectorySource.IdentityCenter => "identity-center",
        DirectorySource.Entra => "entra",
        DirectorySource.Okta => "okta",
        DirectorySource.Google => "google",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public static bool TryParse(string? name, out DirectorySource source)
    {
        foreach (var s in Enum.GetValues<DirectorySource>())
        {
            if (string.Equals(Name(s), name, StringComparison.OrdinalIgnoreCase))
            {
                source = s;
                return true;
            }
        }
        source = default;
        return false;
    }
}

/// <summary>An id the user is known by in another directory (IAM Identity Center `ExternalIds`, SCIM `externalId`).</summary>
public sealed record ExternalId(string Issuer, string Id);

/// <summary>
/// A person's account in one directory. <see cref="Id"/> is the directory's immutable id (Identity Center `UserId`,
/// Entra object id, Okta id, Google id); <see cref="UserName"/> the sign-in name (a UPN in Entra).
/// </summary>
public sealed record DirectoryUser(
    DirectorySource Source,
    string Id,
    string? UserName,
    string? Email,
    string DisplayName,
    bool Enabled,
    ImmutableArray<string> OtherEmails,
    ImmutableArray<ExternalId> ExternalIds)
{
    /// <summary>Every address the user is known by, lowercased: email, other emails and the user name when it has an `@`.</summary>
    public IEnumerable<string> Addresses()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in new[] { Email, UserName }.Concat(OtherEmails))
        {
            if (Normalize(a) is { } n && seen.Add(n)) { yield return n; }
        }
    }

    /// <summary>Lowercased and trimmed, or null when the text is not an address (no `@`).</summary>
    public static string? Normalize(string? address)
    {
        var t = address?.Trim();
        return string.IsNullOrEmpty(t) || !t.Contains('@', StringComparison.Ordinal) ? null : t.ToLowerInvariant();
    }
}

public enum MemberKind
{
    User,
    Group,
    ServicePrincipal,
    Other,
}

public sealed record DirectoryMember(MemberKind Kind, string Id);

/// <summary>
/// A group with its direct members (users, groups, service principals). <see cref="IsDynamic"/> marks membership
/// computed by a rule (Entra dynamic groups, Okta group rules); the members are the ones in the export.
/// </summary>
public sealed record DirectoryGroup(
    DirectorySource Source,
    string Id,
    string DisplayName,
    string? Email,
    bool IsDynamic,
    string? MembershipRule,
    ImmutableArray<DirectoryMember> Members,
    ImmutableArray<ExternalId> ExternalIds);

public enum ServicePrincipalKind
{
    Application,
    ManagedIdentity,
    Other,
}

/// <summary>
/// A non-human identity from a directory (Entra service principal, managed identity) with the owners the directory lists,
/// its own secrets and certificates, its `tags` and `notes`, and for a managed identity the Azure resource it is
/// attached to (from `alternativeNames`).
/// </summary>
public sealed record DirectoryServicePrincipal(
    DirectorySource Source,
    string Id,
    string? AppId,
    string DisplayName,
    ServicePrincipalKind Kind,
    bool Enabled,
    ImmutableArray<string> Owners)
{
    public ImmutableArray<AppCredential> Credentials { get; init; } = [];

    public ImmutableArray<string> Tags { get; init; } = [];

    public string? Notes { get; init; }

    public string? AttachedResource { get; init; }
}

/// <summary>
/// An application registration (Entra `application`); its owners also own the app's service principal, and its
/// secrets and certificates are the credentials the service principal signs in with.
/// </summary>
public sealed record DirectoryApplication(DirectorySource Source, string Id, string AppId, string DisplayName, ImmutableArray<string> Owners)
{
    public ImmutableArray<AppCredential> Credentials { get; init; } = [];

    public ImmutableArray<string> Tags { get; init; } = [];

    public string? Notes { get; init; }
}

public enum CredentialKind
{
    /// <summary>A client secret (`passwordCredentials`).</summary>
    Secret,

    /// <summary>A certificate (`keyCredentials`).</summary>
    Certificate,

    /// <summary>A user-managed service account key (`gcloud iam service-accounts keys list`, `keyType: USER_MANAGED`).</summary>
    Key,
}

/// <summary>A long-lived credential of a service identity: kind, id, name, and when it became valid and expires (null when it does not).</summary>
public sealed record AppCredential(CredentialKind Kind, string KeyId, string? DisplayName, DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>A customer-managed policy a permission set refers to by name and path; it must exist in each account.</summary>
public sealed record CustomerManagedPolicyReference(string Name, string Path);

/// <summary>
/// An IAM Identity Center permission set: what each `AWSReservedSSO_{Name}_…` role it provisions will hold —
/// the inline policy (raw JSON), AWS-managed policy ARNs, customer-managed references and the boundary.
/// </summary>
public sealed record PermissionSet(
    string Arn,
    string Name,
    string? Description,
    string? SessionDuration,
    string? InlinePolicy,
    ImmutableArray<string> AwsManagedPolicyArns,
    ImmutableArray<CustomerManagedPolicyReference> CustomerManagedPolicies,
    string? BoundaryPolicyArn,
    CustomerManagedPolicyReference? BoundaryReference);

public enum AssignmentPrincipalType
{
    User,
    Group,
}

/// <summary>An Identity Center account assignment: principal (user or group) gets permission set in account.</summary>
public sealed record AccountAssignment(string AccountId, string PermissionSetArn, AssignmentPrincipalType PrincipalType, string PrincipalId);

/// <summary>
/// An identity provider's assignment of an application to a user or group (Okta app assignments). For an AWS SAML
/// app, <see cref="Roles"/> are the IAM roles (ARNs, or names in every account) the assignment lets the principal assume.
/// </summary>
public sealed record AppAssignment(string AppId, string AppName, bool IsAws, AssignmentPrincipalType PrincipalType, string PrincipalId, ImmutableArray<string> Roles);

/// <summary>An activated Entra directory role (Global Administrator, …) with its direct members: users, role-assignable groups, service principals.</summary>
public sealed record DirectoryRole(string Id, string Name, string? TemplateId, ImmutableArray<DirectoryMember> Members);

/// <summary>Everything one directory import holds. Identity Center fills the permission sets and assignments; Entra the service principals and applications.</summary>
public sealed record DirectorySnapshot(
    DirectorySource Source,
    string TenantId,
    DateTimeOffset TakenAt,
    ImmutableArray<DirectoryUser> Users,
    ImmutableArray<DirectoryGroup> Groups,
    ImmutableArray<DirectoryServicePrincipal> ServicePrincipals,
    ImmutableArray<DirectoryApplication> Applications,
    ImmutableArray<PermissionSet> PermissionSets,
    ImmutableArray<AccountAssignment> AccountAssignments,
    ImmutableArray<AppAssignment> AppAssignments,
    ImmutableArray<DirectoryRole> DirectoryRoles)
{
    public static DirectorySnapshot Empty(DirectorySource source, string tenantId, DateTimeOffset takenAt) =>
        new(source, tenantId, takenAt, [], [], [], [], [], [], [], []);

    public int RecordCount => Users.Length + Groups.Length + ServicePrincipals.Length + Applications.Length + PermissionSets.Length + AccountAssignments.Length + AppAssignments.Length + DirectoryRoles.Length;
}
