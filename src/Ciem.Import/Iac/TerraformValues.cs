using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>
/// The values of a module's input variables and locals without a plan, as Terraform would take them: a `variable`'s
/// `default`, then `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars` / `*.auto.tfvars.json` in lexical
/// order (for a called module: its defaults, then the `module` block's arguments). <see cref="Substitute"/> replaces
/// `var.x` / `local.y` with their values — as a whole expression, as the only interpolation of a string, or inside a string
/// or heredoc when the value is a string — so policies become concrete where the repository defines them. A value that
/// is not a literal (it calls a function or names a resource), a reference into a value (`var.x.y`, `local.m["k"]`) and a
/// variable without a value stay symbolic, and the policy reader treats them as before (indeterminate where they decide
/// the actions). Substituted values are written on one line, so line numbers do not move.
/// </summary>
public sealed partial class TerraformValues
{
    private const int MaxDepth = 8;
    private readonly Dictionary<string, string> _variables;
    private readonly Dictionary<string, string> _localExpressions;
    private readonly Dictionary<string, string?> _locals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

    private TerraformValues(Dictionary<string, string> variables, Dictionary<string, string> locals)
    {
        _variables = variables;
        _localExpressions = locals;
    }

    /// <summary>Variables that have a value (after defaults, tfvars and inputs), by name.</summary>
    public IReadOnlyDictionary<string, string> Variables => _variables;

    /// <summary>
    /// Collects the declarations of <paramref name="module"/>: variable defaults, locals, the module's variable files and
    /// <paramref name="inputs"/> (the arguments of the calling `module` block, already substituted).
    /// </summary>
    public static TerraformValues Collect(TerraformModule module, DiagnosticBag diagnostics, IReadOnlyDictionary<string, string>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var locals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in module.Files)
        {
            foreach (var (kind, labels, open, close) in TopLevelBlocks(text))
            {
                if (kind == "variable" && labels.Count == 1)
                {
                    var quiet = new DiagnosticBag();
                    if (TerraformSource.Attributes(path, text, open + 1, close, quiet).FirstOrDefault(a => a.Name == "default") is { } d) { variables[labels[0]] = d.Value; }
                }
                else if (kind == "locals" && labels.Count == 0)
                {
                    foreach (var a in TerraformSource.Attributes(path, text, open + 1, close, diagnostics)) { locals[a.Name] = a.Value; }
                }
            }
        }
        foreach (var (path, text) in module.VariableFiles.OrderBy(f => Precedence(f.Path)).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            foreach (var (name, value) in ReadVariableFile(path, text, diagnostics)) { variables[name] = value; }
        }
        foreach (var (name, value) in inputs ?? new Dictionary<string, string>()) { variables[name] = value; }
        return new TerraformValues(variables, locals);
    }

    /// <summary>Whether a file name is one Terraform reads variable values from automatically.</summary>
    public static bool IsVariableFile(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return fileName is "terraform.tfvars" or "terraform.tfvars.json"
            || fileName.EndsWith(".auto.tfvars", StringComparison.Ordinal) || fileName.EndsWith(".auto.tfvars.json", StringComparison.Ordinal);
    }

    private static int Precedence(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name switch
        {
            "terraform.tfvars" => 0,
            "terraform.tfvars.json" => 1,
            _ => 2,
        };
    }

    /// <summary>`name = value` lines of a `.tfvars` file, or the properties of a `.tfvars.json` object (JSON is valid HCL expression text).</summary>
    private static IEnumerable<(string Name, string Value)> ReadVariableFile(string path, string text, DiagnosticBag diagnostics)
    {
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            JsonDocument? doc = null;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e) { diagnostics.Warning(DiagnosticCodes.HclBadTfvars, $"`{path}` is not JSON: {e.Message}: its values are not used", new SourceLocation(path, e.LineNumber + 1)); }
            if (doc is null) { yield break; }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    diagnostics.Warning(DiagnosticCodes.HclBadTfvars, $"`{path}` is not a JSON object of variable values: its values are not used", new SourceLocation(path, 1, "$"));
                    yield break;
                }
                foreach (var p in doc.RootElement.EnumerateObject()) { yield return (p.Name, p.Value.GetRawText()); }
            }
            yield break;
        }
        var bag = new DiagnosticBag();
        var attributes = TerraformSource.Attributes(path, text, 0, text.Length, bag);
        foreach (var d in bag) { diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.HclBadTfvars, $"`{path}`: {d.Message}: values after it may be missing", d.Location)); }
        foreach (var a in attributes) { yield return (a.Name, a.Value); }
    }

    /// <summary>A module with `var.*` and `local.*` replaced in every `.tf` file.</summary>
    public TerraformModule Apply(TerraformModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module with { Files = [.. module.Files.Select(f => (f.Path, Substitute(f.Text)))] };
    }

    /// <summary>The text with every resolvable `var.x` / `local.y` replaced (see the class summary).</summary>
    public string Substitute(string text) => Substitute(text, 0);

    private string Substitute(string text, int depth)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("var.", StringComparison.Ordinal) && !text.Contains("local.", StringComparison.Ordinal)) { return text; }
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*'))
            {
                var end = c == '/' && text[i + 1] == '*' ? text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var e and >= 0 ? e + 2 : text.Length : LineEnd(text, i);
                sb.Append(text, i, end - i);
                i = end;
                continue;
            }
            if (c == '"')
            {
                var end = TerraformSource.SkipString(text, i);
                sb.Append(QuotedString(text[i..end], depth));
                i = end;
                continue;
            }
            if (c == '<' && i + 1 < text.Length && text[i + 1] == '<' && TerraformSource.HeredocEnd(text, i) is var h and > 0)
            {
                sb.Append(Interpolate(text[i..h], depth, heredoc: true));
                i = h;
                continue;
            }
            if ((char.IsLetter(c) || c == '_') && (i == 0 || !(char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '_' or '-' or '.')))
            {
                var start = i;
                var word = TerraformSource.ReadIdentifier(text, ref i);
                if (word is "var" or "local" && i + 1 < text.Length && text[i] == '.' && (char.IsLetter(text[i + 1]) || text[i + 1] == '_'))
                {
                    var j = i + 1;
                    var name = TerraformSource.ReadIdentifier(text, ref j);
                    var followed = j < text.Length && text[j] is '.' or '[' or '(';
                    if (!followed && Resolve(word, name, depth) is { } value)
                    {
                        sb.Append(value);
                        i = j;
                        continue;
                    }
                }
                sb.Append(text, start, i - start);
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    /// <summary>A quoted string: `"${var.x}"` alone becomes the value (any type); otherwise string values are interpolated.</summary>
    private string QuotedString(string quoted, int depth)
    {
        if (SoleInterpolation().Match(quoted) is { Success: true } m && Resolve(m.Groups[1].Value, m.Groups[2].Value, depth) is { } whole) { return whole; }
        return Interpolate(quoted, depth, heredoc: false);
    }

    private string Interpolate(string text, int depth, bool heredoc) => InterpolationReference().Replace(text, m =>
    {
        if (Resolve(m.Groups[1].Value, m.Groups[2].Value, depth) is not { } value || StringBody(value) is not { } body) { return m.Value; }
        // In a heredoc the text is taken as it is: unescape the quoted body, and keep lines where they are.
        if (!heredoc) { return body; }
        return body.Contains("\\n", StringComparison.Ordinal) ? m.Value : body.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
    });

    /// <summary>The escaped text between the quotes of a one-string value, or null.</summary>
    private static string? StringBody(string value)
    {
        var t = value.Trim();
        return t.Length >= 2 && t[0] == '"' && TerraformSource.SkipString(t, 0) == t.Length ? t[1..^1] : null;
    }

    /// <summary>The value of `var.NAME` / `local.NAME` as one-line expression text, or null when it is unknown or not a literal.</summary>
    private string? Resolve(string kind, string name, int depth)
    {
        if (depth >= MaxDepth) { return null; }
        if (kind == "var") { return _variables.TryGetValue(name, out var v) ? Literal(Substitute(v, depth + 1)) : null; }
        if (_locals.TryGetValue(name, out var cached)) { return cached; }
        if (!_localExpressions.TryGetValue(name, out var expression) || !_resolving.Add(name)) { return null; }
        var value = Literal(Substitute(expression, depth + 1));
        _resolving.Remove(name);
        _locals[name] = value;
        return value;
    }

    /// <summary>
    /// The value on one line when it is a literal: strings (interpolations of other things allowed), numbers, booleans,
    /// null, and tuples/objects of those; null for function calls, conditionals, `for` expressions and bare references.
    /// </summary>
    private static string? Literal(string value)
    {
        var t = value.Trim();
        if (t.StartsWith("<<", StringComparison.Ordinal)) { return Heredoc(t); }
        var sb = new StringBuilder(t.Length);
        var i = 0;
        while (i < t.Length)
        {
            var c = t[i];
            if (c == '"')
            {
                var end = TerraformSource.SkipString(t, i);
                if (end > t.Length || t[end - 1] != '"') { return null; }
                sb.Append(t, i, end - i);
                i = end;
                continue;
            }
            if (c == '#' || (c == '/' && i + 1 < t.Length && t[i + 1] is '/' or '*'))
            {
                i = c == '/' && t[i + 1] == '*' ? (t.IndexOf("*/", i + 2, StringComparison.Ordinal) is var e and >= 0 ? e + 2 : t.Length) : LineEnd(t, i);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                while (i < t.Length && char.IsWhiteSpace(t[i])) { i++; }
                sb.Append(' ');
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var word = TerraformSource.ReadIdentifier(t, ref i);
                var next = TerraformSource.SkipTrivia(t, i, newlines: true);
                var isKey = next < t.Length && t[next] is '=' or ':' && !(next + 1 < t.Length && t[next + 1] == '=');
                if (word is not ("true" or "false" or "null") && !isKey) { return null; }
                sb.Append(word);
                continue;
            }
            if (c is '?' or '(' or '!' or '&' or '|' or '<' or '>' or '*' or '%') { return null; }
            sb.Append(c);
            i++;
        }
        var result = sb.ToString().Trim();
        return result.Length == 0 ? null : result;
    }

    /// <summary>A heredoc value as a quoted string (one line), or null when it holds a template directive.</summary>
    private static string? Heredoc(string t)
    {
        var first = t.IndexOf('\n', StringComparison.Ordinal);
        var last = t.LastIndexOf('\n');
        if (first < 0 || last <= first) { return null; }
        var lines = t[(first + 1)..last].Split('\n');
        if (t.StartsWith("<<-", StringComparison.Ordinal))
        {
            var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            lines = [.. lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())];
        }
        var body = string.Join('\n', lines);
        if (body.Contains("%{", StringComparison.Ordinal)) { return null; }
        return "\"" + body.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }

    private static int LineEnd(string text, int i)
    {
        var n = text.IndexOf('\n', i);
        return n < 0 ? text.Length : n;
    }

    /// <summary>The `module` blocks of a file: name, literal `source` (null when it is not a literal) and line.</summary>
    public static IEnumerable<(string Name, string? Source, int Line)> ModuleCalls(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (kind, labels, open, close) in TopLevelBlocks(text))
        {
            if (kind != "module" || labels.Count != 1) { continue; }
            var source = TerraformSource.Attributes(path, text, open + 1, close, new DiagnosticBag()).FirstOrDefault(a => a.Name == "source")?.Value;
            yield return (labels[0], TerraformSource.Literal(source), TerraformSource.LineOf(text, open));
        }
    }

    /// <summary>Top-level blocks of a file: kind, labels and the span of the body braces.</summary>
    internal static IEnumerable<(string Kind, List<string> Labels, int Open, int Close)> TopLevelBlocks(string text)
    {
        var i = 0;
        var quiet = new DiagnosticBag();
        while (i < text.Length)
        {
            i = TerraformSource.SkipTrivia(text, i, newlines: true);
            if (i >= text.Length) { yield break; }
            var kind = TerraformSource.ReadIdentifier(text, ref i);
            if (kind.Length == 0) { i = TerraformSource.SkipValue(text, i, "", quiet, out _) is var n && n > i ? n : i + 1; continue; }
            var labels = new List<string>();
            while (true)
            {
                i = TerraformSource.SkipTrivia(text, i, newlines: false);
                if (i < text.Length && text[i] == '"') { var s = i; i = TerraformSource.SkipString(text, i); labels.Add(text[(s + 1)..Math.Max(s + 1, i - 1)]); }
                else if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_')) { labels.Add(TerraformSource.ReadIdentifier(text, ref i)); }
                else { break; }
            }
            if (i >= text.Length || text[i] != '{') { i = TerraformSource.SkipValue(text, i, "", quiet, out _) is var n && n > i ? n : i + 1; continue; }
            var close = TerraformSource.MatchBrace(text, i);
            if (close < 0) { yield break; }
            yield return (kind, labels, i, close);
            i = close + 1;
        }
    }

    [GeneratedRegex(@"^""\$\{\s*(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}""$")]
    private static partial Regex SoleInterpolation();

    [GeneratedRegex(@"(?<!\$)\$\{\s*(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}")]
    private static partial Regex InterpolationReference();
}
