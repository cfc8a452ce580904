using System.Collections.Immutable;
using System.Text;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>A character range of one file: <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>An attribute of a block: its name, the exact span of its value, the line it starts on and its indentation.</summary>
public sealed record HclAttribute(string Name, string Value, TextSpan ValueSpan, int Line, string Indent);

/// <summary>A top-level `resource` or `data` block: kind, type, label, the whole block's span and its attributes.</summary>
public sealed record HclBlock(string File, string Kind, string Type, string Label, TextSpan Span, int Line, ImmutableArray<HclAttribute> Attributes)
{
    public string Address => Kind == "data" ? $"data.{Type}.{Label}" : $"{Type}.{Label}";

    public HclAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}

/// <summary>A block nested in a block body (`statement { … }`, `inline_policy { … }`, `dynamic "x" { … }`) with its attributes and blocks.</summary>
public sealed record HclNestedBlock(string Type, ImmutableArray<string> Labels, int Line, ImmutableArray<HclAttribute> Attributes, ImmutableArray<HclNestedBlock> Blocks)
{
    public HclAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}

/// <summary>How a policy attribute is written.</summary>
public enum PolicyValueKind
{
    JsonEncode,
    Heredoc,
    PolicyDocument,
    StringLiteral,
    Other,
}

/// <summary>An `aws_iam_role_policy` (inline) or `aws_iam_policy` (customer managed): where its `policy` value is.</summary>
public sealed record PolicyDefinition(HclBlock Block, HclAttribute Policy, PolicyValueKind Kind, string? RoleName);

/// <summary>An `aws_iam_role_policy_attachment`: the role and the policy (`aws_iam_policy.X` in the repo, or an ARN).</summary>
public sealed record AttachmentDefinition(HclBlock Block, string? RoleName, string? PolicyAddress, string? PolicyArn);

/// <summary>What the `*.tf` files of a repository define for IAM roles, with located diagnostics.</summary>
public sealed record TerraformSourceResult(
    ImmutableArray<HclBlock> Blocks,
    ImmutableDictionary<string, string> RoleNames,
    ImmutableArray<PolicyDefinition> InlinePolicies,
    ImmutableArray<PolicyDefinition> ManagedPolicies,
    ImmutableArray<AttachmentDefinition> Attachments,
    ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// Finds IAM role definitions in Terraform source (HCL text, not a plan): a brace-, quote-, comment- and heredoc-aware
/// scanner of top-level blocks and their attributes (not a full HCL parser) that keeps exact character spans, so a
/// value can be replaced without touching anything else. References are followed within the repository only
/// (`aws_iam_role.x.name`, `aws_iam_policy.x.arn`, `data.aws_iam_policy_document.x.json`); modules are not.
/// </summary>
public static class TerraformSource
{
    /// <summary>Reads every `*.tf` file under <paramref name="root"/> (except `.git` and `.terraform`), paths relative to it.</summary>
    public static TerraformSourceResult ReadDirectory(string root)
    {
        var files = Directory.EnumerateFiles(root, "*.tf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is ".git" or ".terraform"))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(Path.Combine(root, f))));
        return Read(files);
    }

    /// <summary>Reads files given in memory as (path, text).</summary>
    public static TerraformSourceResult Read(IEnumerable<(string Path, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var diagnostics = new DiagnosticBag();
        var blocks = new List<HclBlock>();
        foreach (var (path, text) in files) { blocks.AddRange(ParseBlocks(path, text, diagnostics)); }

        var roleNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var b in blocks.Where(b => b is { Kind: "resource", Type: "aws_iam_role" }))
        {
            var name = Literal(b.Attribute("name")?.Value);
            if (name is not null) { roleNames[b.Label] = name; }
            else { diagnostics.Warning(DiagnosticCodes.IacUnresolvedRole, $"role `{b.Address}` has no literal `name`: its policies cannot be matched to an identity", Where(b)); }
        }

        string? RoleOf(HclBlock b)
        {
            var value = b.Attribute("role")?.Value;
            if (value is null) { return null; }
            if (Literal(value) is { } literal) { return literal; }
            var parts = value.Trim().Split('.');
            if (parts is ["aws_iam_role", var label, "name" or "id"] && roleNames.TryGetValue(label, out var resolved)) { return resolved; }
            diagnostics.Warning(DiagnosticCodes.IacUnresolvedRole, $"cannot resolve role `{value.Trim()}` of `{b.Address}` within the repository", Where(b));
            return null;
        }

        var inline = new List<PolicyDefinition>();
        var managed = new List<PolicyDefinition>();
        var attachments = new List<AttachmentDefinition>();
        foreach (var b in blocks.Where(b => b.Kind == "resource"))
        {
            switch (b.Type)
            {
                case "aws_iam_role_policy" or "aws_iam_policy":
                    var policy = b.Attribute("policy");
                    if (policy is null)
                    {
                        diagnostics.Warning(DiagnosticCodes.IacUnsupportedPolicyValue, $"`{b.Address}` has no `policy` attribute", Where(b));
                        continue;
                    }
                    var kind = KindOf(policy.Value);
                    if (kind == PolicyValueKind.PolicyDocument && !blocks.Any(d => d.Address == DocumentAddress(policy.Value)))
                    {
                        diagnostics.Warning(DiagnosticCodes.IacUnresolvedRole, $"`{policy.Value.Trim()}` of `{b.Address}` is not defined in the repository", Where(b, policy.Line));
                    }
                    var definition = new PolicyDefinition(b, policy, kind, b.Type == "aws_iam_role_policy" ? RoleOf(b) : null);
                    (b.Type == "aws_iam_policy" ? managed : inline).Add(definition);
                    break;
                case "aws_iam_role_policy_attachment":
                    var arn = b.Attribute("policy_arn")?.Value.Trim() ?? "";
                    var refParts = arn.Split('.');
                    attachments.Add(refParts is ["aws_iam_policy", var label, "arn" or "id"]
                        ? new AttachmentDefinition(b, RoleOf(b), $"aws_iam_policy.{label}", null)
                        : new AttachmentDefinition(b, RoleOf(b), null, Literal(arn) ?? arn));
                    break;
                default:
                    break;
            }
        }
        return new TerraformSourceResult([.. blocks], roleNames.ToImmutableDictionary(StringComparer.Ordinal), [.. inline], [.. managed], [.. attachments], diagnostics.ToImmutable());
    }

    /// <summary>`data.aws_iam_policy_document.X` for `data.aws_iam_policy_document.X.json`, else null.</summary>
    public static string? DocumentAddress(string value)
    {
        var t = value.Trim();
        return t.StartsWith("data.aws_iam_policy_document.", StringComparison.Ordinal) && t.EndsWith(".json", StringComparison.Ordinal) ? t[..^5] : null;
    }

    private static PolicyValueKind KindOf(string value)
    {
        var t = value.TrimStart();
        if (t.StartsWith("jsonencode(", StringComparison.Ordinal)) { return PolicyValueKind.JsonEncode; }
        if (t.StartsWith("<<", StringComparison.Ordinal)) { return PolicyValueKind.Heredoc; }
        if (DocumentAddress(value) is not null) { return PolicyValueKind.PolicyDocument; }
        return t.StartsWith('"') ? PolicyValueKind.StringLiteral : PolicyValueKind.Other;
    }

    /// <summary>The text of a plain quoted string without interpolation, else null.</summary>
    public static string? Literal(string? value)
    {
        if (value is null) { return null; }
        var t = value.Trim();
        if (t.Length < 2 || t[0] != '"' || t[^1] != '"' || t.Contains("${", StringComparison.Ordinal)) { return null; }
        // One string from the first quote to the last (not `"a" + "b"`), its escapes decoded as Terraform does.
        return SkipString(t, 0) == t.Length ? HclStrings.Unescape(t[1..^1], out _) : null;
    }

    /// <summary>
    /// The text of a plain quoted string whose only `$`/`%` braces are the escaped `$${` and `%%{` (decoded to `${` and
    /// `%{` as Terraform does), else null: the value a name written through HclText.Quoted stands for.
    /// </summary>
    public static string? TemplateLiteral(string? value)
    {
        if (value is null) { return null; }
        var t = value.Trim();
        if (t.Length < 2 || t[0] != '"' || t[^1] != '"' || SkipString(t, 0) != t.Length) { return null; }
        var content = t[1..^1];
        for (var k = 0; k + 1 < content.Length; k++)
        {
            if (content[k] is not ('$' or '%') || content[k + 1] != '{') { continue; }
            if (k > 0 && content[k - 1] == content[k] && (k < 2 || content[k - 2] != content[k])) { continue; }
            return null;
        }
        return HclStrings.Unescape(content, out _)?.Replace("$${", "${", StringComparison.Ordinal).Replace("%%{", "%{", StringComparison.Ordinal);
    }

    /// <summary>The spans (within <paramref name="value"/>) of the items of a list expression `[a, "b"]`; empty when it is not one.</summary>
    public static ImmutableArray<TextSpan> ListItems(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = value.Length - value.TrimStart().Length;
        var end = value.TrimEnd().Length;
        if (end - start < 2 || value[start] != '[' || value[end - 1] != ']') { return []; }
        var items = ImmutableArray.CreateBuilder<TextSpan>();
        var i = start + 1;
        while (i < end - 1)
        {
            i = SkipTrivia(value, i, newlines: true);
            if (i >= end - 1) { break; }
            if (value[i] == ',') { i++; continue; }
            var s = i;
            if (value[i] == '"') { i = SkipString(value, i); }
            else { while (i < end - 1 && value[i] != ',' && !char.IsWhiteSpace(value[i])) { i++; } }
            items.Add(new TextSpan(s, i));
        }
        return items.ToImmutable();
    }

    private static SourceLocation Where(HclBlock b, int? line = null) => new(b.File, line ?? b.Line);

    /// <summary>Top-level blocks of one file. An unbalanced block is reported and scanning stops for that file.</summary>
    public static ImmutableArray<HclBlock> ParseBlocks(string path, string text, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var result = ImmutableArray.CreateBuilder<HclBlock>();
        var i = 0;
        while (i < text.Length)
        {
            i = SkipTrivia(text, i, newlines: true);
            if (i >= text.Length) { break; }
            var start = i;
            var line = LineOf(text, start);
            // A header: identifier followed by labels, then `{`; anything else at top level (e.g. `locals = …` in .tfvars style) is skipped to the end of line.
            var kind = ReadIdentifier(text, ref i);
            // Every step moves on: a stray `}`, `]` or `)` ends SkipValue where it started and would loop for ever.
            if (kind.Length == 0) { i = Math.Max(start + 1, SkipValue(text, i, path, diagnostics, out _)); continue; }
            var labels = new List<string>();
            while (true)
            {
                i = SkipTrivia(text, i, newlines: false);
                if (i < text.Length && text[i] == '"') { var s = i; i = SkipString(text, i); labels.Add(text[(s + 1)..Math.Max(s + 1, i - 1)]); }
                else if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_')) { labels.Add(ReadIdentifier(text, ref i)); }
                else { break; }
            }
            if (i >= text.Length || text[i] != '{')
            {
                // `name = value` at top level (e.g. in a .tfvars-like file): skip the value.
                i = Math.Max(i + 1, SkipValue(text, i, path, diagnostics, out _));
                continue;
            }
            var open = i;
            var close = MatchBrace(text, open);
            if (close < 0)
            {
                diagnostics.Error(DiagnosticCodes.IacUnbalancedBlock, $"block `{kind} {string.Join(' ', labels.Select(l => $"\"{l}\""))}` is not closed", new SourceLocation(path, line));
                break;
            }
            i = close + 1;
            if (kind is "resource" or "data" && labels.Count == 2)
            {
                result.Add(new HclBlock(path, kind, labels[0], labels[1], new TextSpan(start, i), line, Attributes(path, text, open + 1, close, diagnostics)));
            }
        }
        return result.ToImmutable();
    }

    /// <summary>The attributes directly in a block body (nested blocks are skipped).</summary>
    internal static ImmutableArray<HclAttribute> Attributes(string path, string text, int from, int to, DiagnosticBag diagnostics)
    {
        var result = ImmutableArray.CreateBuilder<HclAttribute>();
        var i = from;
        while (i < to)
        {
            i = SkipTrivia(text, i, newlines: true);
            if (i >= to) { break; }
            var nameStart = i;
            var name = ReadIdentifier(text, ref i);
            if (name.Length == 0) { i = Math.Max(nameStart + 1, SkipValue(text, i, path, diagnostics, out _)); continue; }
            var j = SkipTrivia(text, i, newlines: false);
            if (j < to && text[j] == '=' && (j + 1 >= text.Length || text[j + 1] != '='))
            {
                var valueStart = SkipTrivia(text, j + 1, newlines: false);
                i = Math.Max(j + 1, SkipValue(text, valueStart, path, diagnostics, out var valueEnd));
                var lineStart = text.LastIndexOf('\n', Math.Max(0, nameStart - 1)) + 1;
                if (nameStart == 0) { lineStart = 0; }
                result.Add(new HclAttribute(name, text[valueStart..valueEnd], new TextSpan(valueStart, valueEnd), LineOf(text, nameStart), text[lineStart..nameStart]));
            }
            else
            {
                // A nested block (`statement { … }`, `dynamic "x" { … }`): skip its labels and body.
                while (j < to && text[j] != '{' && text[j] != '\n') { j++; }
                i = j < to && text[j] == '{' ? MatchBrace(text, j) + 1 : j;
                if (i <= 0) { return result.ToImmutable(); }
            }
        }
        return result.ToImmutable();
    }

    /// <summary>The blocks nested directly in the body of <paramref name="block"/> (a span of <paramref name="text"/>), recursively.</summary>
    public static ImmutableArray<HclNestedBlock> NestedBlocks(string path, string text, TextSpan block, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var open = text.IndexOf('{', block.Start);
        return open < 0 || open >= block.End ? [] : Nested(path, text, open + 1, block.End - 1, diagnostics, 0);
    }

    private static ImmutableArray<HclNestedBlock> Nested(string path, string text, int from, int to, DiagnosticBag diagnostics, int depth)
    {
        var result = ImmutableArray.CreateBuilder<HclNestedBlock>();
        if (depth > MaxNesting)
        {
            diagnostics.Error(DiagnosticCodes.InputTooLarge, $"blocks are nested deeper than {MaxNesting} levels: the inner ones are not read",
                new SourceLocation(path, LineOf(text, from)));
            return result.ToImmutable();
        }
        var i = from;
        while (i < to)
        {
            i = SkipTrivia(text, i, newlines: true);
            if (i >= to) { break; }
            var nameStart = i;
            var name = ReadIdentifier(text, ref i);
            if (name.Length == 0) { i = Math.Max(nameStart + 1, SkipValue(text, i, path, diagnostics, out _)); continue; }
            var j = SkipTrivia(text, i, newlines: false);
            if (j < to && text[j] == '=' && (j + 1 >= text.Length || text[j + 1] != '='))
            {
                i = Math.Max(j + 1, SkipValue(text, SkipTrivia(text, j + 1, newlines: false), path, diagnostics, out _));
                continue;
            }
            var labels = new List<string>();
            while (true)
            {
                j = SkipTrivia(text, j, newlines: false);
                if (j < to && text[j] == '"') { var s = j; j = SkipString(text, j); labels.Add(text[(s + 1)..Math.Max(s + 1, j - 1)]); }
                else if (j < to && (char.IsLetter(text[j]) || text[j] == '_')) { labels.Add(ReadIdentifier(text, ref j)); }
                else { break; }
            }
            if (j < to && text[j] == '{')
            {
                var close = MatchBrace(text, j);
                if (close < 0 || close > to) { break; }
                result.Add(new HclNestedBlock(name, [.. labels], LineOf(text, nameStart), Attributes(path, text, j + 1, close, diagnostics), Nested(path, text, j + 1, close, diagnostics, depth + 1)));
                i = close + 1;
            }
            else { i = j + 1; }
        }
        return result.ToImmutable();
    }

    /// <summary>Skips an expression up to the end of its line at nesting depth 0; <paramref name="end"/> excludes trailing blanks and comments.</summary>
    internal static int SkipValue(string text, int i, string path, DiagnosticBag diagnostics, out int end)
    {
        var depth = 0;
        end = i;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"') { i = SkipString(text, i); end = i; continue; }
            if (c == '<' && i + 1 < text.Length && text[i + 1] == '<' && HeredocEnd(text, i) is var h and > 0) { i = h; end = i; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/')) { while (i < text.Length && text[i] != '\n') { i++; } continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*') { var e = text.IndexOf("*/", i + 2, StringComparison.Ordinal); i = e < 0 ? text.Length : e + 2; continue; }
            if (c is '{' or '[' or '(') { depth++; }
            else if (c is '}' or ']' or ')')
            {
                if (depth == 0) { return i; }
                depth--;
            }
            else if (c == '\n' && depth == 0) { return i + 1; }
            i++;
            if (!char.IsWhiteSpace(c)) { end = i; }
        }
        if (depth > 0) { diagnostics.Error(DiagnosticCodes.IacUnbalancedBlock, "expression is not closed", new SourceLocation(path, LineOf(text, end))); }
        return i;
    }

    /// <summary>The index of the `}` matching the `{` at <paramref name="open"/>, or -1.</summary>
    public static int MatchBrace(string text, int open)
    {
        ArgumentNullException.ThrowIfNull(text);
        var depth = 0;
        var i = open;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"') { i = SkipString(text, i); continue; }
            if (c == '<' && i + 1 < text.Length && text[i + 1] == '<' && HeredocEnd(text, i) is var h and > 0) { i = h; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/')) { while (i < text.Length && text[i] != '\n') { i++; } continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*') { var e = text.IndexOf("*/", i + 2, StringComparison.Ordinal); if (e < 0) { return -1; } i = e + 2; continue; }
            if (c is '{' or '[' or '(') { depth++; }
            else if (c is '}' or ']' or ')')
            {
                depth--;
                if (depth == 0) { return c == '}' ? i : -1; }
            }
            i++;
        }
        return -1;
    }

    /// <summary>Index after a quoted string starting at <paramref name="i"/>; `${…}` interpolations may hold nested strings.</summary>
    internal static int SkipString(string text, int i)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\') { i += 2; continue; }
            if (c == '"') { return i + 1; }
            if (c == '\n') { return i; }
            if ((c == '$' || c == '%') && i + 1 < text.Length && text[i + 1] == '{' && !(i > 0 && text[i - 1] == c))
            {
                var close = MatchBrace(text, i + 1);
                if (close < 0) { return text.Length; }
                i = close + 1;
                continue;
            }
            i++;
        }
        return i;
    }

    /// <summary>For `&lt;&lt;EOF` or `&lt;&lt;-EOF` at <paramref name="i"/>: the index just after the terminator line's marker, or -1.</summary>
    internal static int HeredocEnd(string text, int i)
    {
        var j = i + 2;
        if (j < text.Length && text[j] == '-') { j++; }
        var s = j;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_')) { j++; }
        if (j == s) { return -1; }
        var marker = text[s..j];
        var lineEnd = text.IndexOf('\n', j);
        while (lineEnd >= 0)
        {
            var next = text.IndexOf('\n', lineEnd + 1);
            var line = next < 0 ? text[(lineEnd + 1)..] : text[(lineEnd + 1)..next];
            if (line.Trim() == marker) { return lineEnd + 1 + line.TrimEnd().Length; }
            lineEnd = next;
        }
        return -1;
    }

    internal static int SkipTrivia(string text, int i, bool newlines)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' && !newlines) { return i; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (newlines && (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))) { while (i < text.Length && text[i] != '\n') { i++; } continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*') { var e = text.IndexOf("*/", i + 2, StringComparison.Ordinal); i = e < 0 ? text.Length : e + 2; continue; }
            return i;
        }
        return i;
    }

    internal static string ReadIdentifier(string text, ref int i)
    {
        var s = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-')) { i++; }
        return text[s..i];
    }

    internal static int LineOf(string text, int index)
    {
        var line = 1;
        for (var k = 0; k < index && k < text.Length; k++) { if (text[k] == '\n') { line++; } }
        return line;
    }

    /// <summary>
    /// The JSON a literal `jsonencode({…})` expression produces (objects, arrays, strings, numbers, booleans, null;
    /// `$${` unescaped), or null when it holds anything else (references, functions, interpolation).
    /// </summary>
    public static string? DecodeJsonEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var t = value.Trim();
        if (!t.StartsWith("jsonencode(", StringComparison.Ordinal) || !t.EndsWith(')')) { return null; }
        var sb = new StringBuilder();
        var i = "jsonencode(".Length;
        return Expression(t, ref i, sb, 0) && SkipTrivia(t, i, newlines: true) == t.Length - 1 ? sb.ToString() : null;
    }

    /// <summary>Expressions and blocks nested deeper are refused (no policy needs it; recursion on it would overflow the stack).</summary>
    public const int MaxNesting = 64;

    private static bool Expression(string t, ref int i, StringBuilder sb, int depth)
    {
        if (depth > MaxNesting) { return false; }
        i = SkipTrivia(t, i, newlines: true);
        if (i >= t.Length) { return false; }
        var c = t[i];
        if (c == '{' || c == '[')
        {
            var close = c == '{' ? '}' : ']';
            sb.Append(c);
            i++;
            var first = true;
            while (true)
            {
                i = SkipTrivia(t, i, newlines: true);
                if (i < t.Length && t[i] == ',') { i++; continue; }
                if (i >= t.Length) { return false; }
                if (t[i] == close) { i++; sb.Append(close); return true; }
                if (!first) { sb.Append(','); }
                first = false;
                if (c == '{')
                {
                    if (t[i] == '"') { var s = i; i = SkipString(t, i); if (!AppendString(sb, t[s..i])) { return false; } }
                    else { var id = ReadIdentifier(t, ref i); if (id.Length == 0) { return false; } sb.Append('"').Append(id).Append('"'); }
                    i = SkipTrivia(t, i, newlines: false);
                    if (i >= t.Length || (t[i] != '=' && t[i] != ':')) { return false; }
                    i++;
                    sb.Append(':');
                }
                if (!Expression(t, ref i, sb, depth + 1)) { return false; }
            }
        }
        if (c == '"')
        {
            var s = i;
            i = SkipString(t, i);
            var raw = t[s..i];
            var probe = raw.Replace("$${", "", StringComparison.Ordinal).Replace("%%{", "", StringComparison.Ordinal);
            if (probe.Contains("${", StringComparison.Ordinal) || probe.Contains("%{", StringComparison.Ordinal)) { return false; }
            return AppendString(sb, raw);
        }
        var start = i;
        while (i < t.Length && (char.IsLetterOrDigit(t[i]) || t[i] is '.' or '-' or '+')) { i++; }
        var word = t[start..i];
        if (word is "true" or "false" or "null" || (word.Length > 0 && (char.IsDigit(word[0]) || word[0] == '-') && double.TryParse(word, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            sb.Append(word);
            return true;
        }
        return false;
    }

    /// <summary>Appends an HCL quoted string (with its quotes) as a JSON string: escapes decoded, `$${` and `%%{` unescaped.</summary>
    private static bool AppendString(StringBuilder sb, string quoted)
    {
        if (quoted.Length < 2 || quoted[^1] != '"') { return false; }
        if (HclStrings.Unescape(quoted[1..^1], out _) is not { } text) { return false; }
        var unescaped = text.Replace("$${", "${", StringComparison.Ordinal).Replace("%%{", "%{", StringComparison.Ordinal);
        sb.Append(System.Text.Json.JsonSerializer.Serialize(unescaped));
        return true;
    }
}
