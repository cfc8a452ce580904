using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

public abstract partial class CiemStoreContractTests
{
    private static readonly DateTimeOffset DirectoryTakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static DirectorySnapshot SampleDirectory(DateTimeOffset takenAt) =>
        DirectorySnapshot.Empty(DirectorySource.Entra, "tenant-1", takenAt) with
        {
            Users = [new DirectoryUser(DirectorySource.Entra, "u1", "a@x.example", "a@x.example", "A", true, [], [new ExternalId("scim", "e1")])],
            Groups = [new DirectoryGroup(DirectorySource.Entra, "g1", "G", null, true, "rule", [new DirectoryMember(MemberKind.User, "u1")], [])],
            ServicePrincipals = [new DirectoryServicePrincipal(DirectorySource.Entra, "sp", "app", "App", ServicePrincipalKind.Application, true, ["u1"])],
            PermissionSets = [new PermissionSet("ps", "P", null, "PT1H", "{}", ["arn:aws:iam::aws:policy/ReadOnlyAccess"], [new CustomerManagedPolicyReference("C", "/")], null, null)],
            AccountAssignments = [new AccountAssignment("111111111111", "ps", AssignmentPrincipalType.Group, "g1")],
        };

    [StoreFact]
    public void ImportDirectories_RoundTripAndReimport_CurrentUnchangedAndHistory()
    {
        // Given an empty store
        using var store = OpenStore();
        var first = SampleDirectory(DirectoryTakenAt);

        // When a directory is imported, then the same content again, then an older different one
        var added = store.ImportDirectories(new DirectoryImportRequest([first], DirectoryTakenAt, ["entra.json"], new ImportCounts(5, 0, 0)));
        var same = store.ImportDirectories(new DirectoryImportRequest([first with { TakenAt = DirectoryTakenAt.AddDays(1) }], DirectoryTakenAt, ["entra.json"], new ImportCounts(5, 0, 0)));
        var older = store.ImportDirectories(new DirectoryImportRequest([first with { TakenAt = DirectoryTakenAt.AddDays(-1), Users = [] }], DirectoryTakenAt, ["old.json"], default));

        // Then the outcomes are added, unchanged, history, and the current snapshot round-trips field by field
        Assert.Equal([SnapshotOutcome.Added, SnapshotOutcome.Unchanged, SnapshotOutcome.AddedAsHistory], new[] { added, same, older }.Select(w => Assert.Single(w).Outcome));
        var loaded = Assert.Single(store.LoadDirectories());
        Assert.Equal(first.Users[0].ExternalIds[0], loaded.Users[0].ExternalIds[0]);
        Assert.Equal(first.Groups[0].Members[0], loaded.Groups[0].Members[0]);
        Assert.True(loaded.Groups[0].IsDynamic);
        Assert.Equal(first.PermissionSets[0].CustomerManagedPolicies[0], loaded.PermissionSets[0].CustomerManagedPolicies[0]);
        Assert.Equal(first.AccountAssignments[0], loaded.AccountAssignments[0]);
        Assert.Equal(ServicePrincipalKind.Application, loaded.ServicePrincipals[0].Kind);
    }
}
