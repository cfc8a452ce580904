using Ciem.Cli.Tests.Packaging;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>
/// Issue #19, defect 6: README's test command (`scripts/test.sh`) ends with one line that counts what ran and what it
/// left out. The script runs from a copy of itself beside a small `tests/` folder, with a `dotnet` on the PATH that
/// prints the summaries `dotnet test` prints, so that its counting is checked without running the suite within the suite.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestScriptTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ciem-test-script-");

    public void Dispose() => _temp.Delete(recursive: true);

    /// <summary>A copy of the script beside one test file tagged SharedData (three test methods) and an untagged one.</summary>
    private string Repository()
    {
        var repo = Path.Combine(_temp.FullName, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "scripts"));
        File.Copy(TestPaths.Repo("scripts", "test.sh"), Path.Combine(repo, "scripts", "test.sh"));
        Directory.CreateDirectory(Path.Combine(repo, "tests", "A.Tests"));
        File.WriteAllText(Path.Combine(repo, "tests", "A.Tests", "DataTests.cs"), """
            [Trait("Category", "SharedData")]
            public sealed class DataTests
            {
                [Fact]
                public void One() { }

                [Fact]
                public void Two() { }

                [Theory]
                [InlineData(1)]
                [InlineData(2)]
                public void Three(int n) { }
            }
            """);
        File.WriteAllText(Path.Combine(repo, "tests", "A.Tests", "PlainTests.cs"), """
            public sealed class PlainTests
            {
                [Fact]
                public void Four() { }
            }
            """);
        var bin = Path.Combine(_temp.FullName, "bin");
        Directory.CreateDirectory(bin);
        var dotnet = Path.Combine(bin, "dotnet");
        // Two test assemblies' summaries as `dotnet test` prints them, one failing; the arguments are kept for the test.
        File.WriteAllText(dotnet, $"""
            #!/bin/sh
            printf '%s\n' "$@" > '{Path.Combine(_temp.FullName, "arguments")}'
            echo 'Passed!  - Failed:     0, Passed:    22, Skipped:     1, Total:    23, Duration: 2 s - A.Tests.dll (net10.0)'
            echo 'Failed!  - Failed:     2, Passed:    10, Skipped:     0, Total:    12, Duration: 1 s - B.Tests.dll (net10.0)'
            exit 1
            """);
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return repo;
    }

    private (int Code, string Out, string Err) RunScript(string repo) =>
        ChildProcess.Run("bash", [Path.Combine(repo, "scripts", "test.sh")], TimeSpan.FromSeconds(60), env =>
        {
            env["PATH"] = Path.Combine(_temp.FullName, "bin") + ":" + env["PATH"];
            env.Remove("CI");
        });

    private string[] Arguments() => File.ReadAllLines(Path.Combine(_temp.FullName, "arguments"));

    [Fact]
    public void TestScript_WithoutSharedData_LastLineCountsTheTestMethodsLeftOut()
    {
        // Given a repository with no `shared/data` beside it
        var repo = Repository();

        // When the test script runs
        var (code, output, error) = RunScript(repo);

        // Then SharedData tests are filtered out, said on stderr, and the last line adds up both assemblies and counts
        // the three test methods of the tagged file as left out; the failing run's exit code is kept
        Assert.Equal(1, code);
        Assert.Equal(["test", "Ciem.slnx", "-c", "Release", "--filter", "Category!=SharedData"], Arguments());
        Assert.Contains("tests that read it (Category=SharedData) are left out", error, StringComparison.Ordinal);
        Assert.Equal("32 passed, 2 failed, 1 skipped, up to 3 SharedData test methods left out (../shared/data missing)",
            output.TrimEnd('\n').Split('\n')[^1]);
    }

    [Fact]
    public void TestScript_WithSharedData_RunsEverythingAndLeavesNothingOut()
    {
        // Given the same repository with `shared/data` beside it
        var repo = Repository();
        Directory.CreateDirectory(Path.Combine(_temp.FullName, "shared", "data"));

        // When the test script runs
        var (code, output, _) = RunScript(repo);

        // Then nothing is filtered and the last line says nothing was left out
        Assert.Equal(1, code);
        Assert.Equal(["test", "Ciem.slnx", "-c", "Release"], Arguments());
        Assert.Equal("32 passed, 2 failed, 1 skipped", output.TrimEnd('\n').Split('\n')[^1]);
    }
}
