using System.Net;
using System.Text.Json;
using Ciem.Server.Data;
using Ciem.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Ciem.Server.Tests;

/// <summary>
/// What keeps the server fast on a large estate: the estates the identity pages evaluate are built once per store state
/// (warmed at start, shared by concurrent first requests, rebuilt after an import) and each page computes its one
/// identity; the review queue is paged in a stable order with its counts, in the page and in the API.
/// </summary>
public sealed class ServerSpeedTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Alice = "arn:aws:iam::111111111111:user/alice.admin";
    private static readonly string BobFinance = "arn:aws:iam::111111111111:user/bob.finance";

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "samples", "aws", name));

    [Fact]
    public async Task IdentityPages_EightConcurrentRequestsAfterAnImport_EstateBuiltOnceThenReused()
    {
        // Given the server's start-up warm-up done (one build), then an AWS export imported (a new store state)
        var estates = fixture.App.Services.GetRequiredService<EstateCache>();
        await fixture.App.Services.GetRequiredService<EstateWarmUp>().Finished;
        Assert.Equal(1, estates.Loads);
        using var admin = await fixture.SignedIn("admin");
        var csrf = await admin.CsrfAsync("/imports");
        using (var upload = await admin.PostFilesAsync("/imports/upload", new() { ["__csrf"] = csrf },
            ("authorization-details.json", Sample("authorization-details.json"))))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        // When eight users ask for the same identity at once, then one asks for another identity
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.SignedIn("reviewer")));
        var answers = await Task.WhenAll(clients.Select(async c =>
        {
            using var response = await c.GetAsync("/api/v1/identity?provider=aws&id=" + Uri.EscapeDataString(Alice));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        using var other = await clients[0].GetAsync("/api/v1/identity?provider=aws&id=" + Uri.EscapeDataString(BobFinance));
        var otherBody = await other.Content.ReadAsStringAsync();
        foreach (var c in clients) { c.Dispose(); }

        // Then the new state was built once for all eight (one build more than the warm-up), every answer is the same
        // non-empty effective access, and the other identity was computed over the same build
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        var granted = JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("effective").GetProperty("granted").GetInt32();
        Assert.True(granted > 0, answers[0].Body);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains("bob.finance", otherBody, StringComparison.Ordinal);
        Assert.Equal(2, estates.Loads);
    }

    [Fact]
    public async Task ApiReview_PagesOfOne_StableDeadlineOrderTotalsAndStates()
    {
        // Given a reviewer and the campaign of three noticed items in one batch
        using var reviewer = await fixture.SignedIn("reviewer");

        // When they read the queue one item a page, and a page past the end
        var pages = new List<JsonElement>();
        for (var page = 1; page <= 4; page++)
        {
            using var response = await reviewer.GetAsync($"/api/v1/review?campaign=q4&size=1&page={page}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }

        // Then each page holds the next item (provider, account, name order within the batch), the totals are the whole queue's,
        // and the page past the end is empty
        string[] Items(JsonElement page) =>
            [.. page.GetProperty("batches").EnumerateArray().SelectMany(b => b.GetProperty("items").EnumerateArray())
                .Select(i => i.GetProperty("name").GetString()!)];
        Assert.Equal(["etl", "orders", "web"], pages.Take(3).Select(p => Items(p).Single()));
        Assert.Empty(Items(pages[3]));
        Assert.All(pages, p =>
        {
            var queue = p.GetProperty("queue");
            Assert.Equal(3, queue.GetProperty("total").GetInt32());
            Assert.Equal(3, queue.GetProperty("pages").GetInt32());
            Assert.Equal(3, queue.GetProperty("states").GetProperty("noticed").GetInt32());
            Assert.Equal("q4", p.GetProperty("id").GetString());
        });
    }

    [Theory]
    [InlineData("owner", "", 2, "etl,orders")]
    [InlineData("reviewer", "q=ord", 1, "orders")]
    [InlineData("reviewer", "owner=team-b%40example.test", 1, "web")]
    [InlineData("reviewer", "state=approved", 0, "")]
    public async Task ApiReview_Filters_OnlyMatchingItemsCounted(string user, string filter, int total, string names)
    {
        // Given a user
        using var client = await fixture.SignedIn(user);

        // When they filter the queue
        using var response = await client.GetAsync("/api/v1/review?" + filter);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        // Then only the matching items (an owner: only their own) are listed and counted
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(total, json.GetProperty("queue").GetProperty("total").GetInt32());
        Assert.Equal(names, string.Join(",", json.GetProperty("batches").EnumerateArray()
            .SelectMany(b => b.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("name").GetString())));
    }

    [Theory]
    [InlineData("reviewer", "/api/v1/review?size=0", HttpStatusCode.BadRequest, "`size` `0` is not a whole number from 1 to 500")]
    [InlineData("reviewer", "/api/v1/review?state=nope", HttpStatusCode.BadRequest, "`state` `nope` is unknown: use planned, noticed")]
    [InlineData("reviewer", "/api/v1/review?sort=name", HttpStatusCode.BadRequest, "unknown query parameter `sort`")]
    [InlineData("owner", "/api/v1/review?owner=team-b%40example.test", HttpStatusCode.Forbidden, "not those of `team-b@example.test`")]
    [InlineData("reviewer", "/review?page=x", HttpStatusCode.BadRequest, "`page` `x` is not a whole number")]
    public async Task Review_BadQuery_ClearError(string user, string path, HttpStatusCode status, string expected)
    {
        // Given a user
        using var client = await fixture.SignedIn(user);

        // When they ask for the queue with a bad or forbidden query
        using var response = await client.GetAsync(path);

        // Then the answer says what is wrong
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewPage_SecondPageOfOne_ThatItemAndLinksBothWays()
    {
        // Given a reviewer
        using var reviewer = await fixture.SignedIn("reviewer");

        // When they open the queue's second page of one item
        using var response = await reviewer.GetAsync("/review?campaign=q4&size=1&page=2");
        var html = await response.Content.ReadAsStringAsync();

        // Then it shows `orders` only, its position, and links to the pages before and after with the same size
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(">orders</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">etl</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">web</a>", html, StringComparison.Ordinal);
        Assert.Contains("page 2 of 3", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/review?campaign=q4&amp;page=1&amp;size=1\" rel=\"prev\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/review?campaign=q4&amp;page=3&amp;size=1\" rel=\"next\"", html, StringComparison.Ordinal);
    }
}
