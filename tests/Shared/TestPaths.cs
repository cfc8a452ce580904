namespace Ciem.Tests;

/// <summary>Locates the repository and the read-only reference data in `../shared/data` beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Ciem.slnx")))
        ?? throw new InvalidOperationException("cannot find the repository root (Ciem.slnx) above " + AppContext.BaseDirectory);

    /// <summary>`shared/data` next to the repository (CI and developers have it as `../shared/data`).</summary>
    public static string SharedData { get; } = FindUp(RepoRoot, d => Directory.Exists(Path.Combine(d, "shared", "data"))) is { } dir
        ? Path.Combine(dir, "shared", "data")
        : throw new InvalidOperationException("cannot find shared/data above " + RepoRoot);

    public static string Shared(params string[] parts) => Path.Combine([SharedData, .. parts]);

    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (found(d.FullName)) { return d.FullName; }
        }
        return null;
    }
}
