using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;

namespace Ciem.Storage.Tests;

/// <summary>Delivered reductions and past account snapshots, for `ciem reductions`.</summary>
public abstract partial class CiemStoreContractTests
{
    private static DeliveredReduction Delivered(string channel, string location, DateTimeOffset when, params string[] removed) =>
        new(0, "aws", "arn:aws:iam::111111111111:role/orders", "111111111111", "orders", [.. removed], 120, 8, when, channel, location,
            channel == "files" ? null : "4f2a9c0e1b7d", ["iam.tf"], channel == "pull-request" ? "https://github.com/acme/infra/pull/4" : null);

    [Fact]
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

    [Fact]
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
}
