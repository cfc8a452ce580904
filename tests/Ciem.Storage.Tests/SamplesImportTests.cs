using System.Text.Json;
using Ciem.Import.Aws;

namespace Ciem.Storage.Tests;

/// <summary>The README demo path: the sample files read, imported into a fresh store and loaded back.</summary>
public sealed class SamplesImportTests : IDisposable
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-samples-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ImportAws_Samples_LoadEqualsWhatWasReadAndReimportAddsNothing()
    {
        // Given the three sample files, read
        var samples = FindSamples();
        var gaad = AuthorizationDetailsReader.ReadFiles([Path.Combine(samples, "authorization-details.json")], TakenAt);
        var org = OrganizationsReader.ReadFile(Path.Combine(samples, "organization.json"), TakenAt);
        var resources = ResourcePoliciesReader.ReadFiles([Path.Combine(samples, "resource-policies.json")]);
        Assert.Empty(gaad.Diagnostics.Concat(org.Diagnostics).Concat(resources.Diagnostics));
        var inventory = gaad.Value.ToInventory(org.Value, resources.Value, TakenAt);
        var request = new AwsImportRequest(inventory, TakenAt.AddMinutes(1), [.. gaad.SourceFiles, .. org.SourceFiles, .. resources.SourceFiles],
            gaad.Counts + org.Counts + resources.Counts);

        // When they are imported, and imported again
        using var store = SqliteStore.Open(Path.Combine(_folder, "ciem.db"));
        var first = store.ImportAws(request);
        var second = store.ImportAws(request with { ImportedAt = TakenAt.AddMinutes(2) });

        // Then the store returns exactly what was read, and the second import changed nothing
        Assert.Equal(4, first.Snapshots.Length);
        Assert.All(first.Snapshots, s => Assert.Equal(SnapshotOutcome.Added, s.Outcome));
        Assert.All(second.Snapshots, s => Assert.Equal(SnapshotOutcome.Unchanged, s.Outcome));
        Assert.Equal(JsonSerializer.Serialize(inventory), JsonSerializer.Serialize(store.LoadAwsInventory()));
    }

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "aws");
            if (Directory.Exists(candidate)) { return candidate; }
        }
        throw new DirectoryNotFoundException("samples/aws not found above the test binaries");
    }
}
