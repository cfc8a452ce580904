using System.Diagnostics;

namespace Ciem.Tests;

/// <summary>A fact that needs root (`chattr +i`, a mount): skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            Skip = "needs root on Linux to make a file immutable or mount a small or read-only file system";
        }
    }
}

/// <summary>
/// A real small file system for tests of full disks and read-only mounts: a tmpfs mounted (as root) under a test's
/// folder, filled on demand, unmounted on dispose. Permission bits stop nothing for root, a mount does.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs with <paramref name="options"/> (`size=64k`, `ro,size=64k`) at a new folder under <paramref name="parent"/>.</summary>
    public static SmallDisk Mount(string parent, string options)
    {
        var path = System.IO.Path.Combine(parent, $"disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        if (!Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path)) { throw new InvalidOperationException($"cannot mount a tmpfs on {path} (needs root)"); }
        return new SmallDisk(path);
    }

    /// <summary>Writes `filler` until about <paramref name="leave"/> bytes are free.</summary>
    public void Fill(long leave)
    {
        var free = new DriveInfo(Path).AvailableFreeSpace;
        using var filler = File.Create(System.IO.Path.Combine(Path, "filler"));
        filler.Write(new byte[Math.Max(0, free - leave)]);
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static bool Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) { start.ArgumentList.Add(a); }
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
