using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Metrics;
using Ciem.Core.Gate;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Metrics;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Evidence;

/// <summary>A table of a section: the same rows go to the HTML, the JSON and one CSV file.</summary>
public sealed record EvidenceTable(string Id, string Title, ImmutableArray<string> Columns, ImmutableArray<ImmutableArray<string>> Rows);

/// <summary>A section of the bundle; <see cref="HasEvidence"/> is false when the period holds nothing for it.</summary>
public sealed record EvidenceSection(string Id, string Title, ImmutableArray<string> Paragraphs, ImmutableArray<EvidenceTable> Tables, bool HasEvidence)
{
    public ImmutableArray<string> Charts { get; init; } = [];
}

/// <summary>A control with whether the period holds evidence for it (a control without is listed as such, never left out).</summary>
public sealed record EvidenceControl(MappedControl Control, bool Evidenced);

/// <summary>Everything the bundle says, rendered alike as HTML, JSON and CSV.</summary>
public sealed record EvidenceReport(
    string Framework,
    DateOnly From,
    DateOnly To,
    DateTimeOffset GeneratedAt,
    ImmutableArray<string> Warnings,
    ImmutableArray<string> Limits,
    ImmutableArray<EvidenceControl> Controls,
    ImmutableArray<EvidenceSection> Sections);

/// <summary>
/// Builds the audit evidence of a period from the store: the identity inventory, granted versus used, administrators,
/// review campaigns and decisions (with the decision log's hash chain verified), changes delivered, regrown reductions
/// and alerts, and the trend of the gap metric; each section mapped to the controls it evidences.
/// </summary>
public static class EvidenceBuilder
{
    private static readonly string[] AllProviders = ["aws", "azure", "gcp"];

    /// <param name="framework">`iso27001`, `nis2`, `dora` or `all`.</param>
    public static EvidenceReport Build(ICiemStore store, ControlMapping mapping, string framework, DateOnly from, DateOnly to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mapping);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
        var measurements = store.LoadMeasurements(from, to);
        var latest = measurements.IsEmpty ? null : measurements[^1];
        var warnings = new List<string>();
        var limits = new List<string>();
        var sections = new List<EvidenceSection>
        {
            Inventory(mapping, latest),
            GrantedVsUsed(mapping, latest),
            Administrators(mapping, latest),
            Reviews(mapping, store, start, end, warnings),
            Changes(mapping, store, start, end),
            RegrowthAndAlerts(mapping, store, latest, start, end),
            Trend(mapping, measurements),
        };
        if (latest is null) { limits.Add($"no measurement between {D(from)} and {D(to)}: run `ciem sweep` (or `ciem metrics backfill`) for the period"); }
        else
        {
            var providers = latest.Providers.Select(p => p.Provider).ToHashSet(StringComparer.Ordinal);
            foreach (var p in AllProviders.Where(p => !providers.Contains(p))) { limits.Add($"{p}: not covered (no inventory in the store)"); }
            foreach (var p in latest.Providers)
            {
                limits.Add($"{p.Provider}: {p.Accounts} account(s) or subscription(s) or project(s) swept; logs with usage on {p.DaysWithUsage} of the {latest.WindowDays} days of the window"
                    + (p.DaysWithUsage < latest.WindowDays ? " (days without logs make permissions look unused)" : ""));
            }
            var t = latest.Totals;
            limits.Add($"{t.Unknown} granted permission(s) are unknown: no log of the window records their use (data events, reads); they are neither used nor unused");
            limits.Add("accounts, subscriptions and projects not imported, and logs not ingested, are not covered: the bundle shows only what the store holds");
        }
        var evidenced = sections.Where(s => s.HasEvidence).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var controls = mapping.Frameworks.Where(f => framework == "all" || f.Key == framework)
            .SelectMany(f => f.Controls).Select(c => new EvidenceControl(c, c.Sections.Any(evidenced.Contains))).ToImmutableArray();
        return new EvidenceReport(framework, from, to, now, [.. warnings], [.. limits], controls, [.. sections]);
    }

    private static EvidenceSection Section(ControlMapping m, string id, IEnumerable<string> paragraphs, IEnumerable<EvidenceTable> tables, bool has) =>
        new(id, m.Sections[id], [.. paragraphs], [.. tables], has);

    private static EvidenceTable Table(string id, string title, string[] columns, IEnumerable<IEnumerable<string>> rows) =>
        new(id, title, [.. columns], [.. rows.Select(r => r.ToImmutableArray())]);

    private static EvidenceSection Inventory(ControlMapping m, Measurement? latest)
    {
        if (latest is null) { return Section(m, "inventory", ["no measurement in the period"], [], false); }
        var ids = latest.Identities;
        var summary = Table("inventory-summary", "Identities by provider, kind and environment", ["provider", "kind", "environment", "identities", "with owner", "without owner"],
            ids.GroupBy(i => (i.Provider, i.Kind, i.Environment)).OrderBy(g => g.Key).Select(g => new[]
            {
                g.Key.Provider, g.Key.Kind, g.Key.Environment, N(g.Count()), N(g.Count(i => !string.IsNullOrWhiteSpace(i.Owner))), N(g.Count(i => string.IsNullOrWhiteSpace(i.Owner))),
            }));
        var all = Table("inventory", "Every identity", ["provider", "account", "identity", "name", "kind", "environment", "owner"],
            ids.Select(i => new[] { i.Provider, i.Account, i.Identity, i.Name, i.Kind, i.Environment, i.Owner ?? "" }));
        return Section(m, "inventory", [$"the complete inventory as measured on {D(latest.Day)}: {ids.Length} identities"], [summary, all], ids.Length > 0);
    }

    private static EvidenceSection GrantedVsUsed(ControlMapping m, Measurement? latest)
    {
        if (latest is null) { return Section(m, "granted-vs-used", ["no measurement in the period"], [], false); }
        var coverage = Table("log-coverage", "Window and log coverage", ["provider", "accounts", "identities", "window days", "days with usage", "events"],
            latest.Providers.Select(p => new[] { p.Provider, N(p.Accounts), N(p.Identities), N(latest.WindowDays), N(p.DaysWithUsage), N(p.Events) }));
        var rows = Table("granted-vs-used", "Granted versus used per identity", ["provider", "account", "identity", "granted", "used", "unused", "unknown", "inactive"],
            latest.Identities.OrderByDescending(i => i.Unused).Select(i => new[] { i.Provider, i.Account, i.Identity, N(i.Granted), N(i.Used), N(i.Unused), N(i.Unknown), i.Inactive ? "yes" : "no" }));
        var t = latest.Totals;
        return Section(m, "granted-vs-used",
            [$"window of {latest.WindowDays} days ending {D(latest.Day)}: {t.Granted} permissions granted, {t.Used} used, {t.Unused} unused, {t.Unknown} unknown (no log would record their use)"],
            [coverage, rows], latest.Identities.Length > 0);
    }

    private static EvidenceSection Administrators(ControlMapping m, Measurement? latest)
    {
        var admins = latest?.Identities.Where(i => i.Administrator).ToList() ?? [];
        var table = Table("administrators", "Administrators and their use of admin rights", ["provider", "account", "identity", "owner", "used admin rights in the window"],
            admins.Select(i => new[] { i.Provider, i.Account, i.Identity, i.Owner ?? "", i.UnusedAdministrator ? "no" : "yes" }));
        return Section(m, "administrators", [$"{admins.Count} administrator(s), {admins.Count(a => a.UnusedAdministrator)} of which used no permissions-management right in the window"],
            [table], latest is not null);
    }

    private static EvidenceSection Reviews(ControlMapping m, ICiemStore store, DateTimeOffset start, DateTimeOffset end, List<string> warnings)
    {
        var campaigns = new List<string[]>();
        var decisions = new List<string[]>();
        var exceptions = new List<string[]>();
        foreach (var c in store.ListCampaigns())
        {
            var log = store.LoadDecisions(c.Id);
            var breaks = DecisionLog.Verify(log);
            if (!breaks.IsEmpty)
            {
                warnings.Add($"the decision log of review campaign `{c.Id}` does not verify: its hash chain breaks at entry {string.Join(", ", breaks.Select(b => $"{b.Sequence} ({b.Reason})"))}; its decisions cannot be relied on");
            }
            var inPeriod = log.Where(d => d.At >= start && d.At <= end).ToList();
            if (inPeriod.Count == 0 && (c.PlannedAt < start || c.PlannedAt > end)) { continue; }
            var data = store.LoadCampaign(c.Id);
            campaigns.Add([c.Id, c.Name, Dt(c.PlannedAt), N(data?.Batches.Length ?? 0), N(data?.Items.Length ?? 0), N(inPeriod.Count), breaks.IsEmpty ? "verified" : "broken"]);
            decisions.AddRange(inPeriod.Select(d => new[] { c.Id, N(d.Sequence), Dt(d.At), d.Actor, d.Action, d.Subject, d.FromState ?? "", d.ToState ?? "", d.Reason }));
            exceptions.AddRange((data?.Exceptions ?? []).Select(e => new[] { c.Id, e.Identity, string.Join(" ", e.Actions), e.Reason, e.Until is { } u ? Dt(u) : "no expiry", e.By, Dt(e.At) }));
        }
        return Section(m, "reviews", [$"{campaigns.Count} review campaign(s) active in the period; each decision log's hash chain is verified"],
        [
            Table("review-campaigns", "Campaigns", ["campaign", "name", "planned", "batches", "identities", "decisions in period", "decision log"], campaigns),
            Table("review-decisions", "Decisions (who, when, what)", ["campaign", "sequence", "at", "actor", "action", "subject", "from", "to", "reason"], decisions),
            Table("review-exceptions", "Exceptions with expiry and justification", ["campaign", "identity", "actions", "justification", "expires", "by", "at"], exceptions),
        ], campaigns.Count > 0);
    }

    private static EvidenceSection Changes(ControlMapping m, ICiemStore store, DateTimeOffset start, DateTimeOffset end)
    {
        var statuses = ReductionHistory.Evaluate(store, MetricsRecorder.ReductionGrace, end).Where(s => s.Reduction.DeliveredAt >= start).ToList();
        var table = Table("changes", "Changes delivered, with their pull request and verification", ["provider", "identity", "delivered", "channel", "location", "pull request", "removed", "granted before", "granted after", "status"],
            statuses.Select(s => new[]
            {
                s.Reduction.Provider, s.Reduction.Identity, Dt(s.Reduction.DeliveredAt), s.Reduction.Channel, s.Reduction.Location, s.Reduction.PullRequest ?? "",
                N(s.Reduction.Removed.Length), N(s.Reduction.GrantedBefore), N(s.Reduction.GrantedAfter), ReductionTracker.Name(s.State),
            }));
        return Section(m, "changes", ["every least-privilege change delivered in the period; each proposal was replayed against the observed calls before delivery, and its status comes from the snapshots imported after it"],
            [table], statuses.Count > 0);
    }

    private static EvidenceSection RegrowthAndAlerts(ControlMapping m, ICiemStore store, Measurement? latest, DateTimeOffset start, DateTimeOffset end)
    {
        var alerts = store.LoadAlerts().Where(a => a.FiredAt <= end && (a.ResolvedAt is null || a.ResolvedAt >= start)).ToList();
        var regrown = latest?.Identities.Where(i => i.Regrown > 0).ToList() ?? [];
        return Section(m, "regrowth-alerts", [$"{regrown.Count} identit(ies) with a regrown reduction at the end of the period; {alerts.Count} alert(s) raised or open in the period"],
        [
            Table("regrown", "Regrown reductions", ["provider", "account", "identity", "regrown reductions"], regrown.Select(i => new[] { i.Provider, i.Account, i.Identity, N(i.Regrown) })),
            Table("alerts", "Alerts raised and resolved", ["id", "rule", "severity", "about", "message", "fired", "resolved", "sent on"],
                alerts.Select(a => new[]
                {
                    N(a.Id), a.Rule, FindingSeverities.Name(a.Severity), a.Key, a.Message, Dt(a.FiredAt), a.ResolvedAt is { } r ? Dt(r) : "open",
                    string.Join(", ", a.History.Where(h => h.Kind == "sent").Select(h => h.Channel)),
                })),
        ], alerts.Count > 0 || regrown.Count > 0);
    }

    private static EvidenceSection Trend(ControlMapping m, ImmutableArray<Measurement> measurements)
    {
        var series = MetricTrend.Series(measurements, TrendDimension.Total);
        var rows = series.SelectMany(s => s.Points.Select(p => TrendTable.Row(s.Key, p)));
        return Section(m, "trend", [$"{measurements.Length} measurement(s) in the period"], [Table("trend", "Trend of the gap metric", TrendTable.Header, rows)], measurements.Length > 0)
            with { Charts = [.. TrendChart.Standard(measurements, "evidence-trend")] };
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Dt(DateTimeOffset d) => d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
