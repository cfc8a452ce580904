using System.Collections.Immutable;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.Core.Metrics;

/// <summary>What the logs of one provider covered in the window: days with usage and events.</summary>
public sealed record ProviderUsage(int DaysWithUsage, long Events);

/// <summary>Turns a sweep into a measurement. Pure.</summary>
public static class MetricMeasure
{
    /// <param name="sweep">the sweep of every provider, as of the day measured.</param>
    /// <param name="reductions">delivered reductions as the snapshots up to the day show them.</param>
    /// <param name="usage">what each provider's logs covered in the window (a provider missing here counts 0 days).</param>
    /// <param name="source">`sweep` or `backfill`.</param>
    public static Measurement From(EstateSweepResult sweep, IEnumerable<ReductionStatus> reductions, IReadOnlyDictionary<string, ProviderUsage> usage, string source)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(reductions);
        ArgumentNullException.ThrowIfNull(usage);
        var states = reductions.GroupBy(r => (r.Reduction.Provider, r.Reduction.Identity))
            .ToDictionary(g => g.Key, g => (Pending: g.Count(s => s.State == ReductionState.Pending), Applied: g.Count(s => s.State == ReductionState.Applied),
                Regrown: g.Count(s => s.State == ReductionState.Regrown)));
        var environments = sweep.Rows.ToDictionary(r => (r.Provider, r.Id), r => r.Environment.Name);
        var identities = new List<IdentityMeasure>();
        IdentityMeasure Measure(Identity who, string provider, bool admin, bool unusedAdmin, long granted, long used, long unused, long unknown)
        {
            var (pending, applied, regrown) = states.GetValueOrDefault((provider, who.Id));
            var credential = who.Credentials?.OldestActiveKeyCreated is { } created && who.Credentials.ActiveKeys > 0
                ? (int?)Math.Max(0, (int)(sweep.AsOf - created).TotalDays) : null;
            return new IdentityMeasure(provider, who.Scope, who.Id, who.Name, MetricKinds.OfGroup(SweepRunner.KindGroup(who.Kind)),
                environments.GetValueOrDefault((provider, who.Id)) ?? "unknown", who.Owner, admin, unusedAdmin, used == 0, granted, used, unused, unknown,
                pending, applied, regrown, credential, [.. who.Tags.Select(t => $"{t.Key}={t.Value}")]);
        }
        if (sweep.Aws is { } aws)
        {
            identities.AddRange(aws.Gaps.Select(g => Measure(g.Identity, Provider.Aws, g.IsAdministrator, g.IsAdministrator && !g.AdminActionUsed,
                g.Granted, g.Used, g.Unused, g.Unknown)));
        }
        foreach (var cloud in new[] { sweep.Azure, sweep.Gcp }.OfType<CloudSweepResult>())
        {
            identities.AddRange(cloud.Identities.Select(i => Measure(i.Gap.Identity, cloud.Provider, i.Gap.IsAdministrator,
                i.Gap.IsAdministrator && !i.Gap.AdminActionUsed, i.Gap.Granted, i.Gap.Used, i.Gap.Unused, i.Gap.Unknown)));
        }
        var ordered = identities.OrderBy(i => i.Provider, StringComparer.Ordinal).ThenBy(i => i.Identity, StringComparer.Ordinal).ToImmutableArray();
        var providers = sweep.ProviderNames.Select(p =>
        {
            var of = ordered.Where(i => i.Provider == p).ToList();
            var u = usage.GetValueOrDefault(p) ?? new ProviderUsage(0, 0);
            return new MeasuredProvider(p, of.Select(i => i.Account).Distinct(StringComparer.Ordinal).Count(), of.Count, u.DaysWithUsage, u.Events);
        }).ToImmutableArray();
        return new Measurement(DateOnly.FromDateTime(sweep.AsOf.UtcDateTime), sweep.AsOf, sweep.WindowDays, source, providers, ordered);
    }
}
