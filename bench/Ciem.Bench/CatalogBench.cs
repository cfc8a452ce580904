using System.Diagnostics;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Bench;

/// <summary>
/// `catalog`: the first load of <see cref="AwsActionCatalog.Default"/> in this process (cold: assembly, resource,
/// JIT of the parser) and repeated parses of the embedded resource (warm), with the catalog's size.
/// Run it in a fresh process for a meaningful cold figure (`all` does).
/// </summary>
internal static class CatalogBench
{
    public static IReadOnlyList<Figure> Run(int warmRepetitions)
    {
        var cold = Stopwatch.StartNew();
        var catalog = AwsActionCatalog.Default;
        cold.Stop();

        var warm = new List<double>();
        long resourceBytes = 0;
        for (var i = 0; i < warmRepetitions; i++)
        {
            using var stream = typeof(AwsActionCatalog).Assembly.GetManifestResourceStream(AwsActionCatalog.ResourceName)!;
            resourceBytes = stream.Length;
            var sw = Stopwatch.StartNew();
            AwsActionCatalog.Load(stream);
            warm.Add(sw.Elapsed.TotalMilliseconds);
        }
        return
        [
            new("catalog.cold", cold.Elapsed.TotalMilliseconds, "ms"),
            new("catalog.warm", warmRepetitions > 0 ? Measure.Median(warm) : double.NaN, "ms"),
            new("catalog.actions", catalog.Count, "actions"),
            new("catalog.services", catalog.Services.Length, "services"),
            new("catalog.resource", resourceBytes / 1024.0, "KiB (gzip)"),
        ];
    }
}
