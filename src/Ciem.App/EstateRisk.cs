using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.App.Questions;
using Ciem.App.Usage;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using Ciem.Core.Risk;
using Ciem.Core.Sweep;

namespace Ciem.App;

/// <summary>`ciem identities --risk`: every identity of the providers asked ranked by risk, and the exposed AWS resources.</summary>
public sealed record RiskAnswer(ImmutableArray<RiskRow> Identities, IReadOnlyList<ResourceExposure> Resources, ImmutableArray<string> Notes);

/// <summary>
/// The risk view every host shares (docs/attack-paths.md): AWS identities scored on the AWS attack graph, Azure and GCP
/// principals on the multi-cloud graph with the standings `ciem identities --admins` shows (<see cref="CloudEstatePaths"/>),
/// one ranking with the same published points.
/// </summary>
public static class EstateRisk
{
    /// <summary>The AWS identities' rows (of one account when given), unranked.</summary>
    public static ImmutableArray<RiskRow> Aws(AwsEstate estate, DateTimeOffset asOf, string? account = null, AttackPaths? built = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var paths = built ?? EstatePaths.Analyse(estate);
        var standings = paths.Standings.ToDictionary(s => s.Identity.Identity.Id, StringComparer.Ordinal);
        return [.. IdentityRiskScorer.Score(estate, paths.Standings, asOf)
            .Where(r => account is null || r.Identity.Identity.Scope == account)
            .Select(r => EstateRiskScorer.Aws(r, standings[r.Identity.Identity.Id]))];
    }

    /// <summary>
    /// One provider's principals on the multi-cloud graph, each described by <paramref name="describe"/> (name, kind, scope,
    /// activity) when it knows the id, else by the graph's name with an unknown kind and no activity; unranked.
    /// </summary>
    public static ImmutableArray<RiskRow> Cloud(CloudAttackPaths paths, string provider,
        Func<string, (string Name, string Kind, string Scope, CloudActivity? Activity)?> describe)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(describe);
        var trusted = EstateRiskScorer.TrustedFromOtherClouds(paths.Graph);
        return [.. CloudEstatePaths.Standings(paths, provider).Values.Select(s =>
        {
            var d = describe(s.Node.Id) ?? (s.Node.Name, "unknown", "", null);
            return EstateRiskScorer.Cloud(new CloudRiskSubject(s, d.Name, d.Kind, d.Scope, d.Activity), trusted);
        })];
    }

    /// <summary>
    /// The sweep's risk rows: AWS (when swept) and the Azure and GCP principals of one multi-cloud graph, described by the
    /// sweep's own rows (names as the sweep shows them, activity in its window); those with a risk factor, ranked.
    /// </summary>
    /// <param name="awsPaths">the AWS attack graph the sweep built (with <paramref name="estate"/>).</param>
    /// <param name="cloudPaths">the multi-cloud graph the sweep built (with <paramref name="azure"/> or <paramref name="gcp"/>).</param>
    public static ImmutableArray<RiskRow> ForSweep(AttackPaths? awsPaths, CloudAttackPaths? cloudPaths, AwsEstate? estate,
        CloudSweepResult? azure, CloudSweepResult? gcp, DateTimeOffset asOf, int windowDays)
    {
        var rows = new List<RiskRow>();
        if (estate is not null) { rows.AddRange(Aws(estate, asOf, built: awsPaths)); }
        var clouds = new[] { azure, gcp }.OfType<CloudSweepResult>().ToList();
        if (clouds.Count > 0)
        {
            var paths = cloudPaths
                ?? throw new ArgumentNullException(nameof(cloudPaths), "the Azure and GCP risk rows are read on the sweep's graph");
            foreach (var cloud in clouds)
            {
                var known = cloud.Identities.GroupBy(i => i.Gap.Identity.Id, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
                rows.AddRange(Cloud(paths, cloud.Provider, id => known.TryGetValue(id, out var i)
                    ? (i.Gap.Identity.Name, IdentityKindNames.Of(i.Gap.Identity.Kind), i.Gap.Identity.Scope,
                        new CloudActivity(i.Gap.Inactive, i.Gap.LastActivity, windowDays))
                    : null));
            }
        }
        return EstateRiskScorer.Rank(rows.Where(r => r.Score > 0));
    }

    /// <summary>
    /// `ciem identities --risk`: every identity of <paramref name="provider"/> (every provider the store holds when null; AWS
    /// of one account with <paramref name="account"/>), ranked; Azure and GCP principals described as `ciem identities` lists
    /// them, their activity read from the store's usage of the <see cref="RiskFactors.StaleDays"/> days before
    /// <paramref name="asOf"/> (none when the store holds no usage of the provider, said in a note).
    /// </summary>
    public static QuestionResult<RiskAnswer> Rank(CiemSession session, string? provider, string? account, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        var log = new QuestionLog();
        ImmutableArray<string> providers = provider is not null ? [provider]
            : session.ProvidersWithData() is { IsEmpty: false } present ? [.. present.Select(p => p.Name)] : [Provider.AwsName];
        if (account is not null && providers.Any(p => p != Provider.AwsName))
        {
            if (provider is not null)
            {
                return log.Invalid<RiskAnswer>($"`--account` names an AWS account; it cannot be combined with `--provider {provider}`");
            }
            providers = [Provider.AwsName];
        }
        var rows = new List<RiskRow>();
        var notes = ImmutableArray.CreateBuilder<string>();
        IReadOnlyList<ResourceExposure> exposed = [];
        // What the imports quarantined is not in the graphs the ranking reads (docs/attack-paths.md, bad input).
        foreach (var w in providers.SelectMany(p => QuarantinedRecords.Warnings(session, p))) { log.Warn(w); }
        if (providers.Contains(Provider.AwsName))
        {
            if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<RiskAnswer>(null); }
            rows.AddRange(Aws(estate, asOf, account));
            exposed = EstatePaths.ResourceExposures(estate, account);
        }
        var clouds = providers.Where(p => p is Provider.AzureName or Provider.GcpName).ToList();
        if (clouds.Count > 0)
        {
            var paths = CloudEstatePaths.Analyse(CloudEstatePaths.Inputs(session, asOf));
            foreach (var p in clouds)
            {
                var listed = IdentityListing.List(session, p, new IdentityFilter(), asOf, paths);
                if (listed.Answer?.Sections.FirstOrDefault() is not { } section) { return listed.As<RiskAnswer>(); }
                if (section.Answer is not { } identities) { return section.As<RiskAnswer>(); }
                var window = UsageWindow.Of(asOf, RiskFactors.StaleDays);
                var usage = CloudUsage.Load(session.Store, p == Provider.AzureName ? Provider.Azure : Provider.Gcp, window);
                var last = usage.GroupBy(u => u.Identity, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.Max(u => u.LastSeen), StringComparer.OrdinalIgnoreCase);
                // As the sweep counts it: a sign-in shows activity but uses no permission.
                var used = usage.Where(u => !CloudUsage.ActivityOnly.Contains(u.Action)).Select(u => u.Identity)
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                if (usage.IsEmpty)
                {
                    notes.Add($"no {p} usage in the {RiskFactors.StaleDays} days before {asOf:yyyy-MM-dd}: inactivity is not scored "
                        + $"(`ciem import {(p == Provider.AzureName ? "azure-activity" : "gcp-audit")} PATH`)");
                }
                var known = identities.Cloud.GroupBy(r => r.Access.Identity.Id, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.First().Access.Identity, StringComparer.OrdinalIgnoreCase);
                rows.AddRange(Cloud(paths, p, id => known.TryGetValue(id, out var i)
                    ? (i.Name, IdentityKindNames.Of(i.Kind), i.Scope, usage.IsEmpty ? null
                        : new CloudActivity(!used.Contains(id), last.TryGetValue(id, out var seen) ? seen : null, RiskFactors.StaleDays))
                    : null));
            }
        }
        return log.Result(new RiskAnswer(EstateRiskScorer.Rank(rows), exposed, notes.ToImmutable()));
    }
}
