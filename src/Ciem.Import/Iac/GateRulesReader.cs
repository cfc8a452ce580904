using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.Import.Iac;

/// <summary>The gate's configuration read from `ciem-rules.yml`, with diagnostics located by line.</summary>
public sealed record GateRulesReadResult(GateConfig Config, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>
/// Reads `ciem-rules.yml`:
/// <code>
/// fail-on: high
/// rules:
///   unused-grant: { enabled: false }
///   sensitive-wildcard: { severity: medium }
/// exceptions:
///   - { rule: new-admin, principal: "role/break-glass*", reason: "reviewed by security", expires: 2027-03-31 }
/// </code>
/// Never throws on content: bad YAML, unknown rules and bad values become diagnostics.
/// </summary>
public static class GateRulesReader
{
    public static GateRulesReadResult Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var diags = new DiagnosticBag();
        YamlStream stream;
        try { stream = YamlBounds.Load(text); }
        catch (YamlException ex)
        {
            diags.Error(DiagnosticCodes.GateBadRules, $"not valid yaml: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.Start.Line));
            return new GateRulesReadResult(GateConfig.Default, diags.ToImmutable());
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) { return new GateRulesReadResult(GateConfig.Default, []); }
        SourceLocation At(YamlNode node) => new(File: file, Line: node.Start.Line);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diags.Error(DiagnosticCodes.GateBadRules, "the rules file must be a mapping with `fail-on`, `rules` and `exceptions`", At(stream.Documents[0].RootNode));
            return new GateRulesReadResult(GateConfig.Default, diags.ToImmutable());
        }
        var config = GateConfig.Default;
        var rules = ImmutableDictionary.CreateBuilder<string, GateRuleSetting>(StringComparer.OrdinalIgnoreCase);
        var exceptions = ImmutableArray.CreateBuilder<GateException>();
        FindingSeverity? Severity(YamlNode node)
        {
            var value = (node as YamlScalarNode)?.Value;
            if (FindingSeverities.TryParse(value, out var s)) { return s; }
            diags.Error(DiagnosticCodes.GateBadRules, $"unknown severity `{value}`: use low, medium, high or critical", At(node));
            return null;
        }
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            switch (key)
            {
                case "fail-on":
                    if (Severity(value) is { } failOn) { config = config with { FailOn = failOn }; }
                    break;
                case "rules" when value is YamlMappingNode map:
                    foreach (var (ruleNode, settingNode) in map.Children)
                    {
                        var id = (ruleNode as YamlScalarNode)?.Value ?? "";
                        if (!GateRules.All.Any(r => r.Id == id)) { diags.Warning(DiagnosticCodes.GateBadRules, $"unknown rule `{id}`; known rules: {string.Join(", ", GateRules.All.Select(r => r.Id))}", At(ruleNode)); continue; }
                        var setting = new GateRuleSetting();
                        if (settingNode is YamlMappingNode s)
                        {
                            foreach (var (k, v) in s.Children)
                            {
                                switch ((k as YamlScalarNode)?.Value)
                                {
                                    case "enabled" when v is YamlScalarNode { Value: "true" or "false" } b: setting = setting with { Enabled = b.Value == "true" }; break;
                                    case "severity": setting = setting with { Severity = Severity(v) }; break;
                                    default: diags.Error(DiagnosticCodes.GateBadRules, $"rule `{id}`: expected `enabled: true|false` or `severity: LEVEL`", At(k)); break;
                                }
                            }
                        }
                        else { diags.Error(DiagnosticCodes.GateBadRules, $"rule `{id}` must be a mapping (`{{ enabled: false }}`, `{{ severity: low }}`)", At(settingNode)); }
                        rules[id] = setting;
                    }
                    break;
                case "exceptions" when value is YamlSequenceNode list:
                    foreach (var item in list.Children)
                    {
                        if (item is not YamlMappingNode e) { diags.Error(DiagnosticCodes.GateBadRules, "an exception must be a mapping with rule, principal, reason and expires", At(item)); continue; }
                        string? Field(string name) => e.Children.FirstOrDefault(kv => (kv.Key as YamlScalarNode)?.Value == name).Value is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;
                        var rule = Field("rule") ?? "*";
                        var principal = Field("principal");
                        var reason = Field("reason");
                        var expiresText = Field("expires");
                        if (principal is null || reason is null || expiresText is null)
                        {
                            diags.Error(DiagnosticCodes.GateBadRules, "an exception needs `principal`, `reason` and `expires` (YYYY-MM-DD)", At(item));
                            continue;
                        }
                        if (!DateOnly.TryParseExact(expiresText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
                        {
                            diags.Error(DiagnosticCodes.GateBadRules, $"`expires` must be a date (YYYY-MM-DD), not `{expiresText}`", At(item));
                            continue;
                        }
                        if (rule != "*" && !GateRules.All.Any(r => r.Id == rule)) { diags.Warning(DiagnosticCodes.GateBadRules, $"exception for unknown rule `{rule}`", At(item)); }
                        exceptions.Add(new GateException(rule, principal, reason, expires, At(item)));
                    }
                    break;
                default:
                    diags.Error(DiagnosticCodes.GateBadRules, $"unexpected `{key}`: the rules file has `fail-on` (a severity), `rules` (a mapping) and `exceptions` (a list)", At(keyNode));
                    break;
            }
        }
        return new GateRulesReadResult(config with { Rules = rules.ToImmutable(), Exceptions = exceptions.ToImmutable() }, diags.ToImmutable());
    }
}
