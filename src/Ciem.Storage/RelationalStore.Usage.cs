using System.Collections.Immutable;
using System.Globalization;
using System.Data.Common;

namespace Ciem.Storage;

public abstract partial class RelationalStore
{
    private const string DayFormat = "yyyy-MM-dd";

    public long IngestUsage(UsageIngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var write = Writing();
        var transaction = write.Transaction;
        // The write lock is held from here: the check below and the write are one step for every writer.
        var already = AlreadyIngested(transaction, request);
        if (already.Length > 0) { throw new UsageAlreadyIngestedException(already); }
        long runId;
        using (var run = Command(transaction, """
            INSERT INTO ingest_run (provider, finished_at, files, files_skipped, events, usage_events, attempts, duplicates, no_action, unmapped, malformed)
            VALUES (@p, @f, @files, @skipped, @events, @usage, @attempts, @dups, @noaction, @unmapped, @malformed) RETURNING id
            """,
            ("@p", request.Provider), ("@f", FormatDate(request.FinishedAt)), ("@files", request.Counts.Files),
                ("@skipped", request.Counts.FilesSkipped),
            ("@events", request.Counts.Events), ("@usage", request.Counts.UsageEvents), ("@attempts", request.Counts.Attempts),
            ("@dups", request.Counts.Duplicates), ("@noaction", request.Counts.NoAction), ("@unmapped", request.Counts.Unmapped),
                ("@malformed", request.Counts.Malformed)))
        {
            runId = (long)run.ExecuteScalar()!;
        }
        using (var usage = Writer(transaction, Rollup("usage_daily", ["provider", "day", "identity", "action", "resource", "person"])))
        {
            foreach (var u in request.Usage)
            {
                usage.Add(request.Provider, Day(u.Day), u.Identity, u.Action, u.Resource, u.Person, u.Count,
                    u.FirstSeen.ToUnixTimeMilliseconds(), u.LastSeen.ToUnixTimeMilliseconds());
            }
        }
        using (var attempts = Writer(transaction, Rollup("attempt_daily",
            ["provider", "day", "identity", "action", "resource", "person", "error_code"])))
        {
            foreach (var a in request.Attempts)
            {
                attempts.Add(request.Provider, Day(a.Day), a.Identity, a.Action, a.Resource, a.Person, a.ErrorCode, a.Count,
                    a.FirstSeen.ToUnixTimeMilliseconds(), a.LastSeen.ToUnixTimeMilliseconds());
            }
        }
        using (var unmapped = Writer(transaction, TableWrite.Insert("unmapped_event", "provider", "source", "name", "count")
            .MergeOn(["provider", "source", "name"], ("count", MergeFold.Sum))))
        {
            foreach (var (source, name, count) in request.Unmapped) { unmapped.Add(request.Provider, source, name, count); }
        }
        using (var coverage = Writer(transaction, TableWrite.Insert("log_coverage", "provider", "log", "service", "day", "entries")
            .MergeOn(["provider", "log", "service", "day"], ("entries", MergeFold.Sum))))
        {
            foreach (var c in request.Coverage.IsDefault ? [] : request.Coverage)
            {
                coverage.Add(request.Provider, c.Log, c.Service, Day(c.Day), c.Entries);
            }
        }
        using (var files = Writer(transaction, TableWrite.Insert("ingested_file", "provider", "sha256", "path", "size", "mtime_ms",
            "events", "run_id").OrIgnore()))
        {
            foreach (var f in request.Files)
            {
                files.Add(request.Provider, f.Sha256, f.Path, f.Size, f.LastWriteTimeUtc.ToUnixTimeMilliseconds(), f.Events, runId);
            }
        }
        write.Commit();
        return runId;
    }

    /// <summary>The request's files whose content hash is already recorded for the provider.</summary>
    private ImmutableArray<string> AlreadyIngested(DbTransaction transaction, UsageIngestRequest request)
    {
        var found = ImmutableArray.CreateBuilder<string>();
        foreach (var file in request.Files)
        {
            using var find = Command(transaction, "SELECT 1 FROM ingested_file WHERE provider = @p AND sha256 = @s LIMIT 1",
                ("@p", request.Provider), ("@s", file.Sha256));
            if (find.ExecuteScalar() is not null) { found.Add(file.Path); }
        }
        return found.ToImmutable();
    }

    public ImmutableHashSet<string> IngestedFileHashes(string provider)
    {
        using var command = Command(null, "SELECT sha256 FROM ingested_file WHERE provider = @p", ("@p", provider));
        using var reader = command.ExecuteReader();
        var result = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        while (reader.Read()) { result.Add(reader.GetString(0)); }
        return result.ToImmutable();
    }

    public bool IsFileIngested(string provider, string path, long size, DateTimeOffset lastWriteTimeUtc)
    {
        using var command = Command(null,
            "SELECT 1 FROM ingested_file WHERE provider = @p AND path = @path AND size = @s AND mtime_ms = @m LIMIT 1",
            ("@p", provider), ("@path", path), ("@s", size), ("@m", lastWriteTimeUtc.ToUnixTimeMilliseconds()));
        return command.ExecuteScalar() is not null;
    }

    public ImmutableArray<UsageTotal> LoadUsage(string provider, DateOnly from, DateOnly to)
    {
        using var command = Command(null, """
            SELECT identity, action, resource, CAST(sum(count) AS BIGINT), min(first_seen_ms), max(last_seen_ms)
            FROM usage_daily WHERE provider = @p AND day >= @from AND day < @to
            GROUP BY identity, action, resource ORDER BY identity, action, resource
            """, ("@p", provider), ("@from", Day(from)), ("@to", Day(to)));
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<UsageTotal>();
        while (reader.Read())
        {
            result.Add(new UsageTotal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }
        return result.ToImmutable();
    }

    public ImmutableArray<PersonUsageTotal> LoadUsageByPerson(string provider, DateOnly from, DateOnly to)
    {
        using var command = Command(null, """
            SELECT identity, person, action, CAST(sum(count) AS BIGINT), max(last_seen_ms)
            FROM usage_daily WHERE provider = @p AND day >= @from AND day < @to
            GROUP BY identity, person, action ORDER BY identity, person, action
            """, ("@p", provider), ("@from", Day(from)), ("@to", Day(to)));
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<PersonUsageTotal>();
        while (reader.Read())
        {
            result.Add(new PersonUsageTotal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }
        return result.ToImmutable();
    }

    public UsageSpan LoadUsageSpan(string provider, DateOnly from, DateOnly to)
    {
        using var read = Reading();
        using var usage = Command(null, """
            SELECT min(day), max(day), count(DISTINCT day), CAST(coalesce(sum(count), 0) AS BIGINT), count(DISTINCT identity)
            FROM usage_daily WHERE provider = @p AND day >= @from AND day < @to
            """, ("@p", provider), ("@from", Day(from)), ("@to", Day(to)));
        DateOnly? first, last;
        int days, identities;
        long events;
        using (var reader = usage.ExecuteReader())
        {
            reader.Read();
            first = reader.IsDBNull(0) ? null : ParseDay(reader.GetString(0));
            last = reader.IsDBNull(1) ? null : ParseDay(reader.GetString(1));
            days = Int(reader, 2);
            events = reader.GetInt64(3);
            identities = Int(reader, 4);
        }
        using var denied = Command(null, """
            SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM attempt_daily
            WHERE provider = @p AND day >= @from AND day < @to AND (error_code LIKE '%AccessDenied%' OR error_code LIKE '%Unauthorized%' OR error_code = 'Client.UnauthorizedOperation')
            """, ("@p", provider), ("@from", Day(from)), ("@to", Day(to)));
        using var unmapped = Command(null, "SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM unmapped_event WHERE provider = @p",
            ("@p", provider));
        return new UsageSpan(first, last, days, events, identities, Convert.ToInt64(denied.ExecuteScalar(), CultureInfo.InvariantCulture),
            Convert.ToInt64(unmapped.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    public ImmutableArray<LogCoverage> LoadLogCoverage(string provider, DateOnly from, DateOnly to)
    {
        using var command = Command(null, """
            SELECT log, service, day, entries FROM log_coverage
            WHERE provider = @p AND day >= @from AND day < @to ORDER BY day, log, service
            """, ("@p", provider), ("@from", Day(from)), ("@to", Day(to)));
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<LogCoverage>();
        while (reader.Read()) { result.Add(new LogCoverage(reader.GetString(0), reader.GetString(1), ParseDay(reader.GetString(2)),
            reader.GetInt64(3))); }
        return result.ToImmutable();
    }

    /// <summary>
    /// Daily rollup rows: a row meeting a stored one adds its count and widens first and last seen. Keys are in the
    /// primary key's order (provider, day first), the order in which the rows reach its index.
    /// </summary>
    private static TableWrite Rollup(string table, string[] keys) =>
        TableWrite.Insert(table, [.. keys, "count", "first_seen_ms", "last_seen_ms"])
            .MergeOn(keys, ("count", MergeFold.Sum), ("first_seen_ms", MergeFold.Min), ("last_seen_ms", MergeFold.Max));

    private static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, DayFormat, CultureInfo.InvariantCulture);
}
