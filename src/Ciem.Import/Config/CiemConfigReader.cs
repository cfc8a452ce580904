using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.Import.Config;

/// <summary>The `ciem.yml` settings shared by propose, the sweep and the review programme, with located diagnostics.</summary>
public sealed record CiemConfigReadResult(ProposalExclusions Exclusions, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>
/// Reads `ciem.yml`. The `exclusions` section lists identities no proposal touches (docs/least-privilege.md):
/// <code>
/// exclusions:
///   defaults: true                 # keep the built-in break-glass names and tags
///   names:
///     - emergency-admin            # a name (glob), in any account
///     - { name: "111111111111/ops-root", reason: "security team's break-glass" }
///   tags:
///     - break-glass                # a tag key, any value but false
///     - { key: tier, value: protected, reason: "protected by policy" }
/// </code>
/// Other top-level sections belong to other features and are left alone; inside `exclusions` an unknown key is an
/// error with its line and the keys that exist, so a typo never silently drops a protection. Never throws on content.
/// </summary>
public static class CiemConfigReader
{
    public const string DefaultFileName = "ciem.yml";
    private static readonly string[] SectionKeys = ["defaults", "names", "tags"];
    private static readonly string[] NameKeys = ["name", "reason"];
    private static readonly string[] TagKeys = ["key", "value", "reason"];
    private const string ConfiguredReason = "configured in ciem.yml";

    public static CiemConfigReadResult Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var diags = new DiagnosticBag();
        YamlStream stream;
        // Bounded as the other YAML inputs are (size, depth, aliases); the library's other exceptions become located errors.
        try { stream = Iac.YamlBounds.Load(text); }
        catch (YamlException ex)
        {
            diags.Error(DiagnosticCodes.ConfigNotYaml, $"not valid yaml: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.Start.Line));
            return new CiemConfigReadResult(ProposalExclusions.Default, diags.ToImmutable());
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new CiemConfigReadResult(ProposalExclusions.Default, []);
        }
        SourceLocation At(YamlNode node) => new(File: file, Line: node.Start.Line);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diags.Error(DiagnosticCodes.ConfigBadValue, "the configuration must be a mapping of sections (e.g. `exclusions:`)", At(stream.Documents[0].RootNode));
            return new CiemConfigReadResult(ProposalExclusions.Default, diags.ToImmutable());
        }
        var exclusions = ProposalExclusions.Default;
        foreach (var (keyNode, value) in root.Children)
        {
            if ((keyNode as YamlScalarNode)?.Value != "exclusions") { continue; }
            exclusions = ReadExclusions(value, diags, At);
        }
        return new CiemConfigReadResult(exclusions, diags.ToImmutable());
    }

    private static ProposalExclusions ReadExclusions(YamlNode node, DiagnosticBag diags, Func<YamlNode, SourceLocation> at)
    {
        if (node is YamlScalarNode { Value: null or "" }) { return ProposalExclusions.Default; }
        if (node is not YamlMappingNode map)
        {
            diags.Error(DiagnosticCodes.ConfigBadValue, "`exclusions` must be a mapping with `defaults`, `names` and `tags`", at(node));
            return ProposalExclusions.Default;
        }
        var defaults = true;
        var names = ImmutableArray.CreateBuilder<ExcludedName>();
        var tags = ImmutableArray.CreateBuilder<ExcludedTag>();
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "defaults":
                    if (v is YamlScalarNode { Value: "true" or "false" } b) { defaults = b.Value == "true"; }
                    else { diags.Error(DiagnosticCodes.ConfigBadValue, $"`exclusions.defaults` must be `true` or `false`, not `{Text(v)}`", at(v)); }
                    break;
                case "names":
                    foreach (var item in Items(v, "exclusions.names", diags, at))
                    {
                        var (pattern, reason) = Entry(item, "name", NameKeys, "exclusions.names", diags, at);
                        if (pattern is not null) { names.Add(new ExcludedName(pattern, reason ?? ConfiguredReason)); }
                    }
                    break;
                case "tags":
                    foreach (var item in Items(v, "exclusions.tags", diags, at))
                    {
                        var (tagKey, reason) = Entry(item, "key", TagKeys, "exclusions.tags", diags, at);
                        var tagValue = item is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("value"), out var tv) ? Text(tv) : null;
                        if (tagKey is not null) { tags.Add(new ExcludedTag(tagKey, tagValue, reason ?? ConfiguredReason)); }
                    }
                    break;
                default:
                    diags.Error(DiagnosticCodes.ConfigUnknownKey, $"unknown key `{key}` in `exclusions`{Suggest(key, SectionKeys)}; known keys: {string.Join(", ", SectionKeys)}", at(k));
                    break;
            }
        }
        return new ProposalExclusions(names.ToImmutable(), tags.ToImmutable(), defaults);
    }

    private static IEnumerable<YamlNode> Items(YamlNode node, string where, DiagnosticBag diags, Func<YamlNode, SourceLocation> at)
    {
        if (node is YamlSequenceNode seq) { return seq.Children; }
        if (node is YamlScalarNode { Value: null or "" }) { return []; }
        diags.Error(DiagnosticCodes.ConfigBadValue, $"`{where}` must be a list", at(node));
        return [];
    }

    /// <summary>A plain string, or a mapping with the main key and `reason`; unknown keys are located errors.</summary>
    private static (string? Main, string? Reason) Entry(YamlNode item, string mainKey, string[] known, string where, DiagnosticBag diags, Func<YamlNode, SourceLocation> at)
    {
        if (item is YamlScalarNode { Value: { Length: > 0 } plain }) { return (plain, null); }
        if (item is not YamlMappingNode m)
        {
            diags.Error(DiagnosticCodes.ConfigBadValue, $"an entry of `{where}` must be a string or a mapping with `{mainKey}`", at(item));
            return (null, null);
        }
        string? main = null, reason = null;
        foreach (var (k, v) in m.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (key == mainKey) { main = Text(v); }
            else if (key == "reason") { reason = Text(v); }
            else if (!known.Contains(key))
            {
                diags.Error(DiagnosticCodes.ConfigUnknownKey, $"unknown key `{key}` in an entry of `{where}`{Suggest(key, known)}; known keys: {string.Join(", ", known)}", at(k));
            }
        }
        if (string.IsNullOrEmpty(main))
        {
            diags.Error(DiagnosticCodes.ConfigBadValue, $"an entry of `{where}` has no `{mainKey}`", at(item));
            return (null, null);
        }
        return (main, reason);
    }

    private static string? Text(YamlNode node) => (node as YamlScalarNode)?.Value;

    /// <summary>` (did you mean `names`?)` for a key one or two edits away from a known one.</summary>
    public static string Suggest(string key, string[] known)
    {
        var best = known.Select(k => (k, d: Distance(key.ToLowerInvariant(), k))).OrderBy(x => x.d).First();
        return best.d <= 2 ? $" (did you mean `{best.k}`?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var prev = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var temp = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = temp;
            }
        }
        return row[b.Length];
    }
}
