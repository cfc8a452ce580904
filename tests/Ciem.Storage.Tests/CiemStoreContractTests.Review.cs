using System.Collections.Immutable;
using Ciem.Core.Review;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>The review programme's tables and the append-only, hash-chained decision log.</summary>
public abstract partial class CiemStoreContractTests
{
    private static readonly DateTimeOffset ReviewT0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Runs one SQL statement outside the store (to try what the store never does).</summary>
    protected abstract void ExecuteSql(string sql);

    private static ReviewItemRecord Item(string identity, string state, int batch = 1) =>
        new("q4", identity, batch, "aws", identity.Split('/')[^1], "111111111111", state, "team-a@example.test", "tag", "tag `owner`",
            "sha-" + identity.Length, """{"removed":["s3:DeleteBucket"]}""", null, ReviewT0);

    private static (ReviewCampaignRecord, ReviewUpdate) Planned()
    {
        var plan = DecisionLog.Next(null, "q4", ReviewT0, "ciem", "plan", "campaign", null, "planned", "2 identities in 1 batch", null);
        return (new ReviewCampaignRecord("q4", "Q4 review", ReviewT0, ReviewT0.AddHours(-1), "{}", """{"excluded":[]}"""),
            new ReviewUpdate("q4", [new ReviewBatchRecord("q4", 1, "service-nonprod", ReviewT0, null, null)],
                [Item("role/a", "planned"), Item("role/b", "planned")], [], [plan]));
    }

    [StoreFact]
    public void CreateCampaign_RoundTrips_EveryTable()
    {
        // Given a planned campaign, then a notice and an objection with an exception
        using (var store = OpenStore())
        {
            var (campaign, initial) = Planned();
            store.CreateCampaign(campaign, initial);
            var log = store.LoadDecisions("q4");
            var notice = DecisionLog.Next(log[^1], "q4", ReviewT0.AddDays(1), "ciem", "notice", "role/a", "planned", "noticed", "batch 1", "sha-6");
            var objection = DecisionLog.Next(notice, "q4", ReviewT0.AddDays(2), "team-a@example.test", "object", "role/a", "noticed", "objected",
                "quarterly job", "sha-6");
            store.UpdateReview(new ReviewUpdate("q4",
                [new ReviewBatchRecord("q4", 1, "service-nonprod", ReviewT0, ReviewT0.AddDays(1), ReviewT0.AddDays(8))],
                [Item("role/a", "objected") with { UpdatedAt = ReviewT0.AddDays(2) }, Item("role/b", "noticed")],
                [new ReviewExceptionRecord(0, "q4", "role/a", ["s3:DeleteBucket"], "quarterly job", ReviewT0.AddDays(90), "team-a@example.test", ReviewT0.AddDays(2))],
                [notice, objection]));
        }

        // When it is read back through a fresh connection
        using var reopened = OpenStore();
        var data = reopened.LoadCampaign("q4")!;
        var decisions = reopened.LoadDecisions("q4");

        // Then every field round-trips and the chain verifies
        Assert.Equal("Q4 review", Assert.Single(reopened.ListCampaigns()).Name);
        Assert.Equal(ReviewT0.AddDays(8), Assert.Single(data.Batches).Deadline);
        Assert.Equal(["objected", "noticed"], data.Items.Select(i => i.State));
        Assert.Equal(Item("role/b", "noticed"), data.Items[1]);
        var exception = Assert.Single(data.Exceptions);
        Assert.Equal(["s3:DeleteBucket"], exception.Actions.ToArray());
        Assert.Equal(ReviewT0.AddDays(90), exception.Until);
        Assert.Equal(["plan", "notice", "object"], decisions.Select(d => d.Action));
        Assert.Empty(DecisionLog.Verify(decisions));
        Assert.Null(reopened.LoadCampaign("q5"));
    }

    [StoreFact]
    public void LoadCampaignOutline_ThenCandidatesOfSome_ItemsWithoutProposalsAndOnlyThoseAsked()
    {
        // Given a planned campaign of role/a and role/b
        using var store = OpenStore();
        var (campaign, initial) = Planned();
        store.CreateCampaign(campaign, initial);

        // When its outline is read, then the proposals of role/b and of an identity not in it
        var outline = store.LoadCampaignOutline("q4")!;
        var candidates = store.LoadCandidates("q4", ["role/b", "role/missing", "role/b"]);

        // Then the outline is the campaign with every field but the proposals, and only role/b's proposal comes back
        Assert.Equal(["role/a", "role/b"], outline.Items.Select(i => i.Identity));
        Assert.Equal(Item("role/b", "planned") with { Candidate = "" }, outline.Items[1]);
        Assert.Equal("Q4 review", outline.Campaign.Name);
        Assert.Equal("""{"removed":["s3:DeleteBucket"]}""", Assert.Single(candidates, c => c.Key == "role/b").Value);
        Assert.Single(candidates);
        Assert.Empty(store.LoadCandidates("q5", ["role/a"]));
        Assert.Null(store.LoadCampaignOutline("q5"));
    }

    [StoreFact]
    public void UpdateReview_SequenceTakenByAnotherWriter_NothingWritten()
    {
        // Given a campaign whose log has row 1
        using var store = OpenStore();
        var (campaign, initial) = Planned();
        store.CreateCampaign(campaign, initial);
        var first = store.LoadDecisions("q4")[0];

        // When an update carries an item change and a decision numbered 1 again (another run wrote it first)
        var fork = DecisionLog.Next(null, "q4", ReviewT0, "someone", "approve", "role/a", "planned", "approved", "fork", null);
        Assert.ThrowsAny<Exception>(() => store.UpdateReview(new ReviewUpdate("q4", [], [Item("role/a", "approved")], [], [fork])));

        // Then neither the item nor the decision was written
        Assert.Equal("planned", store.LoadCampaign("q4")!.Items[0].State);
        Assert.Equal([first], store.LoadDecisions("q4").ToArray());
    }

    [StoreFact]
    public void DecisionLog_UpdateOrDeleteInDatabase_Refused()
    {
        // Given a stored decision
        using (var store = OpenStore())
        {
            var (campaign, initial) = Planned();
            store.CreateCampaign(campaign, initial);
        }

        // When someone edits or deletes it with SQL
        var edit = Record.Exception(() => ExecuteSql("UPDATE review_decision SET reason = 'edited'"));
        var delete = Record.Exception(() => ExecuteSql("DELETE FROM review_decision"));

        // Then the database refuses both and the row is as written
        Assert.Contains("append-only", edit?.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete?.Message, StringComparison.Ordinal);
        using var reopened = OpenStore();
        Assert.Equal("2 identities in 1 batch", Assert.Single(reopened.LoadDecisions("q4")).Reason);
    }
}
