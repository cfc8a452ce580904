using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.LeastPrivilege;

namespace Ciem.Core.Azure.LeastPrivilege;

/// <summary>
/// What one past Azure estate shows of a delivered reduction: whether the principal is still there (an active or
/// eligible assignment, or a group membership) and which removed operations its effective access grants again.
/// </summary>
public static class AzureReductions
{
    public static ReductionObservation Observe(AzureEstate estate, AzureOperationCatalog catalog, DeliveredReduction reduction, long snapshotId, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(reduction);
        var id = reduction.Identity;
        bool Same(string? principal) => string.Equals(principal, id, StringComparison.OrdinalIgnoreCase);
        var present = estate.RoleAssignments.Any(a => Same(a.PrincipalId)) || estate.EligibleAssignments.Any(e => Same(e.PrincipalId))
            || estate.Groups.Principals.Any(Same);
        if (!present) { return new ReductionObservation(snapshotId, takenAt, false, [], 0); }
        var access = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(id, null, estate), estate, catalog).Access;
        var granted = access.Grants.Select(g => g.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new ReductionObservation(snapshotId, takenAt, true,
            reduction.Removed.Where(granted.Contains).ToImmutableHashSet(StringComparer.Ordinal), granted.Count);
    }
}
