using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>The contract every store implements; one subclass per backend opens a fresh, empty store.</summary>
public abstract partial class CiemStoreContractTests
{
    private static readonly ImportCounts Counts = new(10, 1, 2);

    /// <summary>Opens the store under test; called again to reopen the same database.</summary>
    protected abstract ICiemStore OpenStore();

    [StoreFact]
    public void ImportAws_FullInventory_LoadReturnsEveryField()
    {
        // Given an inventory that sets every field
        var inventory = Inventories.Full(Inventories.Monday);

        // When it is imported and read back through a fresh connection
        using (var store = OpenStore()) { store.ImportAws(Request(inventory, Inventories.Monday.AddHours(1))); }
        using var reopened = OpenStore();
        var loaded = reopened.LoadAwsInventory();

        // Then nothing was lost or changed
        Assert.Equal(Json(inventory), Json(loaded));
    }

    [StoreFact]
    public void ImportAws_EmptyStore_LoadIsEmpty()
    {
        using var store = OpenStore();
        Assert.Equal(Json(AwsInventory.Empty), Json(store.LoadAwsInventory()));
        Assert.Empty(store.ListSnapshots());
        Assert.True(store.IsEmpty());
    }

    [StoreFact]
    public void ImportAws_FailureHalfway_StoreUnchanged()
    {
        // Given a store holding Monday's inventory
        using var store = OpenStore();
        store.ImportAws(Request(Inventories.Full(Inventories.Monday), Inventories.Monday));
        var before = Json(store.LoadAwsInventory());
        var snapshotsBefore = store.ListSnapshots();

        // When an import fails after its first account was written (the second holds a user twice)
        var good = Inventories.Account("111111111111", Inventories.Tuesday, "changed");
        var broken = Inventories.Account("222222222222", Inventories.Tuesday, "changed");
        broken = broken with { Users = broken.Users.Add(broken.Users[0]) };
        var failing = new AwsInventory([good, broken], null, Inventories.AwsManaged, []);
        Assert.ThrowsAny<Exception>(() => store.ImportAws(Request(failing, Inventories.Tuesday)));

        // Then the store is exactly as it was
        Assert.Equal(before, Json(store.LoadAwsInventory()));
        Assert.Equal(snapshotsBefore, store.ListSnapshots(), SnapshotComparer);
    }

    [StoreFact]
    public void ImportAws_ChangedAccount_NewSnapshotIsCurrentAndOldIsKept()
    {
        // Given Monday's account in the store
        using var store = OpenStore();
        store.ImportAws(Request(new AwsInventory([Inventories.Account("111111111111", Inventories.Monday)], null, [], []), Inventories.Monday));

        // When Tuesday's changed export is imported
        var summary = store.ImportAws(Request(
            new AwsInventory([Inventories.Account("111111111111", Inventories.Tuesday, "changed")], null, [], []), Inventories.Tuesday));

        // Then Tuesday's is current, Monday's stays with its own time
        Assert.Equal(SnapshotOutcome.Added, Assert.Single(summary.Snapshots).Outcome);
        var snapshots = store.ListSnapshots();
        Assert.Equal([(Inventories.Monday, false), (Inventories.Tuesday, true)], snapshots.Select(s => (s.TakenAt, s.IsCurrent)));
        var account = Assert.Single(store.LoadAwsInventory().Accounts);
        Assert.Equal("changed", account.Roles[1].Description);
        Assert.Equal(Inventories.Tuesday, account.TakenAt);
    }

    [StoreFact]
    public void ImportAws_IdenticalContentAgain_NoNewSnapshot()
    {
        // Given an imported inventory
        using var store = OpenStore();
        store.ImportAws(Request(Inventories.Full(Inventories.Monday), Inventories.Monday));
        var before = Json(store.LoadAwsInventory());

        // When the same content is imported again, even with a later export time
        var summary = store.ImportAws(Request(Inventories.Full(Inventories.Tuesday), Inventories.Tuesday));

        // Then nothing is added and the current view is unchanged
        Assert.All(summary.Snapshots, s => Assert.Equal(SnapshotOutcome.Unchanged, s.Outcome));
        Assert.Equal(4, store.ListSnapshots().Length); // two accounts, the organization, the resource policies
        Assert.Equal(before, Json(store.LoadAwsInventory()));
    }

    [StoreFact]
    public void ImportAws_OlderExportAfterNewer_KeptAsHistoryNotCurrent()
    {
        // Given Tuesday's account in the store
        using var store = OpenStore();
        store.ImportAws(Request(new AwsInventory([Inventories.Account("111111111111", Inventories.Tuesday, "new")], null, [], []), Inventories.Tuesday));

        // When Monday's export arrives late
        var summary = store.ImportAws(Request(
            new AwsInventory([Inventories.Account("111111111111", Inventories.Monday, "old")], null, [], []), Inventories.Tuesday.AddHours(1)));

        // Then it is stored for trends but Tuesday's stays current
        Assert.Equal(SnapshotOutcome.AddedAsHistory, Assert.Single(summary.Snapshots).Outcome);
        Assert.Equal("new", Assert.Single(store.LoadAwsInventory().Accounts).Roles[1].Description);
        Assert.Equal(2, store.ListSnapshots().Length);
    }

    [StoreFact]
    public void ListSnapshots_AfterImport_RecordsScopeTimesSourcesAndCounts()
    {
        // Given an import at a known time with an offset
        using var store = OpenStore();
        var importedAt = new DateTimeOffset(2026, 11, 28, 7, 15, 30, 123, TimeSpan.FromHours(-5));
        store.ImportAws(Request(Inventories.Full(Inventories.Monday), importedAt));

        // When the snapshots are listed
        var snapshots = store.ListSnapshots();

        // Then each has its kind, scope, times (offset kept), sources and counts
        Assert.Equal(
            [(SnapshotKinds.Account, "111111111111"), (SnapshotKinds.Account, "222222222222"), (SnapshotKinds.Organization, "o-abc123defg"),
             (SnapshotKinds.ResourcePolicies, SnapshotKinds.ResourcePolicies)],
            snapshots.Select(s => (s.Kind, s.Scope)));
        Assert.All(snapshots, s =>
        {
            Assert.Equal("aws", s.Provider);
            Assert.Equal(Inventories.Monday, s.TakenAt);
            Assert.Equal(Inventories.Monday.Offset, s.TakenAt.Offset);
            Assert.Equal(importedAt, s.ImportedAt);
            Assert.Equal(importedAt.Offset, s.ImportedAt.Offset);
            Assert.Equal<string>(["gaad.json", "org.json"], s.SourceFiles);
            Assert.Equal(Counts, s.Counts);
            Assert.True(s.IsCurrent);
        });
    }

    protected static AwsImportRequest Request(AwsInventory inventory, DateTimeOffset importedAt) =>
        new(inventory, importedAt, ["gaad.json", "org.json"], Counts);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static readonly IEqualityComparer<SnapshotInfo> SnapshotComparer =
        EqualityComparer<SnapshotInfo>.Create((a, b) => Json(a) == Json(b), s => s.Id.GetHashCode());
}
