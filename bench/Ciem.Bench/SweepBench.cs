using System.Diagnostics;
using Ciem.App;
using Ciem.App.Sweep;
using Ciem.Core.Sweep;

namespace Ciem.Bench;

/// <summary>
/// `sweep --input demo.db`: the App sweep `ciem sweep` runs (<see cref="EstateSweeper.Sweep"/>) over one session on a
/// store made by `ciem demo`: the first sweep loads each estate once and sweeps every provider; the second reuses the
/// session's estates, so the difference is the load.
/// </summary>
internal static class SweepBench
{
    public static IReadOnlyList<Figure> Run(string input)
    {
        if (!File.Exists(input)) { throw new ArgumentException($"no store at `{input}`: make one with `ciem demo --db {input}`"); }
        using var session = new CiemSession(input);
        var providers = session.ProvidersWithData();
        var request = new SweepRequest(Ciem.Demo.DemoOptions.DefaultAsOf, new SweepOptions());
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var first = EstateSweeper.Sweep(session, request).Result ?? throw new InvalidOperationException("the store holds no estate to sweep");
        var firstSeconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var firstCpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        sw.Restart();
        _ = EstateSweeper.Sweep(session, request);
        var secondSeconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return
        [
            new Figure("sweep.providers", providers.Length, "providers"),
            new Figure("sweep.identities", first.Rows.Length, "identities"),
            new Figure("sweep.first", firstSeconds, "s (load estates + sweep)"),
            new Figure("sweep.first-cpu", firstCpu, "CPU-s (all threads)"),
            new Figure("sweep.second", secondSeconds, "s (same session: estates loaded)"),
            new Figure("sweep.rate", first.Rows.Length / firstSeconds, "identities/s (first)"),
            new Figure("sweep.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
            new Figure("load", Measure.LoadAverage(), "load average (1 min)"),
        ];
    }
}
