using System.Reflection;
using Ciem.App;
using Ciem.Core.Model;
using Ciem.Demo;
using Ciem.Storage;

namespace Ciem.Cli.Tests.Architecture;

/// <summary>
/// The dependency rules of ARCHITECTURE.md, read from the compiled assemblies (as NodaTime checks its invariants by
/// reflection): a reference a rule forbids fails here, whatever the project files say.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly Assembly Core = typeof(Provider).Assembly;
    private static readonly Assembly Import = typeof(Ciem.Import.Usage.UsageEvent).Assembly;
    private static readonly Assembly Storage = typeof(ICiemStore).Assembly;
    private static readonly Assembly App = typeof(CiemSession).Assembly;
    private static readonly Assembly Demo = typeof(DemoOptions).Assembly;
    private static readonly Assembly Collect = typeof(Ciem.Collect.Aws.AwsCollector).Assembly;

    /// <summary>Hosts' libraries: a console, a command-line parser, a web framework.</summary>
    private static readonly string[] HostLibraries = ["System.Console", "System.CommandLine", "Spectre.Console", "Microsoft.AspNetCore"];

    public static TheoryData<string, string[]> OursAllowed => new()
    {
        { "Ciem.Core", [] },
        { "Ciem.Import", ["Ciem.Core"] },
        { "Ciem.Storage", ["Ciem.Core"] },
        { "Ciem.Demo", ["Ciem.Core"] },
        { "Ciem.App", ["Ciem.Core", "Ciem.Demo", "Ciem.Import", "Ciem.Storage"] },
        { "Ciem.Collect", ["Ciem.Core", "Ciem.Import", "Ciem.Storage", "Ciem.App"] },
    };

    [Theory]
    [MemberData(nameof(OursAllowed))]
    public void References_OurAssemblies_OnlyThoseBelowInTheLayering(string assembly, string[] allowed)
    {
        // Given one of our libraries
        var references = Named(assembly).GetReferencedAssemblies().Select(r => r.Name!).ToList();

        // When its references to our own assemblies (the `ciem` host included) are listed
        var ours = references.Where(r => r.StartsWith("Ciem.", StringComparison.Ordinal) || r == "ciem").Order(StringComparer.Ordinal).ToArray();

        // Then they are among those the layering allows
        Assert.Empty(ours.Except(allowed, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Ciem.Core")]
    [InlineData("Ciem.App")]
    [InlineData("Ciem.Collect")]
    public void References_NoHostLibrary(string assembly)
    {
        // Given Core or App, which every host shares
        // When their references are listed
        var hosts = Named(assembly).GetReferencedAssemblies().Select(r => r.Name!)
            .Where(r => HostLibraries.Any(h => r == h || r.StartsWith(h + ".", StringComparison.Ordinal))).ToArray();

        // Then none is a console, command-line or web library
        Assert.Empty(hosts);
    }

    [Fact]
    public void Rules_SeeTheAssembliesTheyName()
    {
        // Given the assemblies the rules load by type
        // When their names are read
        // Then they are the projects the rules name (a renamed project cannot pass the rules by vanishing)
        Assert.Equal(["Ciem.App", "Ciem.Collect", "Ciem.Core", "Ciem.Demo", "Ciem.Import", "Ciem.Storage"],
            new[] { Core, Import, Storage, App, Demo, Collect }.Select(a => a.GetName().Name!).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(App.GetReferencedAssemblies(), r => r.Name == "Ciem.Storage");
    }

    private static Assembly Named(string name) =>
        new[] { Core, Import, Storage, App, Demo, Collect }.Single(a => a.GetName().Name == name);
}
