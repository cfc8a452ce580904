using System.Diagnostics;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;
using Ciem.Import.Simulation;

namespace Ciem.Bench;

/// <summary>
/// `simulate`: the `ciem aws simulate` pipeline end to end in this process — read a JSON Lines request file, read and
/// compile each request's policies through the shared cache, evaluate in parallel, write every result as JSON (to a
/// discarding stream, so the figure is not the terminal's) in input order. The counts of each decision are a checksum.
/// Run it as its own process (`all` does) so the peak working set is the pipeline's.
/// </summary>
internal static class SimulateBench
{
    public static IReadOnlyList<Figure> Run(string input)
    {
        _ = Core.Aws.Catalog.AwsActionCatalog.Default; // the reader consults it for request resources
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var counts = new long[Enum.GetValues<Decision>().Length + 1];
        long bytes = 0;
        var sw = Stopwatch.StartNew();
        SimulationStats stats;
        using (var output = new BufferedStream(Stream.Null, 1 << 16))
        using (var stream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            stats = new SimulationPipeline().Run(stream, Path.GetFileName(input), o =>
            {
                output.Write(o.Json.Span);
                output.WriteByte((byte)'\n');
                bytes += o.Json.Length + 1;
                counts[o.Result is { } r ? (int)r.Decision : counts.Length - 1]++;
            });
        }
        var seconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var figures = new List<Figure>
        {
            new("simulate.requests", stats.Requests, "requests"),
            new("simulate.input", Measure.Megabytes(new FileInfo(input).Length), "MiB input"),
            new("simulate.total", seconds * 1000, "ms (read, compile, evaluate, write)"),
            new("simulate.rate", stats.Requests / seconds, "decisions/s"),
            new("simulate.cpu", cpu, "CPU-seconds, all threads"),
            new("simulate.compiled", stats.PolicyCacheMisses, "policy documents parsed and compiled"),
            new("simulate.reused", stats.PolicyCacheHits, "policy documents taken from the cache"),
            new("simulate.output", Measure.Megabytes(bytes), "MiB results written"),
            new("simulate.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
        };
        foreach (var d in Enum.GetValues<Decision>()) { figures.Add(new($"simulate.{d}", counts[(int)d], "requests (checksum)")); }
        figures.Add(new("simulate.invalid", stats.Invalid, "requests refused"));
        return figures;
    }
}
