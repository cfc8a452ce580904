using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;
using Ciem.Storage;
using Microsoft.Data.Sqlite;

namespace Ciem.App.Tests.Review;

public sealed class ReviewProgrammeTests
{
    private static ReviewCampaignStatus Planned(ReviewFixture f, ReviewConfig? config = null) =>
        f.Programme.Plan(ReviewFixture.Estate(), ReviewSettings.Default with { Config = config ?? new ReviewConfig { BatchSize = 2 } },
            ReviewFixture.T0.AddHours(-1), "q4").Value!;

    [Fact]
    public void Plan_ThreeProviders_BatchesInOrderAndSetAsideListed()
    {
        // Given AWS, Azure and GCP entries, a person, an unowned role and an unverified one
        using var f = new ReviewFixture();

        // When a campaign is planned with batches of two
        var status = Planned(f);

        // Then service identities outside production come first, the person last, and the rest is listed apart
        Assert.Equal(["service-nonprod", "service-prod-low-impact", "human"], status.Batches.Select(b => b.Stage));
        Assert.Equal(["arn:aws:iam::111111111111:role/etl", "sp-web"], status.Batches[0].Items.Select(i => i.Identity));
        Assert.Equal("serviceAccount:etl@proj.iam.gserviceaccount.com", Assert.Single(status.Batches[1].Items).Identity);
        Assert.Equal(("carol", "self"), (status.Batches[2].Items[0].Owner, status.Batches[2].Items[0].OwnerSource));
        Assert.Equal("arn:aws:iam::111111111111:role/orphan", Assert.Single(status.SetAside.AdminQueue).Identity);
        Assert.Equal("replay denies `s3:GetObject`", Assert.Single(status.SetAside.Unverified).Reason);
        var log = f.Programme.Log("q4").Value!;
        Assert.Equal("plan", Assert.Single(log.Rows).Action);
        Assert.True(log.Intact);

        // And planning the same campaign again is refused without a change
        var again = f.Programme.Plan(ReviewFixture.Estate(), ReviewSettings.Default, ReviewFixture.T0, "q4");
        Assert.False(again.Ok);
        Assert.Single(f.Programme.Log("q4").Value!.Rows);
    }

    [Fact]
    public async Task NotifyAsync_RunTwice_OneNoticePerOwnerPerBatchOnce()
    {
        // Given a planned campaign (batch 2 due a week later)
        using var f = new ReviewFixture();
        Planned(f);

        // When notices are sent, then sent again
        var first = (await f.Programme.NotifyAsync("q4", f.Outbox())).Value!;
        var second = (await f.Programme.NotifyAsync("q4", f.Outbox())).Value!;

        // Then batch 1 is noticed once: one notice per owner plus the admin queue, none sent twice
        Assert.Equal([1], first.NoticedBatches.ToArray());
        Assert.Equal(3, first.Deliveries.Sent);
        Assert.Empty(second.NoticedBatches);
        Assert.Equal(0, second.Deliveries.Sent);
        Assert.Equal(3, second.Deliveries.AlreadySent);
        var emls = Directory.GetFiles(f.Temp.Sub("outbox"), "*.eml");
        Assert.Equal(3, emls.Length);
        var status = f.Programme.Status("q4").Value!;
        Assert.All(status.Batches[0].Items, i => Assert.Equal(ReviewState.Noticed, i.State));
        Assert.Equal(ReviewFixture.T0.AddDays(7), status.Batches[0].Deadline);
        Assert.All(status.Batches[1].Items, i => Assert.Equal(ReviewState.Planned, i.State));

        // When a week passes
        f.Clock.Now = ReviewFixture.T0.AddDays(7);
        var later = (await f.Programme.NotifyAsync("q4", f.Outbox())).Value!;

        // Then batch 2 is noticed
        Assert.Equal([2], later.NoticedBatches.ToArray());
        var text = await File.ReadAllTextAsync(Directory.GetFiles(f.Temp.Sub("outbox"), "review-notice-*.json").First());
        Assert.Contains("Deadline", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_BatchNotYetDue_LocatedErrorNothingChanged()
    {
        // Given a planned campaign
        using var f = new ReviewFixture();
        Planned(f);

        // When batch 2 is noticed before its day, and an unknown batch is asked for
        var early = await f.Programme.NotifyAsync("q4", f.Outbox(), batch: 2);
        var unknown = await f.Programme.NotifyAsync("q4", f.Outbox(), batch: 9);

        // Then both are refused with their codes and only the plan is in the log
        Assert.Equal(DiagnosticCodes.ReviewNotBefore, Assert.Single(early.Diagnostics).Code);
        Assert.Equal(DiagnosticCodes.ReviewUnknownBatch, Assert.Single(unknown.Diagnostics).Code);
        Assert.Equal("no batch 9 in campaign `q4` (batches 1 to 3)", unknown.Diagnostics[0].Message);
        Assert.Single(f.Programme.Log("q4").Value!.Rows);
    }

    [Fact]
    public async Task Object_KeepsPermissionAsExceptionAndReverifies()
    {
        // Given a noticed batch
        using var f = new ReviewFixture();
        Planned(f);
        await f.Programme.NotifyAsync("q4", f.Outbox());
        f.Clock.Now = ReviewFixture.T0.AddDays(2);

        // When the owner objects to keep a quarterly job's permission, by pattern
        var result = f.Programme.Object("q4", "etl", ["sqs:Delete*"], "quarterly purge job", ReviewFixture.T0.AddDays(120),
            "team-a@example.test", ReviewFixture.Reverify);

        // Then the item is objected, keeps the permission in its new proposal, and the exception is stored
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        Assert.Equal(ReviewState.Objected, result.Value!.State);
        Assert.Equal(2, result.Value.Removed);
        var status = f.Programme.Status("q4").Value!;
        var exception = Assert.Single(status.Exceptions);
        Assert.Equal(["sqs:DeleteQueue"], exception.Actions.ToArray());
        Assert.Equal(ReviewFixture.T0.AddDays(120), exception.Until);
        Assert.NotEqual(ReviewFixture.Entry("arn:aws:iam::111111111111:role/etl").Candidate.ProposalHash, result.Value.ProposalHash);
        var last = f.Programme.Log("q4").Value!.Rows[^1];
        Assert.Equal(("object", "noticed", "objected", "team-a@example.test"), (last.Action, last.FromState, last.ToState, last.Actor));
    }

    [Fact]
    public async Task Object_PermissionNotHeldOrAfterDeadline_RefusedNothingRecorded()
    {
        // Given a noticed batch
        using var f = new ReviewFixture();
        Planned(f);
        await f.Programme.NotifyAsync("q4", f.Outbox());
        var rows = f.Programme.Log("q4").Value!.Rows.Length;

        // When an objection names a permission the identity does not hold (a near miss of one it holds)
        var notHeld = f.Programme.Object("q4", "etl", ["s3:DeleteBuckets"], "job", null, "o", ReviewFixture.Reverify);
        // And an objection comes a minute after the deadline, and one names an unknown identity
        f.Clock.Now = ReviewFixture.T0.AddDays(7).AddMinutes(1);
        var late = f.Programme.Object("q4", "etl", ["s3:DeleteBucket"], "job", null, "o", ReviewFixture.Reverify);
        var unknown = f.Programme.Object("q4", "role/nope", ["s3:DeleteBucket"], "job", null, "o", ReviewFixture.Reverify);

        // Then each is refused with its code and nothing is recorded
        Assert.Equal(DiagnosticCodes.ReviewPermissionNotHeld, Assert.Single(notHeld.Diagnostics).Code);
        Assert.StartsWith("`s3:DeleteBuckets` is not a permission `etl` holds", notHeld.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticCodes.ReviewObjectionAfterDeadline, Assert.Single(late.Diagnostics).Code);
        Assert.Equal(DiagnosticCodes.ReviewUnknownIdentity, Assert.Single(unknown.Diagnostics).Code);
        Assert.Equal(rows, f.Programme.Log("q4").Value!.Rows.Length);
        Assert.Empty(f.Programme.Status("q4").Value!.Exceptions);
    }

    [Fact]
    public async Task Approve_BeforeDeadlineOnlyOwner_AfterDeadlineAnyone_FourEyesNotOwner()
    {
        // Given a noticed batch with four-eyes on
        using var f = new ReviewFixture();
        Planned(f, new ReviewConfig { BatchSize = 2, FourEyes = true });
        await f.Programme.NotifyAsync("q4", f.Outbox());

        // When an admin approves the batch before its deadline
        var early = f.Programme.Approve("q4", "1", "admin@example.test");

        // Then it is refused for each item
        Assert.False(early.Ok);
        Assert.All(early.Diagnostics, d => Assert.Equal(DiagnosticCodes.ReviewBeforeDeadline, d.Code));

        // When, after the deadline, the owner of one identity approves it, then the admin approves the batch
        f.Clock.Now = ReviewFixture.T0.AddDays(8);
        var owner = f.Programme.Approve("q4", "etl", "team-a@example.test");
        var admin = f.Programme.Approve("q4", "1", "admin@example.test");

        // Then the owner is refused by the four-eyes rule and the admin approves both
        Assert.Equal(DiagnosticCodes.ReviewFourEyes, Assert.Single(owner.Diagnostics).Code);
        Assert.Equal(2, admin.Value!.Approved.Length);
        Assert.All(f.Programme.Status("q4").Value!.Batches[0].Items, i => Assert.Equal(ReviewState.Approved, i.State));
        Assert.Equal(DiagnosticCodes.ReviewUnknownBatch, Assert.Single(f.Programme.Approve("q4", "7", "admin@example.test").Diagnostics).Code);
    }

    [Fact]
    public async Task Approve_OwnerEarlyWithoutFourEyes_Allowed()
    {
        // Given a noticed batch without four-eyes
        using var f = new ReviewFixture();
        Planned(f);
        await f.Programme.NotifyAsync("q4", f.Outbox());

        // When the owner approves their identity a day in
        f.Clock.Now = ReviewFixture.T0.AddDays(1);
        var result = f.Programme.Approve("q4", "sp-web", "team-b@example.test");

        // Then it is approved and the log says so
        Assert.Equal(["sp-web"], result.Value!.Approved.ToArray());
        Assert.Equal("approved by the owner before the deadline", f.Programme.Log("q4").Value!.Rows[^1].Reason);
    }

    [Fact]
    public async Task NotifyAsync_PastExpiry_ExpiresUnapprovedItems()
    {
        // Given a noticed batch nobody approves
        using var f = new ReviewFixture();
        Planned(f);
        await f.Programme.NotifyAsync("q4", f.Outbox());

        // When notify runs 38 days later (deadline 7 + 30 expiry days passed)
        f.Clock.Now = ReviewFixture.T0.AddDays(38);
        var outcome = (await f.Programme.NotifyAsync("q4", f.Outbox())).Value!;

        // Then batch 1's items expire
        Assert.Equal(2, outcome.Expired.Length);
        Assert.All(f.Programme.Status("q4").Value!.Batches[0].Items, i => Assert.Equal(ReviewState.Expired, i.State));
    }

    [Fact]
    public async Task Log_RowEditedInDatabase_VerificationFindsIt()
    {
        // Given a campaign with a few decisions
        using var f = new ReviewFixture();
        Planned(f);
        await f.Programme.NotifyAsync("q4", f.Outbox());
        Assert.True(f.Programme.Log("q4").Value!.Intact);

        // When someone drops the guard trigger and edits a decision's actor in the database
        using (var connection = new SqliteConnection($"Data Source={f.DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER review_decision_no_update; UPDATE review_decision SET actor = 'mallory' WHERE seq = 2";
            command.ExecuteNonQuery();
        }

        // Then the log no longer verifies, at row 2
        var log = f.Programme.Log("q4").Value!;
        Assert.False(log.Intact);
        Assert.Equal(2, Assert.Single(log.Breaks).Sequence);
    }

    [Fact]
    public void Status_StoredItems_CountsAreTheEntrysAndTheChangeComesWithoutItsTexts()
    {
        // Given a planned campaign (AWS removing 3 permissions, Azure 1, GCP 2), and an item whose stored change holds the
        // file texts its rollback needs, as an apply through the IaC repository stores them
        using var f = new ReviewFixture();
        Planned(f);
        var stored = f.Store.LoadCampaign("q4")!;
        var etl = stored.Items.Single(i => i.Name == "etl" && i.Provider == "aws");
        const string File = "accounts/111111111111/etl.tf";
        var change = new ReviewChange(ReviewChange.BranchChannel, "ciem/review/q4/batch-1/111111111111", "0123456789abcdef", null,
            [File], null, ReviewFixture.T0) { Texts = [new ReviewFileText(File, "before", "after")] };
        var json = System.Text.Json.JsonSerializer.Serialize(change, ReviewEntry.Json);
        f.Store.UpdateReview(new ReviewUpdate("q4", [], [etl with { Change = json }], [], []));

        // When the status is read
        var items = f.Programme.Status("q4").Value!.Batches.SelectMany(b => b.Items).ToList();

        // Then each item's counts are those of its stored entry, and the change is as stored but for the texts
        Assert.Equal(stored.Items.Length, items.Count);
        foreach (var record in stored.Items)
        {
            var entry = ReviewEntry.FromJson(record.Candidate).Candidate;
            var item = items.Single(i => i.Identity == record.Identity);
            Assert.Equal((entry.GrantedBefore, entry.GrantedAfter, entry.Removed.Length),
                (item.GrantedBefore, item.GrantedAfter, item.Removed));
        }
        int Removed(string provider) => items.First(i => i.Provider == provider).Removed;
        Assert.Equal((3, 1, 2), (Removed("aws"), Removed("azure"), Removed("gcp")));
        var shown = items.Single(i => i.Identity == etl.Identity).Change!;
        Assert.Empty(shown.Texts);
        Assert.Equal(change with { Texts = [] }, shown with { Files = change.Files, Texts = [] });
        Assert.Equal(change.Files.ToArray(), shown.Files.ToArray());
    }

    [Fact]
    public void EntryReader_KnownUnknownIdentityAndCampaign_TheStoredEntryOrNull()
    {
        // Given a planned campaign
        using var f = new ReviewFixture();
        Planned(f);
        var stored = f.Store.LoadCampaign("q4")!.Items.Single(i => i.Name == "sp-web");

        // When entries are read by identity, in the campaign and in none
        var read = f.Programme.EntryReader("q4");
        var none = f.Programme.EntryReader("q5");

        // Then an identity of the campaign gets its stored entry, each time anew; another identity or campaign gets none
        var entry = read("sp-web")!;
        Assert.Equal(stored.Candidate, entry.ToJson());
        Assert.Equal(["Microsoft.Compute/virtualMachines/delete"], entry.Candidate.Removed.ToArray());
        Assert.NotSame(entry, read("sp-web"));
        Assert.Null(read("arn:aws:iam::111111111111:role/etl-2"));
        Assert.Null(read("SP-WEB"));
        Assert.Null(none("sp-web"));
    }
}
