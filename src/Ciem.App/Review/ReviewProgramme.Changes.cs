using System.Collections.Immutable;
using System.Text.Json;
using Ciem.App.Iac;
using Ciem.Core.Diagnostics;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Review;
using Ciem.Core.Text;
using Ciem.Storage;

namespace Ciem.App.Review;

/// <summary>What `ciem review apply` did: the items applied with their script folders, and those it could not apply.</summary>
public sealed record ReviewApplyOutcome(ImmutableArray<ReviewItemStatus> Applied, ImmutableArray<Diagnostic> Skipped);

/// <summary>One applied identity's verification: the state it reached and why.</summary>
public sealed record ReviewVerification(string Identity, string Name, ReviewState State, string Reason);

/// <summary>What `ciem review verify` found for each applied identity.</summary>
public sealed record ReviewVerifyOutcome(ImmutableArray<ReviewVerification> Items);

/// <summary>A rollback: the item and the script (or change) that reverts it.</summary>
public sealed record ReviewRollbackOutcome(ReviewItemStatus Item, string Revert)
{
    /// <summary>The revert branch made in the IaC repository; null for a script rollback or when nothing was merged.</summary>
    public string? Branch { get; init; }

    /// <summary>The revert pull request's link when a forge opened one.</summary>
    public string? PullRequest { get; init; }

    /// <summary>What went wrong after the revert branch was made (the pull request could not be opened).</summary>
    public ImmutableArray<Diagnostic> Warnings { get; init; } = [];
}

public sealed partial class ReviewProgramme
{
    /// <summary>
    /// Applies the approved items of a batch: each gets a folder under <paramref name="outputRoot"/> with the proposal's
    /// documents, a ready-to-run apply script and its rollback script (ReviewScripts); the item becomes applied (by
    /// hand) and the reduction is recorded so the reductions tracking follows it through the next imports.
    /// </summary>
    /// <remarks>
    /// With <paramref name="iac"/>, the batch's identities go through the IaC repository first: one branch and commit per
    /// AWS account, Azure subscription and GCP project (`ciem/review/CAMPAIGN/batch-N/ACCOUNT`, `…/azure-SUBSCRIPTION`,
    /// `…/gcp-PROJECT`), recorded on the item and in the decision log; the identities the repository does not define
    /// keep the change script, with the reason.
    /// </remarks>
    public ReviewResult<ReviewApplyOutcome> Apply(string? campaignId, int batch, string outputRoot, string by, ReviewIacRepository? iac = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputRoot);
        // The campaign as read to apply the batch (and the batch's entries) is dropped before it is read again for the status.
        if (RecordApply(campaignId, batch, outputRoot, by, iac, out var campaign, out var applied, out var skipped) is { } refused)
        {
            return refused;
        }
        var status = ToStatus(store.LoadCampaign(campaign)!);
        var items = status.Batches.SelectMany(b => b.Items).Where(i => applied.Contains(i.Identity));
        return new(new ReviewApplyOutcome([.. items], skipped), []);
    }

    /// <summary>The batch applied and recorded (null), or why not.</summary>
    private ReviewResult<ReviewApplyOutcome>? RecordApply(string? campaignId, int batch, string outputRoot, string by,
        ReviewIacRepository? iac, out string campaign, out List<string> applied, out ImmutableArray<Diagnostic> skippedItems)
    {
        campaign = "";
        applied = [];
        skippedItems = [];
        var data = Load(campaignId, out var error);
        if (data is null) { return new(null, [error!]); }
        if (data.Batches.All(b => b.Number != batch)) { return Refused<ReviewApplyOutcome>(DiagnosticCodes.ReviewUnknownBatch, UnknownBatch(data, batch)); }
        if (iac is null && !TryConfiguredIac(data, out iac, out var iacError)) { return new(null, [iacError!]); }
        var approved = data.Items.Where(i => i.Batch == batch && i.State == ReviewNames.Of(ReviewState.Approved)).ToList();
        if (approved.Count == 0)
        {
            return Refused<ReviewApplyOutcome>(DiagnosticCodes.ReviewTransitionRefused, $"batch {batch} has no approved identity to apply (`ciem review approve {batch}` first)");
        }
        var now = clock.GetUtcNow();
        var writer = new UpdateWriter(store, data.Campaign.Id, now);
        var skipped = ImmutableArray.CreateBuilder<Diagnostic>();
        var reductions = new List<DeliveredReduction>();
        var throughIac = new Dictionary<string, ReviewIacChange>(StringComparer.Ordinal);
        var pullRequests = new Dictionary<string, (string Reference, string Url)>(StringComparer.Ordinal);
        var notInIac = new Dictionary<string, string>(StringComparer.Ordinal);
        // Identities whose account's IaC apply failed: they stay approved (their change belongs in the repository).
        var held = new HashSet<string>(StringComparer.Ordinal);
        if (iac is not null)
        {
            ApplyThroughIac(iac, data.Campaign.Id, batch, approved, throughIac, notInIac, held, skipped, pullRequests);
        }
        foreach (var item in approved.Where(i => !held.Contains(i.Identity)))
        {
            var entry = ReviewEntry.FromJson(item.Candidate);
            if (throughIac.TryGetValue(item.Identity, out var ic))
            {
                var pr = pullRequests.TryGetValue(item.Identity, out var opened) ? opened : default;
                var channel = pr.Url is null ? ReviewChange.BranchChannel : ReviewChange.PullRequestChannel;
                var viaIac = new ReviewChange(channel, ic.Branch, ic.Commit, pr.Url, ic.Files, null, now) { Texts = ic.Texts };
                var where = ic.PushedTo is null ? $"in {iac!.Path}" : $"pushed to `{ic.PushedTo}`";
                writer.Transition(item, new ReviewRequest(ReviewAction.Apply, by, now), null, viaIac, pr.Url is null
                    ? $"proposal branch `{ic.Branch}` commit {ic.Commit[..12]} {where}: merge it through a pull request"
                    : $"pull request {pr.Reference} {pr.Url} from branch `{ic.Branch}` commit {ic.Commit[..12]} {where}: merge it");
                reductions.Add(Reduction(entry, now, channel, ic.Branch, ic.Commit, [.. ic.Files], pr.Url));
                applied.Add(item.Identity);
                continue;
            }
            var scripts = ReviewScripts.For(entry, data.Campaign.Id);
            if (scripts is null)
            {
                skipped.Add(Diagnostic.Warning(DiagnosticCodes.ReviewTransitionRefused,
                    $"no change script for `{item.Name}` ({entry.Summary}): apply it through the IaC repository, it stays approved"));
                continue;
            }
            var folder = Path.Combine(outputRoot, Slug(data.Campaign.Id), $"batch-{batch}", $"{item.Provider}-{Slug(item.Name)}-{entry.Candidate.ProposalHash[^8..]}");
            var files = new List<string>();
            using (var set = OutputFolder.Begin(folder))
            {
                // The scripts of one change appear together or not at all (a full disk leaves no apply.sh without its rollback.sh).
                foreach (var d in entry.Documents) { Write(set.Staging, d.Name, d.Content, files); }
                Write(set.Staging, "apply.sh", scripts.Apply, files);
                Write(set.Staging, "rollback.sh", scripts.Rollback, files);
                set.Commit();
            }
            files = [.. files.Select(f => Path.Combine(folder, Path.GetFileName(f)))];
            var change = new ReviewChange(ReviewChange.ScriptChannel, folder, null, null, [.. files], Path.Combine(folder, "rollback.sh"), now);
            var why = notInIac.TryGetValue(item.Identity, out var missing) ? $" (not through the IaC repository: {missing})" : "";
            writer.Transition(item, new ReviewRequest(ReviewAction.Apply, by, now), null, change,
                $"change script written to {folder}: applied by hand{why}");
            reductions.Add(Reduction(entry, now, ReviewChange.ScriptChannel, folder, null, [.. files.Select(Path.GetFileName).OfType<string>()]));
            applied.Add(item.Identity);
        }
        if (applied.Count == 0) { return new(null, skipped.ToImmutable()); }
        writer.Commit();
        store.RecordReductions(reductions);
        campaign = data.Campaign.Id;
        skippedItems = skipped.ToImmutable();
        return null;
    }

    /// <summary>The clone named by the campaign's `iac-repo`, if any; false with a located error when it cannot be used.</summary>
    private static bool TryConfiguredIac(ReviewCampaignData data, out ReviewIacRepository? iac, out Diagnostic? error)
    {
        iac = null;
        error = null;
        if (Config(data).IacRepository is not { } path) { return true; }
        iac = ReviewIacRepository.Open(path, out var why);
        if (iac is not null) { return true; }
        error = Diagnostic.Error(DiagnosticCodes.ReviewIacFailed, $"{why} (`iac-repo` of campaign `{data.Campaign.Id}`'s config)");
        return false;
    }

    private static DeliveredReduction Reduction(
        ReviewEntry entry, DateTimeOffset now, string channel, string location, string? revision, ImmutableArray<string> files,
        string? pullRequest = null)
    {
        var c = entry.Candidate;
        var scope = entry.Target.GetValueOrDefault("scope") ?? entry.Target.GetValueOrDefault("resource") ?? c.Scope;
        return new DeliveredReduction(0, c.Provider, c.IdentityId, scope, c.Name, c.Removed, c.GrantedBefore, c.GrantedAfter, now,
            channel, location, revision, files, pullRequest);
    }

    /// <summary>
    /// One branch per AWS account, Azure subscription and GCP project of the batch's approved identities. A git failure
    /// for one of them (a branch of that name exists already) is reported and leaves its identities approved, so nothing
    /// is marked applied that was not changed.
    /// </summary>
    private static void ApplyThroughIac(ReviewIacRepository iac, string campaign, int batch, List<ReviewItemRecord> approved,
        Dictionary<string, ReviewIacChange> throughIac, Dictionary<string, string> notInIac, HashSet<string> held,
        ImmutableArray<Diagnostic>.Builder skipped, Dictionary<string, (string Reference, string Url)> pullRequests)
    {
        var groups = approved.GroupBy(i => (i.Provider, i.Scope))
            .OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Scope, StringComparer.Ordinal);
        foreach (var account in groups)
        {
            var (provider, scope) = account.Key;
            var noun = ReviewPullRequests.ScopeNoun(provider);
            var entries = account.Select(i => ReviewEntry.FromJson(i.Candidate)).ToList();
            var branch = $"ciem/review/{Slug(campaign)}/batch-{batch}/{BranchLeaf(provider, scope)}";
            var message = CommitText.Line($"ciem review: least privilege for {noun} {scope}, campaign {campaign} batch {batch}")
                + "\n\n" + string.Concat(entries.Select(e => CommitText.Line(
                    $"- {e.Candidate.Name}: {e.Candidate.GrantedBefore} -> {e.Candidate.GrantedAfter} granted ({e.Candidate.ProposalHash})") + "\n"));
            ReviewIacBatch result;
            try
            {
                result = iac.Apply(branch, message, entries);
            }
            catch (InvalidOperationException e)
            {
                skipped.Add(Diagnostic.Error(DiagnosticCodes.ReviewIacFailed,
                    $"{noun} `{scope}` not applied, its identities stay approved: {e.Message}"));
                held.UnionWith(account.Select(i => i.Identity));
                continue;
            }
            foreach (var (id, change) in result.Changed) { throughIac[id] = change; }
            if (iac.Forge?.Delivery is { } forge && result.Written is { PushedTo: not null } written)
            {
                var changed = entries.Where(e => result.Changed.ContainsKey(e.Candidate.IdentityId)).ToList();
                var (title, body) = ReviewPullRequests.Apply(campaign, batch, scope, changed, written.Commits[0].Commit);
                if (ReviewPullRequests.Open(forge, written, title, body, out var failed) is { } pr)
                {
                    foreach (var id in result.Changed.Keys) { pullRequests[id] = (forge.Reference(pr), pr.Url); }
                }
                else
                {
                    skipped.Add(Diagnostic.Warning(DiagnosticCodes.ReviewPullRequestFailed,
                        $"{noun} `{scope}`: branch `{written.Branch}` is pushed to `{written.PushedTo}` but the {forge.Noun} "
                        + $"was not opened ({failed}): open it by hand"));
                }
            }
            foreach (var (id, reason) in result.NotFound)
            {
                notInIac[id] = reason;
                skipped.Add(Diagnostic.Warning(DiagnosticCodes.ReviewIacNotFound,
                    $"`{id}` is not changed in `{iac.Path}` ({reason}): it gets a change script, applied by hand"));
            }
        }
    }

    /// <summary>
    /// The last part of a batch's branch name: the AWS account as it is (as before Azure and GCP went through IaC), the
    /// provider and the subscription or project otherwise (`azure-SUBSCRIPTION`, `gcp-PROJECT`).
    /// </summary>
    private static string BranchLeaf(string provider, string scope)
    {
        if (provider == "aws") { return Slug(scope) is { Length: > 0 } s ? s : "account"; }
        var last = scope.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return $"{provider}-{Slug(last)}";
    }

    /// <summary>
    /// Checks every applied identity after a re-import: <paramref name="reductions"/> (the reductions tracking over the
    /// snapshots since the change) says whether the new policy is in place; the logs since the change must show no
    /// access denied for a removed permission. In place and no such denial: verified. A denial (or permissions granted
    /// again): failed, to roll back. Not yet in place: stays applied.
    /// </summary>
    public ReviewResult<ReviewVerifyOutcome> Verify(string? campaignId, IReadOnlyList<ReductionStatus> reductions)
    {
        ArgumentNullException.ThrowIfNull(reductions);
        var data = Load(campaignId, out var error);
        if (data is null) { return new(null, [error!]); }
        var now = clock.GetUtcNow();
        var writer = new UpdateWriter(store, data.Campaign.Id, now);
        var results = ImmutableArray.CreateBuilder<ReviewVerification>();
        foreach (var item in data.Items.Where(i => i.State == ReviewNames.Of(ReviewState.Applied)))
        {
            var entry = ReviewEntry.FromJson(item.Candidate);
            var change = JsonSerializer.Deserialize<ReviewChange>(item.Change!, ReviewEntry.Json)!;
            var removed = entry.Candidate.Removed.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var denied = store.LoadDeniedAttempts(item.Provider, item.Identity, change.AppliedAt).Where(d => removed.Contains(d.Action)).ToList();
            var tracked = reductions.Where(r => r.Reduction.Identity == item.Identity && r.Reduction.Location == change.Location)
                .OrderByDescending(r => r.Reduction.DeliveredAt).FirstOrDefault();
            ReviewAction? action = null;
            string reason;
            if (denied.Count > 0)
            {
                action = ReviewAction.Fail;
                reason = "access denied after the change for removed permission(s) " +
                    string.Join(", ", denied.Select(d => $"{d.Action} ({d.Count}× {d.ErrorCode}, last {Stamp(d.LastSeen)})")) + ": roll it back";
            }
            else if (tracked?.State == ReductionState.Regrown)
            {
                action = ReviewAction.Fail;
                reason = $"removed permissions are granted again: {string.Join(", ", tracked.Regrown.Select(r => r.Action).Take(5))}";
            }
            else if (tracked?.State == ReductionState.Applied)
            {
                action = ReviewAction.Verify;
                reason = $"new policy in place since {(tracked.AppliedAt is { } at ? Stamp(at) : "the latest import")}; no access denied for removed permissions";
            }
            else
            {
                reason = tracked is null
                    ? "no import since the change: import the estate again, then verify"
                    : $"not in place yet: {tracked.StillGranted.Length} removed permission(s) still granted in the latest import";
            }
            if (action is { } a) { writer.Transition(item, new ReviewRequest(a, System, now), null, null, reason); }
            results.Add(new ReviewVerification(item.Identity, item.Name, action is { } done ? ReviewStateMachine.To(done) : ReviewState.Applied, reason));
        }
        writer.Commit();
        return new(new ReviewVerifyOutcome(results.ToImmutable()), []);
    }

    /// <summary>
    /// Rolls an applied, verified or failed identity back: records the decision and returns its rollback script, or
    /// for a change through the IaC repository a revert branch (`ciem/review/CAMPAIGN/rollback/NAME-TIME`) that takes
    /// this identity's change back out of the base branch's files (<paramref name="iac"/> is then required).
    /// </summary>
    public ReviewResult<ReviewRollbackOutcome> Rollback(
        string? campaignId, string identity, string by, string reason, ReviewIacRepository? iac = null)
    {
        var data = Load(campaignId, out var error);
        if (data is null) { return new(null, [error!]); }
        var item = FindItem(data, identity, out error);
        if (item is null) { return new(null, [error!]); }
        var now = clock.GetUtcNow();
        var batch = data.Batches.Single(b => b.Number == item.Batch);
        var decided = ReviewStateMachine.Decide(Context(item, batch, Config(data)), new ReviewRequest(ReviewAction.Rollback, by, now), item.Name);
        if (!decided.Allowed) { return new(null, [decided.Error!]); }
        var change = JsonSerializer.Deserialize<ReviewChange>(item.Change!, ReviewEntry.Json)!;
        var revert = change.RollbackScript ?? change.Location;
        string? branch = null;
        string? pullRequest = null;
        var warnings = ImmutableArray.CreateBuilder<Diagnostic>();
        if (change.Channel is ReviewChange.BranchChannel or ReviewChange.PullRequestChannel)
        {
            if (iac is null && !TryConfiguredIac(data, out iac, out var iacError)) { return new(null, [iacError!]); }
            if (iac is null)
            {
                return Refused<ReviewRollbackOutcome>(DiagnosticCodes.ReviewIacNeeded,
                    $"`{item.Name}` was applied through the IaC repository (branch `{change.Location}`): give `--iac-repo` to make the revert branch");
            }
            var name = $"ciem/review/{Slug(data.Campaign.Id)}/rollback/{Slug(item.Name)}-{now:yyyyMMddHHmmss}";
            IacBranchWrite? written;
            try
            {
                var message = CommitText.Line($"ciem review: roll back {item.Name} (campaign {data.Campaign.Id})") + "\n\n"
                    + CommitText.Line(reason) + "\n";
                written = iac.Revert(name, message, change.Texts);
            }
            catch (InvalidOperationException e)
            {
                return Refused<ReviewRollbackOutcome>(DiagnosticCodes.ReviewIacFailed, $"no revert branch for `{item.Name}`: {e.Message}");
            }
            if (written is null)
            {
                revert = $"close the pull request of branch `{change.Location}`: `{iac.BaseBranch}` in {iac.Path} still holds the previous policy";
            }
            else
            {
                branch = name;
                var commit = written.Commits[0].Commit;
                var where = written.PushedTo is null ? $"in {iac.Path}" : $"pushed to `{written.PushedTo}`";
                revert = $"revert branch `{name}` commit {commit[..12]} {where}: merge it through a pull request";
                if (iac.Forge?.Delivery is { } forge && written.PushedTo is not null)
                {
                    var (title, body) = ReviewPullRequests.Rollback(data.Campaign.Id, item.Name, item.Identity, change.Location, reason, by);
                    if (ReviewPullRequests.Open(forge, written, title, body, out var failed) is { } pr)
                    {
                        pullRequest = pr.Url;
                        revert = $"revert pull request {forge.Reference(pr)} {pr.Url} from branch `{name}` commit {commit[..12]}: merge it";
                    }
                    else
                    {
                        warnings.Add(Diagnostic.Warning(DiagnosticCodes.ReviewPullRequestFailed,
                            $"branch `{name}` is pushed to `{written.PushedTo}` but the revert {forge.Noun} was not opened ({failed}): open it by hand"));
                    }
                }
            }
        }
        var writer = new UpdateWriter(store, data.Campaign.Id, now);
        writer.Transition(item, new ReviewRequest(ReviewAction.Rollback, by, now), decided, null, $"{reason}; revert with {revert}");
        writer.Commit();
        var status = ToStatus(store.LoadCampaign(data.Campaign.Id)!).Batches.SelectMany(b => b.Items).Single(i => i.Identity == item.Identity);
        return new(new ReviewRollbackOutcome(status, revert) { Branch = branch, PullRequest = pullRequest, Warnings = warnings.ToImmutable() }, []);
    }

    private static void Write(string folder, string name, string content, List<string> files)
    {
        // Document names come from our own proposal writers, but stay inside the folder whatever they hold.
        var path = Path.Combine(folder, Path.GetFileName(name));
        OwnerOnly.WriteAllText(path, content);
        if (name.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly.FolderMode);
        }
        files.Add(path);
    }
}
