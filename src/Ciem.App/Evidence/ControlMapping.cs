using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Ciem.App.Evidence;

/// <summary>A control of a framework, as the official text names it, and the bundle's sections that evidence it.</summary>
public sealed record MappedControl(string Framework, string Id, string Title, string Source, ImmutableArray<string> Sections);

/// <summary>A framework of the mapping: its key (`iso27001`, `nis2`, `dora`), its name and its controls.</summary>
public sealed record MappedFramework(string Key, string Name, ImmutableArray<MappedControl> Controls);

/// <summary>
/// The control mapping (`Evidence/controls.yml`, an embedded resource): the sections of the bundle and, per framework,
/// the controls and the sections evidencing each. <see cref="Problems"/> lists what makes a mapping unusable: a control
/// naming a section that does not exist, a section no control of a framework maps, a control without title or source.
/// </summary>
public sealed record ControlMapping(ImmutableDictionary<string, string> Sections, ImmutableArray<MappedFramework> Frameworks)
{
    public static readonly ImmutableArray<string> FrameworkKeys = ["iso27001", "nis2", "dora"];

    /// <summary>The mapping shipped with this build.</summary>
    public static ControlMapping Default { get; } = Parse(ReadResource());

    public static string ReadResource()
    {
        using var stream = typeof(ControlMapping).Assembly.GetManifestResourceStream("Ciem.App.Evidence.controls.yml")
            ?? throw new InvalidOperationException("the control mapping resource is missing from Ciem.App");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads a mapping; structural mistakes throw (the file ships with the build and is tested).</summary>
    public static ControlMapping Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var sections = ((YamlMappingNode)root["sections"]).Children.ToImmutableDictionary(c => S(c.Key), c => S(c.Value), StringComparer.Ordinal);
        var frameworks = ((YamlMappingNode)root["frameworks"]).Children.Select(f =>
        {
            var key = S(f.Key);
            var map = (YamlMappingNode)f.Value;
            var controls = ((YamlSequenceNode)map["controls"]).Children.Cast<YamlMappingNode>().Select(c => new MappedControl(key, S(c["id"]), S(c["title"]),
                S(c["source"]), [.. ((YamlSequenceNode)c["sections"]).Children.Select(S)])).ToImmutableArray();
            return new MappedFramework(key, S(map["name"]), controls);
        }).ToImmutableArray();
        return new ControlMapping(sections, frameworks);
    }

    /// <summary>What is wrong with the mapping (empty when it can be used).</summary>
    public ImmutableArray<string> Problems()
    {
        var problems = new List<string>();
        foreach (var key in FrameworkKeys.Where(k => Frameworks.All(f => f.Key != k))) { problems.Add($"framework `{key}` is missing"); }
        foreach (var f in Frameworks)
        {
            foreach (var c in f.Controls)
            {
                if (string.IsNullOrWhiteSpace(c.Title) || string.IsNullOrWhiteSpace(c.Source)) { problems.Add($"{f.Key} control `{c.Id}` has no title or source"); }
                if (c.Sections.IsEmpty) { problems.Add($"{f.Key} control `{c.Id}` maps no section"); }
                problems.AddRange(c.Sections.Where(s => !Sections.ContainsKey(s)).Select(s => $"{f.Key} control `{c.Id}` names unknown section `{s}`"));
            }
            problems.AddRange(f.Controls.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => $"{f.Key} control `{g.Key}` is listed twice"));
            problems.AddRange(Sections.Keys.Where(s => f.Controls.All(c => !c.Sections.Contains(s))).Order(StringComparer.Ordinal)
                .Select(s => $"section `{s}` is mapped to no {f.Key} control"));
        }
        return [.. problems];
    }

    private static string S(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
