using System.Collections.Frozen;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Conditions;

internal enum ConditionFamily
{
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

/// <summary>How a policy value is compared with a context value, before negation.</summary>
internal enum Comparison
{
    Equal,
    EqualIgnoreCase,
    Like,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

internal enum SetQualifier
{
    None,
    ForAllValues,
    ForAnyValue,
}

/// <summary>A base operator name such as `StringNotLike`: its family, comparison and whether it is negated.</summary>
internal sealed record OperatorInfo(string Name, ConditionFamily Family, Comparison Comparison, bool Negated);

/// <summary>
/// A parsed operator such as `ForAnyValue:StringNotLikeIfExists`. Operator names are matched exactly; a name
/// that matches only when case is ignored is accepted with a warning, because the AWS documentation spells
/// every operator in one case but does not say whether IAM accepts other spellings.
/// </summary>
internal sealed record ConditionOperator(OperatorInfo Info, SetQualifier Qualifier, bool IfExists)
{
    private const string IfExistsSuffix = "IfExists";

    private static readonly OperatorInfo[] All =
    [
        new("StringEquals", ConditionFamily.String, Comparison.Equal, false),
        new("StringNotEquals", ConditionFamily.String, Comparison.Equal, true),
        new("StringEqualsIgnoreCase", ConditionFamily.String, Comparison.EqualIgnoreCase, false),
        new("StringNotEqualsIgnoreCase", ConditionFamily.String, Comparison.EqualIgnoreCase, true),
        new("StringLike", ConditionFamily.String, Comparison.Like, false),
        new("StringNotLike", ConditionFamily.String, Comparison.Like, true),
        new("NumericEquals", ConditionFamily.Numeric, Comparison.Equal, false),
        new("NumericNotEquals", ConditionFamily.Numeric, Comparison.Equal, true),
        new("NumericLessThan", ConditionFamily.Numeric, Comparison.LessThan, false),
        new("NumericLessThanEquals", ConditionFamily.Numeric, Comparison.LessThanEquals, false),
        new("NumericGreaterThan", ConditionFamily.Numeric, Comparison.GreaterThan, false),
        new("NumericGreaterThanEquals", ConditionFamily.Numeric, Comparison.GreaterThanEquals, false),
        new("DateEquals", ConditionFamily.Date, Comparison.Equal, false),
        new("DateNotEquals", ConditionFamily.Date, Comparison.Equal, true),
        new("DateLessThan", ConditionFamily.Date, Comparison.LessThan, false),
        new("DateLessThanEquals", ConditionFamily.Date, Comparison.LessThanEquals, false),
        new("DateGreaterThan", ConditionFamily.Date, Comparison.GreaterThan, false),
        new("DateGreaterThanEquals", ConditionFamily.Date, Comparison.GreaterThanEquals, false),
        new("Bool", ConditionFamily.Bool, Comparison.Equal, false),
        new("BinaryEquals", ConditionFamily.Binary, Comparison.Equal, false),
        new("IpAddress", ConditionFamily.IpAddress, Comparison.Equal, false),
        new("NotIpAddress", ConditionFamily.IpAddress, Comparison.Equal, true),
        new("ArnEquals", ConditionFamily.Arn, Comparison.Equal, false),
        new("ArnNotEquals", ConditionFamily.Arn, Comparison.Equal, true),
        new("ArnLike", ConditionFamily.Arn, Comparison.Like, false),
        new("ArnNotLike", ConditionFamily.Arn, Comparison.Like, true),
        new("Null", ConditionFamily.Null, Comparison.Equal, false),
    ];

    private static readonly FrozenDictionary<string, OperatorInfo> Exact =
        All.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, OperatorInfo> IgnoringCase =
        All.ToFrozenDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="text"/>; null (with an error diagnostic) when it names no operator.</summary>
    public static ConditionOperator? Parse(string text, SourceLocation location, DiagnosticBag diagnostics)
    {
        var wrongCase = false;
        var rest = text;
        var qualifier = SetQualifier.None;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var prefix = rest[..colon];
            rest = rest[(colon + 1)..];
            if (!TryParseQualifier(prefix, out qualifier, ref wrongCase))
            {
                diagnostics.Error(
                    DiagnosticCodes.ConditionUnknownOperator,
                    $"unknown condition set operator `{prefix}` in `{text}`; expected `ForAllValues` or `ForAnyValue`",
                    location);
                return null;
            }
        }

        var ifExists = false;
        if (rest.Length > IfExistsSuffix.Length && rest.EndsWith(IfExistsSuffix, StringComparison.OrdinalIgnoreCase))
        {
            wrongCase |= !rest.EndsWith(IfExistsSuffix, StringComparison.Ordinal);
            ifExists = true;
            rest = rest[..^IfExistsSuffix.Length];
        }

        if (!Exact.TryGetValue(rest, out var info))
        {
            if (!IgnoringCase.TryGetValue(rest, out info))
            {
                diagnostics.Error(DiagnosticCodes.ConditionUnknownOperator, $"unknown condition operator `{text}`", location);
                return null;
            }
            wrongCase = true;
        }

        if (info.Family == ConditionFamily.Null && (ifExists || qualifier != SetQualifier.None))
        {
            diagnostics.Error(
                DiagnosticCodes.ConditionUnknownOperator,
                $"unknown condition operator `{text}`: `Null` takes neither `IfExists` nor a set operator",
                location);
            return null;
        }

        var op = new ConditionOperator(info, qualifier, ifExists);
        if (wrongCase)
        {
            diagnostics.Warning(
                DiagnosticCodes.ConditionOperatorCase,
                $"condition operator `{text}` is spelled in another case than `{op}`; accepted ignoring case",
                location);
        }
        return op;
    }

    private static bool TryParseQualifier(string prefix, out SetQualifier qualifier, ref bool wrongCase)
    {
        foreach (var (name, value) in new[] { ("ForAllValues", SetQualifier.ForAllValues), ("ForAnyValue", SetQualifier.ForAnyValue) })
        {
            if (string.Equals(prefix, name, StringComparison.OrdinalIgnoreCase))
            {
                wrongCase |= !string.Equals(prefix, name, StringComparison.Ordinal);
                qualifier = value;
                return true;
            }
        }
        qualifier = SetQualifier.None;
        return false;
    }

    /// <summary>The canonical spelling, e.g. `ForAnyValue:StringLikeIfExists`.</summary>
    public override string ToString()
    {
        var prefix = Qualifier == SetQualifier.None ? "" : Qualifier + ":";
        return prefix + Info.Name + (IfExists ? IfExistsSuffix : "");
    }

    /// <summary>Whether policy variables are substituted in this operator's values (AWS: String, ARN and Bool operators).</summary>
    public bool SupportsVariables(PolicyLanguageVersion version) =>
        version == PolicyLanguageVersion.V20121017
        && Info.Family is ConditionFamily.String or ConditionFamily.Arn or ConditionFamily.Bool;
}
