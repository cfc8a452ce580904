using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ciem.Storage;

public sealed partial class SqliteStore
{
    private const string DayFormat = "yyyy-MM-dd";

    public long IngestUsage(UsageIngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // BEGIN IMMEDIATE takes the write lock first, so the check below and the write are one step for every writer.
        using var transaction = _connection.BeginTransaction(deferred: false);
        var already = AlreadyIngested(transaction, request);
        if (already.Length > 0)
        {
            transaction.Rollback();
            throw new UsageAlreadyIngestedException(already);
        }
        long runId;
        using (var run = Command(transaction, """
            INSERT INTO ingest_run (provider, finished_at, files, files_skipped, events, usage_events, attempts, duplicates, no_action, unmapped, malformed)
            VALUES ($p, $f, $files, $skipped, $events, $usage, $attempts, $dups, $noaction, $unmapped, $malformed) RETURNING id
            """,
            ("$p", request.Provider), ("$f", FormatDate(request.FinishedAt)), ("$files", request.Counts.Files), ("$skipped", request.Counts.FilesSkipped),
            ("$events", request.Counts.Events), ("$usage", request.Counts.UsageEvents), ("$attempts", request.Counts.Attempts),
            ("$dups", request.Counts.Duplicates), ("$noaction", request.Counts.NoAction), ("$unmapped", request.Counts.Unmapped), ("$malformed", request.Counts.Malformed)))
        {
            runId = (long)run.ExecuteScalar()!;
        }
        using (var usage = Upsert(transaction, "usage_daily", ["provider", "identity", "person", "action", "resource", "day"]))
        {
            foreach (var u in request.Usage)
            {
                usage.Add(request.Provider, u.Identity, u.Person, u.Action, u.Resource, Day(u.Day), u.Count, u.FirstSeen.ToUnixTimeMilliseconds(), u.LastSeen.ToUnixTimeMilliseconds());
            }
        }
        using (var attempts = Upsert(transaction, "attempt_daily", ["provider", "identity", "person", "action", "resource", "day", "error_code"]))
        {
            foreach (var a in request.Attempts)
            {
                attempts.Add(request.Provider, a.Identity, a.Person, a.Action, a.Resource, Day(a.Day), a.ErrorCode, a.Count, a.FirstSeen.ToUnixTimeMilliseconds(), a.LastSeen.ToUnixTimeMilliseconds());
            }
        }
        using (var unmapped = Command(transaction, """
            INSERT INTO unmapped_event (provider, source, name, count) VALUES ($p, $s, $n, $c)
            ON CONFLICT (provider, source, name) DO UPDATE SET count = count + excluded.count
            """, ("$p", request.Provider), ("$s", ""), ("$n", ""), ("$c", 0L)))
        {
            foreach (var (source, name, count) in request.Unmapped)
            {
                unmapped.Parameters["$s"].Value = source;
                unmapped.Parameters["$n"].Value = name;
                unmapped.Parameters["$c"].Value = count;
                unmapped.ExecuteNonQuery();
            }
        }
        using (var coverage = Command(transaction, """
            INSERT INTO log_coverage (provider, log, service, day, entries) VALUES ($p, $l, $s, $d, $n)
            ON CONFLICT (provider, log, service, day) DO UPDATE SET entries = entries + excluded.entries
            """, ("$p", request.Provider), ("$l", ""), ("$s", ""), ("$d", ""), ("$n", 0L)))
        {
            foreach (var c in request.Coverage.IsDefault ? [] : request.Coverage)
            {
                coverage.Parameters["$l"].Value = c.Log;
                coverage.Parameters["$s"].Value = c.Service;
                coverage.Parameters["$d"].Value = Day(c.Day);
                coverage.Parameters["$n"].Value = c.Entries;
                coverage.ExecuteNonQuery();
            }
        }
        using (var files = new BatchInsert(this, transaction, "ingested_file", "provider", "sha256", "path", "size", "mtime_ms", "events", "run_id"))
        {
            files.OrIgnore();
            foreach (var f in request.Files)
            {
                files.Add(request.Provider, f.Sha256, f.Path, f.Size, f.LastWriteTimeUtc.ToUnixTimeMilliseconds(), f.Events, runId);
            }
        }
        transaction.Commit();
        return runId;
    }

    /// <summary>The request's files whose content hash is already recorded for the provider.</summary>
    private ImmutableArray<string> AlreadyIngested(SqliteTransaction transaction, UsageIngestRequest request)
    {
        using var find = Command(transaction, "SELECT 1 FROM ingested_file WHERE provider = $p AND sha256 = $s LIMIT 1",
            ("$p", request.Provider), ("$s", ""));
        var found = ImmutableArray.CreateBuilder<string>();
        foreach (var file in request.Files)
        {
            find.Parameters["$s"].Value = file.Sha256;
            if (find.ExecuteScalar() is not null) { found.Add(file.Path); }
        }
        return found.ToImmutable();
    }

    public ImmutableHashSet<string> IngestedFileHashes(string provider)
    {
        using var command = Command(null, "SELECT sha256 FROM ingested_file WHERE provider = $p", ("$p", provider));
        using var reader = command.ExecuteReader();
        var result = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        while (reader.Read()) { result.Add(reader.GetString(0)); }
        return result.ToImmutable();
    }

    public bool IsFileIngested(string provider, string path, long size, DateTimeOffset lastWriteTimeUtc)
    {
        using var command = Command(null, "SELECT 1 FROM ingested_file WHERE provider = $p AND path = $path AND size = $s AND mtime_ms = $m LIMIT 1",
            ("$p", provider), ("$path", path), ("$s", size), ("$m", lastWriteTimeUtc.ToUnixTimeMilliseconds()));
        return command.ExecuteScalar() is not null;
    }

    public ImmutableArray<UsageTotal> LoadUsage(string provider, DateOnly from, DateOnly to)
    {
        using var command = Command(null, """
            SELECT identity, action, resource, sum(count), min(first_seen_ms), max(last_seen_ms)
            FROM usage_daily WHERE provider = $p AND day >= $from AND day < $to
            GROUP BY identity, action, resource
            """, ("$p", provider), ("$from", Day(from)), ("$to", Day(to)));
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
            SELECT identity, person, action, sum(count), max(last_seen_ms)
            FROM usage_daily WHERE provider = $p AND day >= $from AND day < $to
            GROUP BY identity, person, action
            """, ("$p", provider), ("$from", Day(from)), ("$to", Day(to)));
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<PersonUsageTotal>();
        while (reader.Read())
        {
            result.Add(new PersonUsageTotal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }
        return result.ToImmutable();
    }

    public UsageSpan LoadUsageSpan(string provider, DateOnly from, DateOnly to)
    {
        using var usage = Command(null, """
            SELECT min(day), max(day), count(DISTINCT day), coalesce(sum(count), 0), count(DISTINCT identity)
            FROM usage_daily WHERE provider = $p AND day >= $from AND day < $to
            """, ("$p", provider), ("$from", Day(from)), ("$to", Day(to)));
        using var reader = usage.ExecuteReader();
        reader.Read();
        DateOnly? first = reader.IsDBNull(0) ? null : ParseDay(reader.GetString(0));
        DateOnly? last = reader.IsDBNull(1) ? null : ParseDay(reader.GetString(1));
        var days = reader.GetInt32(2);
        var events = reader.GetInt64(3);
        var identities = reader.GetInt32(4);
        using var denied = Command(null, """
            SELECT coalesce(sum(count), 0) FROM attempt_daily
            WHERE provider = $p AND day >= $from AND day < $to AND (error_code LIKE '%AccessDenied%' OR error_code LIKE '%Unauthorized%' OR error_code = 'Client.UnauthorizedOperation')
            """, ("$p", provider), ("$from", Day(from)), ("$to", Day(to)));
        using var unmapped = Command(null, "SELECT coalesce(sum(count), 0) FROM unmapped_event WHERE provider = $p", ("$p", provider));
        return new UsageSpan(first, last, days, events, identities, (long)denied.ExecuteScalar()!, (long)unmapped.ExecuteScalar()!);
    }

    public ImmutableArray<LogCoverage> LoadLogCoverage(string provider, DateOnly from, DateOnly to)
    {
        using var command = Command(null, """
            SELECT log, service, day, entries FROM log_coverage
            WHERE provider = $p AND day >= $from AND day < $to ORDER BY day, log, service
            """, ("$p", provider), ("$from", Day(from)), ("$to", Day(to)));
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<LogCoverage>();
        while (reader.Read()) { result.Add(new LogCoverage(reader.GetString(0), reader.GetString(1), ParseDay(reader.GetString(2)), reader.GetInt64(3))); }
        return result.ToImmutable();
    }

    private SqliteCommand Upsert(SqliteTransaction transaction, string table, string[] keys)
    {
        var columns = keys.Concat(["count", "first_seen_ms", "last_seen_ms"]).ToArray();
        var names = columns.Select((_, i) => $"$p{i}").ToArray();
        var command = Command(transaction, $"""
            INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", names)})
            ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET
              count = count + excluded.count,
              first_seen_ms = min(first_seen_ms, excluded.first_seen_ms),
              last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)
            """);
        foreach (var n in names) { command.Parameters.Add(new SqliteParameter(n, DBNull.Value)); }
        return command;
    }

    private static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, DayFormat, CultureInfo.InvariantCulture);
}

internal static class SqliteCommandExtensions
{
    public static void Add(this SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) { command.Parameters[i].Value = values[i] ?? DBNull.Value; }
        command.ExecuteNonQuery();
    }
}
