using Ciem.Core.Azure.Catalog;

namespace Ciem.Core.Tests.Azure.Catalog;

public sealed class AzureOperationCatalogTests
{
    private static AzureOperationCatalog Catalog => AzureOperationCatalog.Default;

    [Fact]
    public void Default_Loads_WithTheSnapshotCounts()
    {
        // Given the embedded catalog / When loaded / Then 24,680 listed operations dedupe to 22,520 (18,263 control, 4,257 data)
        Assert.Equal(22_520, Catalog.Count);
        Assert.Equal(18_263, Catalog.ControlActions.Count);
        Assert.Equal(4_257, Catalog.DataActions.Count);
        Assert.StartsWith("easimon/azure-builtin-roles@", Catalog.SourceVersion, StringComparison.Ordinal);
        Assert.All(Catalog.Operations.Select((o, i) => (o, i)), x => Assert.Equal(x.i, x.o.Id));
    }

    [Fact]
    public void TryGetOperation_SameNameInBothPlanes_AreTwoOperations()
    {
        // Given a name Azure lists as both a control and a data action
        const string name = "Microsoft.KeyVault/vaults/keys/read";

        // When looked up in each plane, ignoring case
        Assert.True(Catalog.TryGetOperation(name, AzurePlane.Control, out var control));
        Assert.True(Catalog.TryGetOperation(name.ToUpperInvariant(), AzurePlane.Data, out var data));

        // Then they are distinct operations
        Assert.NotEqual(control.Id, data.Id);
        Assert.False(control.IsDataAction);
        Assert.True(data.IsDataAction);
    }

    [Theory]
    [InlineData("*", AzurePlane.Control, 18_263)]
    [InlineData("*", AzurePlane.Data, 4_257)]
    [InlineData("Microsoft.Authorization/roleAssignments/write", AzurePlane.Control, 1)]
    [InlineData("microsoft.authorization/ROLEASSIGNMENTS/write", AzurePlane.Control, 1)]
    [InlineData("Microsoft.Authorization/roleAssignments/write", AzurePlane.Data, 0)]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", AzurePlane.Data, 1)]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", AzurePlane.Control, 0)]
    [InlineData("Microsoft.Nope/*", AzurePlane.Control, 0)]
    [InlineData("", AzurePlane.Control, 0)]
    [InlineData("Microsoft.Compute/virtualMachines/read?", AzurePlane.Control, 0)]
    public void Expand_Pattern_Counts(string pattern, AzurePlane plane, int expected)
    {
        // Given a pattern / When expanded in a plane / Then the count is exact
        Assert.Equal(expected, Catalog.Expand(pattern, plane).Count);
    }

    [Fact]
    public void Expand_Wildcards_MatchTheirDocumentedShapes()
    {
        // Given the four wildcard shapes of the documentation
        var storage = Catalog.Expand("Microsoft.Storage/*", AzurePlane.Control);
        var reads = Catalog.Expand("*/read", AzurePlane.Control);
        var vmNested = Catalog.Expand("Microsoft.Compute/virtualMachines/*/read", AzurePlane.Control);

        // Then each matches only what its text says, ignoring case
        Assert.NotEmpty(storage);
        Assert.All(storage, o => Assert.StartsWith("Microsoft.Storage/", o.Name, StringComparison.OrdinalIgnoreCase));
        Assert.All(reads, o => Assert.EndsWith("/read", o.Name, StringComparison.OrdinalIgnoreCase));
        Assert.True(reads.Count > 7_000);
        Assert.All(vmNested, o => Assert.Matches("(?i)^Microsoft\\.Compute/virtualMachines/.+/read$", o.Name));
        Assert.DoesNotContain(vmNested, o => o.Name.Equals("Microsoft.Compute/virtualMachines/read", StringComparison.OrdinalIgnoreCase));
        Assert.True(vmNested.IsSubsetOf(reads));
        Assert.Equal(Catalog.Expand("microsoft.storage/*", AzurePlane.Control), storage);
    }

    [Fact]
    public void Expand_PermissionBlock_SubtractsNotActions()
    {
        // Given Contributor's shape (`*` minus Microsoft.Authorization writes and deletes)
        var set = Catalog.Expand(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"], AzurePlane.Control);

        // Then the role-assignment write is out and its read is in
        Assert.True(Catalog.TryGetOperation("Microsoft.Authorization/roleAssignments/write", AzurePlane.Control, out var write));
        Assert.True(Catalog.TryGetOperation("Microsoft.Authorization/roleAssignments/read", AzurePlane.Control, out var read));
        Assert.False(set.Contains(write));
        Assert.True(set.Contains(read));
    }

    [Fact]
    public void SetAlgebra_UnionIntersectExcept_AreConsistent()
    {
        // Given two overlapping sets
        var reads = Catalog.Expand("*/read", AzurePlane.Control);
        var storage = Catalog.Expand("Microsoft.Storage/*", AzurePlane.Control);

        // Then inclusion-exclusion holds and the parts are disjoint
        Assert.Equal(reads.Count + storage.Count - reads.Intersect(storage).Count, reads.Union(storage).Count);
        Assert.False(reads.Except(storage).Overlaps(storage));
        Assert.True(reads.Intersect(storage).IsSubsetOf(storage));
    }

    [Fact]
    public void Load_CorruptData_ThrowsNamingTheLine()
    {
        // Given a catalog whose second operation line is malformed
        using var stream = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
        using (var writer = new StreamWriter(gzip))
        {
            writer.Write("ciem-azure-operations\t1\ttest\t2\nA/b/read\tC\t\nA/c/read\tX\t\n");
        }
        stream.Position = 0;

        // When loaded / Then the error names line 3
        var ex = Assert.Throws<InvalidDataException>(() => AzureOperationCatalog.Load(stream));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }
}
