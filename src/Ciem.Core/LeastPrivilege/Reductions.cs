using System.Collections.Immutable;

namespace Ciem.Core.LeastPrivilege;

/// <summary>
/// A proposal that was delivered (`ciem propose --out` or `--iac-repo`): which identity, the permissions it removed, the
/// granted count after, where it went (a folder; or a branch with its commit, the changed files and the pull request) and when.
/// </summary>
/// <param name="Channel">`files` (a folder), `branch` (a commit on a branch of the IaC repository) or `pull-request`.</param>
/// <param name="Location">the folder, or the branch name.</param>
public sealed record DeliveredReduction(
    long Id,
    string Provider,
    string Identity,
    string Scope,
    string Name,
    ImmutableArray<string> Removed,
    int GrantedBefore,
    int GrantedAfter,
    DateTimeOffset DeliveredAt,
    string Channel,
    string Location,
    string? Revision,
    ImmutableArray<string> Files,
    string? PullRequest);

/// <summary>One imported snapshot of the identity's account: whether the identity exists, and which of the removed permissions it is granted.</summary>
public sealed record ReductionObservation(long SnapshotId, DateTimeOffset TakenAt, bool IdentityPresent, ImmutableHashSet<string> StillGranted, int GrantedCount);

public enum ReductionState
{
    /// <summary>No snapshot taken after the delivery shows the removed permissions gone (some may be).</summary>
    Pending,

    /// <summary>The latest snapshot shows every removed permission gone.</summary>
    Applied,

    /// <summary>Removed permissions were gone in a snapshot after the delivery and are granted again in the latest one.</summary>
    Regrown,

    /// <summary>The identity is not in the latest snapshot of its account.</summary>
    IdentityGone,
}

/// <summary>A removed permission that came back, and the first snapshot of the run of snapshots that grant it again.</summary>
public sealed record RegrownPermission(string Action, long SinceSnapshot, DateTimeOffset Since);

/// <summary>Where a delivered reduction stands after the imports that followed it.</summary>
/// <param name="StillGranted">removed permissions the latest snapshot still grants and that were never seen gone (not applied yet).</param>
/// <param name="AppliedAt">the first snapshot after delivery in which every removed permission was gone.</param>
/// <param name="Observations">snapshots taken after the delivery.</param>
/// <param name="Overdue">pending although a snapshot taken more than the grace period after the delivery still grants removed permissions.</param>
public sealed record ReductionStatus(
    DeliveredReduction Reduction,
    ReductionState State,
    ImmutableArray<string> StillGranted,
    ImmutableArray<RegrownPermission> Regrown,
    ReductionObservation? Latest,
    DateTimeOffset? AppliedAt,
    int Observations,
    bool Overdue);

/// <summary>
/// Tells pending from applied from regrown with the snapshot history. Only snapshots <em>taken</em> after the delivery
/// count: one taken before shows the state the proposal was made from. A removed permission is applied once a later
/// snapshot no longer grants it; it has regrown when it was seen gone after the delivery and the latest snapshot grants it
/// again. A permission never seen gone is pending, never regrown — so a slow rollout is not mistaken for a regression.
/// </summary>
public static class ReductionTracker
{
    public static ReductionStatus Evaluate(DeliveredReduction reduction, IEnumerable<ReductionObservation> history, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(reduction);
        ArgumentNullException.ThrowIfNull(history);
        var after = history.Where(o => o.TakenAt > reduction.DeliveredAt).OrderBy(o => o.TakenAt).ThenBy(o => o.SnapshotId).ToList();
        if (after.Count == 0)
        {
            return new ReductionStatus(reduction, ReductionState.Pending, reduction.Removed, [], null, null, 0, Overdue: false);
        }
        var latest = after[^1];
        bool Granted(ReductionObservation o, string action) => o.IdentityPresent && o.StillGranted.Contains(action);
        var still = ImmutableArray.CreateBuilder<string>();
        var regrown = ImmutableArray.CreateBuilder<RegrownPermission>();
        foreach (var action in reduction.Removed)
        {
            var seenGone = after.FindIndex(o => !Granted(o, action));
            if (!Granted(latest, action)) { continue; }
            if (seenGone < 0 || seenGone == after.Count - 1)
            {
                still.Add(action);
                continue;
            }
            var since = after.Count - 1;
            while (since > seenGone + 1 && Granted(after[since - 1], action)) { since--; }
            regrown.Add(new RegrownPermission(action, after[since].SnapshotId, after[since].TakenAt));
        }
        var appliedAt = after.FirstOrDefault(o => reduction.Removed.All(a => !Granted(o, a)))?.TakenAt;
        var state = !latest.IdentityPresent ? ReductionState.IdentityGone
            : regrown.Count > 0 ? ReductionState.Regrown
            : still.Count == 0 ? ReductionState.Applied
            : ReductionState.Pending;
        var overdue = state == ReductionState.Pending && latest.TakenAt > reduction.DeliveredAt + grace;
        return new ReductionStatus(reduction, state, still.ToImmutable(), regrown.ToImmutable(), latest, appliedAt, after.Count, overdue);
    }

    public static string Name(ReductionState state) => state switch
    {
        ReductionState.Pending => "pending",
        ReductionState.Applied => "applied",
        ReductionState.Regrown => "regrown",
        _ => "identity-gone",
    };
}
