using System.Collections.Immutable;
using System.Text;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Matching;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// IAM policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`, `${?}`, `${$}`),
/// substituted only in policies of version 2012-10-17; in 2008-10-17 `${...}` is literal text.
/// Source: IAM User Guide, "IAM policy elements: Variables and tags".
/// </summary>
/// <remarks>
/// A variable resolves when its key is present in the request context with exactly one value. A key that is
/// absent, or multivalued (the guide: multivalued context keys cannot be used as policy variables), takes the
/// default value when one is given; otherwise the variable cannot be resolved. A positive Resource or condition
/// value that contains it does not match; where not matching would widen access (NotResource, negated operators)
/// the statement is Indeterminate, naming the variable (the guide: an unresolvable variable may make the whole
/// statement invalid).
/// </remarks>
public static class PolicyVariables
{
    /// <summary>
    /// Expands <paramref name="template"/> into a pattern for <see cref="Wildcard.IsMatch"/> and
    /// <see cref="ArnPattern.IsMatch"/> with <c>escapes: true</c>: the template's own `*` and `?` stay wildcards,
    /// substituted values and `${*}`, `${?}`, `${$}` are literal. False when a variable cannot be resolved or
    /// the template is malformed (see <see cref="IsWellFormed"/>).
    /// </summary>
    public static bool TryExpand(string template, RequestContext context, PolicyLanguageVersion version, out string pattern)
        => Expand(template, context, version, out pattern, out _) == VariableResolution.Resolved;

    /// <summary>
    /// Like <see cref="TryExpand"/>, but says why a template did not expand: a variable whose key is absent (and has no
    /// default) or unknown in <paramref name="context"/>, named in <paramref name="variable"/>; or a malformed template
    /// (<see cref="VariableResolution.Missing"/> with the whole template as <paramref name="variable"/>).
    /// </summary>
    public static VariableResolution Expand(string template, RequestContext context, PolicyLanguageVersion version, out string pattern, out string? variable)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        variable = null;
        if (version != PolicyLanguageVersion.V20121017 || !HasVariable(template))
        {
            pattern = VariableTemplate.EscapeBackslashes(template);
            return VariableResolution.Resolved;
        }
        if (!VariableTemplate.TryParse(template, out var parsed, out _))
        {
            pattern = "";
            variable = template;
            return VariableResolution.Missing;
        }
        return parsed.Render(context, asPattern: true, out pattern, out variable);
    }

    /// <summary>Whether <paramref name="template"/> contains `${`, the start of a policy variable.</summary>
    public static bool HasVariable(string template) => template.Contains("${", StringComparison.Ordinal);

    /// <summary>Checks the variable syntax of a 2012-10-17 value; <paramref name="error"/> says what is wrong.</summary>
    public static bool IsWellFormed(string template, out string? error) => VariableTemplate.TryParse(template, out _, out error);
}

/// <summary>Whether a value with policy variables could be rendered for a request.</summary>
public enum VariableResolution
{
    Resolved,

    /// <summary>A variable's key is absent from the request and the variable has no default.</summary>
    Missing,

    /// <summary>A variable's key is unknown in the request context (a key AWS sends that was not given).</summary>
    Unknown,
}

/// <summary>A parsed value with policy variables: literal runs, fixed characters and variable references.</summary>
internal sealed class VariableTemplate
{
    private enum PartKind
    {
        /// <summary>Policy text: `*` and `?` in it are the policy's own wildcards.</summary>
        Text,

        /// <summary>`${*}`, `${?}`, `${$}`: always the literal character.</summary>
        Fixed,

        Variable,
    }

    private readonly record struct Part(PartKind Kind, string Text, string? Default);

    private readonly ImmutableArray<Part> _parts;

    private VariableTemplate(ImmutableArray<Part> parts) => _parts = parts;

    public static bool TryParse(string template, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VariableTemplate? result, out string? error)
    {
        var parts = ImmutableArray.CreateBuilder<Part>();
        var pos = 0;
        while (pos < template.Length)
        {
            var start = template.IndexOf("${", pos, StringComparison.Ordinal);
            if (start < 0)
            {
                parts.Add(new Part(PartKind.Text, template[pos..], null));
                break;
            }
            if (start > pos) { parts.Add(new Part(PartKind.Text, template[pos..start], null)); }
            if (!TryParseVariable(template, start + 2, out var part, out var end, out error))
            {
                result = null;
                return false;
            }
            parts.Add(part);
            pos = end + 1;
        }
        result = new VariableTemplate(parts.ToImmutable());
        error = null;
        return true;
    }

    // Parses the inside of `${...}` starting at `pos`; `end` is the index of the closing brace.
    private static bool TryParseVariable(string s, int pos, out Part part, out int end, out string? error)
    {
        part = default;
        end = -1;
        // The closing brace is the first `}` outside a quoted default value.
        var inQuote = false;
        for (var i = pos; i < s.Length; i++)
        {
            if (s[i] == '\'') { inQuote = !inQuote; }
            else if (s[i] == '}' && !inQuote) { end = i; break; }
        }
        if (end < 0)
        {
            error = $"policy variable at offset {pos - 2} has no closing `}}`";
            return false;
        }
        var body = s.AsSpan(pos, end - pos).Trim();
        if (body is "*" or "?" or "$")
        {
            part = new Part(PartKind.Fixed, body.ToString(), null);
            error = null;
            return true;
        }
        string? defaultValue = null;
        var comma = body.IndexOf(',');
        var key = (comma < 0 ? body : body[..comma]).Trim();
        if (comma >= 0 && !TryParseDefault(body[(comma + 1)..].Trim(), out defaultValue))
        {
            error = $"policy variable `${{{body}}}` has a malformed default value; write `${{key, 'default'}}`";
            return false;
        }
        if (key.IsEmpty || key.ContainsAny(' ', '\'', '$') || key.Contains('{'))
        {
            error = $"policy variable `${{{body}}}` does not name a condition key";
            return false;
        }
        part = new Part(PartKind.Variable, key.ToString(), defaultValue);
        error = null;
        return true;
    }

    // A default is one single-quoted string; `''` inside it stands for one quote.
    private static bool TryParseDefault(ReadOnlySpan<char> text, out string? value)
    {
        value = null;
        if (text.Length < 2 || text[0] != '\'' || text[^1] != '\'') { return false; }
        var inner = text[1..^1];
        var sb = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\'')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '\'') { return false; }
                i++;
            }
            sb.Append(inner[i]);
        }
        value = sb.ToString();
        return true;
    }

    /// <summary>
    /// Renders the template against <paramref name="context"/>. As a pattern (escapes on): policy text keeps
    /// its wildcards, everything else is escaped. As text: the plain resulting string, for exact comparisons.
    /// </summary>
    public bool TryRender(RequestContext context, bool asPattern, out string result) =>
        Render(context, asPattern, out result, out _) == VariableResolution.Resolved;

    /// <summary>Renders the template; when it cannot, <paramref name="variable"/> is the first variable that failed, as `${key}`.</summary>
    public VariableResolution Render(RequestContext context, bool asPattern, out string result, out string? variable)
    {
        var sb = new StringBuilder();
        variable = null;
        foreach (var part in _parts)
        {
            string literal;
            switch (part.Kind)
            {
                case PartKind.Text:
                    sb.Append(asPattern ? EscapeBackslashes(part.Text) : part.Text);
                    continue;
                case PartKind.Fixed:
                    literal = part.Text;
                    break;
                default:
                    if (!TryResolve(part, context, out literal))
                    {
                        result = "";
                        variable = "${" + part.Text + "}";
                        return context.IsUnknown(part.Text) ? VariableResolution.Unknown : VariableResolution.Missing;
                    }
                    break;
            }
            sb.Append(asPattern ? Wildcard.Escape(literal) : literal);
        }
        result = sb.ToString();
        return VariableResolution.Resolved;
    }

    private static bool TryResolve(Part part, RequestContext context, out string value)
    {
        if (context.TryGet(part.Text, out var cv) && cv.Values.Length == 1 && !cv.IsMultiValued)
        {
            value = cv.Values[0];
            return true;
        }
        // A key whose value is unknown cannot fall back to the default: the request may well carry it.
        value = part.Default ?? "";
        return part.Default is not null && !context.IsUnknown(part.Text);
    }

    /// <summary>Policy text as a pattern: IAM has no escape character, so only backslashes need escaping.</summary>
    public static string EscapeBackslashes(string text) =>
        text.Contains('\\', StringComparison.Ordinal) ? text.Replace("\\", "\\\\", StringComparison.Ordinal) : text;
}
