namespace Ciem.Tests;

/// <summary>
/// Snapshot files: compares output with `Snapshots/NAME.expected.txt` beside the test sources; run with
/// CIEM_UPDATE_SNAPSHOTS=1 to (re)write them, then review the diff.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string name, string project)
    {
        var path = TestPaths.Repo("tests", project, "Snapshots", name + ".expected.txt");
        var normalised = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("CIEM_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalised);
            return;
        }
        Assert.True(File.Exists(path), $"snapshot `{path}` is missing: run the tests with CIEM_UPDATE_SNAPSHOTS=1 and review it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, normalised);
    }
}
