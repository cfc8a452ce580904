using System.Collections.Immutable;
using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Matching;
using FsCheck;
using FsCheck.Xunit;

namespace Ciem.Core.Tests.Aws.Conditions;

public sealed class ConditionPropertyTests
{
    private static readonly (string Positive, string Negated)[] StringPairs =
    [
        ("StringEquals", "StringNotEquals"),
        ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"),
        ("StringLike", "StringNotLike"),
        ("ArnEquals", "ArnNotEquals"),
        ("ArnLike", "ArnNotLike"),
        ("NumericEquals", "NumericNotEquals"),
        ("DateEquals", "DateNotEquals"),
        ("IpAddress", "NotIpAddress"),
    ];

    private static ConditionOutcome Evaluate(string op, string[] policyValues, string contextValue, PolicyLanguageVersion version)
    {
        var block = ConditionCompiler.Compile(
            [new ConditionEntry(op, "k", [.. policyValues], "$")], version, new DiagnosticBag());
        return block.Evaluate(RequestContext.Empty.With("k", ContextValue.Single(contextValue)));
    }

    [Property]
    public bool NegatedOperator_PresentSingleValuedKey_IsComplementOfPositive(NonNull<string>[] policyValues, NonNull<string> contextValue, PositiveInt pair, bool v2012)
    {
        // Given any values (including unparsable ones and, in 2012-10-17, variables that cannot be resolved)
        var (positive, negated) = StringPairs[pair.Get % StringPairs.Length];
        var values = policyValues.Select(v => v.Get).DefaultIfEmpty("x").ToArray();
        var version = v2012 ? PolicyLanguageVersion.V20121017 : PolicyLanguageVersion.V20081017;

        // When both operators are evaluated
        var p = Evaluate(positive, values, contextValue.Get, version);
        var n = Evaluate(negated, values, contextValue.Get, version);
        var complement = p switch
        {
            ConditionOutcome.True => ConditionOutcome.False,
            ConditionOutcome.False => ConditionOutcome.True,
            _ => ConditionOutcome.Indeterminate,
        };
        // Then the negated one is the three-valued complement, except that a variable that cannot be resolved makes
        // the negated operator Indeterminate where the complement would be a match (it would widen access)
        var unresolvable = v2012 && values.Any(PolicyVariables.HasVariable);
        return unresolvable ? n == complement || (complement == ConditionOutcome.True && n == ConditionOutcome.Indeterminate) : n == complement;
    }

    [Property]
    public bool NumericNegation_Integers_IsComplement(int policy, int context)
    {
        var p = Evaluate("NumericEquals", [policy.ToString(System.Globalization.CultureInfo.InvariantCulture)], context.ToString(System.Globalization.CultureInfo.InvariantCulture), PolicyLanguageVersion.V20121017);
        var n = Evaluate("NumericNotEquals", [policy.ToString(System.Globalization.CultureInfo.InvariantCulture)], context.ToString(System.Globalization.CultureInfo.InvariantCulture), PolicyLanguageVersion.V20121017);
        return p != ConditionOutcome.Indeterminate && (p == ConditionOutcome.True) == (policy == context) && n != p;
    }

    [Property]
    public bool IpAddress_HostInsideItsOwnBlock(byte a, byte b, byte c, byte d, PositiveInt prefix)
    {
        // Given any IPv4 address and any prefix length; Then the address lies inside its own block
        var address = $"{a}.{b}.{c}.{d}";
        return Evaluate("IpAddress", [$"{address}/{prefix.Get % 33}"], address, PolicyLanguageVersion.V20121017) == ConditionOutcome.True;
    }

    [Property]
    public bool ArnPattern_EscapedText_MatchesItself(NonNull<string> arn)
    {
        // Given any text escaped as a literal; Then it matches itself exactly
        return ArnPattern.IsMatch(Wildcard.Escape(arn.Get), arn.Get, escapes: true);
    }

    [Property]
    public bool ForAllValues_IsTrueOnEmptySet_ForAnyValueFalse(NonNull<string> policyValue)
    {
        var empty = RequestContext.Empty.With("k", new ContextValue(ImmutableArray<string>.Empty, true));
        var all = ConditionCompiler.Compile([new ConditionEntry("ForAllValues:StringEquals", "k", [policyValue.Get], "$")], PolicyLanguageVersion.V20081017, new DiagnosticBag());
        var any = ConditionCompiler.Compile([new ConditionEntry("ForAnyValue:StringEquals", "k", [policyValue.Get], "$")], PolicyLanguageVersion.V20081017, new DiagnosticBag());
        return all.Evaluate(empty) == ConditionOutcome.True && any.Evaluate(empty) == ConditionOutcome.False;
    }
}
