using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace Ciem.Storage;

/// <summary>
/// The background jobs' leases (`job_state`, one row per job) and run records (`job_run`). The claim is one
/// conditional UPDATE of the job's row in a transaction: the database's row lock makes two claimers queue, and the
/// second one re-reads the row the first one committed, finds its lease unexpired (or the occurrence done) and
/// updates nothing.
/// </summary>
public abstract partial class RelationalStore
{
    private const string RunColumns = "id, job, kind, cause, host, due, started_at, finished_at, outcome, summary, diagnostics";

    /// <summary>
    /// The transaction a claim, a renewal or a finish runs in: SQLite's write transaction, while PostgreSQL relies on
    /// the row lock alone so that a claim never waits for a long import holding the writers' lock.
    /// </summary>
    private protected virtual DbTransaction BeginJobTransaction(DbConnection connection) =>
        BeginWriteTransaction(connection);

    public JobClaim? TryClaimJob(JobClaimRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Job);
        if (request.Lease <= TimeSpan.Zero) { throw new ArgumentOutOfRangeException(nameof(request), "the lease must be positive"); }
        var now = request.Now.ToUnixTimeMilliseconds();
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var write = new WriteScope(this, BeginJobTransaction(_connection));
        var transaction = write.Transaction;
        using (var ensure = Command(transaction,
            "INSERT INTO job_state (job, lease_until_ms) VALUES (@j, 0) ON CONFLICT (job) DO NOTHING", ("@j", request.Job)))
        {
            ensure.ExecuteNonQuery();
        }
        // Only parameters the statement names are sent (PostgreSQL cannot type an unused null).
        List<(string, object?)> values =
            [("@h", request.Host), ("@t", token), ("@until", (request.Now + request.Lease).ToUnixTimeMilliseconds()),
                ("@j", request.Job), ("@now", now)];
        var occurrence = "";
        if (request.Due is { } due)
        {
            occurrence = " AND (last_due_ms IS NULL OR last_due_ms < @due)";
            values.Add(("@due", due.ToUnixTimeMilliseconds()));
        }
        using (var claim = Command(transaction,
            $"UPDATE job_state SET holder = @h, lease_token = @t, lease_until_ms = @until WHERE job = @j AND "
                + $"lease_until_ms <= @now{occurrence}",
            [.. values]))
        {
            if (claim.ExecuteNonQuery() == 0) { return null; }
        }
        int abandoned;
        using (var stale = Command(transaction, """
            UPDATE job_run SET outcome = 'abandoned', finished_at = @f,
                summary = 'its holder stopped before finishing (the lease expired)'
            WHERE job = @j AND finished_at IS NULL
            """, ("@f", FormatDate(request.Now)), ("@j", request.Job)))
        {
            abandoned = stale.ExecuteNonQuery();
        }
        string? cursor;
        using (var read = Command(transaction, "SELECT cursor FROM job_state WHERE job = @j", ("@j", request.Job)))
        {
            cursor = read.ExecuteScalar() as string;
        }
        long runId;
        using (var open = Command(transaction, """
            INSERT INTO job_run (job, kind, cause, host, due, started_at, started_ms, outcome, summary, diagnostics)
            VALUES (@j, @k, @c, @h, @d, @s, @sms, 'running', '', 0) RETURNING id
            """,
            ("@j", request.Job), ("@k", request.Kind), ("@c", request.Due is null ? "manual" : "schedule"), ("@h", request.Host),
            ("@d", FormatDate(request.Due)), ("@s", FormatDate(request.Now)), ("@sms", now)))
        {
            runId = Convert.ToInt64(open.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        write.Commit();
        return new JobClaim(request.Job, runId, token, request.Due, cursor, abandoned);
    }

    public bool RenewJobLease(JobClaim claim, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(claim);
        using var write = new WriteScope(this, BeginJobTransaction(_connection));
        using var renew = Command(write.Transaction, "UPDATE job_state SET lease_until_ms = @u WHERE job = @j AND lease_token = @t",
            ("@u", until.ToUnixTimeMilliseconds()), ("@j", claim.Job), ("@t", claim.LeaseToken));
        var held = renew.ExecuteNonQuery() == 1;
        write.Commit();
        return held;
    }

    public bool FinishJob(JobClaim claim, JobRunEnd end)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(end);
        using var write = new WriteScope(this, BeginJobTransaction(_connection));
        var transaction = write.Transaction;
        using (var run = Command(transaction,
            "UPDATE job_run SET finished_at = @f, outcome = @o, summary = @s, diagnostics = @n WHERE id = @id",
            ("@f", FormatDate(end.FinishedAt)), ("@o", end.Outcome), ("@s", end.Summary), ("@n", end.Diagnostics), ("@id", claim.RunId)))
        {
            run.ExecuteNonQuery();
        }
        // A run that ended on its own (succeeded or failed) used its occurrence up; a cancelled one leaves it due.
        List<(string, object?)> values = [("@j", claim.Job), ("@t", claim.LeaseToken)];
        var set = "holder = NULL, lease_token = NULL, lease_until_ms = 0";
        if (claim.Due is { } due && end.Outcome is "succeeded" or "failed")
        {
            set += ", last_due = @d, last_due_ms = @dms";
            values.Add(("@d", FormatDate(due)));
            values.Add(("@dms", due.ToUnixTimeMilliseconds()));
        }
        if (end.Cursor is { } cursor)
        {
            set += ", cursor = @c";
            values.Add(("@c", cursor));
        }
        using var release = Command(transaction, $"UPDATE job_state SET {set} WHERE job = @j AND lease_token = @t", [.. values]);
        var held = release.ExecuteNonQuery() == 1;
        write.Commit();
        return held;
    }

    public ImmutableArray<JobRunRecord> LoadJobRuns(string? job = null, int limit = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var command = job is null
            ? Command(null, $"SELECT {RunColumns} FROM job_run ORDER BY started_ms DESC, id DESC LIMIT @limit", ("@limit", (long)limit))
            : Command(null, $"SELECT {RunColumns} FROM job_run WHERE job = @j ORDER BY started_ms DESC, id DESC LIMIT @limit",
                ("@j", job), ("@limit", (long)limit));
        using var r = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<JobRunRecord>();
        while (r.Read())
        {
            result.Add(new JobRunRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Date(r, 5),
                ParseDate(r.GetString(6)), Date(r, 7), r.GetString(8), r.GetString(9), Int(r, 10)));
        }
        return result.ToImmutable();
    }

    public ImmutableArray<JobStateRecord> LoadJobStates()
    {
        using var command = Command(null, "SELECT job, holder, lease_until_ms, last_due FROM job_state ORDER BY job");
        using var r = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<JobStateRecord>();
        while (r.Read())
        {
            var until = r.GetInt64(2);
            result.Add(new JobStateRecord(r.GetString(0), Text(r, 1), until == 0 ? null
                : DateTimeOffset.FromUnixTimeMilliseconds(until), Date(r, 3)));
        }
        return result.ToImmutable();
    }
}
