using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Iac;
using Ciem.App.Imports;
using Ciem.App.Metrics;
using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.App.Sweep;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Metrics;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Core.Sweep;
using Ciem.Demo;
using Ciem.Import.Config;

namespace Ciem.App.Demo;

/// <summary>
/// `ciem demo`'s story (docs/review.md, "The demo"): the review programme over three simulated weeks on the generated
/// estate, with a <see cref="DemoClock"/> as the clock. Week 0: sweep, measurement (the baseline), a campaign of the
/// AWS proposals, notices to the outbox, two owners objecting. Then each week: the new AWS snapshot of the simulated
/// organisation (<see cref="DemoCloud"/>: the merged branches of its Terraform repository and the change scripts run, a
/// rollback, rights granted again by hand), the sweep and its measurement with the alert rules, verification,
/// approvals, applies (through the repository for the roles it defines, by change script otherwise: the programme's
/// `Apply` picks per identity) and the next notices. Every step goes through the App calls `ciem import aws`,
/// `ciem sweep`, `ciem review` and `ciem alerts` make.
/// </summary>
/// <remarks>
/// Memory: one <see cref="CiemSession"/> serves every week (the store opened once; the Azure and GCP inventories and the
/// directories, unchanged over the story, are not imported again); each week's sweep result is dropped once it is
/// measured (and in week 0 planned), before the review — only the last week's is kept, for the report. The week's AWS
/// usage is read once, for its sweep and the objections' re-verification, and dropped when the week ends. The campaign's
/// entries (every identity's permission lists: 291 million characters of JSON at the default size) are read one at a
/// time where the story needs a few fields of many — the changes applied, the objections, the break — and never kept
/// across steps. Forced compacting collections were measured and did not lower the peak (docs/benchmarks.md), so none
/// are made. The Azure and GCP snapshots of week 0 stay current: the simulated organisation changes only AWS, so their
/// measurement is the same each week (as a re-import of the same export would leave it).
/// </remarks>
public static partial class DemoStory
{
    /// <summary>Days from the first snapshot to the last (the last is the demo's as-of).</summary>
    public const int StoryDays = 21;

    /// <summary>The weeks simulated (week 0 is the baseline).</summary>
    public const int Weeks = StoryDays / 7 + 1;

    /// <summary>Marks the folder the story writes to as the demo's, so the next run may empty it and nothing else.</summary>
    public const string Marker = ".ciem-demo-programme";

    private const string Approver = "ciso@acme.example";
    private const string Admin = "cloud-governance@acme.example";
    private const string Platform = "cloud-platform@acme.example";

    /// <summary>The day of the first (baseline) snapshot for a demo ending at <paramref name="asOf"/>.</summary>
    public static DateTimeOffset Start(DateTimeOffset asOf) => asOf.AddDays(-StoryDays);

    /// <summary>
    /// Runs the story on <paramref name="session"/>'s store, which holds the generated estate imported as of
    /// <see cref="Start"/> and its logs; writes the review config, the alert rules, notices and change scripts into
    /// <paramref name="folder"/> (emptied when a previous run marked it, refused when it holds anything else).
    /// </summary>
    /// <param name="environment">reads environment variables (the notification settings may name secrets).</param>
    /// <param name="progress">hears each week as it starts.</param>
    public static DemoStoryOutcome Run(CiemSession session, DemoManifest manifest, DemoOptions options, string folder,
        Func<string, string?> environment, IProgress<DemoStoryStep>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(environment);
        if (Prepare(folder) is { } refused) { return Fail(refused); }
        var start = Start(options.AsOf);
        var repository = options.Clouds.HasFlag(DemoClouds.Aws) ? CreateRepository(folder, manifest, start) : null;
        var configPath = Path.Combine(folder, ReviewConfigReader.DefaultFileName);
        File.WriteAllText(configPath, ReviewConfig(folder, repository?.Path, PlatformScopes(session)));
        var rulesPath = Path.Combine(folder, "ciem-alerts.yml");
        File.WriteAllText(rulesPath, AlertRules(folder));
        var settingsRead = ReviewConfigReader.Read(File.ReadAllText(configPath), configPath);
        if (settingsRead.HasErrors) { return Fail("the demo's review config is invalid", settingsRead.Diagnostics); }
        var rulesRead = AlertRulesReader.Read(File.ReadAllText(rulesPath), rulesPath);
        if (rulesRead.HasErrors) { return Fail("the demo's alert rules are invalid", rulesRead.Diagnostics); }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var run = new Story(session, manifest, options, folder, new DemoClock(start), settingsRead.Settings, rulesRead.Config!, http, environment)
        {
            Repository = repository,
        };
        EstateSweepResult? sweep = null;
        var weeks = ImmutableArray.CreateBuilder<DemoWeek>();
        for (var week = 0; week < Weeks; week++)
        {
            var day = start.AddDays(7 * week);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            progress?.Report(new DemoStoryStep(week, day, $"week {week} ({Day(day)}): snapshot, sweep and measurement"));
            var events = new List<string>();
            // Only the last week's result is kept (for the report); the others are garbage once measured and planned.
            var error = run.Week(week, day, events, keep: week == Weeks - 1, out sweep);
            if (error is not null) { return error; }
            weeks.Add(new DemoWeek(week, day, null, null, [.. events]) { Took = watch.Elapsed, HeapBytes = GC.GetTotalMemory(forceFullCollection: false) });
        }
        return new(run.Finish(weeks.ToImmutable(), sweep!), null, []);
    }

    /// <summary>One story's state across its weeks: the session, the simulated clock and organisation, the campaign's changes.</summary>
    private sealed partial class Story(CiemSession session, DemoManifest manifest, DemoOptions options, string folder, DemoClock clock,
        ReviewSettings settings, AlertConfig rules, HttpClient http, Func<string, string?> environment)
    {
        private readonly Dictionary<string, DemoPolicyChange> _changes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DemoAzureChange> _azureChanges = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DemoGcpChange> _gcpChanges = new(StringComparer.Ordinal);

        /// <summary>Whether the Azure or GCP changes differ from those the last snapshot of the cloud showed.</summary>
        private bool _azureChanged;
        private bool _gcpChanged;
        private readonly List<(string Account, bool IsRole, string Name)> _regrown = [];
        private readonly string _changesFolder = Path.Combine(folder, "changes");
        private readonly string _deniedFolder = Path.Combine(manifest.OutputFolder, "cloudtrail-after-changes");
        private readonly bool _aws = options.Clouds.HasFlag(DemoClouds.Aws);

        private ReviewProgramme Programme => new(session.Store, clock);

        /// <summary>The week's AWS usage (the sweep's window), read once and reused by the objections' re-verification.</summary>
        private (DateTimeOffset Day, UsageData Usage)? _usage;

        /// <summary>One week; its sweep's result comes out when <paramref name="keep"/>, dropped before the review otherwise.</summary>
        public DemoStoryOutcome? Week(int week, DateTimeOffset day, List<string> events, bool keep, out EstateSweepResult? sweep)
        {
            try
            {
                return OneWeek(week, day, events, keep, out sweep);
            }
            finally
            {
                // Nothing of one week's reads is needed by the next: it reads its own snapshot, usage and campaign.
                _usage = null;
            }
        }

        private DemoStoryOutcome? OneWeek(int week, DateTimeOffset day, List<string> events, bool keep, out EstateSweepResult? sweep)
        {
            sweep = null;
            clock.MoveTo(day);
            if (week > 0 && Snapshot(week, day, events) is { } failed) { return failed; }
            if (week > 0 && Directory.Exists(_deniedFolder) && Ingest() is { } notIngested) { return notIngested; }
            clock.MoveTo(day.AddHours(6));
            if (Measure(week, day, events, out var planned, out var result) is { } notSwept) { return notSwept; }
            if (keep) { sweep = result; }
            // The result alone is a few hundred megabytes: from here only the campaign's entries (week 0) are needed.
            result = null;
            if (planned is not null && Plan(day, planned, events) is { } notPlanned) { return notPlanned; }
            planned = null;
            // The simulated organisation runs the change scripts of every cloud: the campaign covers every identity.
            return Review(week, day, events);
        }

        /// <summary>
        /// The week's sweep and its measurement with the alert rules, as `ciem sweep --alerts`; the campaign's entries in
        /// week 0 (null after).
        /// </summary>
        private DemoStoryOutcome? Measure(int week, DateTimeOffset day, List<string> events, out List<ReviewEntry>? planned,
            out EstateSweepResult? sweep)
        {
            planned = null;
            sweep = null;
            var sweepOptions = new SweepOptions();
            if (_aws) { _usage = (day, UsageAccess.Load(session.Store, day, sweepOptions)); }
            // The risk view only for the last week, whose sweep the report shows.
            var swept = EstateSweeper.Sweep(session,
                new SweepRequest(day, sweepOptions) { Usage = _usage?.Usage, Risk = week == Weeks - 1 });
            if (swept.Result is null)
            {
                return Fail(string.Join("; ", swept.Notices.Where(n => n.Kind == SweepNoticeKind.Missing).Select(n => n.Message)));
            }
            sweep = swept.Result;
            MetricsRecorder.Record(session.Store, sweep, "sweep", clock.GetUtcNow());
            AlertRun.EvaluateAsync(session.Store, rules, IacDeclarations.None, clock.GetUtcNow(), Path.Combine(folder, ".ciem-alerts"), http, environment, clock)
                .GetAwaiter().GetResult();
            foreach (var a in session.Store.LoadAlerts().Where(a => a.IsOpen && a.FiredAt >= day))
            {
                events.Add($"alert `{a.Rule}` ({a.Severity}) opened: {a.Message}");
            }
            if (week == 0) { planned = [.. ReviewEntries.FromSweep(sweep)]; }
            return null;
        }

        /// <summary>Week 0: the campaign of every verified proposal, planned from the week's entries.</summary>
        private DemoStoryOutcome? Plan(DateTimeOffset day, List<ReviewEntry> planned, List<string> events)
        {
            clock.MoveTo(day.AddHours(8));
            var plan = Programme.Plan(planned, settings, day, $"demo-{Day(day)}");
            if (!plan.Ok) { return Fail("the campaign was not planned", plan.Diagnostics); }
            var c = plan.Value!;
            events.Add($"campaign `{c.Id}` planned: {c.Counts.Identities:N0} identities " +
                $"({DemoCloudCounts.Words(c.Batches.SelectMany(b => b.Items))}) " +
                $"in {c.Batches.Length} batches " +
                $"({string.Join(", ", c.Batches.Select(b => $"{b.Number} {b.Stage} {b.Items.Length:N0}"))}); " +
                $"{c.SetAside.AdminQueue.Length:N0} in the programme-admin queue, {c.SetAside.Unverified.Length:N0} unverified");
            if (Repository is { } r)
            {
                events.Add($"IaC repository {RepositoryFolder}/ (git, branch main): {r.RolesDefined:N0} AWS roles defined in Terraform; " +
                    $"{r.RolesLeftOut:N0} roles several accounts name alike, the AWS-managed roles and the IAM users get change scripts");
            }
            return null;
        }

        public DemoProgrammeResult Finish(ImmutableArray<DemoWeek> weeks, EstateSweepResult sweep)
        {
            var store = session.Store;
            var points = MetricTrend.Series(store.LoadMeasurements(), TrendDimension.Total).SelectMany(t => t.Points).ToList();
            var measured = weeks.Select(w => points.FirstOrDefault(p => p.Day == DateOnly.FromDateTime(w.AsOf.UtcDateTime)) is { } p
                ? w with { Totals = p.Totals, GrantedReductionPercent = p.GrantedReductionPercent }
                : w).ToImmutableArray();
            var programme = Programme;
            return new DemoProgrammeResult(measured, programme.Status(null).Value!, [.. store.LoadAlerts().Where(a => a.IsOpen)], sweep,
                programme.Log(null).Value!.Intact, folder);
        }

        private DemoStoryOutcome? Review(int week, DateTimeOffset day, List<string> events)
        {
            var programme = Programme;
            if (week > 0 && Verify(programme, day, events) is { } notVerified) { return notVerified; }
            clock.MoveTo(day.AddHours(9).AddMinutes(30));
            var dispatcher = NotificationDispatcher.FromSettings(settings.Notify.Resolve(folder), http, clock, environment);
            var notified = programme.NotifyAsync(null, dispatcher).GetAwaiter().GetResult();
            if (!notified.Ok) { return Fail("the notices were not sent", notified.Diagnostics); }
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
                if (ApproveAndApply(programme, due.Number, events) is { } notApplied) { return notApplied; }
            }
            return week switch
            {
                0 => Objections(programme, day, events),
                1 => Break(programme, day, events),
                2 => Regrow(programme, events),
                _ => null,
            };
        }

        /// <summary>
        /// The week's snapshots of the simulated organisation: the AWS export with the changes so far, and the Azure and GCP
        /// exports with theirs when they changed since the cloud's last snapshot (the last one stays current otherwise).
        /// </summary>
        private DemoStoryOutcome? Snapshot(int week, DateTimeOffset day, List<string> events)
        {
            if (_azureChanged)
            {
                var written = Path.Combine(manifest.OutputFolder, $"azure-week-{week}");
                DemoCloud.WriteAzureWeek(manifest.AzureFolder, written, [.. _azureChanges.Values]);
                var read = AzureImport.Import(session, [written], day, null, clock.GetUtcNow());
                if (Imported("Azure", week, read) is { } failed) { return failed; }
                _azureChanged = false;
                events.Add($"Azure snapshot with {_azureChanges.Count:N0} change(s) applied");
            }
            if (_gcpChanged)
            {
                var written = Path.Combine(manifest.OutputFolder, $"gcp-week-{week}");
                DemoCloud.WriteGcpWeek(manifest.GcpFolder, written, [.. _gcpChanges.Values]);
                var read = GcpImport.Import(session, [written], day, null, clock.GetUtcNow());
                if (Imported("GCP", week, read) is { } failed) { return failed; }
                _gcpChanged = false;
                events.Add($"GCP snapshot with {_gcpChanges.Count:N0} change(s) applied");
            }
            if (!options.Clouds.HasFlag(DemoClouds.Aws)) { return null; }
            var weekFolder = Path.Combine(manifest.OutputFolder, $"aws-week-{week}");
            DemoCloud.WriteWeek(manifest.AwsFolder, weekFolder, [.. _changes.Values], _regrown);
            var files = Directory.EnumerateFiles(weekFolder, "*.json").Order(StringComparer.Ordinal)
                .Select(f => (Path: f, Kind: AwsImport.Detect(f))).Where(f => f.Kind != AwsInputKind.Unknown).ToList();
            var imported = AwsImport.Import(session, files, day, clock.GetUtcNow());
            if (imported.Summary is null) { return Fail($"the AWS snapshot of week {week} was not imported", imported.Diagnostics); }
            events.Add($"AWS snapshot with {_changes.Count:N0} change(s) applied" +
                (_regrown.Count > 0 ? $" and {_regrown.Count} identity granted its old rights again" : ""));
            return null;
        }

        /// <summary>Null when the cloud's week snapshot was stored; why not otherwise (its refusals or diagnostics).</summary>
        private static DemoStoryOutcome? Imported(string cloud, int week, SnapshotImportResult result) =>
            result.Refusals.IsEmpty && !result.Writes.IsEmpty
                ? null
                : Fail($"the {cloud} snapshot of week {week} was not imported",
                    result.Refusals.IsEmpty ? result.Diagnostics : result.Refusals);

        /// <summary>The CloudTrail the simulated organisation wrote after the changes (the refused calls).</summary>
        private DemoStoryOutcome? Ingest()
        {
            var plan = UsageIngestion.Plan(session, CloudTrailLog.Default, [_deniedFolder], out var problems);
            if (plan is null) { return Fail("the CloudTrail written after the changes was not ingested", [.. problems]); }
            UsageIngestion.Ingest(session, CloudTrailLog.Default, plan, clock.GetUtcNow(), null);
            return null;
        }

        private DemoStoryOutcome? Verify(ReviewProgramme programme, DateTimeOffset day, List<string> events)
        {
            var campaign = programme.Status(null).Value!;
            if (campaign.Batches.SelectMany(b => b.Items).All(i => i.State != ReviewState.Applied)) { return null; }
            clock.MoveTo(day.AddHours(8));
            var verified = programme.Verify(null, ReductionHistory.Evaluate(session.Store, TimeSpan.FromDays(7)));
            if (!verified.Ok) { return Fail("the applied changes were not verified", verified.Diagnostics); }
            var items = verified.Value!.Items;
            events.Add($"verified {items.Count(i => i.State == ReviewState.Verified):N0}, failed {items.Count(i => i.State == ReviewState.Failed)}, " +
                $"not yet in place {items.Count(i => i.State == ReviewState.Applied):N0}");
            foreach (var failed in items.Where(i => i.State == ReviewState.Failed))
            {
                events.Add($"failed: {failed.Name}: {failed.Reason}");
                clock.MoveTo(day.AddHours(9));
                var rolledBack = programme.Rollback(null, failed.Identity, Admin, "the export job was refused after the change");
                if (!rolledBack.Ok) { return Fail($"`{failed.Name}` was not rolled back", rolledBack.Diagnostics); }
                var revert = rolledBack.Value!;
                if (revert.Branch is { } branch && _changes.TryGetValue(failed.Identity, out var change))
                {
                    // The revert branch is the rollback's pull request: merged, the repository defines the old policies again.
                    _changes[failed.Identity] = AsDefined(Merge([branch])!, change);
                    events.Add($"rolled back {failed.Name}: {revert.Revert}; merged by the simulated organisation (the next snapshot shows its old policy)");
                    continue;
                }
                Forget(failed.Identity);
                events.Add($"rolled back {failed.Name}: {revert.Revert} (the next snapshot shows its old policy)");
            }
            return null;
        }

        /// <summary>Approves the batch (its deadline has passed) and applies it: the change scripts run in the simulated organisation.</summary>
        private DemoStoryOutcome? ApproveAndApply(ReviewProgramme programme, int batch, List<string> events)
        {
            var approved = programme.Approve(null, batch.ToString(CultureInfo.InvariantCulture), Approver);
            if (!approved.Ok) { return Fail($"batch {batch} was not approved", approved.Diagnostics); }
            var applied = programme.Apply(null, batch, _changesFolder, Admin);
            if (!applied.Ok) { return Fail($"batch {batch} was not applied", applied.Diagnostics); }
            var items = applied.Value!.Applied;
            // Each entry is read as its item is applied and dropped after: a batch's entries hold thousands of permission lists.
            var entries = programme.EntryReader(null);
            // The pull requests (local branches) are merged by the simulated organisation, whose `terraform apply` makes the
            // roles what the merged repository defines; the change scripts it runs as they are.
            var viaIac = items.Where(i => IsIac(i.Change)).ToList();
            var branches = viaIac.Select(i => i.Change!.Location).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var merged = Merge(branches);
            foreach (var item in items)
            {
                if (entries(item.Identity) is not { } entry) { continue; }
                if (item.Provider == Provider.AzureName && AzureChangeOf(entry, clock.GetUtcNow()) is { } azure)
                {
                    _azureChanges[item.Identity] = azure;
                    _azureChanged = true;
                }
                else if (item.Provider == Provider.GcpName && GcpChangeOf(entry) is { } gcp)
                {
                    _gcpChanges[item.Identity] = gcp;
                    _gcpChanged = true;
                }
                else if (ChangeOf(entry) is { } change)
                {
                    _changes[item.Identity] = merged is not null && IsIac(item.Change) ? AsDefined(merged, change) : change;
                }
            }
            var scripts = items.Length - viaIac.Count;
            events.Add($"batch {batch} approved by {Approver} ({approved.Value!.Approved.Length:N0}) and applied: " +
                (branches.Count == 0 ? "" : $"{viaIac.Count:N0} through {branches.Count} pull request branch(es) of the IaC repository " +
                    $"({string.Join(", ", branches.Select(b => $"`{b}`"))}), merged by the simulated organisation; ") +
                $"{scripts:N0} change script(s) ({DemoCloudCounts.Words(items.Where(i => !IsIac(i.Change)))}) " +
                $"in {Path.GetFileName(_changesFolder)}/, " +
                "run in the simulated organisation" +
                (approved.Value.Approved.Length > items.Length ? $"; {approved.Value.Approved.Length - items.Length:N0} left approved" : ""));
            return null;
        }

        /// <summary>Two owners of the first batch object, keeping rights a quarterly job needs (the proposal is re-verified).</summary>
        private DemoStoryOutcome? Objections(ReviewProgramme programme, DateTimeOffset day, List<string> events)
        {
            var campaign = programme.Status(null).Value!;
            if (campaign.Batches.IsEmpty) { return null; }
            var candidates = ObjectionCandidates(programme, campaign);
            clock.MoveTo(day.AddDays(2).AddHours(11));
            var asOf = campaign.SweepAsOf;
            foreach (var (item, keep) in candidates)
            {
                var objected = programme.Object(null, item.Identity, keep, "the quarterly reconciliation job needs them", day.AddDays(120), item.Owner,
                    (candidate, kept) => Reverify(candidate, kept, asOf));
                if (!objected.Ok) { return Fail($"the demo's objection for `{item.Name}` was refused", objected.Diagnostics); }
                events.Add($"{item.Owner} objected for {item.Name}: keep {string.Join(", ", keep)} for the quarterly job (re-verified)");
            }
            return null;
        }

        /// <summary>
        /// The first two AWS identities of the first batch (in identity order) with two non-wildcard, non-sensitive
        /// removals to keep; each entry is read only until two are found, and the reader is dropped with this call.
        /// </summary>
        private static List<(ReviewItemStatus Item, string[] Keep)> ObjectionCandidates(ReviewProgramme programme,
            ReviewCampaignStatus campaign)
        {
            var entries = programme.EntryReader(null);
            return campaign.Batches[0].Items
                .Where(i => i.Provider == Provider.AwsName && i.Removed > 2)
                .OrderBy(i => i.Identity, StringComparer.Ordinal)
                .Select(i => (Item: i, Entry: entries(i.Identity)))
                .Where(c => c.Entry is not null)
                .Select(c => (c.Item, Keep: c.Entry!.Candidate.Removed.Where(r => !r.Contains('*', StringComparison.Ordinal)
                    && !ReviewEntries.IsSensitive(Provider.AwsName, r)).Take(2).ToArray()))
                .Where(c => c.Keep.Length > 0)
                .Take(2)
                .ToList();
        }

        /// <summary>As `ciem review object` re-runs the proposal: the identity alone, keeping the objected permissions.</summary>
        private ReviewEntry? Reverify(ReviewCandidate candidate, ImmutableArray<string> kept, DateTimeOffset? asOf)
        {
            var options = new SweepOptions();
            options = options with
            {
                Only = [candidate.IdentityId],
                Proposal = options.Proposal with { KeepActions = options.Proposal.KeepActions.Union(kept) },
            };
            var when = asOf ?? clock.GetUtcNow();
            // The sweep's own usage when the proposal is of the week's day: the window is the same, only the kept actions differ.
            var usage = candidate.Provider == Provider.AwsName && _usage is { } u && u.Day == when ? u.Usage : null;
            var request = new SweepRequest(when, options)
            {
                Providers = [Provider.Parse(candidate.Provider)], Usage = usage, Risk = false,
            };
            var sweep = EstateSweeper.Sweep(session, request).Result;
            return sweep is null ? null : ReviewEntries.FromSweep(sweep).FirstOrDefault(e => e.Candidate.IdentityId == candidate.IdentityId);
        }

        /// <summary>
        /// Two days after the first batch's change, one of its roles runs a job that calls a permission the change removed:
        /// the simulated organisation refuses it and CloudTrail records the denials, which the next verification finds.
        /// </summary>
        private DemoStoryOutcome? Break(ReviewProgramme programme, DateTimeOffset day, List<string> events)
        {
            // In order, each entry read only until the victim is found.
            var entries = programme.EntryReader(null);
            var victim = programme.Status(null).Value!.Batches.SelectMany(b => b.Items)
                .Where(i => i.State == ReviewState.Applied)
                // A role changed through the repository when there is one: its rollback is a revert branch.
                .OrderBy(i => IsIac(i.Change) ? 0 : 1)
                .ThenBy(i => i.Identity, StringComparer.Ordinal)
                .Select(i => (Item: i, Entry: entries(i.Identity)))
                .Where(v => v.Entry is not null && v.Entry.Target.GetValueOrDefault("principal") == "role")
                .Select(v => (v.Item, Action: v.Entry!.Candidate.Removed.FirstOrDefault(r => !r.Contains('*', StringComparison.Ordinal)
                    && (r.StartsWith("s3:", StringComparison.OrdinalIgnoreCase)
                        || r.StartsWith("sqs:", StringComparison.OrdinalIgnoreCase)))))
                .FirstOrDefault(v => v.Action is not null);
            if (victim.Item is null) { return null; }
            DemoCloud.WriteDenied(_deniedFolder, manifest.OrganizationId, victim.Item.Scope, victim.Item.Identity, victim.Action!, day.AddDays(2).AddHours(2), 3);
            events.Add($"{victim.Item.Name} calls {victim.Action} two days after its change: refused 3 times (CloudTrail AccessDenied)");
            return null;
        }

        /// <summary>Someone grants one verified role of the first batch its old policies again, by hand.</summary>
        private DemoStoryOutcome? Regrow(ReviewProgramme programme, List<string> events)
        {
            var item = programme.Status(null).Value!.Batches.SelectMany(b => b.Items)
                .Where(i => i.State == ReviewState.Verified && _changes.TryGetValue(i.Identity, out var c) && c.IsRole && c.Replaced.Count > 0)
                .OrderBy(i => i.Identity, StringComparer.Ordinal).FirstOrDefault();
            if (item is null) { return null; }
            var change = _changes[item.Identity];
            _regrown.Add((change.Account, true, change.Name));
            events.Add($"{item.Name} is granted its old policies again by hand ({string.Join(", ", change.Replaced)})");
            return null;
        }

        /// <summary>A change rolled back by script: the next snapshot of its cloud shows the identity as it was.</summary>
        private void Forget(string identity)
        {
            _changes.Remove(identity);
            _azureChanged |= _azureChanges.Remove(identity);
            _gcpChanged |= _gcpChanges.Remove(identity);
        }
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


    /// <summary>What the Azure apply script does to the principal: its custom role assigned at the scope, replacing others there.</summary>
    private static DemoAzureChange? AzureChangeOf(ReviewEntry entry, DateTimeOffset at)
    {
        var t = entry.Target;
        if (!t.TryGetValue("principal", out var principal) || !t.TryGetValue("scope", out var scope) || entry.Documents.IsEmpty)
        {
            return null;
        }
        return new DemoAzureChange(principal, scope, entry.Documents[0].Content, at);
    }

    /// <summary>What the GCP apply script does to the member: the role bound on the project, replacing its other roles there.</summary>
    private static DemoGcpChange? GcpChangeOf(ReviewEntry entry)
    {
        var t = entry.Target;
        if (!t.TryGetValue("member", out var member) || !t.TryGetValue("role", out var role) || !t.TryGetValue("resource", out var resource)
            || entry.Documents.IsEmpty)
        {
            return null;
        }
        var custom = t.GetValueOrDefault("predefined") == "true" ? null : entry.Documents[0].Content;
        return new DemoGcpChange(member, role, resource, custom);
    }

    /// <summary>An empty folder for the story: a folder the demo wrote before is emptied, any other non-empty one refused.</summary>
    private static string? Prepare(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, Marker)))
            {
                return $"`{folder}` holds files the demo did not write: give another `--out` or `--report` folder";
            }
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "written by `ciem demo`: the next run empties this folder\n");
        return null;
    }

    /// <summary>
    /// The Azure subscriptions (`/subscriptions/ID`) and the GCP projects of the service accounts granted anything
    /// (`projects/ID`, as a service account's e-mail names it) of the imported estate: the platform team is their fallback
    /// owner in the demo's review config.
    /// </summary>
    private static List<string> PlatformScopes(CiemSession session)
    {
        var scopes = new List<string>();
        if (session.Azure.Value is { } azure) { scopes.AddRange(azure.Subscriptions.Select(s => s.Scope)); }
        if (session.Gcp.Value is { } gcp)
        {
            const string Suffix = ".iam.gserviceaccount.com";
            scopes.AddRange(gcp.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members)
                .Where(m => m.StartsWith("serviceAccount:", StringComparison.Ordinal) && m.EndsWith(Suffix, StringComparison.Ordinal)
                    && m.Contains('@', StringComparison.Ordinal))
                .Select(m => "projects/" + m[(m.IndexOf('@', StringComparison.Ordinal) + 1)..^Suffix.Length]));
        }
        return [.. scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string ReviewConfig(string folder, string? repository, IReadOnlyList<string> platformScopes) => string.Join('\n',
        "# the demo's review programme (docs/review.md): one batch per stage, a week between notices",
        "name: demo-least-privilege",
        repository is null ? "# no AWS in this demo: no IaC repository" : $"iac-repo: {Yaml(repository)}",
        "batch-size: 5000",
        "notice-days: 7",
        "objection-days: 7",
        "expire-days: 30",
        $"programme-admin: {Admin}",
        platformScopes.Count == 0 ? "# no Azure subscription or GCP project: no fallback owner" : "owners:",
        platformScopes.Count == 0 ? "" : "  # the platform team owns the service identities nobody else claims in these",
        platformScopes.Count == 0 ? "" : "  fallback:",
        string.Join('\n', platformScopes.Select(s => $"    {Yaml(s)}: {Yaml(Platform)}")),
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

    private static DemoStoryOutcome Fail(string message, IEnumerable<Diagnostic>? diagnostics = null) =>
        new(null, message, [.. diagnostics ?? []]);

    private static string Day(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
