using System.Collections.Immutable;
using System.Globalization;
using Ciem.Storage;

namespace Ciem.App.Jobs;

/// <summary>A configured job as `ciem jobs list` shows it: when it is next due, how its last run ended, who runs it now.</summary>
public sealed record JobListingRow(string Job, string Kind, string Schedule, string TimeZone, string? NextDue, string? LastRun,
    string? Outcome, string? RunningOn);

/// <summary>The configured jobs with their state in the store, and the recorded runs, as every host lists them.</summary>
public static class JobListing
{
    /// <summary>
    /// Each job of <paramref name="scheduler"/>: its next due time, its last recorded run and, while its lease is held
    /// at <paramref name="now"/>, the holder.
    /// </summary>
    public static ImmutableArray<JobListingRow> List(JobScheduler scheduler, IJobStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(store);
        var states = store.LoadJobStates().ToDictionary(s => s.Job, StringComparer.Ordinal);
        return [.. scheduler.Upcoming().Select(u =>
        {
            var last = store.LoadJobRuns(u.Job.Name, 1).FirstOrDefault();
            var state = states.GetValueOrDefault(u.Job.Name);
            var holder = state?.LeaseUntil > now ? state.Holder : null;
            return new JobListingRow(u.Job.Name, u.Job.Kind, u.Job.ScheduleText, u.Job.TimeZone.Id, Stamp(u.Next), Stamp(last?.StartedAt),
                last?.Outcome, holder);
        })];
    }

    /// <summary>The `jobs-run` document: the job, its run's id (null when none was recorded), outcome, summary, diagnostics.</summary>
    public static object RunJson(JobRunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new
        {
            job = outcome.Job, run = outcome.RunId == 0 ? (long?)null : outcome.RunId, outcome = outcome.Outcome,
            summary = outcome.Summary,
            diagnostics = outcome.Diagnostics,
        };
    }

    /// <summary>The runs as `jobs-history` documents them (docs/schemas).</summary>
    public static object HistoryJson(IEnumerable<JobRunRecord> runs) => new
    {
        runs = runs.Select(r => new
        {
            id = r.Id, job = r.Job, kind = r.Kind, cause = r.Cause, host = r.Host, due = Stamp(r.Due), started = Stamp(r.StartedAt),
            finished = Stamp(r.FinishedAt), outcome = r.Outcome, summary = r.Summary, diagnostics = r.Diagnostics,
        }),
    };

    /// <summary>A time as the listings write it: UTC to the second, `2026-11-01 06:00:00Z`.</summary>
    public static string? Stamp(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
