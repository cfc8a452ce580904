using System.Collections.Immutable;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.LeastPrivilege;

namespace Ciem.Core.Gcp.LeastPrivilege;

/// <summary>
/// What one past GCP inventory shows of a delivered reduction: whether the member is still there (named by a binding or
/// a group, or a service account of the inventory) and which removed permissions its effective access grants again.
/// </summary>
public static class GcpReductions
{
    public static ReductionObservation Observe(GcpPolicySet policies, DeliveredReduction reduction, long snapshotId, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(reduction);
        var member = GcpMembers.Canonical(reduction.Identity);
        var present = GcpEffectiveAccess.Members(policies).Contains(member, StringComparer.OrdinalIgnoreCase)
            || policies.Inventory.ServiceAccounts.Any(a => string.Equals(a.Member, member, StringComparison.OrdinalIgnoreCase));
        if (!present) { return new ReductionObservation(snapshotId, takenAt, false, [], 0); }
        var access = GcpEffectiveAccess.Compute(policies, member);
        var granted = access.Grants.Select(g => g.Permission).ToHashSet(StringComparer.Ordinal);
        return new ReductionObservation(snapshotId, takenAt, true,
            reduction.Removed.Where(granted.Contains).ToImmutableHashSet(StringComparer.Ordinal), access.GrantedCount);
    }
}
