using System.Collections.Immutable;
using System.Collections.Concurrent;
using Ciem.Core.Aws.Inventory;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>Several stores on one database at once: starters, writers and readers.</summary>
public abstract partial class CiemStoreContractTests
{
    [StoreFact]
    public void Open_TwoStartersOnNewDatabase_EachMigrationAppliedOnce()
    {
        // Given a new database
        // When two stores open it at the same moment
        using var gate = new Barrier(2);
        var stores = new ICiemStore[2];
        try
        {
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                gate.SignalAndWait();
                stores[i] = OpenStore();
            });

            // Then both see the latest schema, and every migration was applied by exactly one of them
            Assert.Equal(stores[0].Migration.To, stores[1].Migration.To);
            Assert.True(stores[0].Migration.To > 0);
            Assert.Equal(stores[0].Migration.To, stores[0].Migration.Applied + stores[1].Migration.Applied);
            Assert.True(stores[0].IsEmpty());
        }
        finally
        {
            foreach (var store in stores) { store?.Dispose(); }
        }
    }

    [StoreFact]
    public void ImportAws_TwoImportsOfOneAccountAtOnce_OneCurrentTheLaterExport()
    {
        for (var round = 0; round < 5; round++)
        {
            // Given two stores on one database and two exports of one account, Monday's and Tuesday's
            var account = $"{round + 3}00000000000";
            var monday = new AwsInventory([Inventories.Account(account, Inventories.Monday, "monday")], null, [], []);
            var tuesday = new AwsInventory([Inventories.Account(account, Inventories.Tuesday, "tuesday")], null, [], []);
            using var first = OpenStore();
            using var second = OpenStore();

            // When both are imported at the same moment
            using var gate = new Barrier(2);
            var outcomes = new ConcurrentBag<SnapshotOutcome>();
            Parallel.Invoke(
                new ParallelOptions { MaxDegreeOfParallelism = 2 },
                () => { gate.SignalAndWait(); outcomes.Add(first.ImportAws(Request(monday, Inventories.Tuesday)).Snapshots.Single().Outcome); },
                () => { gate.SignalAndWait(); outcomes.Add(second.ImportAws(Request(tuesday, Inventories.Tuesday)).Snapshots.Single().Outcome); });

            // Then both are stored, Tuesday's alone is current, whichever finished first
            var snapshots = first.ListSnapshots().Where(s => s.Scope == account).ToList();
            Assert.Equal(2, snapshots.Count);
            Assert.Equal(Inventories.Tuesday, Assert.Single(snapshots, s => s.IsCurrent).TakenAt);
            Assert.Contains(SnapshotOutcome.Added, outcomes);
            Assert.Equal("tuesday", second.LoadAwsInventory().Accounts.Single(a => a.AccountId == account).Roles[1].Description);
        }
    }

    [StoreFact]
    public void LoadAwsInventory_DuringImports_AlwaysOneWholeImport()
    {
        // Given a store holding version `a` of two accounts, and exports `b`, `a`, `b`, … to import one after another
        AwsInventory Version(string v) => new(
            [Inventories.Account("111111111111", Inventories.Monday, v), Inventories.Account("222222222222", Inventories.Monday, v)], null, [], []);
        using (var seed = OpenStore()) { seed.ImportAws(Request(Version("a"), Inventories.Monday)); }
        using var writer = OpenStore();
        using var reader = OpenStore();

        // When one store imports while another loads, again and again
        var seen = new ConcurrentBag<string>();
        var importing = Task.Run(() =>
        {
            for (var i = 0; i < 12; i++) { writer.ImportAws(Request(Version(i % 2 == 0 ? "b" : "a"), Inventories.Monday.AddMinutes(i + 1))); }
        });
        while (!importing.IsCompleted)
        {
            var accounts = reader.LoadAwsInventory().Accounts;
            seen.Add(string.Join(",", accounts.Select(a => a.Roles[1].Description)));
        }
        importing.GetAwaiter().GetResult();

        // Then every load saw both accounts of one import, never one account from each
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.True(s is "a,a" or "b,b", $"a load mixed two imports: `{s}`"));
        Assert.Equal(["a", "a"], reader.LoadAwsInventory().Accounts.Select(a => a.Roles[1].Description));
    }

    private static UsageIngestRequest RunOver(params string[] shas) => new("aws", new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero),
        [new UsageRow("arn:aws:iam::111111111111:role/app", "", "s3:GetObject", "*", new DateOnly(2026, 11, 27), 7,
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero))],
        [], [], [.. shas.Select(sha => new IngestedFile("/logs/" + sha + ".json.gz", sha, 10, DateTimeOffset.UnixEpoch, 7))],
        new IngestCounts(shas.Length, 0, 7, 7, 0, 0, 0, 0, 0));

    [StoreFact]
    public void IngestUsage_FileAlreadyRecorded_NothingWrittenAndTheFileNamed()
    {
        // Given a run that recorded file `f1`
        using var store = OpenStore();
        store.IngestUsage(RunOver("f1"));

        // When a second run, selected before the first committed, brings `f2` and `f1` again
        var error = Assert.Throws<UsageAlreadyIngestedException>(() => store.IngestUsage(RunOver("f2", "f1")));

        // Then it names `f1`, and nothing of it was written: the use is counted once and `f2` is still new
        Assert.Equal(["/logs/f1.json.gz"], error.Paths.ToArray());
        var usage = store.LoadUsage("aws", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1));
        Assert.Equal(7, Assert.Single(usage).Count);
        Assert.Equal(["f1"], store.IngestedFileHashes("aws").ToArray());
    }

    [StoreFact]
    public void IngestUsage_SameFileFromParallelWriters_CountedOnce()
    {
        // Given eight writers, each with its own connection, all bringing the same file at the same moment
        using (var create = OpenStore()) { }
        using var start = new Barrier(8);
        var outcomes = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ =>
        {
            using var store = OpenStore();
            start.SignalAndWait();
            try { store.IngestUsage(RunOver("same")); return "written"; }
            catch (UsageAlreadyIngestedException) { return "refused"; }
        }).ToList();

        // Then exactly one wrote; the others were refused, and the use is counted once
        Assert.Equal(1, outcomes.Count(o => o == "written"));
        Assert.Equal(7, outcomes.Count(o => o == "refused"));
        using var reopened = OpenStore();
        Assert.Equal(7, Assert.Single(reopened.LoadUsage("aws", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1))).Count);
    }
}
