using System.Collections.Concurrent;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>The background jobs' leases and run records: one holder at a time, across connections.</summary>
public abstract partial class CiemStoreContractTests
{
    private static readonly DateTimeOffset JobNoon = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan JobLease = TimeSpan.FromMinutes(5);

    private static JobClaimRequest Claim(string host, DateTimeOffset now, DateTimeOffset? due, string job = "nightly") =>
        new(job, "sweep", host, now, JobLease, due);

    [StoreFact]
    public void TryClaimJob_HeldThenFinished_OneRunPerOccurrence()
    {
        // Given a store and the noon occurrence of a job, claimed by host `a`
        using var store = OpenStore();
        var claim = store.TryClaimJob(Claim("a", JobNoon, JobNoon));
        Assert.NotNull(claim);

        // When host `b` claims the same occurrence while `a` holds it, and again after `a` finished
        var whileHeld = store.TryClaimJob(Claim("b", JobNoon.AddSeconds(1), JobNoon));
        Assert.True(store.FinishJob(claim, new JobRunEnd(JobNoon.AddMinutes(1), "succeeded", "3 files imported", 2, null)));
        var afterDone = store.TryClaimJob(Claim("b", JobNoon.AddMinutes(2), JobNoon));
        var nextOccurrence = store.TryClaimJob(Claim("b", JobNoon.AddHours(1), JobNoon.AddHours(1)));

        // Then `b` gets neither the held nor the finished occurrence, but gets the next one; the run is recorded whole
        Assert.Null(whileHeld);
        Assert.Null(afterDone);
        Assert.NotNull(nextOccurrence);
        Assert.Equal(0, nextOccurrence.Abandoned);
        var runs = store.LoadJobRuns("nightly");
        Assert.Equal(2, runs.Length);
        Assert.Equal(new JobRunRecord(claim.RunId, "nightly", "sweep", "schedule", "a", JobNoon, JobNoon, JobNoon.AddMinutes(1),
            "succeeded", "3 files imported", 2), runs[1]);
        Assert.Equal("running", runs[0].Outcome);
        Assert.Null(runs[0].FinishedAt);
        var state = Assert.Single(store.LoadJobStates());
        Assert.Equal(("nightly", "b", JobNoon), (state.Job, state.Holder, state.LastDue));
    }

    [StoreFact]
    public void TryClaimJob_HolderStoppedLeaseExpired_NextHolderTakesOverAndMarksAbandoned()
    {
        // Given host `a` holding the noon occurrence, which stops without finishing
        using var first = OpenStore();
        using var second = OpenStore();
        var stopped = first.TryClaimJob(Claim("a", JobNoon, JobNoon))!;

        // When host `b` claims just before the lease expires, then just after
        var early = second.TryClaimJob(Claim("b", JobNoon + JobLease - TimeSpan.FromMilliseconds(1), JobNoon));
        var late = second.TryClaimJob(Claim("b", JobNoon + JobLease, JobNoon));

        // Then only the late claim succeeds, `a`'s run is abandoned, and `a` can neither renew nor release `b`'s lease
        Assert.Null(early);
        Assert.NotNull(late);
        Assert.Equal(1, late.Abandoned);
        Assert.Equal("abandoned", second.LoadJobRuns("nightly").Single(r => r.Id == stopped.RunId).Outcome);
        Assert.False(first.RenewJobLease(stopped, JobNoon.AddHours(1)));
        Assert.False(first.FinishJob(stopped, new JobRunEnd(JobNoon.AddMinutes(6), "succeeded", "late", 0, null)));
        Assert.Equal("b", Assert.Single(second.LoadJobStates()).Holder);
        Assert.True(second.RenewJobLease(late, JobNoon.AddHours(1)));
        Assert.Null(first.TryClaimJob(Claim("c", JobNoon.AddMinutes(30), null)));
    }

    [StoreFact]
    public void FinishJob_Cancelled_OccurrenceStaysDueAndCursorKept()
    {
        // Given a run that saved a cursor, then a run of the next occurrence cancelled by its host's shutdown
        using var store = OpenStore();
        var first = store.TryClaimJob(Claim("a", JobNoon, JobNoon))!;
        store.FinishJob(first, new JobRunEnd(JobNoon.AddMinutes(1), "succeeded", "", 0, "{\"seen\":1}"));
        var cancelled = store.TryClaimJob(Claim("a", JobNoon.AddHours(1), JobNoon.AddHours(1)))!;
        Assert.Equal("{\"seen\":1}", cancelled.Cursor);
        Assert.True(store.FinishJob(cancelled, new JobRunEnd(JobNoon.AddHours(1).AddMinutes(1), "cancelled", "host stopping", 0, null)));

        // When another host claims that occurrence
        var retried = store.TryClaimJob(Claim("b", JobNoon.AddHours(1).AddMinutes(2), JobNoon.AddHours(1)));

        // Then it runs it, with the cursor of the last run that saved one
        Assert.NotNull(retried);
        Assert.Equal("{\"seen\":1}", retried.Cursor);
        Assert.Equal(JobNoon, store.LoadJobStates().Single().LastDue);
    }

    [StoreFact]
    public void TryClaimJob_ManualRun_IgnoresDoneOccurrenceButNotTheLease()
    {
        // Given a job whose noon occurrence ran
        using var store = OpenStore();
        var scheduled = store.TryClaimJob(Claim("a", JobNoon, JobNoon))!;
        store.FinishJob(scheduled, new JobRunEnd(JobNoon.AddMinutes(1), "failed", "boom", 1, null));

        // When it is run by hand, twice at once
        var manual = store.TryClaimJob(Claim("cli", JobNoon.AddMinutes(2), null));
        var twice = store.TryClaimJob(Claim("cli", JobNoon.AddMinutes(3), null));

        // Then the first runs (recorded as manual), the second waits for the lease; the failed occurrence stays done
        Assert.NotNull(manual);
        Assert.Null(twice);
        Assert.Equal("manual", store.LoadJobRuns()[0].Cause);
        store.FinishJob(manual, new JobRunEnd(JobNoon.AddMinutes(4), "succeeded", "", 0, null));
        Assert.Null(store.TryClaimJob(Claim("a", JobNoon.AddMinutes(5), JobNoon)));
        Assert.Equal(JobNoon, store.LoadJobStates().Single().LastDue);
        Assert.Equal(["failed", "succeeded"], store.LoadJobRuns().Select(r => r.Outcome).Reverse());
    }

    [StoreFact]
    public void TryClaimJob_TwoConnectionsAtOnce_ExactlyOneClaimPerOccurrence()
    {
        // Given two stores on one database
        using var first = OpenStore();
        using var second = OpenStore();
        var stores = new[] { first, second };
        for (var round = 0; round < 10; round++)
        {
            // When both claim the same occurrence at the same moment
            var due = JobNoon.AddHours(round);
            using var gate = new Barrier(2);
            var claims = new ConcurrentBag<JobClaim>();
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                gate.SignalAndWait();
                if (stores[i].TryClaimJob(Claim($"host-{i}", due, due)) is { } claim) { claims.Add(claim); }
            });

            // Then exactly one of them holds it
            var winner = Assert.Single(claims);
            first.FinishJob(winner, new JobRunEnd(due.AddMinutes(1), "succeeded", "", 0, null));
        }
        Assert.Equal(10, first.LoadJobRuns().Length);
    }

    [StoreFact]
    public void LoadJobRuns_Limit_NewestFirstPerJob()
    {
        // Given runs of two jobs
        using var store = OpenStore();
        for (var i = 0; i < 3; i++)
        {
            foreach (var job in new[] { "alerts", "nightly" })
            {
                var claim = store.TryClaimJob(Claim("a", JobNoon.AddHours(i), JobNoon.AddHours(i), job))!;
                store.FinishJob(claim, new JobRunEnd(JobNoon.AddHours(i).AddMinutes(1), "succeeded", $"{job} {i}", i, null));
            }
        }

        // When the latest two of one job are loaded
        var runs = store.LoadJobRuns("alerts", limit: 2);

        // Then they are that job's, newest first
        Assert.Equal(["alerts 2", "alerts 1"], runs.Select(r => r.Summary));
        Assert.Equal(6, store.LoadJobRuns().Length);
        Assert.Equal(["alerts", "nightly"], store.LoadJobStates().Select(s => s.Job));
    }
}
