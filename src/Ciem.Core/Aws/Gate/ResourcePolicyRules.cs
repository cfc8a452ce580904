using System.Collections.Immutable;
using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Aws.Gate;

/// <summary>
/// The gate's rules on resource-based policies: `new-public-trust` for an Allow statement that newly lets anyone
/// (`Principal: *`) in without a condition that restricts who the caller is, `new-cross-account-trust` for a newly named
/// account outside the known ones, `indeterminate-change` for a policy known only after apply.
/// <para>A condition restricts the caller when it compares a key that names the caller's account, organisation,
/// identity, source resource or network (`aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`,
/// `kms:CallerAccount`, …) with a positive operator (`StringEquals`, `ArnLike`, …, not a negated one and not `…IfExists`,
/// which passes when the key is absent). Conditions on anything else (`aws:SecureTransport`) leave the statement public.
/// An operator the engine does not know makes the finding indeterminate, never silently public or private.</para>
/// </summary>
public static class ResourcePolicyRules
{
    public static readonly ImmutableHashSet<string> RestrictingKeys = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase,
        "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalServiceName",
        "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpce",
        "aws:SourceIp", "aws:userid", "aws:username", "kms:CallerAccount", "lambda:EventSourceToken");

    /// <param name="knownAccounts">accounts of the imported organisation and inventory: naming them is not cross-account (empty: any account is reported).</param>
    public static ImmutableArray<GateFinding> Evaluate(ResourcePolicyChange change, IReadOnlySet<string> knownAccounts)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(knownAccounts);
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        var id = change.Id;
        GateFinding Finding(string rule, string message, string evidence, SourceLocation? location) =>
            new(rule, GateRules.Find(rule).DefaultSeverity, id, message, [evidence], location ?? change.Location);

        if (change.After is { Document: null })
        {
            findings.Add(Finding(GateRules.IndeterminateChange, $"the policy of `{id}` is known only after apply: who it lets in cannot be checked", change.After!.Name, change.After.Location) with { Indeterminate = true });
            return findings.ToImmutable();
        }
        if (change.After is { } afterPolicy) { findings.AddRange(AwsGateRules.InvalidPolicyFindings(afterPolicy, id)); }
        var before = Grantees(change.Before).Select(g => (g.Value, g.Access)).ToHashSet();
        foreach (var g in Grantees(change.After).Where(g => !before.Contains((g.Value, g.Access))))
        {
            var location = change.After!.LocationOf(g.Statement);
            var where = $"statement {g.Statement.Index}{(g.Statement.Sid is { Length: > 0 } sid ? $" ({sid})" : "")}";
            if (g.Value == "*")
            {
                if (g.Access == Access.Restricted) { continue; }
                var actions = g.Statement.NotAction ? $"every action but {string.Join(", ", g.Statement.Actions)}" : string.Join(", ", g.Statement.Actions);
                var f = Finding(GateRules.NewPublicTrust, $"the policy of `{id}` lets anyone ({actions}){(g.Access == Access.Unknown ? " unless a condition the gate cannot read restricts it" : "")}", $"{where}: Principal `*`{Conditions(g.Statement)}", location);
                findings.Add(g.Access == Access.Unknown ? f with { Indeterminate = true, Severity = FindingSeverity.High } : f);
            }
            else if (AccountOf(g.Value) is { } account && !knownAccounts.Contains(account))
            {
                var whose = knownAccounts.Count == 0 ? " (no inventory: the organisation's accounts are not known)" : " (not an account of the imported organisation)";
                findings.Add(Finding(GateRules.NewCrossAccountTrust, $"the policy of `{id}` lets account `{account}` in{whose}", $"{where}: `{g.Value}`", location));
            }
        }
        return findings.ToImmutable();
    }

    private enum Access
    {
        Open,
        Restricted,
        Unknown,
    }

    /// <summary>The AWS principals the Allow statements name (`*` for everyone), with whether their conditions restrict the caller.</summary>
    private static IEnumerable<(Statement Statement, string Value, Access Access)> Grantees(GatePolicy? policy)
    {
        if (policy?.Document is null) { yield break; }
        foreach (var st in policy.Document.Statements.Where(s => s.Effect == Effect.Allow && !s.NotPrincipal && s.Principal is not null))
        {
            var access = Restriction(st);
            if (st.Principal!.IsWildcard) { yield return (st, "*", access); continue; }
            foreach (var v in st.Principal.Values.Where(v => v.Type == PrincipalType.Aws))
            {
                yield return (st, v.Value == "*" ? "*" : v.Value, access);
            }
        }
    }

    private static Access Restriction(Statement statement)
    {
        var result = Access.Open;
        foreach (var c in statement.Conditions)
        {
            var op = ConditionOperator.Parse(c.Operator, new SourceLocation(JsonPath: c.JsonPath), new DiagnosticBag());
            if (op is null) { result = Access.Unknown; continue; }
            if (!RestrictingKeys.Contains(c.Key) || op.Info.Negated || op.IfExists || op.Info.Family == ConditionFamily.Null) { continue; }
            if (c.Values.Any(v => v.Trim() == "*")) { continue; }
            return Access.Restricted;
        }
        return result;
    }

    private static string Conditions(Statement statement) =>
        statement.Conditions.IsEmpty ? "" : $" if {string.Join(" and ", statement.Conditions.Select(c => $"{c.Operator} {c.Key} [{string.Join(", ", c.Values)}]"))}";

    /// <summary>The account of an AWS principal value: a bare account id or the account field of an ARN.</summary>
    public static string? AccountOf(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit)) { return principal; }
        var parts = principal.Split(':');
        return parts.Length >= 6 && parts[4].Length == 12 && parts[4].All(char.IsAsciiDigit) ? parts[4] : null;
    }
}
