using System.Collections.Immutable;
using Ciem.Storage;
using Cronos;

namespace Ciem.App.Jobs;

/// <summary>
/// One job of the `jobs:` section (docs/jobs.md): what it does (<see cref="Kind"/>, run by the host's handler of that
/// kind with <see cref="Settings"/>), when (a cron expression in a time zone), and how long its lease lasts between
/// renewals. <see cref="Line"/> is where the configuration defines it.
/// </summary>
public sealed record JobDefinition(
    string Name,
    string Kind,
    string ScheduleText,
    CronExpression Schedule,
    TimeZoneInfo TimeZone,
    TimeSpan Lease,
    ImmutableSortedDictionary<string, string> Settings,
    int Line)
{
    /// <summary>The lease a job holds unless its configuration says otherwise; renewed every third of it while it runs.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    /// <summary>The next occurrence strictly after <paramref name="after"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => Schedule.GetNextOccurrence(after, TimeZone);

    /// <summary>
    /// The latest occurrence in (<paramref name="after"/>, <paramref name="now"/>]: the one to run now. Several missed
    /// occurrences (the host was down) collapse into this one, so that a job runs once after downtime, not once per
    /// missed occurrence.
    /// </summary>
    public DateTimeOffset? LatestDue(DateTimeOffset after, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        var next = NextAfter(after);
        while (next is { } at && at <= now)
        {
            latest = at;
            next = NextAfter(at);
        }
        return latest;
    }

    /// <summary>A setting the job's kind declares (null when optional and absent).</summary>
    public string? Setting(string name) => Settings.GetValueOrDefault(name);
}

/// <summary>The jobs a host runs; empty when the configuration has no `jobs:` section.</summary>
public sealed record JobsConfig(ImmutableArray<JobDefinition> Jobs)
{
    public static readonly JobsConfig Empty = new([]);

    public JobDefinition? Find(string name) => Jobs.FirstOrDefault(j => j.Name == name);
}

/// <param name="Name">the key under the job (e.g. `folder`).</param>
/// <param name="Required">whether a job of this kind must set it.</param>
/// <param name="IsPath">a path: made absolute against the configuration file's folder.</param>
/// <param name="Description">one line for the documentation and the error naming the keys.</param>
/// <param name="Allowed">the values it may take; any when empty.</param>
public sealed record JobSetting(string Name, bool Required, bool IsPath, string Description, params string[] Allowed);

/// <summary>What a run did: whether it succeeded, one line for the run record, how many diagnostics, and the cursor to keep.</summary>
/// <param name="Cursor">what the next run needs to know (e.g. the files already imported); null keeps the previous one.</param>
public sealed record JobResult(bool Succeeded, string Summary, int Diagnostics = 0, string? Cursor = null)
{
    public static JobResult Success(string summary, int diagnostics = 0, string? cursor = null) => new(true, summary, diagnostics, cursor);

    public static JobResult Failure(string summary, int diagnostics = 0) => new(false, summary, diagnostics);
}

/// <summary>Everything a handler gets for one run.</summary>
/// <param name="OpenStore">opens the store the scheduler runs on (a new connection; the handler disposes it).</param>
/// <param name="Now">when the run started (the scheduler's clock).</param>
/// <param name="Due">the scheduled occurrence, or null when run by hand.</param>
/// <param name="Cursor">what the job's previous run left (see <see cref="JobResult.Cursor"/>).</param>
public sealed record JobContext(
    JobDefinition Job, Func<ICiemStore> OpenStore, TimeProvider Time, DateTimeOffset Now, DateTimeOffset? Due, string? Cursor, string Host);

/// <summary>
/// Runs the jobs of one kind. A host registers one handler per kind it can run (<see cref="JobHandlers"/>); the
/// configuration reader checks each job's settings against <see cref="Settings"/>. A handler reports bad content and
/// failed work in its <see cref="JobResult"/>; an exception is recorded as a failed run with its message.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary>One line: what a job of this kind does (`ciem jobs list`).</summary>
    string Description { get; }

    IReadOnlyList<JobSetting> Settings { get; }

    Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>The handlers a host can run, by kind.</summary>
public sealed class JobHandlers
{
    private readonly ImmutableSortedDictionary<string, IJobHandler> _byKind;

    public JobHandlers(IEnumerable<IJobHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!builder.TryAdd(handler.Kind, handler))
            {
                throw new ArgumentException($"two handlers for job kind `{handler.Kind}`", nameof(handlers));
            }
        }
        _byKind = builder.ToImmutable();
    }

    public IEnumerable<string> Kinds => _byKind.Keys;

    public IJobHandler? Find(string kind) => _byKind.GetValueOrDefault(kind);
}
