using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.LeastPrivilege;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>Delivered reductions and past account snapshots, for `ciem reductions`.</summary>
public abstract partial class CiemStoreContractTests
{
    private static DeliveredReduction Delivered(string channel, string location, DateTimeOffset when, params string[] removed) =>
        new(0, "aws", "arn:aws:iam::111111111111:role/orders", "111111111111", "orders", [.. removed], 120, 8, when, channel, location,
            channel == "files" ? null : "4f2a9c0e1b7d", ["iam.tf"], channel == "pull-request" ? "https://github.com/acme/infra/pull/4" : null);

    [StoreFact]
    public void RecordReductions_SameDeliveryTwice_IsRecordedOnceWithTheFirstTime()
    {
        // Given a reduction delivered to a branch, delivered again later with the same content, and another to a folder
        using (var store = OpenStore())
        {
            Assert.Equal(2, store.RecordReductions([Delivered("pull-request", "ciem/lp", Inventories.Monday, "s3:DeleteBucket", "sqs:DeleteQueue"),
                Delivered("files", "/tmp/proposals", Inventories.Monday, "s3:DeleteBucket")]));
            Assert.Equal(0, store.RecordReductions([Delivered("pull-request", "ciem/lp", Inventories.Tuesday, "s3:DeleteBucket", "sqs:DeleteQueue")]));
        }

        // When they are loaded through a fresh connection
        using var reopened = OpenStore();
        var loaded = reopened.LoadReductions();

        // Then there are two, every field round-trips and the first delivery time is kept
        Assert.Equal(2, loaded.Length);
        var pr = loaded.Single(r => r.Channel == "pull-request");
        Assert.Equal(Delivered("pull-request", "ciem/lp", Inventories.Monday, "s3:DeleteBucket", "sqs:DeleteQueue") with { Id = pr.Id, DeliveredAt = pr.DeliveredAt, Removed = pr.Removed, Files = pr.Files }, pr);
        Assert.Equal(Inventories.Monday.ToUniversalTime(), pr.DeliveredAt.ToUniversalTime());
        Assert.Equal(["s3:DeleteBucket", "sqs:DeleteQueue"], pr.Removed.ToArray());
        Assert.Equal(["iam.tf"], pr.Files.ToArray());
        Assert.Null(loaded.Single(r => r.Channel == "files").Revision);
    }

    [StoreFact]
    public void LoadAwsInventoryAt_OlderSnapshot_ReturnsThatAccountAsItWas()
    {
        // Given two imports of the same account with different content
        using var store = OpenStore();
        store.ImportAws(Request(Inventories.Full(Inventories.Monday), Inventories.Monday));
        store.ImportAws(new AwsImportRequest(Inventories.Full(Inventories.Tuesday) with { Accounts = [Inventories.Account("111111111111", Inventories.Tuesday, "runs refunds")] },
            Inventories.Tuesday, ["gaad.json"], new ImportCounts(1, 0, 0)));
        var first = store.ListSnapshots().First(s => s.Kind == SnapshotKinds.Account && s.Scope == "111111111111");

        // When the first snapshot is loaded
        var inventory = store.LoadAwsInventoryAt(first.Id);

        // Then it holds that account only, with its old content, and the organization taken no later than it
        var account = Assert.Single(inventory.Accounts);
        Assert.Equal("111111111111", account.AccountId);
        Assert.Equal("runs orders", account.Roles.Single(r => r.Name == "orders").Description);
        Assert.Equal(Inventories.Monday.ToUniversalTime(), inventory.Organization!.TakenAt.ToUniversalTime());
        Assert.NotEmpty(inventory.ManagedPolicies);
    }

    [StoreFact]
    public void LoadAzureAndGcpInventoryAt_PastTime_EachScopeAsItWasThen()
    {
        // Given tenant-a imported on Monday and changed on Tuesday, tenant-b first imported on Tuesday, and a GCP organisation imported on Monday
        using var store = OpenStore();
        store.ImportAzure(AzureRequest(MulticloudInventories.Azure(), "tenant-a", Inventories.Monday));
        store.ImportAzure(AzureRequest(MulticloudInventories.Azure("Renamed"), "tenant-a", Inventories.Tuesday));
        store.ImportAzure(AzureRequest(AzureInventory.Empty with { ResourceGroups = MulticloudInventories.Azure().ResourceGroups }, "tenant-b", Inventories.Tuesday));
        store.ImportGcp(GcpRequest(MulticloudInventories.Gcp(), "organizations/123", Inventories.Monday));

        // When the estates are loaded as of Monday noon and as of Tuesday
        var monday = store.LoadAzureInventoryAt(Inventories.Monday.AddHours(3));
        var tuesday = store.LoadAzureInventoryAt(Inventories.Tuesday);

        // Then Monday has tenant-a's first snapshot only; Tuesday both scopes at their latest
        Assert.Equal("Storage Reader (custom)", Assert.Single(monday.RoleDefinitions).RoleName);
        Assert.Single(monday.ResourceGroups);
        Assert.Equal("Renamed", Assert.Single(tuesday.RoleDefinitions).RoleName);
        Assert.Equal(2, tuesday.ResourceGroups.Length);
        // And nothing was imported before Monday; GCP is its Monday snapshot afterwards
        Assert.True(store.LoadAzureInventoryAt(Inventories.Monday.AddDays(-1)).IsEmpty);
        Assert.Equal(MulticloudInventories.Gcp().Policies.Length, store.LoadGcpInventoryAt(Inventories.Tuesday).Policies.Length);
    }
}
