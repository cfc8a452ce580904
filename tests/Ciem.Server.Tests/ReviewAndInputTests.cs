using System.Net;
using System.Text.Json;
using Ciem.Server.Security;
using Ciem.Storage;

namespace Ciem.Server.Tests;

/// <summary>Approving and objecting through the pages and the API, and bad input that must change nothing.</summary>
public sealed class ReviewAndInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ObjectThenApprove_OwnerThroughThePage_WrittenToTheDecisionLogAsBob()
    {
        // Given bob, the owner of `orders`, signed in, and the decision log as it is
        using var bob = await fixture.SignedIn("owner");
        var before = fixture.DecisionCount();

        // When he objects (keeping s3:DeleteBucket, with a reason) and then approves the re-verified proposal
        var csrf = await bob.CsrfAsync("/review");
        using var objected = await bob.PostFormAsync("/review/object", new()
        {
            ["__csrf"] = csrf, ["campaign"] = ServerFixture.Campaign, ["identity"] = ServerFixture.Arn("orders"),
            ["keep"] = "s3:DeleteBucket", ["reason"] = "the nightly purge job deletes old buckets", ["until"] = "2027-03-01",
        });
        var objectedPage = await objected.Content.ReadAsStringAsync();
        using var approved = await bob.PostFormAsync("/review/approve", new()
        {
            ["__csrf"] = csrf, ["campaign"] = ServerFixture.Campaign, ["identity"] = ServerFixture.Arn("orders"),
        });

        // Then both succeed and the log holds two more decisions by bob, the objection with its reason
        Assert.Equal(HttpStatusCode.OK, objected.StatusCode);
        Assert.Contains("objection recorded for orders: 2 permission(s) still to remove", objectedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using var store = fixture.OpenStore();
        var log = store.LoadDecisions(ServerFixture.Campaign).Skip(before).ToList();
        Assert.Equal(2, log.Count);
        Assert.All(log, d => Assert.Equal(ServerFixture.Bob, d.Actor));
        Assert.Contains("the nightly purge job deletes old buckets", log[0].Reason, StringComparison.Ordinal);
        Assert.Equal("approved", log[1].ToState);
        var exception = Assert.Single(store.LoadCampaign(ServerFixture.Campaign)!.Exceptions);
        Assert.Equal(["s3:DeleteBucket"], exception.Actions.ToArray());
    }

    [Fact]
    public async Task Approve_OwnerOnSomeoneElsesIdentity_403AndNothingWritten()
    {
        // Given bob and the identity `web` owned by team-b
        using var bob = await fixture.SignedIn("owner");
        var before = fixture.DecisionCount();

        // When he approves it through the API
        using var response = await bob.PostJsonAsync("/api/v1/review/approve",
            JsonSerializer.Serialize(new { campaign = ServerFixture.Campaign, identity = ServerFixture.Arn("web") }));

        // Then he is refused with the reason and the log is unchanged
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("is not yours to decide in campaign `q4`", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.DecisionCount());
    }

    [Theory]
    [InlineData("{\"campaign\":\"q4\",\"identity\":", "error CIEM7204")]
    [InlineData("[1,2]", "error CIEM7204")]
    [InlineData("{\"campaign\":\"q4\"}", "`identity` is missing")]
    [InlineData("{\"campaign\":\"nope\",\"identity\":\"x\"}", "nope")]
    public async Task Approve_BadApiBody_ClearErrorNothingWritten(string body, string expected)
    {
        // Given a reviewer
        using var reviewer = await fixture.SignedIn("reviewer");
        var before = fixture.DecisionCount();

        // When an approval is posted with a malformed or incomplete body
        using var response = await reviewer.PostJsonAsync("/api/v1/review/approve", body);

        // Then it is a 4xx problem naming what is wrong, and nothing is written
        var text = await response.Content.ReadAsStringAsync();
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, fixture.DecisionCount());
    }

    [Fact]
    public async Task Object_MissingReasonOrBadDateOrNoToken_400NothingWritten()
    {
        // Given the owner on his review page
        using var bob = await fixture.SignedIn("owner");
        var csrf = await bob.CsrfAsync("/review");
        var before = fixture.DecisionCount();
        Dictionary<string, string> Form(string reason, string until, bool token = true)
        {
            var form = new Dictionary<string, string> { ["campaign"] = ServerFixture.Campaign, ["identity"] = ServerFixture.Arn("etl"), ["keep"] = "s3:DeleteBucket",
                ["reason"] = reason, ["until"] = until };
            if (token) { form["__csrf"] = csrf; }
            return form;
        }

        // When objections come with no reason, with a date that is no date, and without the antiforgery token
        using var noReason = await bob.PostFormAsync("/review/object", Form("", ""));
        using var badDate = await bob.PostFormAsync("/review/object", Form("because", "31/12/2026"));
        using var noToken = await bob.PostFormAsync("/review/object", Form("because", "", token: false));

        // Then each is a 400 naming the field, and the log is unchanged
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("`reason` is missing", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("`until` `31/12/2026` is not a date (yyyy-mm-dd)", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("anti-forgery", await noToken.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, fixture.DecisionCount());
    }

    [Theory]
    [InlineData("?size=5", "`size` `5` is not a whole number from 10 to 500")]
    [InlineData("?provider=aws2", "`provider` `aws2` is unknown")]
    [InlineData("?sort=1", "`sort` `1` is unknown")]
    [InlineData("?admin=yes", "`admin` `yes` is not `true` or `false`")]
    [InlineData("?colour=red", "unknown query parameter `colour`")]
    public async Task Identities_BadQuery_400Located(string query, string expected)
    {
        // Given an auditor
        using var auditor = await fixture.SignedIn("auditor");

        // When the identities are asked for with a bad value, on the page and on the API
        using var page = await auditor.GetAsync("/identities" + query);
        using var api = await auditor.GetAsync("/api/v1/identities" + query);

        // Then both answer 400 with the same located message (escaped on the page)
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected).Replace("&#96;", "`", StringComparison.Ordinal), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(expected, await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identities_FilterSortPage_TheRightRows()
    {
        // Given an admin
        using var admin = await fixture.SignedIn("admin");

        // When filtered to administrators, and sorted by granted descending in pages of 10
        var admins = JsonDocument.Parse(await (await admin.GetAsync("/api/v1/identities?admin=true")).Content.ReadAsStringAsync()).RootElement;
        var sorted = JsonDocument.Parse(await (await admin.GetAsync("/api/v1/identities?sort=granted&dir=desc&size=10")).Content.ReadAsStringAsync()).RootElement;

        // Then exactly etl is an administrator, and the order is by granted
        Assert.Equal(1, admins.GetProperty("total").GetInt32());
        Assert.Equal("etl", admins.GetProperty("identities")[0].GetProperty("name").GetString());
        Assert.Equal(["etl", "web", "orphan", "orders"], sorted.GetProperty("identities").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Evidence_BadPeriod_400AndGoodPeriodIsAZip()
    {
        // Given an auditor
        using var auditor = await fixture.SignedIn("auditor");

        // When evidence is asked for with inverted dates, an unknown framework, and a good period
        using var inverted = await auditor.GetAsync("/api/v1/evidence?framework=all&from=2026-12-01&to=2026-11-01");
        using var unknown = await auditor.GetAsync("/api/v1/evidence?framework=sox&from=2026-11-01&to=2026-12-01");
        using var good = await auditor.GetAsync("/evidence/download?framework=all&from=2026-11-01&to=2026-12-01");

        // Then the bad ones say why and the good one is a zip with the manifest
        Assert.Contains("is after `to`", await inverted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("`framework` `sox` is unknown", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/zip", good.Content.Headers.ContentType!.MediaType);
        using var zip = new System.IO.Compression.ZipArchive(await good.Content.ReadAsStreamAsync());
        Assert.Contains(zip.Entries, e => e.FullName == "manifest.json");
        Assert.Contains(zip.Entries, e => e.FullName == "evidence.html");
    }

    [Fact]
    public async Task ApiToken_MadeOnceHashedAtRest_WorksUntilRevoked()
    {
        // Given a reviewer who makes a token through the API
        using var reviewer = await fixture.SignedIn("reviewer");
        var made = JsonDocument.Parse(await (await reviewer.PostJsonAsync("/api/v1/tokens", "{\"label\":\"ci\",\"days\":30}")).Content.ReadAsStringAsync()).RootElement;
        var secret = made.GetProperty("token").GetString()!;
        var id = made.GetProperty("id").GetInt64();

        // When a client uses it, then it is revoked and used again
        using var automation = fixture.Anonymous();
        automation.Bearer = secret;
        using var before = await automation.GetAsync("/api/v1/overview");
        using var forbidden = await automation.GetAsync("/api/v1/users");
        using var revoke = await reviewer.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tokens/{id}"));
        using var after = await automation.GetAsync("/api/v1/overview");

        // Then it acted as the reviewer until revoked; the store never held the secret, only its hash
        Assert.StartsWith(Accounts.TokenPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var store = fixture.OpenStore();
        var stored = ((IServerStore)store).ListTokens("reviewer").Single(t => t.Id == id);
        Assert.Equal(Accounts.TokenHash(secret), stored.Hash);
        Assert.DoesNotContain(secret, stored.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_401AndNoSession()
    {
        // Given the sign-in page
        using var client = fixture.Anonymous();
        var csrf = await client.CsrfAsync("/login");

        // When the admin's name comes with a wrong password, and a redirect target off the site
        using var wrong = await client.PostFormAsync("/login", new() { ["__csrf"] = csrf, ["name"] = "admin", ["password"] = "wrong-password-12", ["returnUrl"] = "/" });
        using var home = await client.GetAsync("/");
        Assert.Equal("/", Endpoints.SignIn.Local("//evil.example/"));
        Assert.Equal("/", Endpoints.SignIn.Local("/\\evil.example/"));
        Assert.Equal("/review?campaign=q4", Endpoints.SignIn.Local("/review?campaign=q4"));

        // Then it is refused and the caller is still signed out
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("wrong user name or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task Pages_StrictHeadersAndNoInlineScriptOrStyle()
    {
        // Given an admin
        using var admin = await fixture.SignedIn("admin");

        foreach (var path in new[] { "/", "/identities", "/review", "/account", "/identity?provider=aws&id=" + Uri.EscapeDataString(ServerFixture.Arn("etl")) })
        {
            // When each main page is read
            using var response = await admin.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();

            // Then it carries the CSP and security headers, and holds no inline script, handler or style
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)", html);
            Assert.DoesNotMatch("\\s(style|onclick|onload|onerror)=", html);
            Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Names_FromTheStore_AreEscapedOnPages()
    {
        // Given an identity whose name is markup, measured in a separate store served by the same code
        using var admin = await fixture.SignedIn("admin");

        // When the overview renders the owner and name columns (the fixture's owners hold `@` and `.`), and a query echoes a value
        using var response = await admin.GetAsync("/identities?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        var html = await response.Content.ReadAsStringAsync();

        // Then the value is shown escaped, never as markup
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }
}
