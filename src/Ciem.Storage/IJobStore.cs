using System.Collections.Immutable;

namespace Ciem.Storage;

/// <param name="Job">the job's name, unique in the configuration.</param>
/// <param name="Kind">what the job does (recorded on the run).</param>
/// <param name="Host">who runs it (host name and process id), recorded on the lease and the run.</param>
/// <param name="Now">the claimer's clock.</param>
/// <param name="Lease">how long the lease lasts unless renewed; another claimer takes over once it has expired.</param>
/// <param name="Due">the scheduled occurrence this run is for; null for a run asked for by hand.</param>
public sealed record JobClaimRequest(string Job, string Kind, string Host, DateTimeOffset Now, TimeSpan Lease, DateTimeOffset? Due);

/// <param name="RunId">the run record opened by the claim (outcome `running`).</param>
/// <param name="LeaseToken">names this holder's lease: renewing and finishing need it.</param>
/// <param name="Cursor">what the job's last successful run left for the next one (e.g. the files already imported).</param>
/// <param name="Abandoned">runs of the job that never finished (their holder stopped) and are now marked `abandoned`.</param>
public sealed record JobClaim(string Job, long RunId, string LeaseToken, DateTimeOffset? Due, string? Cursor, int Abandoned);

/// <param name="Outcome">`succeeded`, `failed`, `cancelled` or `lost-lease`.</param>
/// <param name="Cursor">the cursor to keep for the next run; null keeps the current one.</param>
public sealed record JobRunEnd(DateTimeOffset FinishedAt, string Outcome, string Summary, int Diagnostics, string? Cursor);

/// <summary>One run of a job as recorded.</summary>
public sealed record JobRunRecord(
    long Id, string Job, string Kind, string Cause, string Host, DateTimeOffset? Due, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, string Outcome, string Summary, int Diagnostics);

/// <summary>A job's lease (who holds it, until when) and the last scheduled occurrence that ran to the end.</summary>
public sealed record JobStateRecord(string Job, string? Holder, DateTimeOffset? LeaseUntil, DateTimeOffset? LastDue);

/// <summary>
/// Leases and run records of the background jobs (docs/jobs.md). A job runs only under its lease, and the claim is
/// one atomic step in the database, so that two schedulers — two threads, two processes, two servers on one
/// database — never run a job at once: the lease is taken only when no unexpired one exists and, for a scheduled
/// run, only when the occurrence is later than the last one that ran. A holder that stops without finishing leaves
/// its lease to expire; the next claimer marks its run `abandoned` and runs the job.
/// </summary>
public interface IJobStore
{
    /// <summary>Takes the job's lease and opens its run record; null when another holds an unexpired lease or the occurrence
    /// already ran.</summary>
    JobClaim? TryClaimJob(JobClaimRequest request);

    /// <summary>Extends the lease to <paramref name="until"/>; false when the lease is no longer this claim's.</summary>
    bool RenewJobLease(JobClaim claim, DateTimeOffset until);

    /// <summary>
    /// Records the run's end and releases the lease; a scheduled run that succeeded or failed marks its occurrence as
    /// done (it is not run again). False when the lease had already passed to another holder (the run is still recorded).
    /// </summary>
    bool FinishJob(JobClaim claim, JobRunEnd end);

    /// <summary>The latest runs (of one job, or of all), newest first.</summary>
    ImmutableArray<JobRunRecord> LoadJobRuns(string? job = null, int limit = 100);

    /// <summary>Every job the store has seen claimed, by name.</summary>
    ImmutableArray<JobStateRecord> LoadJobStates();
}
