using System.Diagnostics;
using Ciem.Demo;

namespace Ciem.Bench;

/// <summary>
/// Where the benchmark inputs come from: the shared reference data beside the repository (`../shared`) and the
/// shared generator `replicate_authz.py`, so that figures compare across tools and machines; the simulate requests
/// made from them by Ciem.Demo's <see cref="SimulationRequestGenerator"/>.
/// </summary>
internal static class Inputs
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Ciem.slnx")))
        ?? throw new InvalidOperationException("cannot find the repository root (Ciem.slnx) above " + AppContext.BaseDirectory);

    /// <summary>`shared/` next to the repository (data and tools).</summary>
    public static string Shared { get; } = FindUp(RepoRoot, d => Directory.Exists(Path.Combine(d, "shared", "data"))) is { } dir
        ? Path.Combine(dir, "shared")
        : throw new InvalidOperationException("cannot find shared/data above " + RepoRoot);

    /// <summary>The cloudsplaining example export: 44 users, 5 groups, 78 roles, 84 policies.</summary>
    public static string ExampleExport => Path.Combine(Shared, "data", "cloudsplaining-authz-details", "examples", "files", "example.json");

    /// <summary>The document of an AWS-managed policy as published by MAMIP (`policies/NAME`, `PolicyVersion.Document`).</summary>
    public static string ManagedPolicyFile(string name) => Path.Combine(Shared, "data", "mamip-aws-managed-policies", "policies", name);

    /// <summary>
    /// The example export replicated <paramref name="factor"/> times (cached in the temp folder: the generator is
    /// deterministic, so a file of the right name is the right content).
    /// </summary>
    public static string Replicated(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var output = Path.Combine(Path.GetTempPath(), "ciem-bench", $"authz-x{factor}.json");
        if (File.Exists(output)) { return output; }
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var partial = output + ".partial";
        Python(Path.Combine(Shared, "tools", "replicate_authz.py"), ExampleExport, factor.ToString(System.Globalization.CultureInfo.InvariantCulture), partial);
        File.Move(partial, output, overwrite: true);
        return output;
    }

    /// <summary>
    /// A `ciem aws simulate` request file of <paramref name="count"/> requests, written in this process by
    /// <see cref="SimulationRequestGenerator"/> (Ciem.Demo) from the example export replicated <paramref name="factor"/>
    /// times (cached like it).
    /// </summary>
    public static string SimulateRequests(int count, int factor = 129)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var name = factor == 129 ? $"simulate-{count}.jsonl" : $"simulate-{count}-x{factor}.jsonl";
        var output = Path.Combine(Path.GetTempPath(), "ciem-bench", name);
        if (File.Exists(output)) { return output; }
        var partial = output + ".partial";
        GenerateSimulateRequests(Replicated(factor), count, partial);
        File.Move(partial, output, overwrite: true);
        return output;
    }

    /// <summary>Writes <paramref name="count"/> simulate requests made from the export <paramref name="authz"/> to a file.</summary>
    public static SimulationRequestsResult GenerateSimulateRequests(string authz, int count, string output)
    {
        using var input = new FileStream(authz, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return SimulationRequestGenerator.Generate(input, authz, count, file);
    }

    private static void Python(params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) { start.ArgumentList.Add(a); }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) { throw new InvalidOperationException($"{Path.GetFileName(args[0])} failed ({process.ExitCode}): {stderr.Result}"); }
    }

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (found(d.FullName)) { return d.FullName; }
        }
        return null;
    }
}
