using Ciem.Core.Aws.Evaluation;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// One compiled operator/key/values triple. The base class applies the rules shared by every family
/// (IAM User Guide, "Condition operators" and "Conditions with multiple context keys or values"):
/// <list type="bullet">
/// <item>absent key (or a multivalued key with no values): `...IfExists` → true; `ForAllValues:` → true;
/// `ForAnyValue:` → false; negated operators → true; other operators → false;</item>
/// <item>several policy values are ORed, and for a negated operator NORed ("matches none");</item>
/// <item>`ForAnyValue:` → some context value matches; `ForAllValues:` → every context value matches;</item>
/// <item>an operator without a set qualifier on a key with several context values is Indeterminate: the guide
/// says multivalued keys require a set operator and does not define the result otherwise.</item>
/// </list>
/// Families implement <see cref="MatchAny"/>: whether one context value matches any policy value.
/// </summary>
internal abstract class ConditionClause(string key, ConditionOperator op)
{
    public string Key { get; } = key;

    public ConditionOperator Operator { get; } = op;

    protected bool Negated => Operator.Info.Negated;


    public virtual ConditionOutcome Evaluate(RequestContext context)
    {
        if (!context.TryGet(Key, out var value) || value.Values.IsDefaultOrEmpty)
        {
            return context.IsUnknown(Key) ? ConditionOutcome.Indeterminate : Absent();
        }
        var values = value.Values;
        switch (Operator.Qualifier)
        {
            case SetQualifier.ForAnyValue:
                return Fold(values, context, decisive: ConditionOutcome.True);
            case SetQualifier.ForAllValues:
                return Fold(values, context, decisive: ConditionOutcome.False);
            default:
                return values.Length == 1 ? MatchOne(values[0], context) : ConditionOutcome.Indeterminate;
        }
    }

    // Three-valued OR (decisive = True) or AND (decisive = False) of MatchOne over the context values.
    private ConditionOutcome Fold(System.Collections.Immutable.ImmutableArray<string> values, RequestContext context, ConditionOutcome decisive)
    {
        var result = Kleene.Not(decisive);
        foreach (var v in values)
        {
            var one = MatchOne(v, context);
            if (one == decisive) { return one; }
            if (one == ConditionOutcome.Indeterminate) { result = one; }
        }
        return result;
    }

    private ConditionOutcome Absent()
    {
        if (Operator.IfExists) { return ConditionOutcome.True; }
        return Operator.Qualifier switch
        {
            SetQualifier.ForAllValues => ConditionOutcome.True,
            SetQualifier.ForAnyValue => ConditionOutcome.False,
            _ => Kleene.From(Negated),
        };
    }

    private ConditionOutcome MatchOne(string contextValue, RequestContext context)
    {
        var any = MatchAny(contextValue, context);
        return Negated ? Kleene.Not(any) : any;
    }

    /// <summary>A policy variable in this clause's values that <paramref name="context"/> cannot resolve, as `${key}`.</summary>
    public virtual string? UnresolvedVariable(RequestContext context) => null;

    /// <summary>Why this clause is Indeterminate for <paramref name="context"/>, or null when it is not.</summary>
    public string? WhyIndeterminate(RequestContext context)
    {
        if (Evaluate(context) != ConditionOutcome.Indeterminate) { return null; }
        if (context.IsUnknown(Key)) { return $"`{Key}` is not given and AWS decides it per request"; }
        if (UnresolvedVariable(context) is { } variable)
        {
            return context.IsUnknown(variable[2..^1]) ? $"policy variable `{variable}` is not given" : $"policy variable `{variable}` cannot be resolved";
        }
        return $"`{Operator}` on `{Key}` could not be evaluated";
    }

    /// <summary>Whether <paramref name="contextValue"/> matches at least one policy value (three-valued OR).</summary>
    protected abstract ConditionOutcome MatchAny(string contextValue, RequestContext context);
}

/// <summary>A clause whose operator is unknown or whose values are unusable: always Indeterminate.</summary>
internal sealed class IndeterminateClause(string key, ConditionOperator? op) : ConditionClause(key, op ?? Placeholder)
{
    private static readonly ConditionOperator Placeholder =
        new(new OperatorInfo("?", ConditionFamily.Null, Comparison.Equal, false), SetQualifier.None, false);

    public override ConditionOutcome Evaluate(RequestContext context) => ConditionOutcome.Indeterminate;

    protected override ConditionOutcome MatchAny(string contextValue, RequestContext context) => ConditionOutcome.Indeterminate;
}
