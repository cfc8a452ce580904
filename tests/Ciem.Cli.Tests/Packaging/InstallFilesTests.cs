using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Packaging;

/// <summary>
/// README's other two install steps — the self-contained single-file build (`scripts/publish.sh`) and the container
/// image (`Dockerfile`) — checked against the project they build. Neither is built here: a self-contained publish
/// restores the runtime packs (`Microsoft.NETCore.App.Runtime.linux-x64`, `Microsoft.AspNetCore.App.Runtime.linux-x64`)
/// from nuget.org and rebuilds the CLI for a runtime, and the machine has no container engine; so these tests read the
/// files and hold the names, flags and paths that tie them together. <see cref="ToolInstallTests"/> installs the tool.
/// </summary>
public sealed partial class InstallFilesTests
{
    private static readonly XDocument Project = XDocument.Load(TestPaths.Repo("src", "Ciem.Cli", "Ciem.Cli.csproj"));

    private static string Property(string name) => Project.Descendants(name).Single().Value;

    /// <summary>The flags that make one self-contained file; a tool package cannot be self-contained, hence PackAsTool=false.</summary>
    private static readonly string[] SingleFile =
        ["--self-contained true", "-p:PublishSingleFile=true", "-p:IncludeNativeLibrariesForSelfExtract=true", "-p:PackAsTool=false"];

    private static string[] InstallBlock()
    {
        var readme = File.ReadAllLines(TestPaths.Repo("README.md"));
        var heading = Array.IndexOf(readme, "## Install `ciem`");
        Assert.True(heading > 0, "README has no `## Install `ciem`` section");
        return [.. readme.Skip(heading + 1).SkipWhile(l => l != "```sh").Skip(1).TakeWhile(l => l != "```")];
    }

    [Fact]
    public void Readme_ToolStep_PacksTheCliAndInstallsItsPackageFromThatFolder()
    {
        // Given README's install block / When its .NET tool line is read
        var line = Assert.Single(InstallBlock(), l => l.Contains("dotnet tool install", StringComparison.Ordinal));
        var match = ToolLine().Match(line);

        // Then it packs the CLI project into the folder it installs from, under the package id the project declares,
        // and the command it puts on the PATH is `ciem`
        Assert.True(match.Success, line);
        Assert.Equal(match.Groups["out"].Value, match.Groups["source"].Value);
        Assert.Equal(Property("PackageId"), match.Groups["id"].Value);
        Assert.Equal(("true", "true", "ciem"), (Property("IsPackable"), Property("PackAsTool"), Property("ToolCommandName")));
    }

    [Fact]
    public void PublishScript_SingleFileOfTheCli_WhereReadmeInstallsItFrom()
    {
        // Given scripts/publish.sh and README's install block
        var script = File.ReadAllText(TestPaths.Repo("scripts", "publish.sh"));
        var publish = Command(script, "dotnet publish");
        var line = Assert.Single(InstallBlock(), l => l.Contains("scripts/publish.sh", StringComparison.Ordinal));

        // Then the script publishes the CLI project as one self-contained file into dist/RID, the file README installs
        // is that output under the assembly's name, and the script is executable and valid shell
        Assert.StartsWith("dotnet publish src/Ciem.Cli ", publish, StringComparison.Ordinal);
        Assert.All(SingleFile, flag => Assert.Contains(flag, publish, StringComparison.Ordinal));
        Assert.Contains("-o \"dist/$rid\"", publish, StringComparison.Ordinal);
        Assert.Contains($"install -m 0755 dist/linux-x64/{Property("AssemblyName")} ", line, StringComparison.Ordinal);
        Assert.Contains("Linux-x86_64) rid=linux-x64 ;;", script, StringComparison.Ordinal);
        var tracked = Run("git", "-C", TestPaths.RepoRoot, "ls-files", "--stage", "scripts/publish.sh");
        Assert.StartsWith("100755 ", tracked.Out, StringComparison.Ordinal);
        var syntax = Run("bash", "-n", TestPaths.Repo("scripts", "publish.sh"));
        Assert.True(syntax.Code == 0, syntax.Err);
    }

    [Fact]
    public void Dockerfile_PublishesLikeTheScriptAndRunsTheBinaryItCopies()
    {
        // Given the Dockerfile and README's container line
        var dockerfile = File.ReadAllText(TestPaths.Repo("Dockerfile"));
        var publish = Command(dockerfile, "dotnet publish");
        var line = Assert.Single(InstallBlock(), l => l.Contains("docker build", StringComparison.Ordinal));

        // Then its build stage publishes the CLI for linux-x64 with the script's single-file flags into /out, both
        // runtime stages copy /out/ciem onto the PATH and start it, and README builds the default (last, CLI) stage
        Assert.StartsWith("dotnet publish src/Ciem.Cli ", publish, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64 ", publish, StringComparison.Ordinal);
        Assert.All(SingleFile, flag => Assert.Contains(flag, publish, StringComparison.Ordinal));
        Assert.EndsWith("-o /out", publish, StringComparison.Ordinal);
        var binary = Property("AssemblyName");
        Assert.Equal(2, Regex.Count(dockerfile, $@"(?m)^COPY --from=build /out/{binary} /usr/local/bin/{binary}$"));
        Assert.Equal(2, Regex.Count(dockerfile, $@"(?m)^ENTRYPOINT \[""{binary}""\]$"));
        Assert.Contains("docker build -t ciem . ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("--target", line, StringComparison.Ordinal);
        // and the build context keeps what the publish reads (only build outputs, dist, git and stores are left out)
        var ignored = File.ReadAllLines(TestPaths.Repo(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal(["**/bin", "**/obj", "dist", ".git", "*.db"], ignored);
    }

    [Fact]
    public void Git_InstallOutputs_AreIgnored()
    {
        // Given the repository's ignore rules / When the files README's install steps write are checked by git itself
        var outputs = new[] { "dist/OpenCIEM.Cli.0.1.0.nupkg", "dist/linux-x64/ciem", "dist/win-x64/ciem.exe" };
        var check = Run("git", ["-C", TestPaths.RepoRoot, "check-ignore", "--no-index", .. outputs]);

        // Then each is ignored: installing leaves `git status` clean
        Assert.True(check.Code == 0, check.Err);
        Assert.Equal(outputs, check.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The one command of a script or a Dockerfile (`RUN …`) that begins with <paramref name="start"/>, from there to its
    /// end, its `\`-continued lines joined and blanks collapsed; comments are not commands.
    /// </summary>
    private static string Command(string text, string start)
    {
        var joined = Regex.Replace(text.Replace("\\\n", " ", StringComparison.Ordinal), @"[ \t]+", " ");
        var line = Assert.Single(joined.Split('\n'), l => !l.TrimStart().StartsWith('#') && l.Contains(start, StringComparison.Ordinal));
        return line[line.IndexOf(start, StringComparison.Ordinal)..].Trim();
    }

    private static (int Code, string Out, string Err) Run(string file, params string[] args) =>
        ChildProcess.Run(file, args, TimeSpan.FromSeconds(30));

    [GeneratedRegex(@"^dotnet pack src/Ciem\.Cli -c Release -o (?<out>\S+) && "
        + @"dotnet tool install --global --add-source (?<source>\S+) (?<id>\S+)\s")]
    private static partial Regex ToolLine();
}
