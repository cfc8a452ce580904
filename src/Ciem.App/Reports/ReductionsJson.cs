using System.Collections.Immutable;
using Ciem.Core.LeastPrivilege;

namespace Ciem.App.Reports;

/// <summary>The `--format json` document of `ciem reductions` (`ciem.reductions/1`): every delivered reduction and its status.</summary>
public static class ReductionsJson
{
    public static object Of(ImmutableArray<ReductionStatus> statuses) => new
    {
        reductions = statuses.Select(s => new
        {
            id = s.Reduction.Id,
            provider = s.Reduction.Provider,
            identity = s.Reduction.Identity,
            account = s.Reduction.Scope,
            status = ReductionTracker.Name(s.State),
            overdue = s.Overdue,
            deliveredAt = s.Reduction.DeliveredAt,
            delivery = new
            {
                channel = s.Reduction.Channel, location = s.Reduction.Location, revision = s.Reduction.Revision, files = s.Reduction.Files,
                pullRequest = s.Reduction.PullRequest,
            },
            removed = s.Reduction.Removed.Length,
            grantedBefore = s.Reduction.GrantedBefore,
            grantedAfter = s.Reduction.GrantedAfter,
            grantedNow = s.Latest is { IdentityPresent: true } l ? l.GrantedCount : (int?)null,
            snapshotsSinceDelivery = s.Observations,
            latestSnapshot = s.Latest is { } latest ? new { id = latest.SnapshotId, takenAt = latest.TakenAt } : null,
            appliedAt = s.AppliedAt,
            stillGranted = s.StillGranted,
            regrown = s.Regrown.Select(r => new { action = r.Action, sinceSnapshot = r.SinceSnapshot, since = r.Since }),
        }),
        summary = Enum.GetValues<ReductionState>().ToDictionary(ReductionTracker.Name, st => statuses.Count(s => s.State == st)),
    };
}
