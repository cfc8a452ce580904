using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Reports;
using Ciem.App.Metrics;
using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.App.Usage;
using Ciem.Core.Metrics;
using Ciem.Core.Review;
using Ciem.Core.Sweep;
using Ciem.Cli.Reports;
using Ciem.Demo;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem demo`'s story (docs/review.md, "The demo"): the review programme over three simulated weeks on the generated
/// estate, with a <see cref="DemoClock"/> as the host's clock. Week 0: snapshot, sweep, measurement (the baseline),
/// a campaign of the AWS proposals, notices to the outbox, two owners objecting. Then each week: the new snapshot of
/// the simulated organisation (<see cref="DemoCloud"/>: the change scripts run, a rollback, rights granted again by
/// hand), the sweep and its measurement with the alert rules, verification, approvals, applies and the next notices.
/// Every step goes through the code the `ciem import`, `ciem sweep`, `ciem review` and `ciem alerts` commands use.
/// </summary>
public static class DemoProgramme
{
    /// <summary>Days from the first snapshot to the last (the last is the demo's as-of).</summary>
    public const int StoryDays = 21;

    private const string Approver = "ciso@acme.example";
    private const string Admin = "cloud-governance@acme.example";

    /// <summary>The day of the first (baseline) snapshot for a demo ending at <paramref name="asOf"/>.</summary>
    public static DateTimeOffset Start(DateTimeOffset asOf) => asOf.AddDays(-StoryDays);

    /// <param name="step">announces each week (the caller's progress line).</param>
    /// <returns>null after a message on the error stream when a step fails.</returns>
    public static DemoProgrammeResult? Run(CliHost host, DemoManifest manifest, DemoOptions options, string? db, string folder, Action<string> step)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(step);
        var start = Start(options.AsOf);
        var clock = new DemoClock(start);
        if (!Prepare(host, folder)) { return null; }
        var configPath = Path.Combine(folder, ReviewConfigReader.DefaultFileName);
        File.WriteAllText(configPath, ReviewConfig(folder));
        var rulesPath = Path.Combine(folder, "ciem-alerts.yml");
        File.WriteAllText(rulesPath, AlertRules(folder));
        var settingsRead = ReviewConfigReader.Read(File.ReadAllText(configPath), configPath);
        if (settingsRead.HasErrors) { return Fail(host, string.Join("; ", settingsRead.Diagnostics)); }
        var settings = settingsRead.Settings;
        var weeks = ImmutableArray.CreateBuilder<DemoWeek>();
        var changes = new Dictionary<string, DemoPolicyChange>(StringComparer.Ordinal);
        var regrown = new List<(string Account, bool IsRole, string Name)>();
        EstateSweepResult? sweep = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var changesFolder = Path.Combine(folder, "changes");
        var deniedFolder = Path.Combine(manifest.OutputFolder, "cloudtrail-after-changes");
        var reviewing = options.Clouds.HasFlag(DemoClouds.Aws);

        for (var week = 0; week * 7 <= StoryDays; week++)
        {
            var day = start.AddDays(7 * week);
            var events = new List<string>();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            // A fresh host per week: its own store session, its clock the simulated one.
            var sim = new CliHost(TextWriter.Null, host.Error, clock, host.Environment);
            try
            {
                clock.MoveTo(day);
                step($"week {week} ({Day(day)}): snapshot, sweep and measurement");
                if (week > 0 && !Snapshot(sim, manifest, options, db, folder, week, day, changes.Values.ToList(), regrown, events)) { return null; }
                if (week > 0 && Directory.Exists(deniedFolder))
                {
                    if (UsageIngest.Ingest(sim, CloudTrailLog.Default, [deniedFolder], db, quiet: true) is null) { return Fail(host, "the CloudTrail written after the changes was not ingested"); }
                }
                clock.MoveTo(day.AddHours(6));
                sweep = SweepHost.Estate(sim, db, new SweepOptions(), day, quiet: true);
                if (sweep is null) { return null; }
                var alerts = Commands.AlertRules.Read(sim, rulesPath);
                var store = StoreAccess.Open(sim, db);
                // As `ciem sweep --alerts`: the week's measurement, then the alert rules over the series.
                MetricsRecorder.Record(store, sweep, "sweep", sim.Clock.GetUtcNow());
                if (alerts is null || Commands.AlertRules.Evaluate(sim, alerts, rulesPath, null, db) is null) { return Fail(host, "the alert rules were not evaluated"); }
                foreach (var a in store.LoadAlerts().Where(a => a.IsOpen && a.FiredAt >= day))
                {
                    events.Add($"alert `{a.Rule}` ({a.Severity}) opened: {a.Message}");
                }
                // The simulated organisation runs AWS change scripts: the campaign covers the AWS identities.
                if (reviewing)
                {
                    var programme = new ReviewProgramme(store, clock);
                    if (week == 0)
                    {
                        clock.MoveTo(day.AddHours(8));
                        var entries = ReviewEntries.FromSweep(sweep).Where(e => e.Candidate.Provider == "aws").ToList();
                        var plan = programme.Plan(entries, settings, day, $"demo-{Day(day)}");
                        if (!plan.Ok) { return Fail(host, string.Join("; ", plan.Diagnostics)); }
                        var c = plan.Value!;
                        events.Add($"campaign `{c.Id}` planned: {c.Counts.Identities:N0} AWS identities in {c.Batches.Length} batches " +
                            $"({string.Join(", ", c.Batches.Select(b => $"{b.Number} {b.Stage} {b.Items.Length:N0}"))}); " +
                            $"{c.SetAside.AdminQueue.Length:N0} in the programme-admin queue, {c.SetAside.Unverified.Length:N0} unverified");
                    }
                    var campaign = programme.Status(null).Value!;
                    if (week > 0 && !Verify(host, store, programme, clock, day, changes, campaign, events)) { return null; }
                    clock.MoveTo(day.AddHours(9).AddMinutes(30));
                    var dispatcher = NotificationDispatcher.FromSettings(settings.Notify.Resolve(folder), http, clock, host.Environment);
                    var notified = programme.NotifyAsync(null, dispatcher).GetAwaiter().GetResult();
                    if (!notified.Ok) { return Fail(host, string.Join("; ", notified.Diagnostics)); }
                    var n = notified.Value!;
                    if (!n.NoticedBatches.IsEmpty)
                    {
                        events.Add($"batch {string.Join(", ", n.NoticedBatches)} noticed: {n.Deliveries.Sent} notice(s) to the outbox, objections for 7 days");
                    }
                    // The batch noticed last week is past its deadline: approve it, run its change scripts.
                    if (week > 0 && programme.Status(null).Value!.Batches.FirstOrDefault(b => b.Deadline is { } d && d < day.AddHours(10)
                        && b.Items.Any(i => i.State is ReviewState.Noticed or ReviewState.Objected)) is { } due)
                    {
                        clock.MoveTo(day.AddHours(10));
                        if (!ApproveAndApply(host, programme, due.Number, changesFolder, changes, events)) { return null; }
                    }
                    if (week == 0 && !Objections(sim, programme, db, day, clock, events)) { return null; }
                    if (week == 1) { Break(manifest, programme, day, deniedFolder, events); }
                    if (week == 2) { Regrow(programme, changes, regrown, events); }
                }
                weeks.Add(new DemoWeek(week, day, null, null, [.. events]) { Took = watch.Elapsed });
            }
            finally
            {
                sim.CloseSessions();
            }
        }
        var final = new CliHost(TextWriter.Null, host.Error, clock, host.Environment);
        try
        {
            var store = StoreAccess.Open(final, db);
            var measurements = store.LoadMeasurements();
            var points = MetricTrend.Series(measurements, TrendDimension.Total).SelectMany(t => t.Points).ToList();
            var measured = weeks.Select(w => points.FirstOrDefault(p => p.Day == DateOnly.FromDateTime(w.AsOf.UtcDateTime)) is { } p
                ? w with { Totals = p.Totals, GrantedReductionPercent = p.GrantedReductionPercent }
                : w).ToImmutableArray();
            var programme = new ReviewProgramme(store, clock);
            return new DemoProgrammeResult(measured, reviewing ? programme.Status(null).Value! : null, [.. store.LoadAlerts().Where(a => a.IsOpen)], sweep!,
                !reviewing || programme.Log(null).Value!.Intact, folder);
        }
        finally
        {
            final.CloseSessions();
        }
    }

    /// <summary>Marks the folder the story writes to as the demo's, so the next run may empty it and nothing else.</summary>
    public const string Marker = ".ciem-demo-programme";

    /// <summary>An empty folder for the story: a folder the demo wrote before is emptied, any other non-empty one refused.</summary>
    private static bool Prepare(CliHost host, string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                return Refuse(host, $"`{folder}` holds files the demo did not write: give another `--out` or `--report` folder");
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "written by `ciem demo`: the next run empties this folder\n");
        return true;
    }

    /// <summary>The week's snapshot of the simulated organisation: AWS with the changes so far, Azure and GCP as generated.</summary>
    private static bool Snapshot(CliHost sim, DemoManifest manifest, DemoOptions options, string? db, string folder, int week, DateTimeOffset day,
        List<DemoPolicyChange> changes, List<(string, bool, string)> regrown, List<string> events)
    {
        var clouds = options.Clouds;
        if (clouds.HasFlag(DemoClouds.Aws))
        {
            var weekFolder = Path.Combine(manifest.OutputFolder, $"aws-week-{week}");
            DemoCloud.WriteWeek(manifest.AwsFolder, weekFolder, changes, regrown);
            if (ImportAwsCommand.Run(sim, [weekFolder], day, db, "text") != ExitCodes.Ok) { return false; }
            events.Add($"AWS snapshot with {changes.Count:N0} change(s) applied" + (regrown.Count > 0 ? $" and {regrown.Count} identity granted its old rights again" : ""));
        }
        if (clouds.HasFlag(DemoClouds.Azure) && ImportAzureCommand.Run(sim, [manifest.AzureFolder], day, null, db, "text") != ExitCodes.Ok) { return false; }
        if (clouds.HasFlag(DemoClouds.Gcp) && ImportGcpCommand.Run(sim, [manifest.GcpFolder], day, null, db, "text") != ExitCodes.Ok) { return false; }
        return true;
    }

    private static bool Verify(CliHost host, Ciem.Storage.ICiemStore store, ReviewProgramme programme, DemoClock clock, DateTimeOffset day,
        Dictionary<string, DemoPolicyChange> changes, ReviewCampaignStatus campaign, List<string> events)
    {
        if (campaign.Batches.SelectMany(b => b.Items).All(i => i.State != ReviewState.Applied)) { return true; }
        clock.MoveTo(day.AddHours(8));
        var verified = programme.Verify(null, ReductionsCommand.Evaluate(store, TimeSpan.FromDays(7)));
        if (!verified.Ok) { return Refuse(host, string.Join("; ", verified.Diagnostics)); }
        var items = verified.Value!.Items;
        events.Add($"verified {items.Count(i => i.State == ReviewState.Verified):N0}, failed {items.Count(i => i.State == ReviewState.Failed)}, " +
            $"not yet in place {items.Count(i => i.State == ReviewState.Applied):N0}");
        foreach (var failed in items.Where(i => i.State == ReviewState.Failed))
        {
            events.Add($"failed: {failed.Name}: {failed.Reason}");
            clock.MoveTo(day.AddHours(9));
            var rolledBack = programme.Rollback(null, failed.Identity, Admin, "the export job was refused after the change");
            if (!rolledBack.Ok) { return Refuse(host, string.Join("; ", rolledBack.Diagnostics)); }
            changes.Remove(failed.Identity);
            events.Add($"rolled back {failed.Name}: {rolledBack.Value!.Revert} (the next snapshot shows its old policy)");
        }
        return true;
    }

    /// <summary>Approves the batch (its deadline has passed) and applies it: the change scripts run in the simulated organisation.</summary>
    private static bool ApproveAndApply(CliHost host, ReviewProgramme programme, int batch, string changesFolder,
        Dictionary<string, DemoPolicyChange> changes, List<string> events)
    {
        var approved = programme.Approve(null, batch.ToString(CultureInfo.InvariantCulture), Approver);
        if (!approved.Ok) { return Refuse(host, string.Join("; ", approved.Diagnostics)); }
        var applied = programme.Apply(null, batch, changesFolder, Admin);
        if (!applied.Ok) { return Refuse(host, string.Join("; ", applied.Diagnostics)); }
        var items = applied.Value!.Applied;
        var entries = Entries(programme);
        foreach (var item in items)
        {
            if (entries.GetValueOrDefault(item.Identity) is { } entry && ChangeOf(entry) is { } change) { changes[item.Identity] = change; }
        }
        events.Add($"batch {batch} approved by {Approver} ({approved.Value!.Approved.Length:N0}) and applied: {items.Length:N0} change script(s) " +
            $"in {Path.GetFileName(changesFolder)}/, run in the simulated organisation" +
            (applied.Value.Skipped.IsEmpty ? "" : $"; {applied.Value.Skipped.Length} left approved"));
        return true;
    }

    /// <summary>What the AWS apply script does to the identity, as the simulated organisation runs it.</summary>
    private static DemoPolicyChange? ChangeOf(ReviewEntry entry)
    {
        var t = entry.Target;
        if (!t.TryGetValue("principal", out var kind) || !t.TryGetValue("name", out var name)) { return null; }
        var account = entry.Candidate.Scope;
        var replaced = t.GetValueOrDefault("replaced", "").Split('|', StringSplitOptions.RemoveEmptyEntries);
        // The names ReviewScripts' `put-role-policy` gives the documents, in order.
        var documents = entry.Documents.Select((d, i) => ($"ciem-least-privilege-{i + 1}", d.Content)).ToList();
        return new DemoPolicyChange(account, kind == "role", name, replaced, documents);
    }

    private static Dictionary<string, ReviewEntry> Entries(ReviewProgramme programme) =>
        programme.Entries(null).ToDictionary(e => e.Candidate.IdentityId, StringComparer.Ordinal);

    /// <summary>Two owners of the first batch object, keeping rights a quarterly job needs (the proposal is re-verified).</summary>
    private static bool Objections(CliHost sim, ReviewProgramme programme, string? db, DateTimeOffset day, DemoClock clock, List<string> events)
    {
        var campaign = programme.Status(null).Value!;
        var entries = Entries(programme);
        if (campaign.Batches.IsEmpty) { return true; }
        var candidates = campaign.Batches[0].Items
            .Where(i => i.Removed > 2 && entries.ContainsKey(i.Identity))
            .Select(i => (Item: i, Keep: entries[i.Identity].Candidate.Removed.Where(r => !r.Contains('*', StringComparison.Ordinal)
                && !ReviewEntries.IsSensitive("aws", r)).Take(2).ToArray()))
            .Where(c => c.Keep.Length > 0)
            .OrderBy(c => c.Item.Identity, StringComparer.Ordinal)
            .Take(2)
            .ToList();
        clock.MoveTo(day.AddDays(2).AddHours(11));
        foreach (var (item, keep) in candidates)
        {
            var code = ReviewCommand.RunObject(sim, null, item.Identity, keep, "the quarterly reconciliation job needs them", day.AddDays(120), item.Owner, db, "json");
            if (code != ExitCodes.Ok) { return Refuse(sim, $"the demo's objection for `{item.Name}` was refused"); }
            events.Add($"{item.Owner} objected for {item.Name}: keep {string.Join(", ", keep)} for the quarterly job (re-verified)");
        }
        return true;
    }

    /// <summary>
    /// Two days after the first batch's change, one of its roles runs a job that calls a permission the change removed:
    /// the simulated organisation refuses it and CloudTrail records the denials, which the next verification finds.
    /// </summary>
    private static void Break(DemoManifest manifest, ReviewProgramme programme, DateTimeOffset day, string deniedFolder, List<string> events)
    {
        var entries = Entries(programme);
        var victim = programme.Status(null).Value!.Batches.SelectMany(b => b.Items)
            .Where(i => i.State == ReviewState.Applied && entries.TryGetValue(i.Identity, out var e) && e.Target.GetValueOrDefault("principal") == "role")
            .Select(i => (Item: i, Action: entries[i.Identity].Candidate.Removed.FirstOrDefault(r => !r.Contains('*', StringComparison.Ordinal)
                && (r.StartsWith("s3:", StringComparison.OrdinalIgnoreCase) || r.StartsWith("sqs:", StringComparison.OrdinalIgnoreCase)))))
            .Where(v => v.Action is not null)
            .OrderBy(v => v.Item.Identity, StringComparer.Ordinal)
            .FirstOrDefault();
        if (victim.Item is null) { return; }
        DemoCloud.WriteDenied(deniedFolder, manifest.OrganizationId, victim.Item.Scope, victim.Item.Identity, victim.Action!, day.AddDays(2).AddHours(2), 3);
        events.Add($"{victim.Item.Name} calls {victim.Action} two days after its change: refused 3 times (CloudTrail AccessDenied)");
    }

    /// <summary>Someone grants one verified role of the first batch its old policies again, by hand.</summary>
    private static void Regrow(ReviewProgramme programme, Dictionary<string, DemoPolicyChange> changes, List<(string, bool, string)> regrown, List<string> events)
    {
        var item = programme.Status(null).Value!.Batches.SelectMany(b => b.Items)
            .Where(i => i.State == ReviewState.Verified && changes.TryGetValue(i.Identity, out var c) && c.IsRole && c.Replaced.Count > 0)
            .OrderBy(i => i.Identity, StringComparer.Ordinal).FirstOrDefault();
        if (item is null) { return; }
        var change = changes[item.Identity];
        regrown.Add((change.Account, true, change.Name));
        events.Add($"{item.Name} is granted its old policies again by hand ({string.Join(", ", change.Replaced)})");
    }

    private static string ReviewConfig(string folder) => string.Join('\n',
        "# the demo's review programme (docs/review.md): one batch per stage, a week between notices",
        "name: demo-least-privilege",
        "batch-size: 5000",
        "notice-days: 7",
        "objection-days: 7",
        "expire-days: 30",
        $"programme-admin: {Admin}",
        "notify:",
        $"  state: {Yaml(Path.Combine(folder, "notify"))}",
        $"  outbox: {Yaml(Path.Combine(folder, "outbox"))}",
        "");

    private static string AlertRules(string folder) => string.Join('\n',
        "# the demo's alert rules (docs/metrics.md), sent to an outbox folder",
        "channels:",
        $"  local: {{ type: outbox, folder: {Yaml(Path.Combine(folder, "alerts-outbox"))} }}",
        "rules:",
        "  - { id: regrowth, type: regrown-reduction, severity: high, channels: [local] }",
        "  - { id: gap-weekly, type: gap-growth, percent: 5, period-days: 7, severity: medium, channels: [local] }",
        "  - { id: admins, type: new-admin, severity: high, channels: [local] }",
        "");

    /// <summary>A YAML single-quoted scalar.</summary>
    private static string Yaml(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static DemoProgrammeResult? Fail(CliHost host, string message)
    {
        Refuse(host, message);
        return null;
    }

    private static bool Refuse(CliHost host, string message)
    {
        host.Error.WriteLine($"error: the demo's review programme stopped: {message}");
        return false;
    }

    private static string Day(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
