using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Ciem.Core.Diagnostics;
using Ciem.Storage;
using Microsoft.Data.Sqlite;

namespace Ciem.Bench;

/// <summary>
/// `store --input demo.db --to LOCATION`: the store's share of `ciem demo` on either backend. Reads everything a
/// demo store holds (run `ciem demo --db demo.db` first), then into the store at LOCATION (a new SQLite file or an
/// empty PostgreSQL database) times the imports (AWS, Azure, GCP, directories), the usage ingestion (every daily
/// rollup row and failed attempt of every provider) and the loads a sweep makes.
/// </summary>
internal static class StoreBench
{
    private static readonly string[] Providers = ["aws", "azure", "gcp"];

    public static IReadOnlyList<Figure> Run(string source, string target)
    {
        StoreLocation location;
        try
        {
            location = StoreLocation.Parse(target);
        }
        catch (StoreLocationException e)
        {
            throw new ArgumentException($"`--to {target}`: {e.Message}", e);
        }
        var input = Read(source);
        location.Recreate();
        var figures = new List<Figure>();
        var total = Stopwatch.StartNew();
        using var store = location.Open();

        var clock = Stopwatch.StartNew();
        var at = input.Aws.Accounts.Max(a => a.TakenAt);
        store.ImportAws(new AwsImportRequest(input.Aws, at, ["bench"], new ImportCounts(0, 0, 0)));
        store.ImportAzure(new AzureImportRequest(input.Azure, "bench", at, at, ["bench"], new ImportCounts(0, 0, 0)));
        store.ImportGcp(new GcpImportRequest(input.Gcp, "organizations/bench", at, at, ["bench"], new ImportCounts(0, 0, 0)));
        store.ImportDirectories(new DirectoryImportRequest(input.Directories, at, ["bench"], new ImportCounts(0, 0, 0)));
        figures.Add(new Figure("store.import", clock.Elapsed.TotalSeconds, "s"));

        clock.Restart();
        foreach (var request in input.Usage) { store.IngestUsage(request); }
        figures.Add(new Figure("store.ingest", clock.Elapsed.TotalSeconds, "s"));
        figures.Add(new Figure("store.ingest.rows", input.Usage.Sum(u => u.Usage.Length + u.Attempts.Length), "rows"));

        clock.Restart();
        var loaded = 0L;
        loaded += store.LoadAwsInventory().Accounts.Sum(a => a.Roles.Length + a.Users.Length);
        loaded += store.LoadAzureInventory().RoleAssignments.Length + store.LoadGcpInventory().Policies.Length;
        loaded += store.LoadDirectories().Length;
        foreach (var provider in Providers)
        {
            loaded += store.LoadUsage(provider, input.From, input.To).Length;
            loaded += store.LoadUsageByPerson(provider, input.From, input.To).Length;
            loaded += store.LoadUsageSpan(provider, input.From, input.To).Events;
            loaded += store.LoadLogCoverage(provider, input.From, input.To).Length;
        }
        figures.Add(new Figure("store.sweep-loads", clock.Elapsed.TotalSeconds, "s"));
        figures.Add(new Figure("store.total", total.Elapsed.TotalSeconds, "s"));
        if (loaded == 0) { throw new InvalidOperationException($"the store at `{location.Display}` loaded nothing back"); }
        return figures;
    }

    private sealed record Input(
        Core.Aws.Inventory.AwsInventory Aws,
        Core.Azure.AzureInventory Azure,
        Core.Gcp.Inventory.GcpInventory Gcp,
        ImmutableArray<Core.Directories.DirectorySnapshot> Directories,
        List<UsageIngestRequest> Usage,
        DateOnly From,
        DateOnly To);

    /// <summary>The demo store's current inventories and every daily row, as the ingestion requests that wrote them.</summary>
    private static Input Read(string path)
    {
        if (!File.Exists(path)) { throw new ArgumentException($"no store at `{path}`: run `ciem demo --db {path}` first"); }
        using var store = SqliteStore.Open(path);
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var usage = new List<UsageIngestRequest>();
        var (from, to) = (DateOnly.MaxValue, DateOnly.MinValue);
        foreach (var provider in Providers)
        {
            var rows = Rows(connection, provider, "usage_daily", "''", r => new UsageRow(r.GetString(0), r.GetString(1), r.GetString(2),
                r.GetString(3), Day(r.GetString(4)), r.GetInt64(6), Ms(r.GetInt64(7)), Ms(r.GetInt64(8))));
            var attempts = Rows(connection, provider, "attempt_daily", "error_code", r => new AttemptRow(r.GetString(0), r.GetString(1),
                r.GetString(2), r.GetString(3), Day(r.GetString(4)), r.GetString(5), r.GetInt64(6), Ms(r.GetInt64(7)), Ms(r.GetInt64(8))));
            if (rows.Length > 0)
            {
                from = rows.Min(r => r.Day) < from ? rows.Min(r => r.Day) : from;
                to = rows.Max(r => r.Day) > to ? rows.Max(r => r.Day) : to;
            }
            usage.Add(new UsageIngestRequest(provider, DateTimeOffset.UnixEpoch, rows, attempts, [], [],
                new IngestCounts(0, 0, 0, 0, 0, 0, 0, 0, 0), store.LoadLogCoverage(provider, DateOnly.MinValue, DateOnly.MaxValue)));
        }
        return new Input(store.LoadAwsInventory(), store.LoadAzureInventory(), store.LoadGcpInventory(), store.LoadDirectories(),
            usage, from, to.AddDays(1));
    }

    private static ImmutableArray<T> Rows<T>(SqliteConnection connection, string provider, string table, string errorColumn, Func<SqliteDataReader, T> map)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT identity, person, action, resource, day, {errorColumn}, count, first_seen_ms, last_seen_ms
            FROM {table} WHERE provider = $p ORDER BY day, identity, action, resource
            """;
        command.Parameters.AddWithValue("$p", provider);
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<T>();
        while (reader.Read()) { result.Add(map(reader)); }
        return result.ToImmutable();
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
