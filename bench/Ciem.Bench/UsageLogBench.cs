using System.Diagnostics;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Demo;
using Ciem.Storage;

namespace Ciem.Bench;

/// <summary>
/// `azure-activity` and `gcp-audit`: the demo estate's logs (<see cref="DemoEstateGenerator"/>, one cloud; the Activity
/// Log and Entra sign-ins as `az monitor activity-log list` files per subscription and day, the Cloud Audit Logs as
/// `gcloud logging read` files per day) at an event scale that gives about the number of records asked for (Azure: Activity
/// Log records, the sign-ins on top), ingested
/// by the product's one pipeline (<see cref="UsageIngestion.Run"/>: select new files, stream them in parallel with one
/// rollup per thread, store in one SQLite transaction), as `ciem import azure-activity|gcp-audit` does.
/// </summary>
internal static class UsageLogBench
{
    /// <summary>
    /// Activity Log records of the default demo (3,400 identities, 120 days) at event scale 1 (docs/demo-estate.md); its
    /// 6,781 Entra sign-ins do not grow with the scale and come on top.
    /// </summary>
    private const double AzureRecordsAtScaleOne = 9_893;

    private const double GcpEntriesAtScaleOne = 22_331;

    public static IReadOnlyList<Figure> RunAzure(int records) =>
        Run(StreamedUsageLog.AzureActivity, DemoClouds.Azure, records / AzureRecordsAtScaleOne, m => m.AzureLogsFolder);

    public static IReadOnlyList<Figure> RunGcp(int records) =>
        Run(StreamedUsageLog.GcpAudit, DemoClouds.Gcp, records / GcpEntriesAtScaleOne, m => m.GcpLogsFolder);

    private static IReadOnlyList<Figure> Run(StreamedUsageLog log, DemoClouds cloud, double scale, Func<DemoManifest, string> logsOf)
    {
        var provider = log.Provider.Name;
        var folder = Path.Combine(Path.GetTempPath(), "ciem-bench", $"{provider}-usage-" + Guid.NewGuid().ToString("N"));
        try
        {
            var manifest = DemoEstateGenerator.Generate(Path.Combine(folder, "demo"), new DemoOptions { Clouds = cloud, EventScale = scale });
            var logs = logsOf(manifest);
            var files = Directory.EnumerateFiles(logs, "*", SearchOption.AllDirectories).ToList();
            var bytes = files.Sum(f => new FileInfo(f).Length);
            using var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            UsageIngestResult result;
            using (var session = new CiemSession(Path.Combine(folder, SqliteStore.DefaultFileName)))
            {
                result = UsageIngestion.Run(session, log, [logs], DateTimeOffset.UnixEpoch, out var problems)
                    ?? throw new InvalidOperationException($"the demo's {provider} logs could not be read: {string.Join("; ", problems)}");
            }
            var seconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            var c = result.Counts;
            return
            [
                new($"{provider}.scale", scale, "demo event scale"),
                new($"{provider}.files", c.Files, "files"),
                new($"{provider}.input", Measure.Megabytes(bytes), "MiB on disk"),
                new($"{provider}.records", c.Events, "records"),
                new($"{provider}.events", c.UsageEvents + c.Attempts, "usage events"),
                new($"{provider}.ingest", seconds, "s (select, stream, roll up, store)"),
                new($"{provider}.rate", c.Events / seconds, "records/s (wall)"),
                new($"{provider}.cpu", cpu, "CPU-s (all threads)"),
                new($"{provider}.percpu", c.Events / Math.Max(cpu, 1e-9), "records per CPU-second"),
                new($"{provider}.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) { Directory.Delete(folder, recursive: true); }
        }
    }
}
