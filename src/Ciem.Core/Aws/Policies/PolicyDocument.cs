using System.Collections.Immutable;

namespace Ciem.Core.Aws.Policies;

/// <summary>Where a policy applies in AWS's evaluation logic.</summary>
public enum PolicyKind
{
    Identity,
    Resource,
    Trust,
    Scp,
    Rcp,
    Boundary,
    Session,
    VpcEndpoint,
}

public enum Effect
{
    Allow,
    Deny,
}

/// <summary>The policy language version. Policy variables exist only in 2012-10-17.</summary>
public enum PolicyLanguageVersion
{
    V20081017,
    V20121017,
}

/// <summary>
/// A parsed IAM policy document. <see cref="Name"/> identifies it in explanations (an ARN, a
/// managed-policy name, or `role/inline-name`); statements keep their index and JSON pointer.
/// </summary>
public sealed record PolicyDocument(
    string Name,
    PolicyKind Kind,
    PolicyLanguageVersion Version,
    string? Id,
    ImmutableArray<Statement> Statements)
{
    public bool SupportsPolicyVariables => Version == PolicyLanguageVersion.V20121017;

    /// <summary>A policy whose content is unknown (missing, unreadable, known only after apply): one statement that may allow or deny anything.</summary>
    public static PolicyDocument Unknown(string name, string defect)
    {
        var statement = new Statement(0, null, Effect.Allow, ["*"], false, ["*"], false, true, null, false, [], "$")
        {
            Defect = defect,
            EffectUnknown = true,
        };
        return new PolicyDocument(name, PolicyKind.Identity, PolicyLanguageVersion.V20121017, null, [statement]);
    }
}

/// <summary>
/// One statement. Exactly one of Action/NotAction (<see cref="NotAction"/> says which), at most one of
/// Resource/NotResource (<see cref="HasResourceElement"/> false when neither, as in trust policies),
/// at most one of Principal/NotPrincipal.
/// </summary>
public sealed record Statement(
    int Index,
    string? Sid,
    Effect Effect,
    ImmutableArray<string> Actions,
    bool NotAction,
    ImmutableArray<string> Resources,
    bool NotResource,
    bool HasResourceElement,
    PrincipalElement? Principal,
    bool NotPrincipal,
    ImmutableArray<ConditionEntry> Conditions,
    string JsonPath)
{
    /// <summary>Why this statement cannot be evaluated reliably (malformed or unsupported content); null when sound.</summary>
    public string? Defect { get; init; }

    /// <summary>The Effect could not be read: the statement may be an Allow or a Deny.</summary>
    public bool EffectUnknown { get; init; }

    /// <summary>The Principal or NotPrincipal element could not be read: the statement may apply to any caller.</summary>
    public bool PrincipalUnknown { get; init; }

    /// <summary>The statement (or its policy) repeats a JSON name: IAM rejects it, so it decides nothing.</summary>
    public bool HasDuplicateNames { get; init; }
}

public enum PrincipalType
{
    /// <summary>`"Principal": "*"` or `{"AWS": "*"}`: everyone, including anonymous.</summary>
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

/// <summary>A Principal or NotPrincipal element: `"*"` (<see cref="IsWildcard"/>) or typed values.</summary>
public sealed record PrincipalElement(bool IsWildcard, ImmutableArray<PrincipalValue> Values);

public readonly record struct PrincipalValue(PrincipalType Type, string Value);

/// <summary>
/// One operator/key/values triple of a Condition block, e.g. `StringLike` / `s3:prefix` / [`home/*`].
/// Values keep their JSON text form (`true`, `10`) so that every operator family can interpret them.
/// </summary>
public sealed record ConditionEntry(string Operator, string Key, ImmutableArray<string> Values, string JsonPath);
