using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Aws.Gate;

namespace Ciem.Core.Metrics;

/// <summary>What IaC declares: identity names (an AWS role or user name, a service account's id) per repository.</summary>
public sealed record IacDeclarations(ImmutableDictionary<string, ImmutableHashSet<string>> NamesByRepository)
{
    public static readonly IacDeclarations None = new(ImmutableDictionary<string, ImmutableHashSet<string>>.Empty);

    /// <summary>Whether the repository declares the identity (by its name, or the last path segment of its id).</summary>
    public bool Declares(string repository, IdentityMeasure identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!NamesByRepository.TryGetValue(repository, out var names)) { return false; }
        var last = identity.Identity[(identity.Identity.LastIndexOfAny(['/', ':']) + 1)..];
        return names.Contains(identity.Name) || names.Contains(last);
    }
}

/// <summary>An alert that is open in the store (fired and not resolved).</summary>
public sealed record OpenAlert(long Id, string Rule, string Key);

/// <summary>
/// How the firing alerts of a run change the ledger: alerts that fire for the first time (to be sent), alerts already
/// open that still fire (not sent again), and open alerts of the evaluated rules that no longer fire (resolved).
/// </summary>
public sealed record AlertReconciliation(ImmutableArray<FiringAlert> New, ImmutableArray<(OpenAlert Open, FiringAlert Now)> Continuing, ImmutableArray<OpenAlert> Resolved);

/// <summary>Evaluates alert rules on the latest measurement against earlier ones. Pure.</summary>
public static class AlertEvaluator
{
    /// <param name="measurements">every measurement kept, any order.</param>
    /// <param name="iac">what the IaC repositories of `new-admin-outside-iac` rules declare.</param>
    public static ImmutableArray<FiringAlert> Evaluate(AlertConfig config, IReadOnlyList<Measurement> measurements, IacDeclarations iac)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(iac);
        var ordered = measurements.OrderBy(m => m.Day).ToList();
        if (ordered.Count == 0) { return []; }
        var latest = ordered[^1];
        var previous = ordered.Count > 1 ? ordered[^2] : null;
        var firing = new List<FiringAlert>();
        foreach (var rule in config.Rules)
        {
            bool InScope(IdentityMeasure i) => rule.Providers.IsEmpty || rule.Providers.Contains(i.Provider);
            var now = latest.Identities.Where(InScope).ToList();
            var before = previous?.Identities.Where(InScope).ToDictionary(i => (i.Provider, i.Identity));
            FiringAlert Fire(string key, string message) => new(rule.Id, key, rule.Severity, message, rule.Channels);
            switch (rule.Type)
            {
                case AlertRuleTypes.GapGrowth:
                    firing.AddRange(GapGrowth(rule, ordered, InScope).Select(g => Fire(g.Key, g.Message)));
                    break;
                case AlertRuleTypes.NewAdministrator when before is not null:
                    firing.AddRange(now.Where(i => i.Administrator && !(before.GetValueOrDefault((i.Provider, i.Identity))?.Administrator ?? false))
                        .Select(i => Fire(Key(i), $"`{i.Name}` ({i.Provider} `{i.Account}`) is an administrator since the measurement of {Day(previous!.Day)}")));
                    break;
                case AlertRuleTypes.NewUnusedAdministrator when before is not null:
                    firing.AddRange(now.Where(i => i.UnusedAdministrator && !(before.GetValueOrDefault((i.Provider, i.Identity))?.UnusedAdministrator ?? false))
                        .Select(i => Fire(Key(i), $"`{i.Name}` ({i.Provider} `{i.Account}`) holds admin rights it did not use in the {latest.WindowDays}-day window")));
                    break;
                case AlertRuleTypes.RegrownReduction:
                    firing.AddRange(now.Where(i => i.Regrown > 0)
                        .Select(i => Fire(Key(i), $"{i.Regrown} delivered reduction(s) of `{i.Name}` ({i.Provider} `{i.Account}`) regrew: removed permissions are granted again")));
                    break;
                case AlertRuleTypes.ServiceWithoutOwner:
                    firing.AddRange(now.Where(i => i.Kind == MetricKinds.Service && string.IsNullOrWhiteSpace(i.Owner))
                        .Select(i => Fire(Key(i), $"service identity `{i.Name}` ({i.Provider} `{i.Account}`) has no owner")));
                    break;
                case AlertRuleTypes.CredentialAge:
                    firing.AddRange(now.Where(i => i.OldestCredentialDays > rule.Days)
                        .Select(i => Fire(Key(i), $"`{i.Name}` ({i.Provider} `{i.Account}`) has an active credential {i.OldestCredentialDays} days old (limit {rule.Days})")));
                    break;
                case AlertRuleTypes.NewAdministratorOutsideIac when before is not null:
                    firing.AddRange(now.Where(i => i.Administrator && !before.ContainsKey((i.Provider, i.Identity)) && !InIac(rule, i, iac))
                        .Select(i => Fire(Key(i), $"new administrator `{i.Name}` ({i.Provider} `{i.Account}`) is not declared in the IaC repository"
                            + (rule.IacRepository is { } repo ? $" `{repo}`" : ""))));
                    break;
                default:
                    // Rules about what changed since the previous measurement have nothing to compare with the first one.
                    break;
            }
        }
        return [.. firing.GroupBy(f => (f.Rule, f.Key)).Select(g => g.First()).OrderByDescending(f => f.Severity).ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ThenBy(f => f.Key, StringComparer.Ordinal)];
    }

    /// <summary>Matches this run's firing alerts with the open ones: new, continuing, resolved (only rules evaluated now resolve).</summary>
    public static AlertReconciliation Reconcile(IReadOnlyList<OpenAlert> open, IReadOnlyList<FiringAlert> firing, IEnumerable<string> evaluatedRules)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(firing);
        var rules = evaluatedRules.ToHashSet(StringComparer.Ordinal);
        var byKey = open.GroupBy(o => (o.Rule, o.Key)).ToDictionary(g => g.Key, g => g.First());
        var now = firing.Select(f => (f.Rule, f.Key)).ToHashSet();
        var fresh = firing.Where(f => !byKey.ContainsKey((f.Rule, f.Key))).ToImmutableArray();
        var continuing = firing.Where(f => byKey.ContainsKey((f.Rule, f.Key))).Select(f => (byKey[(f.Rule, f.Key)], f)).ToImmutableArray();
        var resolved = open.Where(o => rules.Contains(o.Rule) && !now.Contains((o.Rule, o.Key))).ToImmutableArray();
        return new AlertReconciliation(fresh, continuing, resolved);
    }

    private static bool InIac(AlertRule rule, IdentityMeasure i, IacDeclarations iac) =>
        rule.IacTags.Any(t => !i.Tags.IsDefault && i.Tags.Contains(t, StringComparer.OrdinalIgnoreCase))
        || (rule.IacRepository is { } repo && iac.Declares(repo, i));

    private static IEnumerable<(string Key, string Message)> GapGrowth(AlertRule rule, List<Measurement> ordered, Func<IdentityMeasure, bool> inScope)
    {
        var latest = ordered[^1];
        // The period's start: the latest measurement at least PeriodDays before the latest one.
        var start = ordered.LastOrDefault(m => m.Day <= latest.Day.AddDays(-rule.PeriodDays));
        if (start is null) { yield break; }
        var then = start.Identities.Where(inScope).GroupBy(i => MetricTrend.KeyOf(i, rule.By), StringComparer.Ordinal).ToDictionary(g => g.Key, g => MetricTotals.Of(g).Gap);
        foreach (var slice in latest.Identities.Where(inScope).GroupBy(i => MetricTrend.KeyOf(i, rule.By), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var gap = MetricTotals.Of(slice).Gap;
            var before = then.GetValueOrDefault(slice.Key);
            var grew = gap - before;
            if (grew <= 0) { continue; }
            var percent = before == 0 ? double.PositiveInfinity : 100.0 * grew / before;
            var overPercent = rule.Percent is { } p && percent > p;
            var overCount = rule.Permissions is { } n && grew > n;
            if (!overPercent && !overCount) { continue; }
            var share = double.IsPositiveInfinity(percent) ? "from none" : $"+{percent.ToString("0.#", CultureInfo.InvariantCulture)} %";
            yield return (slice.Key, $"the gap of `{slice.Key}` grew by {grew} permission(s) ({share}) between {Day(start.Day)} and {Day(latest.Day)}: {before} → {gap}");
        }
    }

    private static string Key(IdentityMeasure i) => $"{i.Provider}:{i.Identity}";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
