using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>Azure and GCP snapshots: one per import scope, records stored as JSON documents.</summary>
public abstract partial class CiemStoreContractTests
{
    [StoreFact]
    public void ImportAzure_EveryField_LoadReturnsItUnchanged()
    {
        // Given an Azure inventory that sets every field
        var inventory = MulticloudInventories.Azure();

        // When it is imported and read back through a fresh connection
        SnapshotWrite write;
        using (var store = OpenStore()) { write = store.ImportAzure(AzureRequest(inventory, "tenant-a", Inventories.Monday)); }
        using var reopened = OpenStore();
        var loaded = reopened.LoadAzureInventory();

        // Then nothing was lost or changed, and the snapshot is recorded with its provider, scope and counts
        Assert.Equal(SnapshotOutcome.Added, write.Outcome);
        Assert.Equal(Json(inventory), Json(loaded));
        Assert.Equal("2.0", loaded.RoleDefinitions[0].Permissions[0].ConditionVersion);
        Assert.True(loaded.DenyAssignments[0].DoNotApplyToChildScopes);
        Assert.Equal(TimeSpan.FromHours(1), loaded.EligibleAssignments[0].EndDateTime!.Value.Offset);
        Assert.Equal("cccccccc-0000-0000-0000-000000000003", Assert.Single(loaded.GroupMemberships).Value.Single());
        var snapshot = Assert.Single(reopened.ListSnapshots());
        Assert.Equal(("azure", SnapshotKinds.AzureEstate, "tenant-a", true), (snapshot.Provider, snapshot.Kind, snapshot.Scope, snapshot.IsCurrent));
        Assert.Equal(Counts, snapshot.Counts);
    }

    [StoreFact]
    public void ImportGcp_EveryField_LoadReturnsItUnchanged()
    {
        // Given a GCP inventory that sets every field
        var inventory = MulticloudInventories.Gcp();

        // When it is imported and read back through a fresh connection
        using (var store = OpenStore()) { store.ImportGcp(GcpRequest(inventory, "organizations/123", Inventories.Monday)); }
        using var reopened = OpenStore();
        var loaded = reopened.LoadGcpInventory();

        // Then nothing was lost or changed
        Assert.Equal(Json(inventory), Json(loaded));
        Assert.Equal("temporary", loaded.Policies[0].Bindings[0].Condition!.Description);
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/acme-prod", Assert.Single(loaded.Resources[1].Aliases));
        Assert.Equal("no-delete", loaded.DenyPolicies[0].Id);
        Assert.Equal(("serviceAccount:etl@acme-prod.iam.gserviceaccount.com", true), (Assert.Single(loaded.ServiceAccounts).Member, Assert.Single(loaded.ServiceAccountKeys).IsUserManaged));
    }

    [StoreFact]
    public void LoadUsageByPerson_TwoPeopleOnOneRole_SummedPerIdentityPersonAndActionInTheWindow()
    {
        // Given two people's sessions of one role over three days, and a day outside the window
        const string role = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Data_0123456789abcdef";
        var day = new DateOnly(2026, 11, 20);
        UsageRow Row(string person, string resource, int offset, long count) =>
            new(role, person, "s3:GetObject", resource, day.AddDays(offset), count, new DateTimeOffset(day.AddDays(offset), new TimeOnly(9, 0), TimeSpan.Zero), new DateTimeOffset(day.AddDays(offset), new TimeOnly(10, 0), TimeSpan.Zero));
        using var store = OpenStore();
        store.IngestUsage(new UsageIngestRequest("aws", Inventories.Monday, [Row("pat", "a", 0, 2), Row("pat", "b", 1, 3), Row("sam", "a", 1, 1), Row("pat", "a", -30, 7)], [], [], [],
            new IngestCounts(1, 0, 13, 13, 0, 0, 0, 0, 0)));

        // When the usage of [2026-11-15, 2026-11-25) is loaded by person
        var rows = store.LoadUsageByPerson("aws", new DateOnly(2026, 11, 15), new DateOnly(2026, 11, 25)).OrderBy(r => r.Person, StringComparer.Ordinal).ToArray();

        // Then resources and days are summed per person; the old day is left out
        Assert.Equal([("pat", 5L, new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero)), ("sam", 1L, new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero))],
            rows.Select(r => (r.Person, r.Count, r.LastSeen)));
        Assert.All(rows, r => Assert.Equal((role, "s3:GetObject"), (r.Identity, r.Action)));
    }

    [StoreFact]
    public void ImportAzureAndGcp_SameContentTwice_SecondIsUnchanged()
    {
        // Given a store holding an Azure and a GCP snapshot
        using var store = OpenStore();
        store.ImportAzure(AzureRequest(MulticloudInventories.Azure(), "tenant-a", Inventories.Monday));
        store.ImportGcp(GcpRequest(MulticloudInventories.Gcp(), "organizations/123", Inventories.Monday));

        // When the same content is imported again a day later
        var azure = store.ImportAzure(AzureRequest(MulticloudInventories.Azure(), "tenant-a", Inventories.Tuesday));
        var gcp = store.ImportGcp(GcpRequest(MulticloudInventories.Gcp(), "organizations/123", Inventories.Tuesday));

        // Then nothing new is written
        Assert.Equal(SnapshotOutcome.Unchanged, azure.Outcome);
        Assert.Equal(SnapshotOutcome.Unchanged, gcp.Outcome);
        Assert.Equal(2, store.ListSnapshots().Length);
    }

    [StoreFact]
    public void ImportAzure_ChangedContent_NewSnapshotReplacesCurrentOfSameScopeOnly()
    {
        // Given two Azure scopes imported on Monday
        using var store = OpenStore();
        store.ImportAzure(AzureRequest(MulticloudInventories.Azure(), "tenant-a", Inventories.Monday));
        store.ImportAzure(AzureRequest(AzureInventory.Empty with { ResourceGroups = MulticloudInventories.Azure().ResourceGroups }, "tenant-b", Inventories.Monday));

        // When tenant-a changes on Tuesday
        var write = store.ImportAzure(AzureRequest(MulticloudInventories.Azure("Renamed"), "tenant-a", Inventories.Tuesday));

        // Then tenant-a's new snapshot is current, the old one is history, and tenant-b is still loaded
        Assert.Equal(SnapshotOutcome.Added, write.Outcome);
        var loaded = store.LoadAzureInventory();
        Assert.Equal("Renamed", Assert.Single(loaded.RoleDefinitions).RoleName);
        Assert.Equal(2, loaded.ResourceGroups.Length);
        Assert.Equal(2, store.ListSnapshots().Count(s => s.IsCurrent));
    }

    [StoreFact]
    public void ImportAzureAndGcp_FailingRecord_StoreUnchanged()
    {
        // Given a store holding an Azure and a GCP snapshot
        using var store = OpenStore();
        store.ImportAzure(AzureRequest(MulticloudInventories.Azure(), "tenant-a", Inventories.Monday));
        store.ImportGcp(GcpRequest(MulticloudInventories.Gcp(), "organizations/123", Inventories.Monday));
        var before = (Json(store.LoadAzureInventory()), Json(store.LoadGcpInventory()));
        var snapshotsBefore = store.ListSnapshots();

        // When imports fail on a record that cannot be written (an uninitialized list)
        var badAzure = MulticloudInventories.Azure("changed");
        badAzure = badAzure with { RoleAssignments = [.. badAzure.RoleAssignments, badAzure.RoleAssignments[0]], ResourceGroups = [], GroupMemberships = [KeyValuePair.Create("x", default(ImmutableArray<string>))] };
        var badGcp = MulticloudInventories.Gcp("roles/editor");
        badGcp = badGcp with { Groups = [new GroupMembership("group:x@example.com", default)] };
        Assert.ThrowsAny<Exception>(() => store.ImportAzure(AzureRequest(badAzure, "tenant-a", Inventories.Tuesday)));
        Assert.ThrowsAny<Exception>(() => store.ImportGcp(GcpRequest(badGcp, "organizations/123", Inventories.Tuesday)));

        // Then the store is exactly as it was
        Assert.Equal(before, (Json(store.LoadAzureInventory()), Json(store.LoadGcpInventory())));
        Assert.Equal(snapshotsBefore, store.ListSnapshots(), SnapshotComparer);
    }

    [StoreFact]
    public void LoadAzureAndGcp_EmptyStore_Empty()
    {
        using var store = OpenStore();
        Assert.True(store.LoadAzureInventory().IsEmpty);
        Assert.Equal(Json(GcpInventory.Empty), Json(store.LoadGcpInventory()));
    }

    private static AzureImportRequest AzureRequest(AzureInventory inventory, string scope, DateTimeOffset at) =>
        new(inventory, scope, at, at.AddMinutes(5), ["role-assignments.json"], Counts);

    private static GcpImportRequest GcpRequest(GcpInventory inventory, string scope, DateTimeOffset at) =>
        new(inventory, scope, at, at.AddMinutes(5), ["iam.json"], Counts);
}
