using System.Collections.Immutable;

namespace Ciem.Core.Azure.Conditions;

/// <summary>The outcome of a condition: true, false, or unknown (unsupported content or a missing attribute).</summary>
public enum ConditionResult : byte
{
    False,
    True,
    Unknown,
}

/// <summary>An attribute reference: `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]`.</summary>
public sealed record AbacAttribute(string Source, string Name)
{
    /// <summary>The text as written in conditions and used as the key of request attributes: `@Source[Name]`.</summary>
    public string Key => $"@{Source}[{Name}]";

    public override string ToString() => Key;
}

/// <summary>A node of a parsed ABAC condition.</summary>
public abstract record AbacExpression;

public sealed record AbacAnd(ImmutableArray<AbacExpression> Operands) : AbacExpression;

public sealed record AbacOr(ImmutableArray<AbacExpression> Operands) : AbacExpression;

public sealed record AbacNot(AbacExpression Operand) : AbacExpression;

/// <summary>`ActionMatches{'pattern'}`: the requested operation matches the pattern.</summary>
public sealed record AbacActionMatches(string Pattern) : AbacExpression;

/// <summary>`SubOperationMatches{'Blob.List'}`: the request is that sub-operation.</summary>
public sealed record AbacSubOperationMatches(string SubOperation) : AbacExpression;

/// <summary>`Exists @Source[name]` (or `NotExists`).</summary>
public sealed record AbacExists(AbacAttribute Attribute, bool Negated) : AbacExpression;

/// <summary>
/// `attribute Operator value`: <see cref="Operator"/> as written (`StringEquals`, `ForAnyOfAnyValues:GuidEquals`),
/// <see cref="Values"/> the literal(s) (a `{…}` set gives several), or <see cref="ValueAttribute"/> when the right-hand
/// side is another attribute.
/// </summary>
public sealed record AbacComparison(AbacAttribute Attribute, string Operator, ImmutableArray<string> Values, AbacAttribute? ValueAttribute) : AbacExpression;
