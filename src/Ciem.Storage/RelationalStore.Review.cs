using System.Collections.Immutable;
using System.Data.Common;
using Ciem.Core.Review;

namespace Ciem.Storage;

/// <summary>The review programme's campaigns, batches, items, exceptions and hash-chained decision log (migration 11 / 2).</summary>
public abstract partial class RelationalStore
{
    private const string ReviewItemColumns =
        "campaign, identity, batch, provider, name, scope, state, owner, owner_source, owner_evidence, proposal_hash, "
            + "candidate, change, updated_at";

    private const string ReviewDecisionColumns =
        "campaign, seq, at, actor, action, subject, from_state, to_state, reason, proposal_hash, previous_hash, hash";

    public void CreateCampaign(ReviewCampaignRecord campaign, ReviewUpdate initial)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(initial);
        using var write = Writing();
        using (var insert = Command(write.Transaction,
            "INSERT INTO review_campaign (id, name, planned_at, sweep_as_of, config, set_aside) VALUES (@id, @name, "
                + "@planned, @asOf, @config, @aside)",
            ("@id", campaign.Id), ("@name", campaign.Name), ("@planned", FormatDate(campaign.PlannedAt)),
            ("@asOf", FormatDate(campaign.SweepAsOf)), ("@config", campaign.Config), ("@aside", campaign.SetAside)))
        {
            insert.ExecuteNonQuery();
        }
        WriteReviewUpdate(write.Transaction, initial);
        write.Commit();
    }

    public void UpdateReview(ReviewUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        using var write = Writing();
        WriteReviewUpdate(write.Transaction, update);
        write.Commit();
    }

    public ImmutableArray<ReviewCampaignRecord> ListCampaigns()
    {
        using var read = Reading();
        using var command = Command(null,
            "SELECT id, name, planned_at, sweep_as_of, config, set_aside FROM review_campaign ORDER BY planned_at, id");
        using var r = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<ReviewCampaignRecord>();
        while (r.Read()) { result.Add(CampaignRow(r)); }
        return result.ToImmutable();
    }

    public ReviewCampaignData? LoadCampaign(string id) => LoadCampaign(id, ReviewItemColumns);

    public ReviewCampaignData? LoadCampaignOutline(string id) =>
        LoadCampaign(id, ReviewItemColumns.Replace("candidate,", "'' AS candidate,", StringComparison.Ordinal));

    public ImmutableDictionary<string, string> LoadCandidates(string campaign, IReadOnlyCollection<string> identities)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(identities);
        var found = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        using var read = Reading();
        // A few hundred at most (a page of the queue): one statement per chunk of 100 parameters.
        foreach (var chunk in identities.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var names = chunk.Select((_, i) => $"@i{i}").ToList();
            using var command = Command(null,
                $"SELECT identity, candidate FROM review_item WHERE campaign = @c AND identity IN ({string.Join(", ", names)})",
                [("@c", campaign), .. chunk.Select((identity, i) => (names[i], (object?)identity))]);
            using var r = command.ExecuteReader();
            while (r.Read()) { found[r.GetString(0)] = r.GetString(1); }
        }
        return found.ToImmutable();
    }

    private ReviewCampaignData? LoadCampaign(string id, string itemColumns)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var read = Reading();
        ReviewCampaignRecord campaign;
        using (var command = Command(null,
            "SELECT id, name, planned_at, sweep_as_of, config, set_aside FROM review_campaign WHERE id = @id", ("@id", id)))
        using (var r = command.ExecuteReader())
        {
            if (!r.Read()) { return null; }
            campaign = CampaignRow(r);
        }
        var batches = ImmutableArray.CreateBuilder<ReviewBatchRecord>();
        using (var command = Command(null,
            "SELECT campaign, number, stage, not_before, noticed_at, deadline FROM review_batch WHERE campaign = @id ORDER BY number",
            ("@id", id)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read()) { batches.Add(new(r.GetString(0), Int(r, 1), r.GetString(2), ParseDate(r.GetString(3)),
                Date(r, 4), Date(r, 5))); }
        }
        var items = ImmutableArray.CreateBuilder<ReviewItemRecord>();
        using (var command = Command(null,
            $"SELECT {itemColumns} FROM review_item WHERE campaign = @id ORDER BY batch, provider, scope, name, identity",
            ("@id", id)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                items.Add(new(r.GetString(0), r.GetString(1), Int(r, 2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                    r.GetString(7), r.GetString(8), r.GetString(9), r.GetString(10), r.GetString(11), Text(r, 12),
                        ParseDate(r.GetString(13))));
            }
        }
        var exceptions = ImmutableArray.CreateBuilder<ReviewExceptionRecord>();
        using (var command = Command(null,
            "SELECT id, campaign, identity, actions, reason, until, by, at FROM review_exception WHERE campaign = @id ORDER BY id",
            ("@id", id)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                exceptions.Add(new(r.GetInt64(0), r.GetString(1), r.GetString(2),
                    FromJson<ImmutableArray<string>>(r.GetString(3)), r.GetString(4),
                    Date(r, 5), r.GetString(6), ParseDate(r.GetString(7))));
            }
        }
        return new ReviewCampaignData(campaign, batches.ToImmutable(), items.ToImmutable(), exceptions.ToImmutable());
    }

    public ImmutableArray<DecisionRecord> LoadDecisions(string campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        using var read = Reading();
        using var command = Command(null, $"SELECT {ReviewDecisionColumns} FROM review_decision WHERE campaign = @c ORDER BY seq",
            ("@c", campaign));
        using var r = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<DecisionRecord>();
        while (r.Read())
        {
            result.Add(new DecisionRecord(r.GetInt64(1), r.GetString(0), ParseDate(r.GetString(2)), r.GetString(3),
                r.GetString(4), r.GetString(5),
                Text(r, 6), Text(r, 7), r.GetString(8), Text(r, 9), r.GetString(10), r.GetString(11)));
        }
        return result.ToImmutable();
    }

    public ImmutableArray<DeniedAttempt> LoadDeniedAttempts(string provider, string identity, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(identity);
        using var read = Reading();
        using var command = Command(null, """
            SELECT action, min(error_code), CAST(sum(count) AS BIGINT), max(last_seen_ms) FROM attempt_daily
            WHERE provider = @p AND identity = @i AND last_seen_ms >= @since GROUP BY action ORDER BY action
            """, ("@p", provider), ("@i", identity), ("@since", since.ToUnixTimeMilliseconds()));
        using var r = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<DeniedAttempt>();
        while (r.Read()) { result.Add(new(r.GetString(0), r.GetString(1), r.GetInt64(2),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)))); }
        return result.ToImmutable();
    }

    private void WriteReviewUpdate(DbTransaction transaction, ReviewUpdate update)
    {
        foreach (var b in update.Batches)
        {
            using var upsert = Command(transaction, """
                INSERT INTO review_batch (campaign, number, stage, not_before, noticed_at, deadline) VALUES (@c, @n, @s, @nb, @na, @d)
                ON CONFLICT (campaign, number) DO UPDATE SET stage = excluded.stage, not_before = excluded.not_before,
                    noticed_at = excluded.noticed_at, deadline = excluded.deadline
                """,
                ("@c", b.Campaign), ("@n", (long)b.Number), ("@s", b.Stage), ("@nb", FormatDate(b.NotBefore)),
                    ("@na", FormatDate(b.NoticedAt)),
                ("@d", FormatDate(b.Deadline)));
            upsert.ExecuteNonQuery();
        }
        var itemParameters = string.Join(", ", ReviewItemColumns.Split(", ").Select((_, i) => $"@p{i}"));
        foreach (var i in update.Items)
        {
            object?[] values = [i.Campaign, i.Identity, (long)i.Batch, i.Provider, i.Name, i.Scope, i.State, i.Owner, i.OwnerSource,
                i.OwnerEvidence,
                i.ProposalHash, i.Candidate, i.Change, FormatDate(i.UpdatedAt)];
            using var upsert = Command(transaction, $"""
                INSERT INTO review_item ({ReviewItemColumns}) VALUES ({itemParameters})
                ON CONFLICT (campaign, identity) DO UPDATE SET batch = excluded.batch, state = excluded.state, owner = excluded.owner,
                    owner_source = excluded.owner_source, owner_evidence = excluded.owner_evidence, proposal_hash = excluded.proposal_hash,
                    candidate = excluded.candidate, change = excluded.change, updated_at = excluded.updated_at
                """, [.. values.Select((v, n) => ($"@p{n}", v))]);
            upsert.ExecuteNonQuery();
        }
        foreach (var e in update.Exceptions)
        {
            using var insert = Command(transaction,
                "INSERT INTO review_exception (campaign, identity, actions, reason, until, by, at) VALUES (@c, @i, @a, @r, @u, @b, @at)",
                ("@c", e.Campaign), ("@i", e.Identity), ("@a", ToJson(e.Actions)), ("@r", e.Reason),
                    ("@u", FormatDate(e.Until)), ("@b", e.By),
                ("@at", FormatDate(e.At)));
            insert.ExecuteNonQuery();
        }
        var decisionParameters = string.Join(", ", ReviewDecisionColumns.Split(", ").Select((_, n) => $"@p{n}"));
        foreach (var d in update.Decisions)
        {
            object?[] values = [d.Campaign, d.Sequence, FormatDate(d.At), d.Actor, d.Action, d.Subject, d.FromState, d.ToState, d.Reason,
                d.ProposalHash, d.PreviousHash, d.Hash];
            using var insert = Command(transaction, $"INSERT INTO review_decision ({ReviewDecisionColumns}) VALUES ({decisionParameters})",
                [.. values.Select((v, n) => ($"@p{n}", v))]);
            insert.ExecuteNonQuery();
        }
    }

    private static ReviewCampaignRecord CampaignRow(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), ParseDate(r.GetString(2)), ParseDate(r.GetString(3)), r.GetString(4), r.GetString(5));
}
