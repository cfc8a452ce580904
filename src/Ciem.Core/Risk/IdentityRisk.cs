using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Paths;

namespace Ciem.Core.Risk;

/// <summary>One reason an identity is risky, with the fixed points it adds (<see cref="RiskFactors"/>) and the evidence.</summary>
public sealed record RiskFactor(string Id, int Points, string Detail);

/// <summary>An identity's risk: the sum of its factors' points, every factor shown.</summary>
public sealed record IdentityRisk(AwsIdentityContext Identity, int Score, ImmutableArray<RiskFactor> Factors, AttackPath? PathToAdministrator);

/// <summary>
/// The risk factors and their points. The points are fixed and published (docs/attack-paths.md, `ciem identities
/// --risk`): the score is their plain sum, so a reader can recompute any ranking from the factors shown.
/// </summary>
public static class RiskFactors
{
    public const int StaleDays = 90;

    public static readonly ImmutableArray<(string Id, int Points, string Meaning)> All =
    [
        ("administrator", 40, "full control of its account (the engine allows every administrator probe)"),
        ("path-to-administrator", 30, "can become an administrator through a certain path"),
        ("possible-path-to-administrator", 15, "can become an administrator if a resource exists or unknown content allows it"),
        ("grants-administrator", 20, "can make other principals administrators"),
        ("trusted-by-anyone", 30, "its trust policy lets any AWS principal (`*`) assume it"),
        ("trusted-by-outside-account", 15, "its trust policy names an account outside the organisation and the estate"),
        ("trusted-by-identity-provider", 10, "its trust policy lets users of a web-identity or SAML provider assume it"),
        ("trusted-by-other-cloud", 10, "an identity of another cloud can act as it (GCP workload identity federation from AWS or Azure)"),
        ("old-access-key", 10, $"an active access key older than {StaleDays} days"),
        ("console-without-mfa", 15, "a console password without an MFA device"),
        ("unused-credentials", 10, $"an active access key or password unused for {StaleDays} days or never used"),
        ("inactive", 10, $"not used for {StaleDays} days, or never (Azure, GCP: no activity in the sweep's usage window)"),
        ("unused-administrator", 15, $"administrator (or a path to one) not used for {StaleDays} days"),
        ("public-resource", 30, "a resource whose own policy lets anyone (`*`) in without a condition on who the caller is"),
        ("cross-account-resource", 15, "a resource whose own policy names an account outside the organisation and the estate"),
    ];

    public static int Points(string id) => All.First(f => f.Id == id).Points;
}

/// <summary>Ranks the AWS identities of an estate by risk from their administrator standing, trust, credentials and use.</summary>
public static class IdentityRiskScorer
{
    public static ImmutableArray<IdentityRisk> Score(AwsEstate estate, IReadOnlyList<AdminStanding> standings, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(standings);
        var known = estate.Inventory.Accounts.Select(a => a.AccountId).ToHashSet(StringComparer.Ordinal);
        if (estate.Inventory.Organization is { } org) { known.UnionWith(org.Accounts.Select(a => a.Id)); }
        var result = ImmutableArray.CreateBuilder<IdentityRisk>(standings.Count);
        foreach (var s in standings)
        {
            var factors = new List<RiskFactor>();
            void Add(string id, string detail) => factors.Add(new RiskFactor(id, RiskFactors.Points(id), detail));
            var id = s.Identity.Identity;
            var stale = asOf.AddDays(-RiskFactors.StaleDays);
            var path = s.PathToAdministrator;
            switch (s.Category)
            {
                case AdminCategory.Administrator:
                    Add("administrator", $"administrator of account {id.Scope}");
                    break;
                case AdminCategory.CanBecomeAdministrator when path is not null:
                    var how = string.Join(" → ", path.Steps.Select(st => st.Technique.Id));
                    Add(path.Certainty == EdgeCertainty.Certain ? "path-to-administrator" : "possible-path-to-administrator",
                        $"{AttackPaths.CountedHops(path)} hop(s) to {path.Goal}: {how}");
                    break;
                default:
                    break;
            }
            if (s.GrantsAdministratorTo > 0 && s.Category != AdminCategory.Administrator)
            {
                Add("grants-administrator", $"can make {s.GrantsAdministratorTo} other principal(s) administrators");
            }
            if (s.Identity.TrustPolicy is { } trust) { TrustFactors(trust, id.Scope, known, Add); }
            if (id.Credentials is { } c)
            {
                if (c.ActiveKeys > 0 && c.OldestActiveKeyCreated is { } created && created < stale)
                {
                    Add("old-access-key", $"oldest active key created {created:yyyy-MM-dd} ({(int)(asOf - created).TotalDays} days)");
                }
                if (c.ConsolePassword == true && !c.MfaActive) { Add("console-without-mfa", "console password, no MFA device"); }
                if ((c.ActiveKeys > 0 || c.ConsolePassword == true) && (c.LastUsed is null || c.LastUsed < stale))
                {
                    Add("unused-credentials", c.LastUsed is { } used ? $"credentials last used {used:yyyy-MM-dd}" : "credentials never used");
                }
            }
            var inactive = id.LastUsed is null || id.LastUsed < stale;
            if (inactive && !s.Identity.IsServiceLinked)
            {
                Add("inactive", id.LastUsed is { } last ? $"last used {last:yyyy-MM-dd}" : "never used (or not recorded)");
                if (s.Category is AdminCategory.Administrator or AdminCategory.CanBecomeAdministrator)
                {
                    Add("unused-administrator", "administrative rights held while unused");
                }
            }
            result.Add(new IdentityRisk(s.Identity, factors.Sum(f => f.Points), [.. factors], path));
        }
        return [.. result.OrderByDescending(r => r.Score).ThenBy(r => r.Identity.Identity.Id, StringComparer.Ordinal)];
    }

    /// <summary>Who can assume the role from outside: everyone, accounts outside the organisation, identity providers.</summary>
    private static void TrustFactors(Aws.Evaluation.CompiledPolicy trust, string account, HashSet<string> known, Action<string, string> add)
    {
        var outside = new SortedSet<string>(StringComparer.Ordinal);
        var providers = new SortedSet<string>(StringComparer.Ordinal);
        var anyone = false;
        foreach (var st in trust.Statements.Where(st => st.Effect == Effect.Allow && st.Statement.Principal is not null))
        {
            var conditional = st.Statement.Conditions.IsEmpty ? "" : " (under conditions)";
            var p = st.Statement.Principal!;
            if (p.IsWildcard) { anyone = true; continue; }
            foreach (var v in p.Values)
            {
                if (v.Type == PrincipalType.Federated) { providers.Add(v.Value + conditional); continue; }
                if (v.Type != PrincipalType.Aws) { continue; }
                if (v.Value == "*") { anyone = true; continue; }
                var acct = Aws.Evaluation.AwsPrincipal.IsAccountId(v.Value) ? v.Value : v.Value.Split(':') is { Length: >= 6 } parts ? parts[4] : null;
                if (acct is not null && acct != account && !known.Contains(acct)) { outside.Add(acct + conditional); }
            }
        }
        if (anyone) { add("trusted-by-anyone", "Principal `*` in the trust policy"); }
        if (outside.Count > 0) { add("trusted-by-outside-account", $"accounts {string.Join(", ", outside)}"); }
        if (providers.Count > 0) { add("trusted-by-identity-provider", string.Join(", ", providers)); }
    }
}
