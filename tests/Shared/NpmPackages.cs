using System.Diagnostics;

namespace Ciem.Tests;

/// <summary>
/// Independent implementations from npm that tests run under node (a policy simulator, an OpenID provider): installed
/// at test time into `CIEM_NPM_CACHE` (default `~/.cache/ciem/npm`), never vendored.
/// </summary>
internal static class NpmPackages
{
    /// <summary>The cache folder <paramref name="folderName"/> after `npm install <paramref name="package"/>` into it, and the npm exit code and output.</summary>
    public static (string Folder, int Code, string Output) Install(string package, string folderName, bool skipWhenPresent = false)
    {
        var cache = Environment.GetEnvironmentVariable("CIEM_NPM_CACHE") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ciem", "npm");
        var folder = Path.Combine(cache, folderName);
        Directory.CreateDirectory(folder);
        if (skipWhenPresent && File.Exists(Path.Combine(folder, "package-lock.json"))) { return (folder, 0, ""); }
        var (code, output) = Run("npm", ["install", "--no-audit", "--no-fund", "--prefix", folder, package], folder, null, TimeSpan.FromMinutes(5));
        return (folder, code, output);
    }

    /// <summary>Runs a program to its end (bounded): its exit code, and its output (standard error first when it failed).</summary>
    public static (int Code, string Output) Run(string file, string[] args, string folder, string? input, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) { start.ArgumentList.Add(a); }
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception ex) { return (-1, ex.Message); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null) { process.StandardInput.Write(input); }
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout)) { process.Kill(entireProcessTree: true); return (-1, "timed out"); }
            return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stderr.Result + stdout.Result);
        }
    }
}
