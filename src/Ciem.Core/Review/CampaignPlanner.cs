using System.Collections.Immutable;

namespace Ciem.Core.Review;

/// <summary>
/// Plans a campaign from the sweep's candidates: set apart the excluded (config, reason, unexpired), the unverified
/// and the unowned (programme-admin queue); put each other identity in the first stage that takes it (an identity no
/// stage takes is set apart too, never dropped); cut each stage into batches of the batch size, ordered by provider,
/// scope and name; give batch n the earliest notice day plannedAt + (n − 1) × notice days. Pure.
/// </summary>
public static class CampaignPlanner
{
    public static CampaignPlan Plan(IEnumerable<ReviewCandidate> candidates, ReviewConfig config, OwnerSources owners, DateTimeOffset plannedAt)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(owners);
        var excluded = ImmutableArray.CreateBuilder<CampaignSetAside>();
        var unverified = ImmutableArray.CreateBuilder<CampaignSetAside>();
        var admin = ImmutableArray.CreateBuilder<CampaignSetAside>();
        var staged = config.Stages.ToDictionary(s => s.Name, _ => new List<CampaignItem>(), StringComparer.Ordinal);
        var ordered = candidates.OrderBy(c => c.Provider, StringComparer.Ordinal).ThenBy(c => c.Scope, StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.IdentityId, StringComparer.Ordinal);
        foreach (var candidate in ordered)
        {
            var owner = OwnerResolver.Resolve(candidate, owners);
            var exclusion = config.Exclusions.FirstOrDefault(e => (e.Until is null || e.Until > plannedAt) && e.Select.Matches(candidate, owner));
            if (exclusion is not null)
            {
                excluded.Add(new(candidate, exclusion.Reason, exclusion.Until));
                continue;
            }
            if (!candidate.IsVerified)
            {
                unverified.Add(new(candidate, candidate.FailureReason!));
                continue;
            }
            if (owner is null)
            {
                admin.Add(new(candidate, $"no owner: no owner tag, oidc repository, CODEOWNERS rule, directory owner or fallback for `{candidate.Scope}`"));
                continue;
            }
            var stage = config.Stages.FirstOrDefault(s => s.Select.Matches(candidate, owner));
            if (stage is null)
            {
                admin.Add(new(candidate, "no stage of the review config selects this identity"));
                continue;
            }
            staged[stage.Name].Add(new CampaignItem(candidate, owner, 0, ReviewState.Planned));
        }
        var batches = ImmutableArray.CreateBuilder<CampaignBatch>();
        foreach (var stage in config.Stages)
        {
            foreach (var chunk in staged[stage.Name].Chunk(Math.Max(1, config.BatchSize)))
            {
                var number = batches.Count + 1;
                batches.Add(new CampaignBatch(number, stage.Name, plannedAt.AddDays((number - 1) * (double)config.NoticeDays),
                    [.. chunk.Select(i => i with { Batch = number })]));
            }
        }
        return new CampaignPlan(config.Name, plannedAt, batches.ToImmutable(), excluded.ToImmutable(), unverified.ToImmutable(), admin.ToImmutable());
    }
}
