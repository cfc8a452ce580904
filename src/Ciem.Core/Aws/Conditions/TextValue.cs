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

    /// <summary>The value for this request; false when a variable cannot be resolved.</summary>
    public bool TryResolve(RequestContext context, out string value)
    {
        if (_literal is not null)
        {
            value = _literal;
            return true;
        }
        return _template!.TryRender(context, _asPattern, out value);
    }
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
            if (!value.TryResolve(context, out var policy))
            {
                // An unresolved variable matches nothing, so inverted operators match (IAM User Guide, Variables and
                // tags: "Inverted condition operators like StringNotEquals or StringNotLike do match against a null value").
                continue;
            }
            var matches = Matches(policy, contextValue);
            if (matches == ConditionOutcome.True) { return matches; }
            if (matches == ConditionOutcome.Indeterminate) { result = matches; }
        }
        return result;
    }

    /// <summary>Whether one resolved policy value matches one context value.</summary>
    protected abstract ConditionOutcome Matches(string policyValue, string contextValue);
}
