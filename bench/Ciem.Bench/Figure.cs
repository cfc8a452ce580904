namespace Ciem.Bench;

/// <summary>One measured figure, e.g. `eval.single` = 1 234 567 evaluations/s.</summary>
internal sealed record Figure(string Name, double Value, string Unit)
{
    private const string Tag = "FIGURE";

    /// <summary>The line a child process prints so that `all` can collect its figures.</summary>
    public string ToLine() => FormattableString.Invariant($"{Tag}\t{Name}\t{Value:R}\t{Unit}");

    public static bool TryParseLine(string line, out Figure figure)
    {
        figure = null!;
        var parts = line.Split('\t');
        if (parts.Length != 4 || parts[0] != Tag) { return false; }
        if (!double.TryParse(parts[2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)) { return false; }
        figure = new Figure(parts[1], value, parts[3]);
        return true;
    }
}

/// <summary>Stopwatch helpers: medians, megabytes, machine load.</summary>
internal static class Measure
{
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>The 1-minute load average (Linux), or -1 where /proc/loadavg does not exist.</summary>
    public static double LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) { return -1; }
        var first = File.ReadAllText(path).Split(' ')[0];
        return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// CPU time consumed by the calling thread (Linux `CLOCK_THREAD_CPUTIME_ID`), so that time spent descheduled on a
/// shared machine, and spinning GC or tiering threads, do not count; elsewhere the process's CPU time.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var ts) == 0)
        {
            return TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100));
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // CA5392/SYSLIB1054: libc is resolved by the loader from the system paths; a blittable out struct needs no marshalling.
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int clock_gettime(int clock, out Timespec time);
}
