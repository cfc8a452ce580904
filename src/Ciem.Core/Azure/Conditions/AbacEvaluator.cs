using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Matching;

namespace Ciem.Core.Azure.Conditions;

/// <summary>What a condition is evaluated against: the operation, its sub-operation, and attribute values by key.</summary>
public sealed record AbacContext(string Operation, string? SubOperation, IReadOnlyDictionary<string, ImmutableArray<string>> Attributes);

/// <summary>The outcome and, when unknown, why (lowercase messages, one per reason).</summary>
public readonly record struct AbacOutcome(ConditionResult Result, ImmutableArray<string> Reasons);

/// <summary>
/// Evaluates a parsed condition with three-valued logic (AND/OR/NOT over true, false, unknown). Supported: the
/// string operators (`StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`,
/// `StringLike`, `StringNotLike`, `StringStartsWith`, `StringNotStartsWith`, `StringStartsWithIgnoreCase`,
/// `StringNotStartsWithIgnoreCase`), `GuidEquals`/`GuidNotEquals`, `BoolEquals`/`BoolNotEquals`, each optionally under
/// `ForAnyOfAnyValues:`, `ForAllOfAnyValues:`, `ForAnyOfAllValues:`, `ForAllOfAllValues:`; `ActionMatches`,
/// `SubOperationMatches`, `Exists`, `NotExists`. Any other operator, or an attribute absent from the context, makes
/// that comparison unknown, never true or false.
/// </summary>
public static class AbacEvaluator
{
    private static readonly ImmutableArray<string> NoReasons = [];

    public static AbacOutcome Evaluate(AbacExpression expression, AbacContext context)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(context);
        var reasons = new List<string>();
        var result = Eval(expression, context, reasons);
        return new AbacOutcome(result, result == ConditionResult.Unknown ? [.. reasons.Distinct()] : NoReasons);
    }

    /// <summary>Parses and evaluates; a parse error is unknown with the error as the reason.</summary>
    public static AbacOutcome Evaluate(string condition, AbacContext context)
    {
        var parsed = AbacParser.Parse(condition);
        return parsed.Expression is { } expression
            ? Evaluate(expression, context)
            : new AbacOutcome(ConditionResult.Unknown, [$"condition does not parse at offset {parsed.ErrorOffset}: {parsed.Error}"]);
    }

    private static ConditionResult Eval(AbacExpression expression, AbacContext context, List<string> reasons)
    {
        switch (expression)
        {
            case AbacAnd and:
                return Fold(and.Operands, ConditionResult.False, context, reasons);
            case AbacOr or:
                return Fold(or.Operands, ConditionResult.True, context, reasons);
            case AbacNot not:
                return Eval(not.Operand, context, reasons) switch
                {
                    ConditionResult.True => ConditionResult.False,
                    ConditionResult.False => ConditionResult.True,
                    _ => ConditionResult.Unknown,
                };
            case AbacActionMatches action:
                return Of(OperationPattern.IsMatch(action.Pattern, context.Operation));
            case AbacSubOperationMatches sub:
                return Of(context.SubOperation is { } s && string.Equals(s, sub.SubOperation, StringComparison.OrdinalIgnoreCase));
            case AbacExists exists:
                return Of(!Lookup(context, exists.Attribute).IsDefault != exists.Negated);
            case AbacComparison comparison:
                return Compare(comparison, context, reasons);
            default:
                reasons.Add($"unsupported condition element `{expression.GetType().Name}`");
                return ConditionResult.Unknown;
        }
    }

    /// <summary>Kleene AND (decisive false) or OR (decisive true): the decisive value wins, else unknown if any operand is.</summary>
    private static ConditionResult Fold(ImmutableArray<AbacExpression> operands, ConditionResult decisive, AbacContext context, List<string> reasons)
    {
        var anyUnknown = false;
        foreach (var operand in operands)
        {
            var result = Eval(operand, context, reasons);
            if (result == decisive) { return decisive; }
            anyUnknown |= result == ConditionResult.Unknown;
        }
        if (anyUnknown) { return ConditionResult.Unknown; }
        return decisive == ConditionResult.True ? ConditionResult.False : ConditionResult.True;
    }

    private static ConditionResult Compare(AbacComparison comparison, AbacContext context, List<string> reasons)
    {
        var (quantifier, op) = Split(comparison.Operator);
        if (Predicate(op) is not { } predicate || quantifier is null)
        {
            reasons.Add($"unsupported condition operator `{comparison.Operator}`");
            return ConditionResult.Unknown;
        }
        var left = Lookup(context, comparison.Attribute);
        if (left.IsDefault)
        {
            reasons.Add($"attribute `{comparison.Attribute.Key}` is not in the request");
            return ConditionResult.Unknown;
        }
        var right = comparison.Values;
        if (comparison.ValueAttribute is { } valueAttribute)
        {
            right = Lookup(context, valueAttribute);
            if (right.IsDefault)
            {
                reasons.Add($"attribute `{valueAttribute.Key}` is not in the request");
                return ConditionResult.Unknown;
            }
        }
        if (op.StartsWith("Guid", StringComparison.Ordinal) && (left.Concat(right).FirstOrDefault(v => !Guid.TryParse(v, out _)) is { } bad))
        {
            reasons.Add($"`{bad}` is not a guid");
            return ConditionResult.Unknown;
        }
        switch (quantifier)
        {
            case "":
                // Single-valued operators compare one value with one value; a set on either side needs a quantifier.
                if (left.Length != 1 || right.Length != 1)
                {
                    reasons.Add($"`{comparison.Operator}` on `{comparison.Attribute.Key}` compares several values without a `ForAnyOf…`/`ForAllOf…` quantifier");
                    return ConditionResult.Unknown;
                }
                return Of(predicate(left[0], right[0]));
            case "ForAnyOfAnyValues":
                return Of(left.Any(l => right.Any(r => predicate(l, r))));
            case "ForAllOfAnyValues":
                return Of(left.All(l => right.Any(r => predicate(l, r))));
            case "ForAnyOfAllValues":
                return Of(left.Any(l => right.All(r => predicate(l, r))));
            default:
                return Of(left.All(l => right.All(r => predicate(l, r))));
        }
    }

    private static (string? Quantifier, string Operator) Split(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) { return ("", text); }
        var quantifier = text[..colon];
        string[] known = ["ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"];
        return (known.FirstOrDefault(k => k.Equals(quantifier, StringComparison.OrdinalIgnoreCase)), text[(colon + 1)..]);
    }

    private static Func<string, string, bool>? Predicate(string op) => op.ToUpperInvariant() switch
    {
        "STRINGEQUALS" => (a, b) => string.Equals(a, b, StringComparison.Ordinal),
        "STRINGNOTEQUALS" => (a, b) => !string.Equals(a, b, StringComparison.Ordinal),
        "STRINGEQUALSIGNORECASE" => (a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        "STRINGNOTEQUALSIGNORECASE" => (a, b) => !string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        "STRINGLIKE" => (a, b) => Wildcard.IsMatch(b, a, ignoreCase: false),
        "STRINGNOTLIKE" => (a, b) => !Wildcard.IsMatch(b, a, ignoreCase: false),
        "STRINGSTARTSWITH" => (a, b) => a.StartsWith(b, StringComparison.Ordinal),
        "STRINGNOTSTARTSWITH" => (a, b) => !a.StartsWith(b, StringComparison.Ordinal),
        "STRINGSTARTSWITHIGNORECASE" => (a, b) => a.StartsWith(b, StringComparison.OrdinalIgnoreCase),
        "STRINGNOTSTARTSWITHIGNORECASE" => (a, b) => !a.StartsWith(b, StringComparison.OrdinalIgnoreCase),
        "GUIDEQUALS" => (a, b) => Guid.Parse(a) == Guid.Parse(b),
        "GUIDNOTEQUALS" => (a, b) => Guid.Parse(a) != Guid.Parse(b),
        "BOOLEQUALS" => (a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        "BOOLNOTEQUALS" => (a, b) => !string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        _ => null,
    };

    private static ImmutableArray<string> Lookup(AbacContext context, AbacAttribute attribute) =>
        context.Attributes.TryGetValue(attribute.Key, out var values) ? values : default;

    private static ConditionResult Of(bool value) => value ? ConditionResult.True : ConditionResult.False;
}
