using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// A policy value of an operator that takes policy variables (String, ARN, Bool): either fixed text, compiled
/// once, or a template rendered per request. Neither means the value was rejected at compile time.
/// </summary>
internal readonly struct TextValue
{
    private readonly string? _literal;
    private readonly VariableTemplate? _template;
    private readonly bool _asPattern;

    private TextValue(string? literal, VariableTemplate? template, bool asPattern)
    {
        _literal = literal;
        _template = template;
        _asPattern = asPattern;
    }

    /// <summary>
    /// Compiles every value of <paramref name="entry"/>. With <paramref name="asPattern"/> the result is a
    /// pattern for matching with escapes on (the value's own `*`/`?` are wildcards); otherwise plain text.
    /// </summary>
    public static TextValue[] CompileAll(
        ConditionEntry entry, ConditionOperator op, PolicyLanguageVersion version, bool asPattern, DiagnosticBag diagnostics, SourceLocation location)
    {
        var result = new TextValue[entry.Values.Length];
        var variables = op.SupportsVariables(version);
        for (var i = 0; i < result.Length; i++)
        {
            var raw = entry.Values[i];
            if (variables && PolicyVariables.HasVariable(raw))
            {
                if (VariableTemplate.TryParse(raw, out var template, out var error))
                {
                    result[i] = new TextValue(null, template, asPattern);
                }
                else
                {
                    diagnostics.Error(
                        DiagnosticCodes.ConditionUnsupportedVariable,
                        $"{error} in value `{raw}` of `{op}` for key `{entry.Key}`",
                        location);
                }
                continue;
            }
            result[i] = new TextValue(asPattern ? VariableTemplate.EscapeBackslashes(raw) : raw, null, asPattern);
        }
        return result;
    }

    public bool IsValid => _literal is not null || _template is not null;

    /// <summary>The value for this request, or why it has none (the failing variable in <paramref name="variable"/>).</summary>
    public VariableResolution Resolve(RequestContext context, out string value, out string? variable)
    {
        if (_literal is not null)
        {
            value = _literal;
            variable = null;
            return VariableResolution.Resolved;
        }
        return _template!.Render(context, _asPattern, out value, out variable);
    }

    /// <summary>The first variable of this value that cannot be resolved in <paramref name="context"/>, or null.</summary>
    public string? UnresolvedVariable(RequestContext context) =>
        _template is not null && _template.Render(context, _asPattern, out _, out var variable) != VariableResolution.Resolved ? variable : null;
}

/// <summary>Base for families whose policy values are <see cref="TextValue"/>s: resolves each and ORs the matches.</summary>
internal abstract class TextConditionClause(string key, ConditionOperator op, TextValue[] values) : ConditionClause(key, op)
{
    protected sealed override ConditionOutcome MatchAny(string contextValue, RequestContext context)
    {
        var result = ConditionOutcome.False;
        foreach (var value in values)
        {
            if (!value.IsValid)
            {
                result = ConditionOutcome.Indeterminate;
                continue;
            }
            var resolution = value.Resolve(context, out var policy, out _);
            if (resolution != VariableResolution.Resolved)
            {
                // A missing variable matches nothing. For a negated operator that would turn into a match (the guide's
                // "inverted condition operators ... do match against a null value") and widen access on a value that
                // may make the whole statement invalid, so the outcome is unknown; an unknown key is unknown either way.
                if (resolution == VariableResolution.Unknown || Negated) { result = ConditionOutcome.Indeterminate; }
                continue;
            }
            var matches = Matches(policy, contextValue);
            if (matches == ConditionOutcome.True) { return matches; }
            if (matches == ConditionOutcome.Indeterminate) { result = matches; }
        }
        return result;
    }

    public override string? UnresolvedVariable(RequestContext context)
    {
        foreach (var value in values)
        {
            if (value.IsValid && value.UnresolvedVariable(context) is { } v) { return v; }
        }
        return null;
    }

    /// <summary>Whether one resolved policy value matches one context value.</summary>
    protected abstract ConditionOutcome Matches(string policyValue, string contextValue);
}
