using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Ciem.App.Notify;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Review;

/// <summary>A result or the located errors that refused the request (nothing was changed then).</summary>
public sealed record ReviewResult<T>(T? Value, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Ok => Value is not null && !Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>What `ciem review notify` did: batches noticed now, items expired, and the deliveries.</summary>
public sealed record ReviewNotifyOutcome(ImmutableArray<int> NoticedBatches, ImmutableArray<string> Expired, NotifyResult Deliveries);

/// <summary>What an approval did: the items approved and those refused (with why).</summary>
public sealed record ReviewApproveOutcome(ImmutableArray<string> Approved, ImmutableArray<Diagnostic> Refused);

/// <summary>The decision log and what its verification found.</summary>
public sealed record ReviewLog(string Campaign, ImmutableArray<DecisionRecord> Rows, ImmutableArray<DecisionLogBreak> Breaks)
{
    public bool Intact => Breaks.IsEmpty;
}

/// <summary>
/// The review programme over the store (docs/review.md): plan a campaign from the sweep's entries, send notices per
/// owner per batch, take objections (an exception with expiry and a re-verified proposal), approvals, and keep the
/// hash-chained decision log. Every transition goes through <see cref="ReviewStateMachine"/> with the time from the
/// host's clock, and each command's changes and decisions are written in one transaction.
/// </summary>
public sealed partial class ReviewProgramme(ICiemStore store, TimeProvider clock)
{
    public const string System = "ciem";

    public ReviewResult<ReviewCampaignStatus> Plan(IReadOnlyList<ReviewEntry> entries, ReviewSettings settings, DateTimeOffset sweepAsOf,
        string? campaignId = null, CodeOwners? codeOwners = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(settings);
        var now = clock.GetUtcNow();
        var id = campaignId ?? $"{Slug(settings.Config.Name)}-{now:yyyyMMdd-HHmm}";
        if (store.LoadCampaign(id) is not null)
        {
            return Refused<ReviewCampaignStatus>(DiagnosticCodes.ReviewTransitionRefused, $"campaign `{id}` exists already: give another `--name`");
        }
        Create(id, entries, settings, sweepAsOf, codeOwners, now);
        return new(Status(id).Value, []);
    }

    /// <summary>Stores the planned campaign; what it built (every item's entry as JSON) is garbage once this returns.</summary>
    private void Create(string id, IReadOnlyList<ReviewEntry> entries, ReviewSettings settings, DateTimeOffset sweepAsOf,
        CodeOwners? codeOwners, DateTimeOffset now)
    {
        var sources = new OwnerSources
        {
            TagKeys = settings.Config.OwnerTagKeys, Fallback = settings.Config.FallbackOwners, CodeOwners = codeOwners,
            IacFiles = settings.IacFiles, OidcRepositories = settings.OidcRepositories, DirectoryOwners = settings.DirectoryOwners,
            Managers = settings.Managers,
        };
        var byId = entries.GroupBy(e => e.Candidate.IdentityId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var plan = CampaignPlanner.Plan(byId.Values.Select(e => e.Candidate), settings.Config, sources, now);
        var setAside = new ReviewSetAside(Aside(plan.Excluded), Aside(plan.Unverified), Aside(plan.AdminQueue));
        var campaign = new ReviewCampaignRecord(id, settings.Config.Name, now, sweepAsOf, JsonSerializer.Serialize(settings.Config, ReviewEntry.Json),
            JsonSerializer.Serialize(setAside, ReviewEntry.Json));
        var items = plan.Items.Select(i => new ReviewItemRecord(id, i.IdentityId, i.Batch, i.Candidate.Provider, i.Candidate.Name, i.Candidate.Scope,
            ReviewNames.Of(ReviewState.Planned), i.Owner.Owner, i.Owner.SourceName, i.Owner.Evidence, i.Candidate.ProposalHash,
            (byId[i.IdentityId] with { Candidate = i.Candidate }).ToJson(), null, now)).ToImmutableArray();
        var decision = DecisionLog.Next(null, id, now, System, "plan", "campaign", null, ReviewNames.Of(ReviewState.Planned),
            $"{items.Length} identities in {plan.Batches.Length} batches; {plan.Excluded.Length} excluded, {plan.Unverified.Length} unverified, " +
            $"{plan.AdminQueue.Length} in the programme-admin queue", null);
        store.CreateCampaign(campaign, new ReviewUpdate(id,
            [.. plan.Batches.Select(b => new ReviewBatchRecord(id, b.Number, b.Stage, b.NotBefore, null, null))], items, [], [decision]));
    }

    public ReviewResult<ReviewCampaignStatus> Status(string? campaignId)
    {
        var data = Load(campaignId, out var error);
        return data is null ? new(null, [error!]) : new(ToStatus(data), []);
    }

    public ImmutableArray<ReviewCampaignRecord> Campaigns() => store.ListCampaigns();

    public ReviewResult<ReviewLog> Log(string? campaignId)
    {
        var data = Load(campaignId, out var error);
        if (data is null) { return new(null, [error!]); }
        var rows = store.LoadDecisions(data.Campaign.Id);
        return new(new ReviewLog(data.Campaign.Id, rows, DecisionLog.Verify(rows)), []);
    }

    /// <summary>
    /// Notices every batch whose day has come (or only <paramref name="batch"/>): its items become noticed with the
    /// deadline now + the objection window, recorded before sending; then sends one notice per owner per noticed batch
    /// (and one to the programme admin for the identities set apart). A re-run sends only what was never delivered.
    /// Items never approved past their deadline plus the expiry days are expired first.
    /// </summary>
    public async Task<ReviewResult<ReviewNotifyOutcome>> NotifyAsync(string? campaignId, NotificationDispatcher dispatcher, int? batch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        // The campaign as read to record the notices is dropped before it is read again to write them: each read holds
        // every item's entry.
        var recorded = RecordNotices(campaignId, batch);
        if (recorded.Refused is { } refused) { return refused; }
        var fresh = store.LoadCampaign(recorded.Id)!;
        var notices = ReviewNotices.Build(fresh, recorded.Config);
        var deliveries = await dispatcher.SendAsync(notices, cancellationToken).ConfigureAwait(false);
        return new(new ReviewNotifyOutcome(recorded.Noticed, recorded.Expired, deliveries), []);
    }

    /// <summary>The notices' transitions (and the expiries) recorded, or why not.</summary>
    private (ReviewResult<ReviewNotifyOutcome>? Refused, string Id, ReviewConfig Config, ImmutableArray<int> Noticed,
        ImmutableArray<string> Expired) RecordNotices(string? campaignId, int? batch)
    {
        var data = Load(campaignId, out var error);
        if (data is null) { return (new(null, [error!]), "", new ReviewConfig(), [], []); }
        var id = data.Campaign.Id;
        if (batch is { } only && data.Batches.All(b => b.Number != only))
        {
            var unknown = Refused<ReviewNotifyOutcome>(DiagnosticCodes.ReviewUnknownBatch, UnknownBatch(data, only));
            return (unknown, id, new ReviewConfig(), [], []);
        }
        var now = clock.GetUtcNow();
        var config = Config(data);
        var writer = new UpdateWriter(store, id, now);
        var expired = Expire(data, config, writer);
        var noticed = ImmutableArray.CreateBuilder<int>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var b in data.Batches.Where(b => batch is null || b.Number == batch))
        {
            if (b.NoticedAt is not null) { continue; }
            if (b.NotBefore > now)
            {
                if (batch is not null)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReviewNotBefore,
                        $"batch {b.Number} is due for notice from `{Stamp(b.NotBefore)}` (the notice period)"));
                }
                continue;
            }
            var deadline = now.AddDays(config.ObjectionDays);
            foreach (var item in data.Items.Where(i => i.Batch == b.Number && i.State == ReviewNames.Of(ReviewState.Planned)))
            {
                writer.Transition(item, new ReviewRequest(ReviewAction.Notice, System, now), null, null,
                    $"batch {b.Number} noticed; objections until {Stamp(deadline)}");
            }
            writer.Batch(b with { NoticedAt = now, Deadline = deadline });
            noticed.Add(b.Number);
        }
        if (diagnostics.Count > 0) { return (new(null, diagnostics.ToImmutable()), id, config, [], []); }
        writer.Commit();
        return (null, id, config, noticed.ToImmutable(), expired);
    }

    /// <summary>
    /// An owner's objection: the permissions named (exact or with `*`/`?`, each matching one the identity holds) are kept as
    /// an exception until the date given; <paramref name="reverify"/> re-runs the proposal with them kept, and the item
    /// takes the new proposal only if it is verified and keeps every one of them.
    /// </summary>
    public ReviewResult<ReviewItemStatus> Object(string? campaignId, string identity, IReadOnlyList<string> keep, string reason, DateTimeOffset? until,
        string by, Func<ReviewCandidate, ImmutableArray<string>, ReviewEntry?> reverify)
    {
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentNullException.ThrowIfNull(reverify);
        // The campaign as read to record the objection is dropped before it is read again for the item's status.
        if (RecordObjection(campaignId, identity, keep, reason, until, by, reverify, out var campaign, out var objected) is { } refused)
        {
            return refused;
        }
        return new(Item(campaign, objected).Value.Item, []);
    }

    /// <summary>The objection recorded (null), or why not.</summary>
    private ReviewResult<ReviewItemStatus>? RecordObjection(string? campaignId, string identity, IReadOnlyList<string> keep, string reason,
        DateTimeOffset? until, string by, Func<ReviewCandidate, ImmutableArray<string>, ReviewEntry?> reverify, out string campaign,
        out string objected)
    {
        campaign = "";
        objected = "";
        // The outline: the one item objected to is written back, with its proposal read here.
        var data = Load(campaignId, out var error, outline: true);
        if (data is null) { return new(null, [error!]); }
        var found = FindItem(data, identity, out error);
        if (found is null) { return new(null, [error!]); }
        var item = WithCandidates(data, [found])[0];
        var entry = ReviewEntry.FromJson(item.Candidate);
        if (keep.Count == 0) { return Refused<ReviewItemStatus>(DiagnosticCodes.ReviewPermissionNotHeld, "name at least one permission to keep with `--keep`"); }
        var kept = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pattern in keep)
        {
            var matches = entry.Candidate.Granted.Where(g => Glob(pattern).IsMatch(g)).ToList();
            if (matches.Count == 0)
            {
                return Refused<ReviewItemStatus>(DiagnosticCodes.ReviewPermissionNotHeld,
                    $"`{pattern}` is not a permission `{item.Name}` holds ({entry.Candidate.Granted.Length} granted, e.g. " +
                    $"{string.Join(", ", entry.Candidate.Removed.Take(3).Select(r => $"`{r}`"))}): nothing was recorded");
            }
            kept.UnionWith(matches);
        }
        if (string.IsNullOrWhiteSpace(reason)) { return Refused<ReviewItemStatus>(DiagnosticCodes.ReviewTransitionRefused, "an objection needs `--reason`"); }
        var now = clock.GetUtcNow();
        if (until is { } u && u <= now)
        {
            return Refused<ReviewItemStatus>(DiagnosticCodes.ReviewTransitionRefused, $"`--until` `{Stamp(u)}` is not in the future");
        }
        var batch = data.Batches.Single(b => b.Number == item.Batch);
        var decided = ReviewStateMachine.Decide(Context(item, batch, Config(data)), new ReviewRequest(ReviewAction.Object, by, now), item.Name);
        if (!decided.Allowed) { return new(null, [decided.Error!]); }
        var allKept = data.Exceptions.Where(e => e.Identity == item.Identity).SelectMany(e => e.Actions).Concat(kept)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        var fresh = reverify(entry.Candidate, allKept);
        if (fresh is null || !fresh.Candidate.IsVerified)
        {
            return Refused<ReviewItemStatus>(DiagnosticCodes.ReviewUnverified,
                $"the proposal for `{item.Name}` keeping {string.Join(", ", kept.Select(k => $"`{k}`"))} did not verify" +
                (fresh?.Candidate.FailureReason is { } why ? $": {why}" : "") + ": nothing was recorded");
        }
        var stillRemoved = fresh.Candidate.Removed.Where(r => allKept.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (stillRemoved.Count > 0)
        {
            return Refused<ReviewItemStatus>(DiagnosticCodes.ReviewUnverified,
                $"the re-run proposal for `{item.Name}` still removes {string.Join(", ", stillRemoved.Select(k => $"`{k}`"))}: nothing was recorded");
        }
        // The log's last decision is read after the re-verification (a sweep: seconds), so decisions made meanwhile are chained.
        var writer = new UpdateWriter(store, data.Campaign.Id, now);
        var updated = item with
        {
            Candidate = (fresh with { Candidate = fresh.Candidate with { Tags = entry.Candidate.Tags } }).ToJson(),
            ProposalHash = fresh.Candidate.ProposalHash,
        };
        writer.Transition(updated, new ReviewRequest(ReviewAction.Object, by, now), decided, null,
            $"keep {string.Join(", ", kept)} until {(until is { } t ? Stamp(t) : "no end")}: {reason}; re-verified proposal {fresh.Candidate.ProposalHash}");
        writer.Exception(new ReviewExceptionRecord(0, data.Campaign.Id, item.Identity, [.. kept], reason, until, by, now));
        writer.Commit();
        campaign = data.Campaign.Id;
        objected = item.Identity;
        return null;
    }

    /// <summary>Approves a batch (every noticed or objected item in it) or one identity, by <paramref name="by"/>.</summary>
    public ReviewResult<ReviewApproveOutcome> Approve(string? campaignId, string target, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        // The outline: only the items approved are written back, with their proposals read below.
        var data = Load(campaignId, out var error, outline: true);
        if (data is null) { return new(null, [error!]); }
        var now = clock.GetUtcNow();
        var config = Config(data);
        List<ReviewItemRecord> targets;
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (data.Batches.All(b => b.Number != number)) { return Refused<ReviewApproveOutcome>(DiagnosticCodes.ReviewUnknownBatch, UnknownBatch(data, number)); }
            targets = [.. data.Items.Where(i => i.Batch == number && i.State is "noticed" or "objected")];
            if (targets.Count == 0)
            {
                return Refused<ReviewApproveOutcome>(DiagnosticCodes.ReviewTransitionRefused,
                    $"batch {number} has nothing to approve: its identities are {string.Join(", ", data.Items.Where(i => i.Batch == number).Select(i => i.State).Distinct())}");
            }
        }
        else
        {
            var item = FindItem(data, target, out error);
            if (item is null) { return new(null, [error!]); }
            targets = [item];
        }
        targets = WithCandidates(data, targets);
        var writer = new UpdateWriter(store, data.Campaign.Id, now);
        var approved = ImmutableArray.CreateBuilder<string>();
        var refused = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var item in targets)
        {
            var batch = data.Batches.Single(b => b.Number == item.Batch);
            var request = new ReviewRequest(ReviewAction.Approve, by, now, config.FourEyes);
            var decided = ReviewStateMachine.Decide(Context(item, batch, config), request, item.Name);
            if (!decided.Allowed)
            {
                refused.Add(decided.Error!);
                continue;
            }
            var early = batch.Deadline is { } d && now <= d;
            writer.Transition(item, request, decided, null, early ? "approved by the owner before the deadline" : "approved after the objection window");
            approved.Add(item.Identity);
        }
        if (approved.Count == 0) { return new(null, refused.ToImmutable()); }
        writer.Commit();
        return new(new ReviewApproveOutcome(approved.ToImmutable(), refused.ToImmutable()), []);
    }

    private static ReviewResult<T> Refused<T>(string code, string message) => new(default, [Diagnostic.Error(code, message)]);

    private ImmutableArray<string> Expire(ReviewCampaignData data, ReviewConfig config, UpdateWriter writer)
    {
        var now = clock.GetUtcNow();
        var expired = ImmutableArray.CreateBuilder<string>();
        foreach (var item in data.Items)
        {
            var batch = data.Batches.Single(b => b.Number == item.Batch);
            var context = Context(item, batch, config);
            if (context.ExpiresAt is not { } at || now <= at || context.State is not (ReviewState.Noticed or ReviewState.Objected)) { continue; }
            var decided = ReviewStateMachine.Decide(context, new ReviewRequest(ReviewAction.Expire, System, now), item.Name);
            if (!decided.Allowed) { continue; }
            writer.Transition(item, new ReviewRequest(ReviewAction.Expire, System, now), decided, null, $"not approved within {config.ExpireDays} days after the deadline");
            expired.Add(item.Identity);
        }
        return expired.ToImmutable();
    }

    private ReviewCampaignData? Load(string? campaignId, out Diagnostic? error, bool outline = false)
    {
        error = null;
        var id = campaignId ?? store.ListCampaigns().LastOrDefault()?.Id;
        if (id is null)
        {
            error = Diagnostic.Error(DiagnosticCodes.ReviewNoCampaign, "no review campaign in the store: run `ciem review plan` first");
            return null;
        }
        var data = outline ? store.LoadCampaignOutline(id) : store.LoadCampaign(id);
        if (data is null)
        {
            var known = store.ListCampaigns().Select(c => $"`{c.Id}`").ToList();
            error = Diagnostic.Error(DiagnosticCodes.ReviewNoCampaign,
                $"no review campaign `{id}`" + (known.Count > 0 ? $"; campaigns: {string.Join(", ", known)}" : ""));
        }
        return data;
    }

    internal static ReviewItemRecord? FindItem(ReviewCampaignData data, string identity, out Diagnostic? error)
    {
        error = null;
        var exact = data.Items.FirstOrDefault(i => i.Identity == identity);
        if (exact is not null) { return exact; }
        var byName = data.Items.Where(i => string.Equals(i.Name, identity, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count == 1) { return byName[0]; }
        error = byName.Count > 1
            ? Diagnostic.Error(DiagnosticCodes.ReviewUnknownIdentity,
                $"`{identity}` names {byName.Count} identities of campaign `{data.Campaign.Id}`: give the id ({string.Join(", ", byName.Select(i => $"`{i.Identity}`"))})")
            : Diagnostic.Error(DiagnosticCodes.ReviewUnknownIdentity,
                $"no identity `{identity}` in campaign `{data.Campaign.Id}` ({data.Items.Length} identities; `ciem review status` lists them)");
        return null;
    }

    internal static ReviewItemContext Context(ReviewItemRecord item, ReviewBatchRecord batch, ReviewConfig config) =>
        new(ReviewNames.ParseState(item.State), item.Owner, batch.Deadline, batch.Deadline?.AddDays(config.ExpireDays));

    internal static ReviewConfig Config(ReviewCampaignData data) =>
        JsonSerializer.Deserialize<ReviewConfig>(data.Campaign.Config, ReviewEntry.Json) ?? new ReviewConfig();

    internal static ReviewCampaignStatus ToStatus(ReviewCampaignData data)
    {
        var batches = data.Batches.Select(b => new ReviewBatchStatus(b.Number, b.Stage, b.NotBefore, b.NoticedAt, b.Deadline,
            [.. data.Items.Where(i => i.Batch == b.Number).Select(ItemStatus)])).ToImmutableArray();
        var aside = JsonSerializer.Deserialize<ReviewSetAside>(data.Campaign.SetAside, ReviewEntry.Json) ?? ReviewSetAside.Empty;
        return new ReviewCampaignStatus(data.Campaign.Id, data.Campaign.Name, data.Campaign.PlannedAt, data.Campaign.SweepAsOf, batches, data.Exceptions, aside);
    }

    /// <summary>An item's status when its entry is already read (the queue's page): the counts from the entry.</summary>
    private static ReviewItemStatus ItemStatus(ReviewItemRecord i, ReviewEntry entry)
    {
        var change = i.Change is null ? null : JsonSerializer.Deserialize<ReviewChange>(i.Change, StatusJson)!;
        return new ReviewItemStatus(i.Identity, i.Name, i.Provider, i.Scope, i.Batch, ReviewNames.ParseState(i.State), i.Owner,
            i.OwnerSource, i.OwnerEvidence, entry.Candidate.GrantedBefore, entry.Candidate.GrantedAfter, entry.Candidate.Removed.Length,
            i.ProposalHash, change);
    }

    private static ReviewItemStatus ItemStatus(ReviewItemRecord i)
    {
        // A status shows the candidate's counts: they are read without building its permission lists (an administrator's
        // are thousands of names), and the change without its file texts (those are for the rollback, not for showing).
        var counts = JsonSerializer.Deserialize<StoredCounts>(i.Candidate, StatusJson)?.Candidate
            ?? throw new InvalidDataException("a review item holds no entry");
        var change = i.Change is null ? null : JsonSerializer.Deserialize<ReviewChange>(i.Change, StatusJson)!;
        return new ReviewItemStatus(i.Identity, i.Name, i.Provider, i.Scope, i.Batch, ReviewNames.ParseState(i.State), i.Owner, i.OwnerSource,
            i.OwnerEvidence, counts.GrantedBefore, counts.GrantedAfter, counts.Removed, i.ProposalHash, change);
    }

    /// <summary>The entry's JSON as a status reads it: the candidate's counts, a change without its texts.</summary>
    private static readonly JsonSerializerOptions StatusJson = new(ReviewEntry.Json)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                t =>
                {
                    if (t.Type != typeof(ReviewChange)) { return; }
                    var texts = t.Properties.Single(p => p.Name == "texts");
                    t.Properties.Remove(texts);
                },
            },
        },
    };

    private sealed class StoredCounts
    {
        public CandidateCounts? Candidate { get; init; }
    }

    private sealed class CandidateCounts
    {
        public int GrantedBefore { get; init; }

        public int GrantedAfter { get; init; }

        /// <summary>How many permissions are removed: the stored list, counted.</summary>
        [JsonConverter(typeof(ArrayLength))]
        public int Removed { get; init; }
    }

    /// <summary>Reads a JSON array as its number of elements, skipping them.</summary>
    private sealed class ArrayLength : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) { throw new JsonException("a review item's `removed` is not an array"); }
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                count++;
            }
            return count;
        }

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
            throw new NotSupportedException("a count is only read");
    }

    private static ImmutableArray<ReviewSetAsideItem> Aside(ImmutableArray<CampaignSetAside> items) =>
        [.. items.Select(a => new ReviewSetAsideItem(a.Candidate.Provider, a.Candidate.IdentityId, a.Candidate.Name, a.Candidate.Scope, a.Reason, a.Until))];

    private static string UnknownBatch(ReviewCampaignData data, int number) =>
        $"no batch {number} in campaign `{data.Campaign.Id}` (batches 1 to {data.Batches.Length})";

    internal static string Stamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Slug(string name) => SlugChars().Replace(name.ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } s ? s : "review";

    /// <summary>`*` any run of characters, `?` one; case-insensitive, whole permission.</summary>
    internal static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugChars();

    /// <summary>Collects one command's item, batch, exception and decision changes and writes them in one transaction.</summary>
    internal sealed class UpdateWriter(ICiemStore store, string campaign, DateTimeOffset now)
    {
        private readonly Dictionary<string, ReviewItemRecord> _items = new(StringComparer.Ordinal);
        private readonly Dictionary<int, ReviewBatchRecord> _batches = [];
        private readonly List<ReviewExceptionRecord> _exceptions = [];
        private readonly List<DecisionRecord> _decisions = [];
        private DecisionRecord? _last = store.LoadDecisions(campaign).LastOrDefault();

        public void Transition(ReviewItemRecord item, ReviewRequest request, ReviewTransition? decided, ReviewChange? change, string reason)
        {
            var to = decided?.To ?? ReviewStateMachine.To(request.Action);
            var from = item.State;
            _items[item.Identity] = item with
            {
                State = ReviewNames.Of(to),
                Change = change is null ? item.Change : JsonSerializer.Serialize(change, ReviewEntry.Json),
                UpdatedAt = now,
            };
            Decide(request.Actor, ReviewNames.Of(request.Action), item.Identity, from, ReviewNames.Of(to), reason, item.ProposalHash);
        }

        public void Decide(string actor, string action, string subject, string? from, string? to, string reason, string? hash)
        {
            _last = DecisionLog.Next(_last, campaign, now, actor, action, subject, from, to, reason, hash);
            _decisions.Add(_last);
        }

        public void Batch(ReviewBatchRecord batch) => _batches[batch.Number] = batch;

        public void Exception(ReviewExceptionRecord exception) => _exceptions.Add(exception);

        public bool IsEmpty => _decisions.Count == 0 && _batches.Count == 0;

        public void Commit()
        {
            if (IsEmpty) { return; }
            store.UpdateReview(new ReviewUpdate(campaign, [.. _batches.Values], [.. _items.Values], [.. _exceptions], [.. _decisions]));
        }
    }
}
