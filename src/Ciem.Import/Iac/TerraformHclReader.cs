using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Iac;

/// <summary>
/// One Terraform module folder as text: its `.tf` files (path, text) and a way to read the files `file("…")` names,
/// relative to the folder (null when missing).
/// </summary>
public sealed record TerraformModule(IReadOnlyList<(string Path, string Text)> Files, Func<string, string?> ReadFile)
{
    /// <summary>`terraform.tfvars`, `*.auto.tfvars` (and their `.json` forms) of the folder, as (path, text).</summary>
    public IReadOnlyList<(string Path, string Text)> VariableFiles { get; init; } = [];

    /// <summary>Reads the folder a local `module` source names (`./modules/x`, relative to this folder); null when it cannot.</summary>
    public Func<string, TerraformModule?>? ReadModule { get; init; }
}

/// <summary>
/// Reads the policy-bearing resources of Terraform source (no plan): `aws_iam_role` (trust, `inline_policy` blocks,
/// `managed_policy_arns`, `permissions_boundary`), `aws_iam_user`, `aws_iam_group`, `aws_iam_{role,user,group}_policy`,
/// `aws_iam_policy` with its attachments, and `aws_iam_policy_document` data sources. A policy may be `jsonencode({…})`,
/// a heredoc, a string, `file("…")` or a policy document's `.json`. Interpolations and references stay symbolic
/// (`${var.x}` → `{var.x}`, `aws_s3_bucket.b.arn` → `{aws_s3_bucket.b.arn}`) so they never pass for policy variables;
/// where a symbol would decide the actions, the effect or the statements (`actions = var.list`, `dynamic` blocks,
/// functions) the policy is unknown content: indeterminate, never skipped. Locations are the `.tf` file and line.
/// </summary>
public static partial class TerraformHclReader
{
    public static IacReadResult Read(TerraformModule? before, TerraformModule after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var diags = new DiagnosticBag();
        var a = ReadModule(after, diags, out var iamResources);
        var b = before is null ? [] : ReadModule(before, diags, out _);
        // A principal whose policies read the same on both sides is not touched by the change (not even when unknown).
        var changes = a.Keys.Union(b.Keys).Where(key => before is null || !b.TryGetValue(key, out var x) || !a.TryGetValue(key, out var y) || x.Fingerprint() != y.Fingerprint()).Select(key =>
        {
            b.TryGetValue(key, out var x);
            a.TryGetValue(key, out var y);
            return new PrincipalChange(key.Item1, key.Item2, null, [.. x?.Policies ?? []], [.. y?.Policies ?? []], x?.Trust, y?.Trust, x?.Boundary, y?.Boundary, (y ?? x)!.Location);
        }).OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal).ToImmutableArray();
        var clouds = ReadClouds(before, after, diags);
        return new IacReadResult(changes, iamResources, diags.ToImmutable()) { Clouds = clouds };
    }

    private sealed class Side(SourceLocation location, Dictionary<GatePolicy, string> texts)
    {
        public List<GatePolicy> Policies { get; } = [];
        public GatePolicy? Trust { get; set; }
        public GatePolicy? Boundary { get; set; }
        public SourceLocation Location { get; } = location;

        /// <summary>The resolved text of every policy, trust and boundary, to tell an untouched principal.</summary>
        public string Fingerprint() => string.Join('\u0000', Policies.Select(Text).Order(StringComparer.Ordinal).Prepend("boundary:" + (Boundary is null ? "" : Text(Boundary))).Prepend("trust:" + (Trust is null ? "" : Text(Trust))));

        private string Text(GatePolicy p) => texts.TryGetValue(p, out var t) ? t : p.Arn ?? p.Name;
    }

    private static Dictionary<(GatePrincipalKind, string), Side> ReadModule(TerraformModule module, DiagnosticBag diags, out int iamResources,
        IReadOnlyDictionary<string, string>? inputs = null, int depth = 0)
    {
        // Variables (defaults, tfvars, a module's inputs) and locals become concrete where the repository defines them.
        module = TerraformValues.Collect(module, diags, inputs).Apply(module);
        var texts = module.Files.ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);
        var blocks = module.Files.SelectMany(f => TerraformSource.ParseBlocks(f.Path, f.Text, diags)).ToList();
        iamResources = blocks.Count(b => b.Type.StartsWith("aws_iam_", StringComparison.Ordinal));
        var result = new Dictionary<(GatePrincipalKind, string), Side>();
        var sourceTexts = new Dictionary<GatePolicy, string>(ReferenceEqualityComparer.Instance);
        Side Get(GatePrincipalKind kind, string name, SourceLocation at)
        {
            if (!result.TryGetValue((kind, name), out var s)) { result[(kind, name)] = s = new Side(at, sourceTexts); }
            return s;
        }
        var documents = blocks.Where(b => b is { Kind: "data", Type: "aws_iam_policy_document" }).GroupBy(b => b.Label, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var principalTypes = new Dictionary<string, GatePrincipalKind>(StringComparer.Ordinal)
        {
            ["aws_iam_role"] = GatePrincipalKind.Role,
            ["aws_iam_user"] = GatePrincipalKind.User,
            ["aws_iam_group"] = GatePrincipalKind.Group,
        };
        string NameOf(HclBlock b) => b.Attribute("name")?.Value is { } v ? Symbolic(v) ?? $"{{{v.Trim()}}}" : b.Label;
        var names = blocks.Where(b => b.Kind == "resource" && principalTypes.ContainsKey(b.Type)).GroupBy(b => b.Address, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => NameOf(g.First()), StringComparer.Ordinal);
        // A principal named by a literal, by `aws_iam_role.x.name`/`.id`, or kept symbolic.
        string Principal(string value)
        {
            var t = value.Trim();
            var parts = t.Split('.');
            if (parts.Length == 3 && parts[2] is "name" or "id" or "arn" && names.TryGetValue($"{parts[0]}.{parts[1]}", out var n)) { return n; }
            return Symbolic(t) ?? $"${{{t}}}";
        }

        var context = new PolicyContext(module, texts, documents, diags, sourceTexts);
        GatePolicy Policy(HclBlock owner, HclAttribute? attribute, string name, PolicyKind kind) => ReadPolicy(context, owner, attribute, name, kind);

        // Terraform refuses two resources of one address; so does the gate, keeping the first and saying where.
        var managed = new Dictionary<string, GatePolicy>(StringComparer.Ordinal);
        foreach (var b in blocks.Where(b => b is { Kind: "resource", Type: "aws_iam_policy" }))
        {
            if (managed.ContainsKey(b.Label))
            {
                diags.Error(DiagnosticCodes.IacUnbalancedBlock, $"`aws_iam_policy.{b.Label}` is declared twice: the second is ignored", new SourceLocation(b.File, b.Line));
                continue;
            }
            managed[b.Label] = Policy(b, b.Attribute("policy"), NameOf(b), PolicyKind.Identity);
        }
        var attached = new HashSet<string>(StringComparer.Ordinal);
        GatePolicy Reference(HclBlock owner, string value, int line)
        {
            var t = value.Trim();
            var parts = t.Split('.');
            if (parts is ["aws_iam_policy", var label, "arn" or "id"] && managed.TryGetValue(label, out var p))
            {
                attached.Add(label);
                return p;
            }
            var arn = TerraformSource.Literal(t) ?? $"{{{t}}}";
            return new GatePolicy(arn[(arn.LastIndexOf('/') + 1)..], null, new SourceLocation(owner.File, line), TerraformSource.Literal(t));
        }

        foreach (var b in blocks.Where(b => b.Kind == "resource"))
        {
            var at = new SourceLocation(b.File, b.Line);
            switch (b.Type)
            {
                case "aws_iam_role" or "aws_iam_user" or "aws_iam_group":
                {
                    var kind = principalTypes[b.Type];
                    var side = Get(kind, names[b.Address], at);
                    if (kind == GatePrincipalKind.Role)
                    {
                        side.Trust = Policy(b, b.Attribute("assume_role_policy"), $"{names[b.Address]} trust", PolicyKind.Trust);
                        foreach (var inline in TerraformSource.NestedBlocks(b.File, texts[b.File], b.Span, diags).Where(n => n.Type == "inline_policy"))
                        {
                            var policyName = inline.Attribute("name")?.Value is { } v ? Symbolic(v) ?? v.Trim() : $"inline_policy:{inline.Line}";
                            side.Policies.Add(Policy(b, inline.Attribute("policy") ?? new HclAttribute("policy", "", default, inline.Line, ""), policyName, PolicyKind.Identity));
                        }
                        if (b.Attribute("managed_policy_arns") is { } arns)
                        {
                            foreach (var item in ListItems(arns.Value)) { side.Policies.Add(Reference(b, item, arns.Line)); }
                        }
                    }
                    if (b.Attribute("permissions_boundary") is { } boundary) { side.Boundary = Reference(b, boundary.Value, boundary.Line); }
                    break;
                }
                case "aws_iam_role_policy" or "aws_iam_user_policy" or "aws_iam_group_policy":
                {
                    var kindName = b.Type.Split('_')[2];
                    var kind = principalTypes[$"aws_iam_{kindName}"];
                    var target = b.Attribute(kindName)?.Value;
                    var name = target is null ? $"${{{b.Address}}}" : Principal(target);
                    Get(kind, name, at).Policies.Add(Policy(b, b.Attribute("policy"), NameOf(b), PolicyKind.Identity));
                    break;
                }
                case "aws_iam_role_policy_attachment" or "aws_iam_user_policy_attachment" or "aws_iam_group_policy_attachment":
                {
                    var kindName = b.Type.Split('_')[2];
                    var target = b.Attribute(kindName)?.Value;
                    var arn = b.Attribute("policy_arn");
                    var name = target is null ? $"${{{b.Address}}}" : Principal(target);
                    Get(principalTypes[$"aws_iam_{kindName}"], name, at).Policies.Add(arn is null ? new GatePolicy(b.Address, null, at) : Reference(b, arn.Value, arn.Line));
                    break;
                }
                case "aws_iam_policy_attachment":
                {
                    var arn = b.Attribute("policy_arn");
                    foreach (var (list, kind) in new[] { ("roles", GatePrincipalKind.Role), ("users", GatePrincipalKind.User), ("groups", GatePrincipalKind.Group) })
                    {
                        if (b.Attribute(list) is not { } targets) { continue; }
                        foreach (var item in ListItems(targets.Value))
                        {
                            Get(kind, Principal(item), at).Policies.Add(arn is null ? new GatePolicy(b.Address, null, at) : Reference(b, arn.Value, arn.Line));
                        }
                    }
                    break;
                }
                default:
                    break;
            }
        }
        // A customer policy attached to nothing in the module is checked on its own.
        foreach (var (label, policy) in managed.Where(m => !attached.Contains(m.Key)))
        {
            var block = blocks.First(b => b is { Kind: "resource", Type: "aws_iam_policy" } && b.Label == label);
            Get(GatePrincipalKind.Policy, policy.Name, new SourceLocation(block.File, block.Line)).Policies.Add(policy);
        }
        iamResources += FollowModules(module, diags, result, depth);
        return result;
    }

    /// <summary>What reading a `policy` attribute needs from its module: files, policy-document data sources, diagnostics, the texts that fingerprint a side.</summary>
    private sealed record PolicyContext(TerraformModule Module, Dictionary<string, string> Texts, Dictionary<string, HclBlock> Documents, DiagnosticBag Diags, Dictionary<GatePolicy, string> SourceTexts);

    /// <summary>A policy attribute (`jsonencode`, heredoc, string, `file()`, `data.aws_iam_policy_document.X.json`) as a parsed policy, else unknown content (CIEM6430).</summary>
    private static GatePolicy ReadPolicy(PolicyContext c, HclBlock owner, HclAttribute? attribute, string name, PolicyKind kind)
    {
        var at = new SourceLocation(owner.File, attribute?.Line ?? owner.Line);
        if (attribute is null)
        {
            c.Diags.Warning(DiagnosticCodes.HclUnknownPolicy, $"`{owner.Address}` has no policy: its content is unknown", at);
            return new GatePolicy(name, null, at);
        }
        var value = attribute.Value.Trim();
        string? json = null;
        string? problem = null;
        ImmutableArray<long?> lines = [];
        if (value.StartsWith("jsonencode(", StringComparison.Ordinal) && value.EndsWith(')'))
        {
            var i = "jsonencode(".Length;
            var marks = new List<int>();
            var node = Expression(value, ref i, false, ref problem, collect: marks);
            lines = [.. marks.Select(m => (long?)(attribute.Line + value.AsSpan(0, m).Count('\n')))];
            if (problem is null && TerraformSource.SkipTrivia(value, i, newlines: true) != value.Length - 1) { problem = "an expression follows the document"; }
            json = problem is null ? node?.ToJsonString() : null;
        }
        else if (value.StartsWith("<<", StringComparison.Ordinal))
        {
            var firstLine = value.IndexOf('\n', StringComparison.Ordinal);
            var lastLine = value.LastIndexOf('\n');
            json = firstLine < 0 || lastLine <= firstLine ? null : Interpolations(value[(firstLine + 1)..lastLine], ref problem);
            lines = json is null ? [] : StatementLines(json, attribute.Line);
        }
        else if (value.StartsWith('"'))
        {
            var i = 0;
            json = Expression(value, ref i, true, ref problem)?.GetValue<string>();
        }
        else if (FileCall().Match(value) is { Success: true } file)
        {
            var path = file.Groups[1].Value;
            json = c.Module.ReadFile(path);
            if (json is null)
            {
                problem = $"`{path}` cannot be read: only regular files inside the work tree, up to {WorkTreeFiles.MaxFileBytes} bytes, are read";
            }
        }
        else if (TerraformSource.DocumentAddress(value) is { } address)
        {
            var label = address[(address.LastIndexOf('.') + 1)..];
            if (c.Documents.TryGetValue(label, out var document))
            {
                (json, lines) = PolicyDocument(document, c.Texts[document.File], c.Diags, ref problem);
                // Findings point at the statements of the data source, in its own file.
                if (json is not null) { at = new SourceLocation(document.File, document.Line); }
            }
            else { problem = $"`{address}` is not defined in the module"; }
        }
        else { problem = $"`{Shorten(value)}` is not a literal document"; }
        if (json is null)
        {
            c.Diags.Warning(DiagnosticCodes.HclUnknownPolicy, $"policy `{name}` of `{owner.Address}` is unknown content: {problem ?? "not a document"}", at);
            var unknown = new GatePolicy(name, null, at);
            c.SourceTexts[unknown] = "?" + value;
            return unknown;
        }
        var parsed = PolicyParser.Parse(json, name, kind, at);
        c.Diags.AddRange(parsed.Diagnostics);
        var known = new GatePolicy(name, parsed.Document, at) { StatementLines = lines };
        c.SourceTexts[known] = name + "\u0000" + json;
        return known;
    }

    /// <summary>The line of each statement of a JSON policy whose first line is the line after <paramref name="line"/>.</summary>
    private static ImmutableArray<long?> StatementLines(string json, long line)
    {
        if (JsonLineLocator.LineOf(json, "$.Statement[0]") is null) { return JsonLineLocator.LineOf(json, "$.Statement") is { } single ? [single + line] : []; }
        var result = ImmutableArray.CreateBuilder<long?>();
        for (var k = 0; JsonLineLocator.LineOf(json, $"$.Statement[{k}]") is { } l; k++) { result.Add(l + line); }
        return result.ToImmutable();
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..57] + "..." : value;

    /// <summary>The items of a list expression `[a, "b"]` as raw text, or the whole value when it is not a list literal.</summary>
    private static IEnumerable<string> ListItems(string value)
    {
        var t = value.Trim();
        return t.StartsWith('[') && t.EndsWith(']') ? TerraformSource.ListItems(t).Select(s => t[s.Start..s.End]) : [t];
    }

    /// <summary>A string expression with interpolations kept symbolic, or null when it is not a single quoted string.</summary>
    private static string? Symbolic(string value)
    {
        var t = value.Trim();
        if (!t.StartsWith('"')) { return null; }
        string? problem = null;
        var i = 0;
        var node = Expression(t, ref i, true, ref problem);
        return problem is null && i == t.Length ? node?.GetValue<string>() : null;
    }

    /// <summary>`${x}` → `{x}`, `$${x}` → `${x}` (a policy variable); template directives (`%{`) make the text unknown.</summary>
    private static string? Interpolations(string text, ref string? problem)
    {
        var escaped = text.Replace("$${", "\u0001", StringComparison.Ordinal).Replace("%%{", "\u0002", StringComparison.Ordinal);
        if (escaped.Contains("%{", StringComparison.Ordinal)) { problem = "a template directive (`%{`)"; return null; }
        var replaced = Interpolation().Replace(escaped, m => "{" + m.Groups[1].Value.Trim() + "}");
        if (replaced.Contains("${", StringComparison.Ordinal)) { problem = "a nested interpolation"; return null; }
        return replaced.Replace("\u0001", "${", StringComparison.Ordinal).Replace("\u0002", "%{", StringComparison.Ordinal);
    }

    private static readonly HashSet<string> SymbolicKeys = new(StringComparer.Ordinal) { "Resource", "NotResource", "Principal", "NotPrincipal", "Condition", "Sid" };

    /// <summary>
    /// An HCL expression made of objects, tuples, strings, numbers, booleans and null as JSON; references are kept
    /// symbolic where <paramref name="symbolicOk"/> (resources, principals, conditions), otherwise they set <paramref name="problem"/>.
    /// </summary>
    /// <param name="collect">for the document: where the offsets of the statements of its `Statement` go.</param>
    /// <param name="marks">for a `Statement` value: the list its statement offsets are added to.</param>
    private static JsonNode? Expression(string t, ref int i, bool symbolicOk, ref string? problem, List<int>? collect = null, List<int>? marks = null,
        int depth = 0)
    {
        // Pull-request input: a nesting this deep is no policy, and recursing on it would overflow the stack.
        if (depth > TerraformSource.MaxNesting) { problem = $"the expression is nested deeper than {TerraformSource.MaxNesting} levels"; return null; }
        i = TerraformSource.SkipTrivia(t, i, newlines: true);
        if (i >= t.Length) { problem = "the expression is cut short"; return null; }
        var c = t[i];
        if (c is '{' or '[')
        {
            var close = c == '{' ? '}' : ']';
            JsonNode container = c == '{' ? new JsonObject() : new JsonArray();
            if (c == '{') { marks?.Add(i); }
            // A `Statement` that is one object is one statement; a tuple's elements are the statements.
            var elementMarks = c == '[' ? marks : null;
            i++;
            while (problem is null)
            {
                i = TerraformSource.SkipTrivia(t, i, newlines: true);
                if (i < t.Length && t[i] == ',') { i++; continue; }
                if (i >= t.Length) { problem = "the expression is not closed"; return null; }
                if (t[i] == close) { i++; return container; }
                if (container is JsonObject o)
                {
                    string key;
                    if (t[i] == '"') { key = Expression(t, ref i, false, ref problem)?.GetValue<string>() ?? ""; }
                    else { key = TerraformSource.ReadIdentifier(t, ref i); }
                    if (key.Length == 0 || problem is not null) { problem ??= "an object key is not a name"; return null; }
                    i = TerraformSource.SkipTrivia(t, i, newlines: false);
                    if (i >= t.Length || (t[i] != '=' && t[i] != ':')) { problem = $"`{key}` has no value"; return null; }
                    i++;
                    var value = Expression(t, ref i, symbolicOk || SymbolicKeys.Contains(key), ref problem, marks: key == "Statement" ? collect : null,
                        depth: depth + 1);
                    o[key] = value;
                }
                else
                {
                    elementMarks?.Add(i);
                    ((JsonArray)container).Add(Expression(t, ref i, symbolicOk, ref problem, depth: depth + 1));
                }
            }
            return null;
        }
        if (c == '"')
        {
            var s = i;
            i = TerraformSource.SkipString(t, i);
            if (HclStrings.Unescape(t[(s + 1)..Math.Max(s + 1, i - 1)], out var escapeProblem) is not { } text)
            {
                problem = escapeProblem;
                return null;
            }
            var probe = text.Replace("$${", "", StringComparison.Ordinal);
            if (!symbolicOk && probe.Contains("${", StringComparison.Ordinal)) { problem = $"`{Shorten(text)}` is known only at apply"; return null; }
            var symbolic = Interpolations(text, ref problem);
            return symbolic is null ? null : JsonValue.Create(symbolic);
        }
        var start = i;
        while (i < t.Length && (char.IsLetterOrDigit(t[i]) || t[i] is '.' or '-' or '+' or '_')) { i++; }
        var word = t[start..i];
        if (word is "true" or "false") { return JsonValue.Create(word == "true"); }
        if (word == "null") { return null; }
        if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) { return JsonValue.Create(number); }
        var after = TerraformSource.SkipTrivia(t, i, newlines: false);
        if (word.Length > 0 && (char.IsLetter(word[0]) || word[0] == '_') && symbolicOk && (after >= t.Length || t[after] is ',' or '}' or ']' or '\n' or '\r' or '#'))
        {
            return JsonValue.Create($"{{{word}}}");
        }
        problem = word.Length == 0 ? $"`{Shorten(t[i..])}` is not a literal" : $"`{word}` is known only at apply";
        return null;
    }

    /// <summary>An `aws_iam_policy_document` data source as policy JSON with each statement's line, or null with the reason.</summary>
    private static (string? Json, ImmutableArray<long?> Lines) PolicyDocument(HclBlock block, string text, DiagnosticBag diags, ref string? problem)
    {
        foreach (var merged in new[] { "source_policy_documents", "override_policy_documents", "source_json", "override_json" })
        {
            if (block.Attribute(merged) is not null) { problem = $"`{block.Address}` merges `{merged}`"; return (null, []); }
        }
        var nested = TerraformSource.NestedBlocks(block.File, text, block.Span, diags);
        if (nested.FirstOrDefault(n => n.Type == "dynamic") is { } dynamic) { problem = $"`{block.Address}` has a `dynamic` block (line {dynamic.Line})"; return (null, []); }
        var statements = new JsonArray();
        var lines = ImmutableArray.CreateBuilder<long?>();
        JsonNode? Value(HclAttribute? attribute, bool symbolicOk, ref string? why)
        {
            if (attribute is null) { return null; }
            var i = 0;
            var node = Expression(attribute.Value, ref i, symbolicOk, ref why);
            return node;
        }
        foreach (var st in nested.Where(n => n.Type == "statement"))
        {
            var s = new JsonObject();
            if (Value(st.Attribute("sid"), true, ref problem) is { } sid) { s["Sid"] = sid; }
            s["Effect"] = Value(st.Attribute("effect"), false, ref problem) ?? "Allow";
            foreach (var (hcl, json, symbolicOk) in new[] { ("actions", "Action", false), ("not_actions", "NotAction", false), ("resources", "Resource", true), ("not_resources", "NotResource", true) })
            {
                if (Value(st.Attribute(hcl), symbolicOk, ref problem) is { } v) { s[json] = v; }
            }
            foreach (var (hcl, json) in new[] { ("principals", "Principal"), ("not_principals", "NotPrincipal") })
            {
                foreach (var p in st.Blocks.Where(n => n.Type == hcl))
                {
                    var type = Value(p.Attribute("type"), false, ref problem)?.GetValue<string>() ?? "";
                    var ids = Value(p.Attribute("identifiers"), true, ref problem);
                    if (type == "*") { s[json] = "*"; continue; }
                    var principal = s[json] as JsonObject ?? new JsonObject();
                    principal[type] = ids;
                    s[json] = principal;
                }
            }
            foreach (var cond in st.Blocks.Where(n => n.Type == "condition"))
            {
                var test = Value(cond.Attribute("test"), false, ref problem)?.GetValue<string>() ?? "";
                var variable = Value(cond.Attribute("variable"), false, ref problem)?.GetValue<string>() ?? "";
                var condition = s["Condition"] as JsonObject ?? new JsonObject();
                var op = condition[test] as JsonObject ?? new JsonObject();
                op[variable] = Value(cond.Attribute("values"), true, ref problem);
                condition[test] = op;
                s["Condition"] = condition;
            }
            if (problem is not null) { problem = $"statement at line {st.Line} of `{block.Address}`: {problem}"; return (null, []); }
            statements.Add(s);
            lines.Add(st.Line);
        }
        // In a policy document, `&{aws:username}` is a policy variable (`${…}` would be a Terraform interpolation).
        var document = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString().Replace("\\u0026{", "${", StringComparison.Ordinal).Replace("&{", "${", StringComparison.Ordinal);
        return (document, lines.ToImmutable());
    }

    [GeneratedRegex(@"(?<!\$)\$\{([^{}]*)\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^file\(\s*""(?:\$\{path\.module\}/)?([^""$]+)""\s*\)$")]
    private static partial Regex FileCall();
}
