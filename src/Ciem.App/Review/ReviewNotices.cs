using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Notify;
using Ciem.Core.Review;
using Ciem.Storage;
using MimeKit;

namespace Ciem.App.Review;

/// <summary>
/// The notices of a campaign: one per owner per noticed batch, listing each of the owner's identities with what will be
/// removed (the readable diff), the evidence, the confidence, the deadline and how to object; and one to the programme
/// admin for the identities set apart. Keys are stable (campaign, batch, owner), so a re-run never notifies twice.
/// </summary>
public static class ReviewNotices
{
    public const string NoticeTopic = "review-notice";
    public const string AdminTopic = "review-admin-queue";

    /// <summary>The notices, each made as it is enumerated: a batch's notices list thousands of permissions, sent one at a time.</summary>
    public static IEnumerable<Notification> Build(ReviewCampaignData data, ReviewConfig config)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        return Notices(data, config);
    }

    private static IEnumerable<Notification> Notices(ReviewCampaignData data, ReviewConfig config)
    {
        var id = data.Campaign.Id;
        foreach (var batch in data.Batches.Where(b => b.NoticedAt is not null && b.Deadline is not null))
        {
            foreach (var group in data.Items.Where(i => i.Batch == batch.Number).GroupBy(i => i.Owner, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                yield return Notice(id, batch, group.Key, [.. group]);
            }
        }
        var status = ReviewProgramme.ToStatus(data);
        var apart = status.SetAside.AdminQueue.Select(a => (List: "no owner", Item: a))
            .Concat(status.SetAside.Unverified.Select(a => (List: "unverified", Item: a))).ToList();
        if (apart.Count > 0)
        {
            yield return new Notification(
                $"review/{id}/admin-queue",
                AdminTopic,
                $"[ciem] {apart.Count} identities of campaign {id} need the programme admin",
                Address(config.ProgrammeAdmin),
                [new("Campaign", id), new("No owner", status.SetAside.AdminQueue.Length.ToString(CultureInfo.InvariantCulture)),
                 new("Unverified", status.SetAside.Unverified.Length.ToString(CultureInfo.InvariantCulture))],
                [
                    new ParagraphBlock("These identities are not in any batch. Give each an owner (an `owner` tag, CODEOWNERS, or a " +
                        "fallback owner in ciem-review.yml) or fix its proposal, then plan again."),
                    .. apart.GroupBy(a => a.List).Select(g => (NotificationBlock)new ListBlock(g.Key,
                        [.. g.Select(a => $"{a.Item.Provider} {a.Item.Name} ({a.Item.Scope}): {a.Item.Reason}")])),
                ]);
        }
    }

    private static Notification Notice(string campaign, ReviewBatchRecord batch, string owner, IReadOnlyList<ReviewItemRecord> items)
    {
        var deadline = ReviewProgramme.Stamp(batch.Deadline!.Value);
        var blocks = new List<NotificationBlock>
        {
            new ParagraphBlock($"The least-privilege review `{campaign}` will remove permissions these identities have not used. " +
                $"Nothing changes before {deadline}. To keep a permission, object before then; otherwise the change is approved " +
                "and applied through the infrastructure repository (or a reviewed script) and verified afterwards."),
        };
        foreach (var item in items)
        {
            var entry = ReviewEntry.FromJson(item.Candidate);
            var c = entry.Candidate;
            blocks.Add(new ListBlock(
                $"{c.Provider} {c.Name} in {c.Scope} ({c.Environment}): {c.GrantedBefore} → {c.GrantedAfter} permissions, confidence " +
                c.Confidence.ToString("0.00", CultureInfo.InvariantCulture),
                [$"id: {c.IdentityId}", $"owner from {item.OwnerSource}: {item.OwnerEvidence}", $"proposal {item.ProposalHash}",
                 .. c.SensitiveRemovals.Select(s => $"sensitive removal: {s}")]));
            blocks.Add(new PreformattedBlock($"What changes for {c.Name}",
                string.Join('\n', c.Removed.Select(r => "- " + r).Concat(c.Kept.Select(k => "  " + k)))));
            if (!entry.Evidence.IsEmpty) { blocks.Add(new ListBlock($"Evidence for {c.Name}", entry.Evidence)); }
            blocks.Add(new PreformattedBlock($"To object for {c.Name}",
                $"ciem review object {ShellWord(c.IdentityId)} --campaign {ShellWord(campaign)} --keep ACTION --reason TEXT [--until YYYY-MM-DD]"));
        }
        return new Notification(
            $"review/{campaign}/batch-{batch.Number}/{owner}",
            NoticeTopic,
            $"[ciem] unused permissions of {items.Count} identit{(items.Count == 1 ? "y" : "ies")} are removed after {batch.Deadline:yyyy-MM-dd} (batch {batch.Number})",
            Address(owner),
            [new("Campaign", campaign), new("Batch", batch.Number.ToString(CultureInfo.InvariantCulture)), new("Stage", batch.Stage),
             new("Owner", owner), new("Deadline", deadline), new("Identities", items.Count.ToString(CultureInfo.InvariantCulture))],
            [.. blocks]);
    }

    /// <summary>The owner as an e-mail recipient when it is an address (a team name or repository goes to webhooks and the outbox).</summary>
    private static ImmutableArray<string> Address(string owner) =>
        owner.Contains('@', StringComparison.Ordinal) && !owner.StartsWith('@') && MailboxAddress.TryParse(owner, out _) ? [owner] : [];

    /// <summary>A POSIX shell word: single-quoted, with embedded quotes closed, escaped and reopened.</summary>
    public static string ShellWord(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '@' or '=' or ',')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
