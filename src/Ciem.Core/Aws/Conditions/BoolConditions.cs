namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `Bool`: `true`/`false`, compared ignoring case on both sides (JSON booleans arrive as their text). A policy
/// value that is neither is rejected at compile time; a context value that is neither makes the comparison
/// Indeterminate. Policy variables supported.
/// </summary>
internal sealed class BoolConditionClause(string key, ConditionOperator op, TextValue[] values)
    : TextConditionClause(key, op, values)
{
    public static bool TryParse(string text, out bool value) => TryParse(text.AsSpan(), out value);

    public static bool TryParse(ReadOnlySpan<char> text, out bool value)
    {
        var t = text.Trim();
        value = t.Equals("true", StringComparison.OrdinalIgnoreCase);
        return value || t.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    protected override ConditionOutcome Matches(string policyValue, string contextValue)
    {
        if (!TryParse(policyValue, out var p) || !TryParse(contextValue, out var c)) { return ConditionOutcome.Indeterminate; }
        return Kleene.From(p == c);
    }
}
