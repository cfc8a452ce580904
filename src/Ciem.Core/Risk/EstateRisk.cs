using System.Collections.Immutable;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;

namespace Ciem.Core.Risk;

/// <summary>One step of a risk row's shortest path to an administrator: who becomes whom, how, and how surely.</summary>
public sealed record RiskPathStep(string From, string To, string Technique, EdgeCertainty Certainty);

/// <summary>The shortest path of a risk row: its goal, the hops it counts and its weakest step's certainty.</summary>
public sealed record RiskPath(string Goal, int Hops, EdgeCertainty Certainty, ImmutableArray<RiskPathStep> Steps);

/// <summary>
/// An identity of any provider with its engine-decided administrator category, its risk (the sum of its factors' points,
/// every factor shown) and its shortest path to an administrator; <see cref="GrantsAt"/> names what it can make others
/// administrators of, <see cref="GrantsNeedActivation"/> when every such grant needs a PIM activation first.
/// </summary>
public sealed record RiskRow(
    string Provider, string Id, string Name, string Kind, string Scope, AdminCategory Category, int Score,
    ImmutableArray<RiskFactor> Factors, RiskPath? PathToAdministrator)
{
    public ImmutableArray<string> GrantsAt { get; init; } = [];

    public bool GrantsNeedActivation { get; init; }

    /// <summary>Administrator, or able to make others administrators (the AWS count or the Azure/GCP scopes).</summary>
    public bool IsPrivilegeAdministrator { get; init; }
}

/// <summary>
/// What the usage window says of a principal: inactive (no permission used in it; a sign-in is activity, not a use) and its
/// last activity (sign-ins included) when one was recorded.
/// </summary>
public sealed record CloudActivity(bool Inactive, DateTimeOffset? LastActivity, int WindowDays);

/// <summary>An Azure or GCP principal to score: its standing on the multi-cloud graph, how it is shown, and its activity.</summary>
public sealed record CloudRiskSubject(CloudStanding Standing, string Name, string Kind, string Scope, CloudActivity? Activity);

/// <summary>
/// The risk rows of every provider: AWS rows from <see cref="IdentityRiskScorer"/>, Azure and GCP rows scored here with the
/// same published points (<see cref="RiskFactors"/>) from their standing on the multi-cloud graph, the identities of other
/// clouds federated into them, and their activity in the usage window where it was read.
/// </summary>
public static class EstateRiskScorer
{
    /// <summary>An AWS identity's row: its scored factors and its standing on the AWS attack graph.</summary>
    public static RiskRow Aws(IdentityRisk risk, AdminStanding standing)
    {
        ArgumentNullException.ThrowIfNull(risk);
        ArgumentNullException.ThrowIfNull(standing);
        var id = risk.Identity.Identity;
        var path = risk.PathToAdministrator is { } p && standing.Category != AdminCategory.Administrator
            ? new RiskPath(p.Goal, AttackPaths.CountedHops(p), p.Certainty,
                [.. p.Steps.Select(s => new RiskPathStep(s.From, s.To, s.Technique.Id, s.Certainty))])
            : null;
        return new RiskRow(Provider.AwsName, id.Id, id.Name, IdentityKindNames.Of(id.Kind), id.Scope, standing.Category, risk.Score,
            risk.Factors, path)
        {
            GrantsAt = standing.GrantsAdministratorTo > 0 ? [$"{standing.GrantsAdministratorTo} other principal(s)"] : [],
            IsPrivilegeAdministrator = standing.IsPrivilegeAdministrator,
        };
    }

    /// <summary>
    /// Who from another cloud can act as each node: the workload-identity federation edges into it, by node, named by
    /// their source (an AWS role or an Azure principal trusted by a GCP pool).
    /// </summary>
    public static IReadOnlyDictionary<int, ImmutableArray<string>> TrustedFromOtherClouds(CloudGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Edges
            .Where(e => e.Technique == CloudTechniques.WorkloadIdentityFromAws || e.Technique == CloudTechniques.WorkloadIdentityFromAzure)
            .GroupBy(e => e.To)
            .ToDictionary(g => g.Key, g => g.Select(e => $"{graph.Nodes[e.From].Provider} `{graph.Nodes[e.From].Name}`")
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray());
    }

    /// <summary>An Azure or GCP principal's row: administrator standing, federation from other clouds, activity.</summary>
    public static RiskRow Cloud(CloudRiskSubject subject, IReadOnlyDictionary<int, ImmutableArray<string>> trustedFrom)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(trustedFrom);
        var factors = new List<RiskFactor>();
        void Add(string id, string detail) => factors.Add(new RiskFactor(id, RiskFactors.Points(id), detail));
        var s = subject.Standing;
        RiskPath? path = null;
        switch (s.Category)
        {
            case AdminCategory.Administrator:
                Add("administrator", s.Shortest?.Goal.Name ?? "administrator of a scope");
                break;
            case AdminCategory.CanBecomeAdministrator when s.Shortest is { } shortest:
                path = new RiskPath(shortest.Goal.Name, shortest.Hops, shortest.Certainty,
                    [.. shortest.Steps.Select(st => new RiskPathStep(st.From.Name, st.To.Name, st.Technique.Id, st.Certainty))]);
                Add(shortest.Certainty == EdgeCertainty.Certain ? "path-to-administrator" : "possible-path-to-administrator",
                    $"{shortest.Hops} hop(s) to {shortest.Goal.Name}: {string.Join(" → ", shortest.Steps.Select(st => st.Technique.Id))}");
                break;
            default:
                break;
        }
        var activation = !s.GrantsAt.IsEmpty && s.GrantsAt.All(g => g.Technique == CloudTechniques.AzurePimActivation);
        if (!s.GrantsAt.IsEmpty && s.Category != AdminCategory.Administrator)
        {
            Add("grants-administrator", $"can make others {string.Join(", ", s.GrantsAt.Select(g => g.To.Name))}"
                + (activation ? " once a PIM-eligible role is activated" : ""));
        }
        if (trustedFrom.TryGetValue(s.Node.Index, out var from))
        {
            Add("trusted-by-other-cloud", $"workload identity federation from {string.Join(", ", from)}");
        }
        if (subject.Activity is { Inactive: true } activity)
        {
            Add("inactive", activity.LastActivity is { } last
                ? $"used no permission in the {activity.WindowDays}-day window (last activity {last:yyyy-MM-dd})"
                : $"no activity in the {activity.WindowDays}-day window");
            if (s.Category is AdminCategory.Administrator or AdminCategory.CanBecomeAdministrator)
            {
                Add("unused-administrator", "administrative rights held while unused");
            }
        }
        return new RiskRow(s.Node.Provider, s.Node.Id, subject.Name, subject.Kind, subject.Scope, s.Category, factors.Sum(f => f.Points),
            [.. factors], path)
        {
            GrantsAt = [.. s.GrantsAt.Select(g => g.To.Name)],
            GrantsNeedActivation = activation,
            IsPrivilegeAdministrator = s.IsPrivilegeAdministrator,
        };
    }

    /// <summary>Highest score first, then provider (aws, azure, gcp) and id: the order every output ranks in.</summary>
    public static ImmutableArray<RiskRow> Rank(IEnumerable<RiskRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.OrderByDescending(r => r.Score).ThenBy(r => Array.IndexOf(Order, r.Provider))
            .ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    private static readonly string[] Order = [Provider.AwsName, Provider.AzureName, Provider.GcpName];
}

/// <summary>
/// The sweep's risk view: every identity with a risk factor, ranked (<see cref="EstateRiskScorer.Rank"/>); every identity
/// with an administrator category has one, so the categories are counted from these rows.
/// </summary>
public sealed record RiskView(ImmutableArray<RiskRow> Identities)
{
    /// <summary>Identities of <paramref name="provider"/> (every provider when null) in <paramref name="category"/>.</summary>
    public int Count(string? provider, AdminCategory category) =>
        Identities.Count(r => r.Category == category && (provider is null || r.Provider == provider));

    /// <summary>Identities that can make others administrators (administrators included), of one provider or all.</summary>
    public int PrivilegeAdministrators(string? provider) =>
        Identities.Count(r => r.IsPrivilegeAdministrator && (provider is null || r.Provider == provider));
}
