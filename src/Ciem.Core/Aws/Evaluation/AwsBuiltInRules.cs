using Ciem.Core.Matching;
using System.Collections.Immutable;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Aws.Usage;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>A rule AWS applies whatever the policies say: a protected resource or an always-allowed action.</summary>
public sealed record AwsBuiltInRule(string Id, string Source, string Reason);

/// <summary>A resource AWS protects: <see cref="Actions"/> on <see cref="Resource"/> are refused unless the caller is <see cref="Exempt"/>.</summary>
public sealed record ProtectedResourceRule(AwsBuiltInRule Rule, ImmutableArray<string> Actions, string Resource, string? Exempt);

/// <summary>An action AWS allows without any permission, for the listed kinds of caller.</summary>
public sealed record AlwaysAllowedActionRule(AwsBuiltInRule Rule, string Action, ImmutableHashSet<AwsPrincipalKind> Principals);

/// <summary>
/// The documented decisions no policy changes, as two data-driven lists embedded in Core with their sources
/// (`aws-protected-resources.tsv`, `aws-always-allowed-actions.tsv`; docs/effective-permissions.md). The authorizer
/// consults them before any policy: a protected resource is denied (<see cref="AwsLayer.Protected"/>), an
/// always-allowed action is allowed, and the result names the rule.
/// </summary>
public static class AwsBuiltInRules
{
    private static readonly Lazy<ImmutableArray<ProtectedResourceRule>> ProtectedRules = new(() => CuratedTable.Load(
        "Ciem.Core.Aws.Evaluation.aws-protected-resources.tsv",
        r => CuratedTable.Parse(r, "aws-protected-resources.tsv", "rule\tactions\tresource\texempt\tsource\treason",
            "rule<TAB>actions<TAB>resource<TAB>exempt<TAB>source<TAB>reason", f => new ProtectedResourceRule(
                new AwsBuiltInRule(f[0], f[4], f[5]), [.. f[1].Split(',', StringSplitOptions.TrimEntries)], f[2], f[3] == "-" ? null : f[3]))));

    private static readonly Lazy<ImmutableArray<AlwaysAllowedActionRule>> AllowedRules = new(() => CuratedTable.Load(
        "Ciem.Core.Aws.Evaluation.aws-always-allowed-actions.tsv",
        r => CuratedTable.Parse(r, "aws-always-allowed-actions.tsv", "rule\taction\tprincipals\tsource\treason",
            "rule<TAB>action<TAB>principals<TAB>source<TAB>reason", f => PrincipalKinds(f[2]) is { } kinds
                ? new AlwaysAllowedActionRule(new AwsBuiltInRule(f[0], f[3], f[4]), f[1], kinds)
                : null)));

    public static ImmutableArray<ProtectedResourceRule> ProtectedResources => ProtectedRules.Value;

    public static ImmutableArray<AlwaysAllowedActionRule> AlwaysAllowedActions => AllowedRules.Value;

    /// <summary>The protected-resource rule that refuses <paramref name="request"/>, or null.</summary>
    public static ProtectedResourceRule? ProtectedBy(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Service != "iam") { return null; }
        foreach (var rule in ProtectedRules.Value)
        {
            if (!ArnPattern.IsMatch(rule.Resource, request.Resource)) { continue; }
            if (!rule.Actions.Any(a => Wildcard.IsMatch(a, request.Action, ignoreCase: true))) { continue; }
            if (rule.Exempt is { } exempt && request.Context.TryGet("aws:PrincipalArn", out var arn)
                && arn.Values.Length == 1 && ArnPattern.IsMatch(exempt, arn.Values[0]))
            {
                continue;
            }
            return rule;
        }
        return null;
    }

    /// <summary>The always-allowed rule that allows <paramref name="request"/> whatever the policies say, or null.</summary>
    public static AlwaysAllowedActionRule? AlwaysAllows(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Service != "sts") { return null; }
        foreach (var rule in AllowedRules.Value)
        {
            if (string.Equals(rule.Action, request.Action, StringComparison.OrdinalIgnoreCase) && rule.Principals.Contains(request.Principal.Kind))
            {
                return rule;
            }
        }
        return null;
    }

    private static ImmutableHashSet<AwsPrincipalKind>? PrincipalKinds(string text)
    {
        var kinds = ImmutableHashSet.CreateBuilder<AwsPrincipalKind>();
        foreach (var k in text.Split(',', StringSplitOptions.TrimEntries))
        {
            AwsPrincipalKind? kind = k switch
            {
                "user" => AwsPrincipalKind.User,
                "role" => AwsPrincipalKind.Role,
                "assumed-role" => AwsPrincipalKind.AssumedRole,
                "federated-user" => AwsPrincipalKind.FederatedUser,
                "root" => AwsPrincipalKind.Root,
                _ => null,
            };
            if (kind is null) { return null; }
            kinds.Add(kind.Value);
        }
        return kinds.ToImmutable();
    }
}
