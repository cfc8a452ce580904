using System.Collections.Immutable;
using Ciem.Core.LeastPrivilege;
using Xunit;

namespace Ciem.Core.Tests.Aws.LeastPrivilege;

public sealed class ReductionTrackerTests
{
    private static readonly DateTimeOffset Delivered = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromDays(14);

    private static readonly DeliveredReduction Reduction = new(1, "aws", "arn:aws:iam::333333333333:role/etl", "333333333333", "etl",
        ["dynamodb:DeleteTable", "s3:DeleteBucket", "s3:PutBucketPolicy"], 40, 12, Delivered, "branch", "ciem/lp", "abc123", ["iam.tf"], null);

    private static ReductionObservation At(long id, int day, params string[] stillGranted) =>
        new(id, new DateTimeOffset(2026, 11, day, 12, 0, 0, TimeSpan.Zero), true, [.. stillGranted], 12 + stillGranted.Length);

    private static ReductionObservation Gone(long id, int day) => new(id, new DateTimeOffset(2026, 11, day, 12, 0, 0, TimeSpan.Zero), false, [], 0);

    [Fact]
    public void Evaluate_OnlySnapshotsBeforeDelivery_IsPendingWithoutObservations()
    {
        // Given snapshots taken before the delivery, still granting everything
        var history = new[] { At(1, 1, [.. Reduction.Removed]), At(2, 9, [.. Reduction.Removed]) };

        // When the reduction is evaluated
        var status = ReductionTracker.Evaluate(Reduction, history, Grace);

        // Then it is pending, nothing was observed since the delivery, and it is not overdue
        Assert.Equal(ReductionState.Pending, status.State);
        Assert.Equal(0, status.Observations);
        Assert.Null(status.Latest);
        Assert.False(status.Overdue);
        Assert.Equal(Reduction.Removed.ToArray(), status.StillGranted.ToArray());
    }

    [Fact]
    public void Evaluate_StillGrantedLongAfterDelivery_IsPendingAndOverdue()
    {
        // Given snapshots after the delivery that still grant two of the three, the last one beyond the grace period
        var history = new[] { At(3, 12, "s3:DeleteBucket", "s3:PutBucketPolicy"), At(4, 28, "s3:DeleteBucket", "s3:PutBucketPolicy") };

        // When the reduction is evaluated
        var status = ReductionTracker.Evaluate(Reduction, history, Grace);

        // Then it is pending (never seen gone is never regrown) and overdue
        Assert.Equal(ReductionState.Pending, status.State);
        Assert.Equal(["s3:DeleteBucket", "s3:PutBucketPolicy"], status.StillGranted.ToArray());
        Assert.Empty(status.Regrown);
        Assert.True(status.Overdue);
        Assert.Null(status.AppliedAt);
    }

    [Fact]
    public void Evaluate_AllGoneAfterDelivery_IsAppliedSinceThatSnapshot()
    {
        // Given a snapshot after the delivery still granting one, then one granting none
        var history = new[] { At(1, 1, [.. Reduction.Removed]), At(3, 12, "s3:DeleteBucket"), At(4, 15) };

        // When the reduction is evaluated
        var status = ReductionTracker.Evaluate(Reduction, history, Grace);

        // Then it is applied at the second snapshot after the delivery
        Assert.Equal(ReductionState.Applied, status.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero), status.AppliedAt);
        Assert.Equal(2, status.Observations);
        Assert.Empty(status.StillGranted);
    }

    [Fact]
    public void Evaluate_GoneThenBack_IsRegrownSinceTheFirstSnapshotOfTheLastRun()
    {
        // Given: applied on the 15th, back on the 18th, gone on the 20th, back again on the 22nd and still on the 25th
        var history = new[] { At(4, 15), At(5, 18, "s3:DeleteBucket"), At(6, 20), At(7, 22, "s3:DeleteBucket"), At(8, 25, "s3:DeleteBucket", "dynamodb:DeleteTable") };

        // When the reduction is evaluated
        var status = ReductionTracker.Evaluate(Reduction, history, Grace);

        // Then both are regrown, each since the start of its current run
        Assert.Equal(ReductionState.Regrown, status.State);
        Assert.Equal([new RegrownPermission("dynamodb:DeleteTable", 8, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)),
            new RegrownPermission("s3:DeleteBucket", 7, new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero))], status.Regrown.ToArray());
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero), status.AppliedAt);
    }

    [Fact]
    public void Evaluate_PartlyAppliedThenOneBack_RegrownAndPendingApart()
    {
        // Given s3:PutBucketPolicy never removed, s3:DeleteBucket removed on the 12th and back on the 20th
        var history = new[] { At(3, 12, "s3:PutBucketPolicy"), At(4, 20, "s3:PutBucketPolicy", "s3:DeleteBucket") };

        // When the reduction is evaluated
        var status = ReductionTracker.Evaluate(Reduction, history, Grace);

        // Then the state is regrown, with the never-applied one listed as still granted
        Assert.Equal(ReductionState.Regrown, status.State);
        Assert.Equal("s3:DeleteBucket", Assert.Single(status.Regrown).Action);
        Assert.Equal(["s3:PutBucketPolicy"], status.StillGranted.ToArray());
        Assert.Null(status.AppliedAt);
    }

    [Fact]
    public void Evaluate_IdentityMissingFromLatest_IsIdentityGone()
    {
        // Given the role applied, then deleted
        var history = new[] { At(3, 12), Gone(4, 20) };

        // When the reduction is evaluated / Then the identity is gone
        Assert.Equal(ReductionState.IdentityGone, ReductionTracker.Evaluate(Reduction, history, Grace).State);
    }

    [Fact]
    public void Evaluate_RecreatedWithThePermissions_IsRegrown()
    {
        // Given the role deleted after the delivery, then recreated with a removed permission
        var history = new[] { Gone(3, 12), At(4, 20, "s3:DeleteBucket") };

        // When the reduction is evaluated
        var status = ReductionTracker.Evaluate(Reduction, history, Grace);

        // Then the permission came back
        Assert.Equal(ReductionState.Regrown, status.State);
        Assert.Equal(new RegrownPermission("s3:DeleteBucket", 4, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)), Assert.Single(status.Regrown));
    }

    [Fact]
    public void Evaluate_HistoryOutOfOrder_OrdersByTakenTime()
    {
        // Given the same history as the regrown case, listed newest first
        ImmutableArray<ReductionObservation> history = [At(5, 18, "s3:DeleteBucket"), At(4, 15)];

        // When the reduction is evaluated / Then order does not matter
        Assert.Equal(ReductionState.Regrown, ReductionTracker.Evaluate(Reduction, history, Grace).State);
    }
}
