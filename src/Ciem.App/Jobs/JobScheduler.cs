using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using Ciem.Storage;

namespace Ciem.App.Jobs;

/// <summary>How one run ended, as recorded (or why it did not start).</summary>
/// <param name="RunId">the run record; 0 when the job did not start.</param>
/// <param name="Outcome">`succeeded`, `failed`, `cancelled`, `lost-lease`, or `busy` (another holder has the lease).</param>
public sealed record JobRunOutcome(string Job, long RunId, DateTimeOffset? Due, string Outcome, string Summary, int Diagnostics);

/// <summary>
/// Runs the configured jobs on their schedules, one run of a job at a time across every scheduler on the store's
/// database (<see cref="IJobStore"/>: a lease claimed atomically, renewed while the job runs, and taken over by another
/// scheduler once it expires). Every run is recorded with its outcome. Host-agnostic: the web server runs
/// <see cref="RunAsync"/> in a hosted service, `ciem jobs run` calls <see cref="RunNowAsync"/>.
/// <para>
/// When a job is due: the latest occurrence after the last one that ran (or, for a job that never ran, after this
/// scheduler started) and not after now. Occurrences missed while no scheduler ran collapse into that one.
/// </para>
/// </summary>
public sealed class JobScheduler
{
    /// <summary>The longest the loop sleeps: a lease left by a stopped scheduler is noticed within this time.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    private readonly JobsConfig _config;
    private readonly JobHandlers _handlers;
    private readonly Func<ICiemStore> _openStore;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly ConcurrentDictionary<string, Task<JobRunOutcome>> _running = new(StringComparer.Ordinal);
    private readonly Action<JobRunOutcome>? _finished;

    /// <param name="openStore">opens a new connection to the store (the scheduler and each run use their own).</param>
    /// <param name="host">names this scheduler on leases and runs; default `{machine}:{process id}`.</param>
    /// <param name="finished">called after each run ends (the host logs it); never with a secret.</param>
    public JobScheduler(JobsConfig config, JobHandlers handlers, Func<ICiemStore> openStore, TimeProvider time, string? host = null,
        Action<JobRunOutcome>? finished = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(openStore);
        ArgumentNullException.ThrowIfNull(time);
        foreach (var job in config.Jobs.Where(j => handlers.Find(j.Kind) is null))
        {
            throw new ArgumentException($"job `{job.Name}` has kind `{job.Kind}`, which has no handler", nameof(handlers));
        }
        _config = config;
        _handlers = handlers;
        _openStore = openStore;
        _time = time;
        _started = time.GetUtcNow();
        _finished = finished;
        Host = host ?? $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
    }

    public string Host { get; }

    /// <summary>
    /// Runs due jobs until <paramref name="cancellationToken"/> is cancelled, then cancels the runs in progress (they
    /// are recorded `cancelled` and their occurrence stays due) and returns once they have ended.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try { StartDue(cancellationToken); }
                catch (DbException)
                {
                    // The database is unreachable for now: the next pass tries again; runs are recorded once it is back.
                }
                await Task.Delay(Sleep(), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
    }

    /// <summary>One pass: starts every due job that is not already running here, and waits for the runs it started.</summary>
    public async Task<ImmutableArray<JobRunOutcome>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var started = StartDue(cancellationToken);
        var outcomes = await Task.WhenAll(started).ConfigureAwait(false);
        return [.. outcomes.Where(o => o.RunId != 0)];
    }

    /// <summary>
    /// Runs one job now, outside its schedule (`ciem jobs run`); its scheduled occurrences are unaffected. The outcome
    /// is `busy` when another holder has its lease. Throws <see cref="ArgumentException"/> for a job not configured.
    /// </summary>
    public Task<JobRunOutcome> RunNowAsync(string name, CancellationToken cancellationToken = default)
    {
        var job = _config.Find(name) ?? throw new ArgumentException($"no job `{name}` is configured", nameof(name));
        return RunAsync(job, null, cancellationToken);
    }

    /// <summary>When each job is next due as this scheduler sees it (null when its expression never fires again).</summary>
    public ImmutableArray<(JobDefinition Job, DateTimeOffset? Next)> Upcoming()
    {
        var now = _time.GetUtcNow();
        var last = LastDue();
        return [.. _config.Jobs.Select(j => (j, j.LatestDue(After(j, last), now) ?? j.NextAfter(now)))];
    }

    private List<Task<JobRunOutcome>> StartDue(CancellationToken cancellationToken)
    {
        var started = new List<Task<JobRunOutcome>>();
        if (_config.Jobs.IsEmpty) { return started; }
        var now = _time.GetUtcNow();
        var last = LastDue();
        foreach (var job in _config.Jobs)
        {
            if (job.LatestDue(After(job, last), now) is not { } due) { continue; }
            if (_running.ContainsKey(job.Name)) { continue; }
            var run = RunAsync(job, due, cancellationToken);
            if (!_running.TryAdd(job.Name, run)) { continue; }
            started.Add(run);
            _ = run.ContinueWith(_ => _running.TryRemove(job.Name, out Task<JobRunOutcome>? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return started;
    }

    private DateTimeOffset After(JobDefinition job, IReadOnlyDictionary<string, DateTimeOffset> last) =>
        last.TryGetValue(job.Name, out var at) ? at : _started;

    /// <summary>
    /// Per job, the time after which its occurrences are due: the last occurrence that ran to the end; for a job whose
    /// scheduled runs never did (cancelled, abandoned), just before the latest occurrence one of them was for.
    /// </summary>
    private Dictionary<string, DateTimeOffset> LastDue()
    {
        using var store = _openStore();
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var state in store.LoadJobStates())
        {
            if (state.LastDue is { } done) { result[state.Job] = done; }
            else if (store.LoadJobRuns(state.Job, 1) is [{ Due: { } pending }]) { result[state.Job] = pending.AddTicks(-1); }
        }
        return result;
    }

    private TimeSpan Sleep()
    {
        var now = _time.GetUtcNow();
        var next = _config.Jobs.Select(j => j.NextAfter(now)).Where(n => n is not null).Select(n => n!.Value).DefaultIfEmpty(now + MaxSleep).Min();
        var sleep = next - now;
        return sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
    }

    private async Task<JobRunOutcome> RunAsync(JobDefinition job, DateTimeOffset? due, CancellationToken cancellationToken)
    {
        // Runs start off the caller's thread: a handler that blocks never holds up the loop or the other jobs.
        await Task.Yield();
        var handler = _handlers.Find(job.Kind)!;
        using var store = _openStore();
        var now = _time.GetUtcNow();
        JobClaim? claim;
        try { claim = store.TryClaimJob(new JobClaimRequest(job.Name, job.Kind, Host, now, job.Lease, due)); }
        catch (DbException ex)
        {
            // Busy or unreachable (SQLite waits for a long import's write lock up to its timeout): the next pass tries again.
            return new JobRunOutcome(job.Name, 0, due, "unavailable", $"the store could not be reached to claim the job: {ex.Message}", 0);
        }
        if (claim is null) { return new JobRunOutcome(job.Name, 0, due, "busy", "another holder has the job's lease, or the occurrence already ran", 0); }
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lost = false;
        using var renewing = new CancellationTokenSource();
        var renewal = RenewAsync(store, claim, job.Lease, () => { lost = true; run.Cancel(); }, renewing.Token);
        JobResult result;
        string outcome;
        try
        {
            result = await handler.RunAsync(new JobContext(job, _openStore, _time, now, due, claim.Cursor, Host), run.Token).ConfigureAwait(false);
            outcome = result.Succeeded ? "succeeded" : "failed";
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            outcome = lost ? "lost-lease" : "cancelled";
            result = JobResult.Failure(lost ? "the lease passed to another holder: the run was stopped" : "the host stopped: the run was cancelled");
        }
#pragma warning disable CA1031 // A handler's failure of any kind is recorded as the run's outcome; the scheduler keeps running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = "failed";
            result = JobResult.Failure($"{ex.GetType().Name}: {ex.Message}");
        }
        await renewing.CancelAsync().ConfigureAwait(false);
        await renewal.ConfigureAwait(false);
        store.FinishJob(claim, new JobRunEnd(_time.GetUtcNow(), outcome, result.Summary, result.Diagnostics, outcome == "succeeded" ? result.Cursor : null));
        var ended = new JobRunOutcome(job.Name, claim.RunId, due, outcome, result.Summary, result.Diagnostics);
        _finished?.Invoke(ended);
        return ended;
    }

    /// <summary>Renews the lease every third of its length while the run lasts; calls <paramref name="lost"/> when it has passed to another.</summary>
    private async Task RenewAsync(ICiemStore store, JobClaim claim, TimeSpan lease, Action lost, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, _time, cancellationToken).ConfigureAwait(false);
                bool held;
                try { held = store.RenewJobLease(claim, _time.GetUtcNow() + lease); }
                catch (DbException)
                {
                    // The database is unreachable for now: nobody else can claim either; try again next time.
                    continue;
                }
                if (!held)
                {
                    lost();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run has ended.
        }
    }
}
