using System.Globalization;
using Ciem.App.Reports;
using Ciem.App.Metrics;
using Ciem.App.Review;
using Ciem.App.Demo;
using Ciem.Cli.Commands;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Spectre.Console;

namespace Ciem.Cli.Reports;

/// <summary>The demo's review programme as the console and `--format json` show it: each week, the trend, the campaign and the alerts.</summary>
public static class DemoProgrammeText
{
    public static void Render(IAnsiConsole console, DemoProgrammeResult story)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(story);
        var weeks = story.Weeks;
        console.WriteLine($"the review programme over {weeks.Length - 1} simulated weeks ({TrendTable.Day(Day(weeks[0]))} → {TrendTable.Day(Day(weeks[^1]))}):");
        foreach (var w in weeks)
        {
            console.WriteLine($"  week {w.Number} ({TrendTable.Day(Day(w))})");
            foreach (var e in w.Events) { console.WriteLine("    " + ReviewText.Safe(e)); }
        }
        console.WriteLine();
        var table = new Table().AddColumns("week", "day", "identities", "granted", "gap", "unused admins", "vs baseline");
        foreach (var w in weeks.Where(w => w.Totals is not null))
        {
            var t = w.Totals!;
            table.AddRow(N(w.Number), TrendTable.Day(Day(w)), N(t.Identities), N(t.Granted), N(t.Gap), N(t.UnusedAdministrators), Percent(w.GrantedReductionPercent));
        }
        console.Write(table);
        var measured = weeks.Where(w => w.Totals is not null).ToList();
        if (measured.Count > 1)
        {
            console.WriteLine($"  granted {MetricTrend.Sparkline([.. measured.Select(w => w.Totals!.Granted)])}   gap {MetricTrend.Sparkline([.. measured.Select(w => w.Totals!.Gap)])}");
        }
        console.WriteLine();
        Campaign(console, story.Campaign);
        if (measured.Count > 1 && measured[^1].GrantedReductionPercent is { } overall)
        {
            console.WriteLine($"the estate: {overall.ToString("0.#", CultureInfo.InvariantCulture)} % fewer effective permissions granted than at the baseline of " +
                $"{TrendTable.Day(Day(measured[0]))}, over {measured.Count - 1} weeks (`ciem trend` shows the series)");
        }
        foreach (var a in story.OpenAlerts)
        {
            console.WriteLine($"alert open: {ReviewText.Safe(a.Rule)} ({FindingSeverities.Name(a.Severity)}): {ReviewText.Safe(a.Message)}");
        }
        console.WriteLine($"decision log: {(story.LogIntact ? "hash chain intact" : "hash chain BROKEN")} (`ciem review log --verify`); notices, change scripts and alerts in {ReviewText.Safe(story.Folder)}");
    }

    private static void Campaign(IAnsiConsole console, ReviewCampaignStatus? campaign)
    {
        if (campaign is not { } c)
        {
            console.WriteLine("no campaign");
            return;
        }
        var all = c.Counts;
        console.WriteLine($"campaign {ReviewText.Safe(c.Id)}: {all.Reduced:N0} of {all.Identities:N0} identities reduced, {all.GrantedRemoved:N0} of {all.GrantedBefore:N0} " +
            $"effective permissions removed from them ({all.ReductionPercent.ToString("0.#", CultureInfo.InvariantCulture)} %)" +
            ByCloud(c.Batches.SelectMany(b => b.Items)));
        foreach (var b in c.Batches)
        {
            var n = b.Counts;
            console.WriteLine($"  batch {b.Number} {ReviewText.Safe(b.Stage)}: {n.Identities:N0} identities, " +
                string.Join(", ", n.States.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value:N0} {kv.Key}")) +
                $"; {n.GrantedRemoved:N0} of {n.GrantedBefore:N0} permissions removed ({n.ReductionPercent.ToString("0.#", CultureInfo.InvariantCulture)} %)" +
                ByCloud(b.Items));
        }
    }

    /// <summary>`; reduced by cloud: AWS 138 of 141, Azure 2 of 3, GCP 1 of 1` (identities reduced of those planned), or nothing.</summary>
    private static string ByCloud(IEnumerable<ReviewItemStatus> items) => DemoCloudCounts.Of(items) is { IsEmpty: false } clouds
        ? "; reduced by cloud: " + string.Join(", ", clouds.Select(c => $"{c.Name} {c.Counts.Reduced:N0} of {c.Counts.Identities:N0}"))
        : "";

    private static object Clouds(IEnumerable<ReviewItemStatus> items) => DemoCloudCounts.Of(items).Select(c => new
    {
        provider = c.Provider, identities = c.Counts.Identities, reduced = c.Counts.Reduced, grantedBefore = c.Counts.GrantedBefore,
        grantedRemoved = c.Counts.GrantedRemoved,
    });

    public static object Json(DemoProgrammeResult story)
    {
        ArgumentNullException.ThrowIfNull(story);
        var c = story.Campaign;
        return new
        {
            folder = story.Folder,
            weeks = story.Weeks.Select(w => new
            {
                week = w.Number,
                asOf = w.AsOf,
                identities = w.Totals?.Identities,
                granted = w.Totals?.Granted,
                gap = w.Totals?.Gap,
                unusedAdministrators = w.Totals?.UnusedAdministrators,
                grantedReductionPercent = w.GrantedReductionPercent,
                events = w.Events,
            }),
            campaign = c is null ? null : new
            {
                id = c.Id,
                identities = c.Counts.Identities,
                reduced = c.Counts.Reduced,
                grantedBefore = c.Counts.GrantedBefore,
                grantedRemoved = c.Counts.GrantedRemoved,
                reductionPercent = c.Counts.ReductionPercent,
                clouds = Clouds(c.Batches.SelectMany(b => b.Items)),
                batches = c.Batches.Select(b => new
                {
                    number = b.Number, stage = b.Stage, noticedAt = b.NoticedAt, deadline = b.Deadline, identities = b.Counts.Identities,
                    states = b.Counts.States, reduced = b.Counts.Reduced, grantedRemoved = b.Counts.GrantedRemoved,
                    clouds = Clouds(b.Items),
                }),
                objections = c.Exceptions.Length,
            },
            alerts = story.OpenAlerts.Select(a => new { rule = a.Rule, key = a.Key, severity = FindingSeverities.Name(a.Severity), message = a.Message }),
            decisionLogIntact = story.LogIntact,
        };
    }

    private static DateOnly Day(DemoWeek w) => DateOnly.FromDateTime(w.AsOf.UtcDateTime);

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double? p) => p is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";
}
