using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.Import.Iac;

/// <summary>
/// Reads CloudFormation templates (JSON or YAML, long or short intrinsic-function forms): `AWS::IAM::Role`, `User`,
/// `Group`, `Policy` and `ManagedPolicy`. Intrinsic functions inside policy documents stay symbolic (`!GetAtt
/// Bucket.Arn` → `{Bucket.Arn}`, `!Ref X` → `{X}`, `!Sub` keeps its text with `${X}` → `{X}`), so they never pass for
/// policy variables; an attachment by `!Ref` to a policy of the same template uses that policy's document.
/// With a previous template the result is a before/after change; alone, everything is new.
/// </summary>
public static partial class CloudFormationReader
{
    public static IacReadResult Read(string? beforeText, string? beforeFile, string afterText, string afterFile)
    {
        ArgumentNullException.ThrowIfNull(afterText);
        var diags = new DiagnosticBag();
        var afterPolicies = new Dictionary<string, ResourcePolicyEntry>(StringComparer.Ordinal);
        var beforePolicies = new Dictionary<string, ResourcePolicyEntry>(StringComparer.Ordinal);
        var after = ReadShaped(afterText, afterFile, diags, out var iamResources, afterPolicies);
        var before = beforeText is null ? [] : ReadShaped(beforeText, beforeFile ?? "before", diags, out _, beforePolicies);
        if (after is null || before is null) { return new IacReadResult([], 0, diags.ToImmutable()); }
        var changes = after.Keys.Union(before.Keys).Select(key =>
        {
            before.TryGetValue(key, out var b);
            after.TryGetValue(key, out var a);
            return new PrincipalChange(key.Item1, key.Item2, null, [.. b?.Policies ?? []], [.. a?.Policies ?? []], b?.Trust, a?.Trust, b?.Boundary, a?.Boundary, (a ?? b)!.Location);
        }).OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal).ToImmutableArray();
        return new IacReadResult(changes, iamResources, diags.ToImmutable()) { Clouds = ResourcePolicies(beforePolicies, afterPolicies) };
    }

    private sealed class Side(SourceLocation location)
    {
        public List<GatePolicy> Policies { get; } = [];
        public GatePolicy? Trust { get; set; }
        public GatePolicy? Boundary { get; set; }
        public SourceLocation Location { get; } = location;
    }

    /// <summary>
    /// Reads a template whose members may have any shape: JSON nodes throw when an object is expected and an array or
    /// a value is found, which becomes one error for the file.
    /// </summary>
    private static Dictionary<(GatePrincipalKind, string), Side>? ReadShaped(string text, string file, DiagnosticBag diags, out int iamResources,
        Dictionary<string, ResourcePolicyEntry> resourcePolicies)
    {
        try
        {
            return ReadTemplate(text, file, diags, out iamResources, resourcePolicies);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // ArgumentException: a JSON object with a repeated key, found when the object is first read.
            iamResources = 0;
            diags.Error(DiagnosticCodes.GateNotAPlan, $"not a readable template: a member has an unexpected shape ({ex.Message.TrimEnd('.').ToLowerInvariant()})",
                new SourceLocation(File: file));
            return null;
        }
    }

    private static Dictionary<(GatePrincipalKind, string), Side>? ReadTemplate(string text, string file, DiagnosticBag diags, out int iamResources, Dictionary<string, ResourcePolicyEntry> resourcePolicies)
    {
        if (text.Length > YamlBounds.MaxChars)
        {
            iamResources = 0;
            diags.Error(DiagnosticCodes.InputTooLarge, $"the template has {text.Length} characters, more than the {YamlBounds.MaxChars} read",
                new SourceLocation(File: file));
            return null;
        }
        iamResources = 0;
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        JsonNode? root;
        var isJson = text.TrimStart().StartsWith('{');
        try
        {
            root = isJson ? JsonNode.Parse(text) : FromYaml(text, lines);
        }
        catch (Exception ex) when (ex is JsonException or YamlException or InvalidCastException or ArgumentException)
        {
            var line = ex is YamlException y ? y.Start.Line : (ex as JsonException)?.LineNumber + 1;
            diags.Error(DiagnosticCodes.GateNotAPlan, $"not a readable template: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: line));
            return null;
        }
        if (root?["Resources"] is not JsonObject resources)
        {
            diags.Error(DiagnosticCodes.GateNotAPlan, "not a cloudformation template: `Resources` is missing", new SourceLocation(File: file, JsonPath: "$"));
            return null;
        }
        iamResources = resources.Count(r => Text(r.Value?["Type"])?.StartsWith("AWS::IAM::", StringComparison.Ordinal) == true);
        SourceLocation Loc(string path) => new(File: file, Line: isJson ? JsonLineLocator.LineOf(text, path) : lines.GetValueOrDefault(path) is var l and > 0 ? l : null, JsonPath: path);
        var result = new Dictionary<(GatePrincipalKind, string), Side>();
        Side Get(GatePrincipalKind kind, string name, string path)
        {
            if (!result.TryGetValue((kind, name), out var s)) { result[(kind, name)] = s = new Side(Loc(path)); }
            return s;
        }
        string NameOf(string logicalId, string nameProperty) =>
            resources[logicalId]?["Properties"]?[nameProperty] is JsonValue v && v.TryGetValue<string>(out var n) ? n : logicalId;
        GatePolicy Document(JsonNode? node, string name, string path, PolicyKind kind = PolicyKind.Identity)
        {
            if (Symbolic(node) is not JsonObject document)
            {
                diags.Warning(DiagnosticCodes.GateBadPolicyValue, $"policy `{name}` is not a literal document (an intrinsic function or a parameter): its content is unknown", Loc(path));
                return new GatePolicy(name, null, Loc(path));
            }
            var parsed = PolicyParser.Parse(document.ToJsonString(), name, kind, Loc(path));
            diags.AddRange(parsed.Diagnostics);
            return new GatePolicy(name, parsed.Document, Loc(path)) { StatementLines = [.. parsed.Document?.Statements.Select(st => Loc(st.JsonPath).Line) ?? []] };
        }
        IEnumerable<(string Name, string Path)> Targets(JsonNode? list, string path, string nameProperty)
        {
            if (list is not JsonArray array) { yield break; }
            for (var i = 0; i < array.Count; i++)
            {
                var item = array[i];
                if (item is JsonObject o && Text(o["Ref"]) is { } logical) { yield return (NameOf(logical, nameProperty), $"{path}[{i}]"); }
                else if (item is JsonValue v && v.TryGetValue<string>(out var literal)) { yield return (literal, $"{path}[{i}]"); }
            }
        }

        // Managed policies first: roles may attach them by !Ref.
        var managed = new Dictionary<string, GatePolicy>(StringComparer.Ordinal);
        foreach (var (id, node) in resources)
        {
            if (node is not null && Text(node["Type"]) == "AWS::IAM::ManagedPolicy")
            {
                managed[id] = Document(node["Properties"]?["PolicyDocument"], NameOf(id, "ManagedPolicyName"), $"$.Resources.{id}.Properties.PolicyDocument");
            }
        }
        var attached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, node) in resources)
        {
            var type = Text(node?["Type"]);
            var props = node?["Properties"];
            var at = $"$.Resources.{id}.Properties";
            switch (type)
            {
                case "AWS::IAM::Role" or "AWS::IAM::User" or "AWS::IAM::Group":
                {
                    var kind = type.EndsWith("Role", StringComparison.Ordinal) ? GatePrincipalKind.Role : type.EndsWith("User", StringComparison.Ordinal) ? GatePrincipalKind.User : GatePrincipalKind.Group;
                    var side = Get(kind, NameOf(id, kind == GatePrincipalKind.Role ? "RoleName" : kind == GatePrincipalKind.User ? "UserName" : "GroupName"), $"$.Resources.{id}");
                    if (kind == GatePrincipalKind.Role) { side.Trust = Document(props?["AssumeRolePolicyDocument"], $"{id} trust", $"{at}.AssumeRolePolicyDocument", PolicyKind.Trust); }
                    if (props?["Policies"] is JsonArray inline)
                    {
                        for (var i = 0; i < inline.Count; i++)
                        {
                            var name = inline[i]?["PolicyName"] is JsonValue pn && pn.TryGetValue<string>(out var n) ? n : $"Policies[{i}]";
                            side.Policies.Add(Document(inline[i]?["PolicyDocument"], $"{id}#{name}", $"{at}.Policies[{i}].PolicyDocument"));
                        }
                    }
                    if (props?["ManagedPolicyArns"] is JsonArray arns)
                    {
                        for (var i = 0; i < arns.Count; i++) { side.Policies.Add(ManagedReference(arns[i], $"{at}.ManagedPolicyArns[{i}]")); }
                    }
                    if (props?["PermissionsBoundary"] is { } boundary) { side.Boundary = ManagedReference(boundary, $"{at}.PermissionsBoundary"); }
                    break;
                }
                case var t when t is not null && ResourcePolicyProperties.TryGetValue(t, out var property):
                {
                    if (props?[property] is { } document) { resourcePolicies[id] = new(t, Document(document, $"{id} policy", $"{at}.{property}", PolicyKind.Resource), document.ToJsonString(), Loc($"$.Resources.{id}")); }
                    break;
                }
                case "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy":
                {
                    var policy = type == "AWS::IAM::Policy" ? Document(props?["PolicyDocument"], NameOf(id, "PolicyName"), $"{at}.PolicyDocument") : managed[id];
                    var any = false;
                    foreach (var (prop, kind, nameProperty) in new[] { ("Roles", GatePrincipalKind.Role, "RoleName"), ("Users", GatePrincipalKind.User, "UserName"), ("Groups", GatePrincipalKind.Group, "GroupName") })
                    {
                        foreach (var (name, path) in Targets(props?[prop], $"{at}.{prop}", nameProperty))
                        {
                            Get(kind, name, path).Policies.Add(policy);
                            any = true;
                        }
                    }
                    if (!any && type == "AWS::IAM::ManagedPolicy" && !attached.Contains(id)) { Get(GatePrincipalKind.Policy, policy.Name, $"$.Resources.{id}").Policies.Add(policy); }
                    if (any) { attached.Add(id); }
                    break;
                }
            }
        }
        // A managed policy attached by a role's ManagedPolicyArns is not also checked on its own.
        foreach (var id in attached.Where(id => managed.ContainsKey(id))) { result.Remove((GatePrincipalKind.Policy, managed[id].Name)); }
        return result;

        GatePolicy ManagedReference(JsonNode? value, string path)
        {
            if (value is JsonObject o && Text(o["Ref"]) is { } logical && managed.TryGetValue(logical, out var p))
            {
                attached.Add(logical);
                return p;
            }
            if (value is JsonValue v && v.TryGetValue<string>(out var arn)) { return new GatePolicy(arn[(arn.LastIndexOf('/') + 1)..], null, Loc(path), arn); }
            return new GatePolicy(Symbolic(value)?.ToJsonString() ?? path, null, Loc(path));
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Replaces intrinsic functions by symbolic strings that the policy parser takes literally.</summary>
    private static JsonNode? Symbolic(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when o.Count == 1 && o.First() is var (key, value) && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal)):
                return JsonValue.Create(key switch
                {
                    "Ref" => $"{{{value}}}",
                    "Fn::GetAtt" => value is JsonArray a ? $"{{{string.Join('.', a.Select(x => x?.ToString()))}}}" : $"{{{value}}}",
                    "Fn::Sub" => SubVariable().Replace(value is JsonArray s ? s[0]?.ToString() ?? "" : value?.ToString() ?? "", m => m.Groups[1].Value.StartsWith('!') ? "${" + m.Groups[1].Value[1..] + "}" : "{" + m.Groups[1].Value + "}"),
                    "Fn::Join" when value is JsonArray j && j.Count == 2 && j[1] is JsonArray parts => string.Join(j[0]?.ToString(), parts.Select(p => Symbolic(p)?.ToString())),
                    _ => $"{{{key}}}",
                });
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o) { copy[k] = Symbolic(v); }
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(Symbolic)]);
            default:
                return node?.DeepClone();
        }
    }

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();

    /// <summary>YAML to JSON nodes, turning short-form tags (`!Ref`, `!Sub`, `!GetAtt a.b`) into their long forms and recording each value's line.</summary>
    private static JsonNode? FromYaml(string text, Dictionary<string, long> lines)
    {
        var stream = YamlBounds.Load(text, out var aliases);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, "$", lines, new YamlBounds.Budget(aliases));
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, long> lines, YamlBounds.Budget budget)
    {
        budget.Count(node);
        lines[path] = node.Start.Line;
        JsonNode? value = node switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value, $"{path}.{((YamlScalarNode)kv.Key).Value}", lines, budget)))),
            YamlSequenceNode s => new JsonArray([.. s.Children.Select((c, i) => Convert(c, $"{path}[{i}]", lines, budget))]),
            YamlScalarNode sc => sc.Value is null || (sc.Style == YamlDotNet.Core.ScalarStyle.Plain && sc.Value is "" or "~" or "null") ? null : JsonValue.Create(sc.Value),
            _ => null,
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null || !tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal) || tag.StartsWith("tag:", StringComparison.Ordinal)) { return value; }
        var fn = tag[1..];
        if (fn == "GetAtt" && value is JsonValue v && v.TryGetValue<string>(out var dotted))
        {
            var dot = dotted.IndexOf('.', StringComparison.Ordinal);
            value = dot < 0 ? value : new JsonArray(JsonValue.Create(dotted[..dot]), JsonValue.Create(dotted[(dot + 1)..]));
        }
        return new JsonObject { [fn == "Ref" || fn == "Condition" ? fn : "Fn::" + fn] = value };
    }
}
