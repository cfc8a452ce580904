using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Collect.Azure;
using Ciem.Collect.Tests.Azure;
using Ciem.Collect.Usage;
using Ciem.Core.Model;
using Ciem.Tests;
using Xunit.Abstractions;

namespace Ciem.Collect.Tests.Usage;

/// <summary>The Activity Log collector over a log of tens of thousands of records: every one counted once, with the figures printed
/// (docs/benchmarks.md).</summary>
public sealed class LogCollectorScaleTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-logs-scale-");

    [Fact]
    public async Task AzureActivity_TwentyThousandRecordsInFourSubscriptions_EveryOneCountedOnce()
    {
        // Given four subscriptions of 5,000 records each over 20 days (50 callers, 4 operations), served in pages of 200
        const int Subscriptions = 4, PerSubscription = 5000;
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        string[] operations = ["Microsoft.Compute/virtualMachines/write", "Microsoft.Compute/virtualMachines/read",
            "Microsoft.Storage/storageAccounts/listKeys/action", "Microsoft.Network/networkSecurityGroups/write"];
        var ids = Enumerable.Range(0, Subscriptions).Select(s => $"{s:x8}-5a1e-4c0d-8e1f-00000000000{s}").ToArray();
        var logs = ids.ToDictionary(s => s, s => Enumerable.Range(0, PerSubscription)
            .Select(i => LogServer.Activity(s, $"{i % 50:x8}-0000-4000-8000-000000000001", operations[i % operations.Length],
                $"Microsoft.Compute/virtualMachines/vm-{i % 30}", now.AddDays(-20).AddMinutes(i * 5.7)))
            .ToList());
        using var server = new LoopbackHttpServer();
        LogServer.ServeActivityLog(server, s => logs[s], ids, pageSize: 200);

        // When they are collected into a new store
        using var session = new CiemSession(Path.Combine(_folder.FullName, "scale.db"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await AzureActivityCollector.CollectAsync(session, new AzureActivityCollectOptions
        {
            Connection = new AzureConnection { ArmEndpoint = server.Url, Credential = new StaticToken(AzureEstate.Token) },
            Pull = new LogPullOptions { Parallelism = 4 },
        }, now);
        watch.Stop();

        // Then every record is one use in the rollups
        var total = Subscriptions * PerSubscription;
        Assert.Equal(total, result.Streams.Sum(s => s.Records));
        var stored = session.Store.LoadUsage(Provider.Azure, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 2));
        Assert.Equal(total, stored.Sum(u => u.Count));
        output.WriteLine($"{total} records, {result.Streams.Sum(s => s.Pages)} pages, {result.Calls} calls, " +
            $"{watch.Elapsed.TotalSeconds:0.00} s, " +
            $"{total / watch.Elapsed.TotalSeconds:0} records/s");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
