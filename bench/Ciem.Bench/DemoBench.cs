using Ciem.Demo;

namespace Ciem.Bench;

/// <summary>
/// The demo generator at its default size (the estate `ciem demo` writes): time to write the estate and its logs,
/// and what it wrote. `--out FOLDER` keeps the estate there; otherwise a temporary folder is removed afterwards.
/// </summary>
internal static class DemoBench
{
    public static IReadOnlyList<Figure> Run(string? keep)
    {
        var folder = keep ?? Directory.CreateTempSubdirectory("ciem-bench-demo-").FullName;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var manifest = DemoEstateGenerator.Generate(folder, new DemoOptions());
            var seconds = clock.Elapsed.TotalSeconds;
            return
            [
                new Figure("demo.generate", seconds, "s"),
                new Figure("demo.identities", manifest.Identities.Total, "identities"),
                new Figure("demo.events", manifest.Events, "events"),
                new Figure("demo.events-per-second", manifest.Events / seconds, "events/s"),
                new Figure("demo.cloudtrail", Measure.Megabytes(manifest.CloudTrailBytes), "MB"),
                new Figure("demo.inventory", Measure.Megabytes(manifest.InventoryBytes), "MB"),
            ];
        }
        finally
        {
            if (keep is null) { Directory.Delete(folder, recursive: true); }
        }
    }
}
