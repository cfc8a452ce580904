using System.Diagnostics;
using Ciem.App;
using Ciem.Import.Aws;
using Ciem.Storage;

namespace Ciem.Bench;

/// <summary>`import`: reads an authorization-details export and stores it in a fresh SQLite file, as `ciem import aws` does.</summary>
internal static class ImportBench
{
    public static IReadOnlyList<Figure> Run(string input)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ciem-bench", "import-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var sw = Stopwatch.StartNew();
            var read = AuthorizationDetailsReader.ReadFiles([input], EffectiveBench.TakenAt);
            var inventory = read.Value.ToInventory();
            var readMs = sw.Elapsed.TotalMilliseconds;

            var db = Path.Combine(folder, SqliteStore.DefaultFileName);
            sw.Restart();
            using (var store = Stores.Open(db))
            {
                store.ImportAws(new AwsImportRequest(inventory, EffectiveBench.TakenAt, read.SourceFiles, read.Counts));
            }
            var storeMs = sw.Elapsed.TotalMilliseconds;

            sw.Restart();
            using (var store = Stores.Open(db))
            {
                GC.KeepAlive(store.LoadAwsInventory());
            }
            var loadMs = sw.Elapsed.TotalMilliseconds;
            var bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
            return
            [
                new("import.input", Measure.Megabytes(new FileInfo(input).Length), "MiB export"),
                new("import.records", read.Counts.Imported, "records imported"),
                new("import.read", readMs, "ms (read export)"),
                new("import.store", storeMs, "ms (SQLite write, one transaction)"),
                new("import.total", readMs + storeMs, "ms (read + store)"),
                new("import.load", loadMs, "ms (load inventory back)"),
                new("import.db", Measure.Megabytes(bytes), "MiB database (with WAL)"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
