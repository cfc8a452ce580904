using System.Collections.Immutable;

namespace Ciem.Core.Gcp.Catalog;

/// <summary>
/// An IAM role: a predefined role (`roles/storage.admin`) from the shipped catalog, or a custom role
/// (`projects/p/roles/x`, `organizations/1/roles/x`) read from `gcloud iam roles describe`.
/// <see cref="Permissions"/> holds the included permissions the catalog knows; <see cref="UnknownPermissions"/>
/// the others, kept so that nothing a role grants is lost.
/// </summary>
public sealed record GcpRole(
    string Name,
    string Title,
    string Stage,
    PermissionSet Permissions,
    ImmutableArray<string> UnknownPermissions,
    bool IsCustom,
    bool Deleted = false)
{
    /// <summary>Every included permission, known ones first (ordinal order), then the unknown ones.</summary>
    public int PermissionCount => Permissions.Count + UnknownPermissions.Length;

    public bool Includes(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        return Permissions.Catalog.TryGetPermissionId(permission, out var id)
            ? Permissions.Contains(id)
            : UnknownPermissions.Contains(permission, StringComparer.Ordinal);
    }

    public IEnumerable<string> AllPermissions() => Permissions.Concat(UnknownPermissions);
}
