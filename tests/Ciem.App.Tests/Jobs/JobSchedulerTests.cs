using System.Collections.Immutable;
using Ciem.App.Jobs;
using Ciem.Storage;
using Ciem.Tests;
using Microsoft.Extensions.Time.Testing;

namespace Ciem.App.Tests.Jobs;

/// <summary>The scheduler on a real store, one subclass per backend: schedules on a fake clock, one run at a time.</summary>
public abstract class JobSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 8, 30, 0, TimeSpan.Zero);
    private const string File = "/srv/ciem-server.yml";

    protected abstract ICiemStore OpenStore();

    /// <summary>A handler that counts its runs and how many ran at once, taking <paramref name="hold"/> of real time.</summary>
    private sealed class CountingHandler(TimeSpan hold) : IJobHandler
    {
        private int _running;
        private int _runs;
        private int _most;

        public int Runs => _runs;
        public int MostAtOnce => _most;
        public string Kind => "sweep";
        public string Description => "counts";
        public IReadOnlyList<JobSetting> Settings => [];

        public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _most, now);
            Interlocked.Increment(ref _runs);
            try { await Task.Delay(hold, CancellationToken.None); }
            finally { Interlocked.Decrement(ref _running); }
            return JobResult.Success($"run for {context.Due:O}", 1);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    private JobScheduler Scheduler(IJobHandler handler, TimeProvider time, string host, string schedule = "0 * * * *")
    {
        var handlers = new JobHandlers([handler]);
        var config = JobsConfigReader.Read($"jobs:\n  - {{name: hourly, kind: sweep, schedule: '{schedule}', lease-minutes: 5}}\n", File, handlers);
        Assert.Empty(config.Diagnostics);
        return new JobScheduler(config.Config, handlers, OpenStore, time, host);
    }

    [StoreFact]
    public async Task RunDueAsync_FakeClock_RunsAtEachOccurrenceOnly()
    {
        // Given an hourly job and a scheduler started at 08:30
        var time = new FakeTimeProvider(Start);
        var handler = new CountingHandler(TimeSpan.Zero);
        var scheduler = Scheduler(handler, time, "a");

        // When passes run at 08:59, 09:00, 09:30 and 10:00
        var before = await scheduler.RunDueAsync();
        time.SetUtcNow(Start.AddMinutes(30));
        var nine = await scheduler.RunDueAsync();
        time.SetUtcNow(Start.AddHours(1));
        var again = await scheduler.RunDueAsync();
        time.SetUtcNow(Start.AddHours(1.5));
        var ten = await scheduler.RunDueAsync();

        // Then the job ran at 09:00 and 10:00, once each, recorded with its occurrence
        Assert.Empty(before);
        Assert.Equal(Start.AddMinutes(30), Assert.Single(nine).Due);
        Assert.Empty(again);
        Assert.Equal(Start.AddHours(1.5), Assert.Single(ten).Due);
        Assert.Equal(2, handler.Runs);
        using var store = OpenStore();
        Assert.Equal([("succeeded", Start.AddHours(1.5)), ("succeeded", Start.AddMinutes(30))],
            store.LoadJobRuns("hourly").Select(r => (r.Outcome, r.Due!.Value)));
    }

    [StoreFact]
    public async Task RunDueAsync_HostDownThreeHours_MissedOccurrencesRunOnce()
    {
        // Given an hourly job that ran at 09:00
        var time = new FakeTimeProvider(Start);
        var handler = new CountingHandler(TimeSpan.Zero);
        var first = Scheduler(handler, time, "a");
        time.SetUtcNow(Start.AddMinutes(30));
        Assert.Single(await first.RunDueAsync());

        // When a new scheduler starts at 12:10, after the 10:00, 11:00 and 12:00 occurrences were missed
        time.SetUtcNow(Start.AddHours(3).AddMinutes(40));
        var outcomes = await Scheduler(handler, time, "b").RunDueAsync();

        // Then it runs the job once, for 12:00
        Assert.Equal(Start.AddHours(3).AddMinutes(30), Assert.Single(outcomes).Due);
        Assert.Equal(2, handler.Runs);
    }

    [StoreFact]
    public async Task RunDueAsync_TwoSchedulersOnTwoThreads_DueJobRunsExactlyOnce()
    {
        // Given two schedulers, each with its own connections to one database, and a job that takes a while
        var time = new FakeTimeProvider(Start);
        var handler = new CountingHandler(TimeSpan.FromMilliseconds(200));
        var first = Scheduler(handler, time, "a");
        var second = Scheduler(handler, time, "b");

        for (var hour = 1; hour <= 5; hour++)
        {
            // When both run a pass at the same moment on two threads, hour after hour
            time.SetUtcNow(Start.AddHours(hour));
            using var gate = new Barrier(2);
            var passes = new[] { first, second }.Select(s => Task.Run(async () =>
            {
                gate.SignalAndWait();
                return await s.RunDueAsync();
            })).ToArray();
            var outcomes = (await Task.WhenAll(passes)).SelectMany(o => o).ToList();

            // Then exactly one of them ran it, and never two at once
            Assert.Single(outcomes, o => o.Outcome == "succeeded");
            Assert.Equal(hour, handler.Runs);
        }
        Assert.Equal(1, handler.MostAtOnce);
        using var store = OpenStore();
        Assert.Equal(5, store.LoadJobRuns("hourly").Length);
    }

    [StoreFact]
    public async Task RunDueAsync_HolderCrashedMidRun_AnotherTakesOverAfterTheLease()
    {
        // Given two servers since 08:30, one of which claimed the 09:00 occurrence and then stopped (its process died)
        var time = new FakeTimeProvider(Start);
        var handler = new CountingHandler(TimeSpan.Zero);
        var survivor = Scheduler(handler, time, "survivor");
        time.SetUtcNow(Start.AddMinutes(30));
        using (var crashed = OpenStore())
        {
            Assert.NotNull(crashed.TryClaimJob(new JobClaimRequest("hourly", "sweep", "crashed", Start.AddMinutes(30), TimeSpan.FromMinutes(5),
                Start.AddMinutes(30))));
        }

        // When the survivor runs a pass while the lease holds, then after it expired
        time.SetUtcNow(Start.AddMinutes(34));
        var whileHeld = await survivor.RunDueAsync();
        time.SetUtcNow(Start.AddMinutes(35));
        var afterExpiry = await survivor.RunDueAsync();

        // Then it waits, then runs the 09:00 occurrence, and the crashed run is recorded abandoned
        Assert.Empty(whileHeld);
        Assert.Equal(("succeeded", Start.AddMinutes(30)), (Assert.Single(afterExpiry).Outcome, afterExpiry[0].Due!.Value));
        using var store = OpenStore();
        Assert.Equal([("survivor", "succeeded"), ("crashed", "abandoned")], store.LoadJobRuns("hourly").Select(r => (r.Host, r.Outcome)));
    }

    [StoreFact]
    public async Task RunNowAsync_WhileScheduledRunHolds_BusyThenRuns()
    {
        // Given a scheduled run in progress on one scheduler, whose handler waits until released
        var time = new FakeTimeProvider(Start);
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var slow = new DelegateJobHandler("sweep", "waits", [], async (_, _) =>
        {
            started.TrySetResult();
            await release.Task;
            return JobResult.Success("done");
        });
        var server = Scheduler(slow, time, "server", "*/30 * * * *");
        time.SetUtcNow(Start.AddMinutes(30));
        var scheduled = server.RunDueAsync();
        await started.Task;

        // When the job is run by hand meanwhile, then after the scheduled run ended
        var busy = await Scheduler(slow, time, "cli").RunNowAsync("hourly");
        release.SetResult();
        await scheduled;
        var manual = await Scheduler(slow, time, "cli").RunNowAsync("hourly");

        // Then the first attempt is refused as busy, the second runs and is recorded as manual
        Assert.Equal(("busy", 0L), (busy.Outcome, busy.RunId));
        Assert.Equal("succeeded", manual.Outcome);
        using var store = OpenStore();
        Assert.Equal(["manual", "schedule"], store.LoadJobRuns("hourly").Select(r => r.Cause));
    }

    [StoreFact]
    public async Task RunDueAsync_HandlerThrowsOrFails_RecordedFailedAndOccurrenceDone()
    {
        // Given a job whose handler throws
        var time = new FakeTimeProvider(Start);
        var throwing = new DelegateJobHandler("sweep", "throws", [], (_, _) => throw new IOException("disk `/data` is full"));
        var scheduler = Scheduler(throwing, time, "a");
        time.SetUtcNow(Start.AddMinutes(30));

        // When it is due, then due again in the same hour
        var outcome = Assert.Single(await scheduler.RunDueAsync());
        var again = await scheduler.RunDueAsync();

        // Then the run is recorded failed with the message, and it is not retried until the next occurrence
        Assert.Equal(("failed", "IOException: disk `/data` is full"), (outcome.Outcome, outcome.Summary));
        Assert.Empty(again);
    }

    [StoreFact]
    public async Task RunAsync_HostStops_RunCancelledAndOccurrenceStaysDue()
    {
        // Given the server's loop running a job that waits for cancellation
        var time = new FakeTimeProvider(Start);
        var started = new TaskCompletionSource();
        var waiting = new DelegateJobHandler("sweep", "waits", [], async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return JobResult.Success("never");
        });
        using var stop = new CancellationTokenSource();
        var loop = Scheduler(waiting, time, "server").RunAsync(stop.Token);
        while (!started.Task.IsCompleted)
        {
            // The loop sleeps on the fake clock: move it to 09:00 (again, until the loop is asleep on it)
            time.SetUtcNow(Start.AddMinutes(30));
            await Task.WhenAny(started.Task, Task.Delay(50));
        }

        // When the host stops
        await stop.CancelAsync();
        await loop;

        // Then the run is recorded cancelled, and the next scheduler runs the same occurrence
        var handler = new CountingHandler(TimeSpan.Zero);
        var next = Assert.Single(await Scheduler(handler, time, "restarted").RunDueAsync());
        Assert.Equal(Start.AddMinutes(30), next.Due);
        using var store = OpenStore();
        Assert.Equal(["succeeded", "cancelled"], store.LoadJobRuns("hourly").Select(r => r.Outcome));
    }
}

public sealed class SqliteJobSchedulerTests : JobSchedulerTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-jobs-").FullName;

    protected override ICiemStore OpenStore() => SqliteStore.Open(Path.Combine(_folder, "ciem.db"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

[RequiresPostgres]
public sealed class PostgresJobSchedulerTests : JobSchedulerTests, IDisposable
{
    private readonly Lazy<TestDatabase> _database = new(PostgresTestServer.CreateDatabase);

    protected override ICiemStore OpenStore() => PostgresStore.Open(_database.Value.ConnectionString);

    public void Dispose()
    {
        if (_database.IsValueCreated) { _database.Value.Dispose(); }
    }
}
