using System.Diagnostics;

namespace Ciem.Cli.Tests.Packaging;

/// <summary>Runs a program to its end (or kills it after <paramref name="limit"/>) and returns its exit code and output.</summary>
internal static class ChildProcess
{
    public static (int Code, string Out, string Err) Run(string file, IEnumerable<string> args, TimeSpan limit,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) { start.ArgumentList.Add(arg); }
        environment?.Invoke(start.Environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start `{file}`");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{file} {string.Join(' ', args)}` did not finish within {limit}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
