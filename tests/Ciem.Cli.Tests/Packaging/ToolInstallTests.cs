using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Packaging;

/// <summary>
/// README's first install step, as a user runs it: the CLI packed as a .NET tool, installed with `dotnet tool install`
/// from the packed folder alone (a NuGet configuration that clears every other source: no network), then the installed
/// `ciem` run as a separate process on a real export. The CLI this test project built is packed (`--no-build`), into a
/// temporary folder, so the test adds no build and leaves the repository's `bin` as it was.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class ToolInstallTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("ciem-tool-install-");

    public void Dispose() => _temp.Delete(recursive: true);

    private string Temp(string name) => Path.Combine(_temp.FullName, name);

    [Fact]
    public void ToolPackage_PackedAndInstalledFromTheFolderOnly_RunsAsCiemOnARealExport()
    {
        // Given the CLI packed as README says, into a folder that is the only package source
        var project = XDocument.Load(TestPaths.Repo("src", "Ciem.Cli", "Ciem.Cli.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;
        var feed = Temp("feed");
        var pack = Dotnet("pack", TestPaths.Repo("src", "Ciem.Cli", "Ciem.Cli.csproj"), "-c", Configuration(), "--no-build",
            "-o", feed, "-p:PublishDir=" + Temp("publish") + Path.DirectorySeparatorChar, "--disable-build-servers");
        Assert.True(pack.Code == 0, pack.Out + pack.Err);
        Assert.Equal([$"{Property("PackageId")}.{Property("Version")}.nupkg"], Directory.GetFiles(feed).Select(f => Path.GetFileName(f)));
        File.WriteAllText(Temp("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        // When it is installed as a tool in a folder of its own
        var tools = Temp("tools");
        var install = Dotnet("tool", "install", "--tool-path", tools, "--add-source", feed, "--configfile", Temp("nuget.config"),
            Property("PackageId"));

        // Then `ciem` is there, and it is this build: the same version and commit as the CLI the tests ran in-process
        Assert.True(install.Code == 0, install.Out + install.Err);
        var installed = $"'{Property("PackageId").ToLowerInvariant()}' (version '{Property("Version")}') was successfully installed";
        Assert.Contains(installed, install.Out, StringComparison.Ordinal);
        var ciem = Path.Combine(tools, Property("ToolCommandName"));
        Assert.True(File.Exists(ciem), $"no `{ciem}` after the install: {install.Out}");
        var version = Ciem(ciem, "--version");
        Assert.Equal((0, Informational()), (version.Code, version.Out.Trim()));
        Assert.StartsWith(Property("Version") + "+", version.Out, StringComparison.Ordinal);

        // And its help lists the commands, and bash, given its completion script, completes commands and options
        var help = Ciem(ciem, "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("ciem [command] [options]", help.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+identities\s", help.Out);
        var completion = Ciem(ciem, "completion", "bash");
        Assert.Equal(0, completion.Code);
        Assert.EndsWith("complete -o default -F _ciem ciem\n", completion.Out, StringComparison.Ordinal);
        File.WriteAllText(Temp("ciem.bash"), completion.Out);
        var completed = Run("bash", ["-c", """
            source "$1"
            complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ciem; echo "${COMPREPLY[*]}"; }
            complete_words ciem imp; complete_words ciem import a; complete_words ciem identities --fo
            """, "bash", Temp("ciem.bash")], home: Temp("home"));
        Assert.True(completed.Code == 0, completed.Err);
        Assert.Equal(["import", "aws azure azure-activity", "--format"], completed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // And it imports the cloudsplaining example export (two real accounts) and lists its identities as JSON
        var db = Temp("ciem.db");
        var export = TestPaths.Shared("cloudsplaining-authz-details", "examples", "files", "example.json");
        var import = Ciem(ciem, "import", "aws", export, "--db", db);
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("imported 211 records, skipped 0, quarantined 0", import.Out, StringComparison.Ordinal);
        var listed = Ciem(ciem, "identities", "--db", db, "--format", "json");
        Assert.True(listed.Code == 0, listed.Err);
        using var json = JsonDocument.Parse(listed.Out);
        Assert.Equal("ciem.identities/1", json.RootElement.GetProperty("schema").GetString());
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Equal(122, items.Count);
        Assert.Equal(44, items.Values.Count(i => i.GetProperty("kind").GetString() == "human"));
        var obama = items["arn:aws:iam::012345678901:user/obama"];
        Assert.Equal("administrator", obama.GetProperty("adminCategory").GetString());
        Assert.True(obama.GetProperty("fullAdmin").GetBoolean());
        Assert.Equal("none", items["arn:aws:iam::012345678901:user/biden"].GetProperty("adminCategory").GetString());
        var privesc = items["arn:aws:iam::200611803367:user/privesc4-CreateAccessKey-user"];
        Assert.Equal("can-become-administrator", privesc.GetProperty("adminCategory").GetString());
        Assert.Equal(1, privesc.GetProperty("granted").GetInt32());
        // and answers exactly as the CLI run in-process does on the same store
        using var cli = new CliRunner();
        var inProcess = cli.Run("identities", "--db", db, "--format", "json");
        Assert.Equal(0, inProcess.Code);
        Assert.Equal(Items(inProcess.Out), Items(listed.Out));
    }

    private static string Items(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("items").GetRawText();
    }

    /// <summary>The configuration this test project was built in (`…/bin/Release/net10.0/`): the CLI's is the same.</summary>
    private static string Configuration() => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string Informational() =>
        typeof(CiemApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>The `dotnet` that runs these tests (`dotnet test` names it), else the one on the PATH.</summary>
    private static (int Code, string Out, string Err) Dotnet(params string[] args) =>
        Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet", args, null);

    /// <summary>The installed `ciem`, with a home of its own (no configuration file or store of the machine's user).</summary>
    private (int Code, string Out, string Err) Ciem(string ciem, params string[] args) => Run(ciem, args, home: Temp("home"));

    private static (int Code, string Out, string Err) Run(string file, string[] args, string? home) =>
        ChildProcess.Run(file, args, Limit, env => Isolate(env, home));

    private static void Isolate(IDictionary<string, string?> env, string? home)
    {
        // The test host runs under `dotnet test`, whose MSBuild variables would steer a child `dotnet`.
        foreach (var name in env.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            env.Remove(name);
        }
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        if (home is not null)
        {
            Directory.CreateDirectory(home);
            env["HOME"] = home;
            foreach (var name in env.Keys.Where(k => k.StartsWith("CIEM_", StringComparison.Ordinal)).ToList()) { env.Remove(name); }
        }
        // The tool's launcher finds the runtime beside the `dotnet` that runs these tests.
        if (Path.GetDirectoryName(Environment.ProcessPath) is { } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            env["DOTNET_ROOT"] = root;
        }
    }
}
