namespace Ciem.Tests;

/// <summary>Locates the repository and the read-only reference data in `../shared/data` beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Ciem.slnx")))
        ?? throw new InvalidOperationException("cannot find the repository root (Ciem.slnx) above " + AppContext.BaseDirectory);

    /// <summary>`shared/data` next to the repository (CI and developers have it as `../shared/data`).</summary>
    private static readonly Lazy<string?> SharedDataFolder = new(() =>
        FindUp(RepoRoot, d => Directory.Exists(Path.Combine(d, "shared", "data"))) is { } dir ? Path.Combine(dir, "shared", "data") : null);

    /// <summary>Whether `shared/data` is beside the repository (CI and developer machines have it).</summary>
    public static bool HasSharedData => SharedDataFolder.Value is not null;

    /// <summary>
    /// `shared/data` beside the repository. Computed on first use, so that tests that do not read it run without it;
    /// tests that do are tagged `Category=SharedData` (scripts/test.sh leaves them out when the folder is absent).
    /// </summary>
    public static string SharedData => SharedDataFolder.Value
        ?? throw new InvalidOperationException("cannot find shared/data above " + RepoRoot + ": clone the repository next to `shared/`, or run `./scripts/test.sh`, which leaves these tests out");

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
