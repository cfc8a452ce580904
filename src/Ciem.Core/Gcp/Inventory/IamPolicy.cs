using System.Collections.Immutable;

namespace Ciem.Core.Gcp.Inventory;

/// <summary>An IAM condition as written in a binding or a deny rule: a CEL expression with its title and description.</summary>
public sealed record IamCondition(string Expression, string? Title = null, string? Description = null)
{
    public override string ToString() => Title is null ? Expression : $"{Title}: {Expression}";
}

/// <summary>One binding of an allow policy: a role granted to members, optionally under a condition.</summary>
public sealed record IamBinding(string Role, ImmutableArray<string> Members, IamCondition? Condition = null);

/// <summary>The allow policy attached to one resource (full resource name).</summary>
public sealed record IamPolicy(string Resource, ImmutableArray<IamBinding> Bindings, int Version = 1, string? Etag = null);

/// <summary>
/// A deny rule: <see cref="DeniedPrincipals"/> (v2 principal identifiers) minus <see cref="ExceptionPrincipals"/> cannot
/// use <see cref="DeniedPermissions"/> (v2 `service.googleapis.com/resource.verb`, wildcards allowed) minus
/// <see cref="ExceptionPermissions"/>, when <see cref="DenialCondition"/> is absent or true.
/// </summary>
public sealed record DenyRule(
    ImmutableArray<string> DeniedPrincipals,
    ImmutableArray<string> ExceptionPrincipals,
    ImmutableArray<string> DeniedPermissions,
    ImmutableArray<string> ExceptionPermissions,
    IamCondition? DenialCondition = null);

/// <summary>
/// A deny policy (IAM v2): <see cref="Name"/> as the API gives it
/// (`policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/my-policy`), the full resource name it is
/// attached to, and its rules.
/// </summary>
public sealed record DenyPolicy(string Name, string AttachmentPoint, string? DisplayName, ImmutableArray<DenyRule> Rules)
{
    /// <summary>The policy id: the last segment of <see cref="Name"/>.</summary>
    public string Id => Name[(Name.LastIndexOf('/') + 1)..];
}

/// <summary>The members of one Google group (direct members; nested groups appear as `group:` members).</summary>
public sealed record GroupMembership(string Group, ImmutableArray<string> Members);

/// <summary>Everything the GCP readers produce, merged: hierarchy, allow policies, deny policies, custom roles, groups.</summary>
public sealed record GcpInventory(
    ImmutableArray<GcpResource> Resources,
    ImmutableArray<IamPolicy> Policies,
    ImmutableArray<DenyPolicy> DenyPolicies,
    ImmutableArray<CustomRoleDefinition> CustomRoles,
    ImmutableArray<GroupMembership> Groups)
{
    public static readonly GcpInventory Empty = new([], [], [], [], []);

    /// <summary>Service accounts (`gcloud iam service-accounts list`), with or without bindings.</summary>
    public ImmutableArray<ServiceAccount> ServiceAccounts { get; init; } = [];

    /// <summary>Service account keys (`gcloud iam service-accounts keys list`), user- and system-managed.</summary>
    public ImmutableArray<ServiceAccountKey> ServiceAccountKeys { get; init; } = [];

    public GcpInventory Merge(GcpInventory other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Resources, .. other.Resources], [.. Policies, .. other.Policies], [.. DenyPolicies, .. other.DenyPolicies],
            [.. CustomRoles, .. other.CustomRoles], [.. Groups, .. other.Groups])
        {
            ServiceAccounts = [.. ServiceAccounts, .. other.ServiceAccounts],
            ServiceAccountKeys = [.. ServiceAccountKeys, .. other.ServiceAccountKeys],
        };
    }
}

/// <summary>A service account as `gcloud iam service-accounts list --format=json` prints it.</summary>
public sealed record ServiceAccount(string Email, string? ProjectId, string? UniqueId, string? DisplayName, string? Description, bool Disabled)
{
    /// <summary>The IAM member: `serviceAccount:EMAIL`.</summary>
    public string Member => "serviceAccount:" + Email;
}

/// <summary>
/// A key of a service account as `gcloud iam service-accounts keys list --format=json` prints it: `USER_MANAGED` keys are
/// long-lived credentials someone downloaded; `SYSTEM_MANAGED` keys are Google's and rotated by it.
/// </summary>
public sealed record ServiceAccountKey(string ServiceAccountEmail, string KeyId, string KeyType, DateTimeOffset? ValidAfter, DateTimeOffset? ValidBefore, bool Disabled)
{
    public bool IsUserManaged => string.Equals(KeyType, "USER_MANAGED", StringComparison.Ordinal);
}

/// <summary>A custom role as `gcloud iam roles describe` prints it; turned into a <see cref="Catalog.GcpRole"/> by the catalog.</summary>
public sealed record CustomRoleDefinition(string Name, string Title, string Stage, ImmutableArray<string> IncludedPermissions, bool Deleted);
