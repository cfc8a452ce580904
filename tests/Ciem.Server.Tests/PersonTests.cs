using System.Net;
using System.Text.Json;
using Ciem.App;
using Ciem.App.People;
using Ciem.Core.Model;

namespace Ciem.Server.Tests;

/// <summary>The person across clouds: `/person` and `GET /api/v1/person`, as `ciem person EMAIL` shows it.</summary>
public sealed class PersonTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task PersonApi_KnownAddress_LinkedIdentitiesInTheCliShape()
    {
        // Given an auditor, and the person view `ciem person` computes from the same store
        using var auditor = await fixture.SignedIn("auditor");
        using var session = new CiemSession(fixture.DbPath);
        var found = PersonView.Compute(session, "ADA@example.test", UsageWindow.Of(ServerFixture.T0, 90), out var problem);
        Assert.Equal(PersonProblem.None, problem);

        // When the auditor asks the API for Ada by her address in another case
        using var response = await auditor.GetAsync("/api/v1/person?email=ADA%40example.test");
        var body = await response.Content.ReadAsStringAsync();

        // Then the answer is the CLI's JSON byte for byte: one person, her Entra account and her directory-role link
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PersonJson.Serialize("ADA@example.test", found!, 90, ServerFixture.T0), body);
        using var doc = JsonDocument.Parse(body);
        Assert.False(doc.RootElement.GetProperty("ambiguous").GetBoolean());
        Assert.Equal(90, doc.RootElement.GetProperty("window").GetProperty("days").GetInt32());
        var ada = Assert.Single(doc.RootElement.GetProperty("people").EnumerateArray().ToArray());
        Assert.Equal("Ada <script>alert(1)</script>", ada.GetProperty("name").GetString());
        Assert.Equal("entra", Assert.Single(ada.GetProperty("accounts").EnumerateArray().ToArray()).GetProperty("source").GetString());
        var link = Assert.Single(ada.GetProperty("links").EnumerateArray().ToArray());
        Assert.Equal("entra", link.GetProperty("cloud").GetString());
        Assert.Equal("entra user ada@example.test → directory role Global Administrator", link.GetProperty("chain").GetString());
    }

    [Fact]
    public async Task PersonPage_NameWithMarkup_LinksShownAndNameEncoded()
    {
        // Given a reviewer
        using var reviewer = await fixture.SignedIn("reviewer");

        // When the reviewer opens Ada's page (her display name holds a script tag)
        using var response = await reviewer.GetAsync("/person?email=ada%40example.test");
        var html = await response.Content.ReadAsStringAsync();

        // Then the page lists her link with its chain, and the name is encoded, never markup
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ada &lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("directory role Global Administrator", html, StringComparison.Ordinal);
        Assert.Contains("/api/v1/person?email=ada%40example.test", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Person_UnknownAddress_404WithTheAddress()
    {
        // Given an admin
        using var admin = await fixture.SignedIn("admin");

        // When an address no directory knows is asked for, through the API and the page
        using var api = await admin.GetAsync("/api/v1/person?email=nobody%40example.test");
        using var page = await admin.GetAsync("/person?email=nobody%40example.test");

        // Then both say 404 and name the address
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
        Assert.Equal($"error {ServerCodes.NotFound}: no person in the directories has the address `nobody@example.test`",
            problem.RootElement.GetProperty("detail").GetString());
        Assert.Contains("no person in the directories has the address `nobody@example.test`", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?email=")]
    [InlineData("?email=%20%20")]
    public async Task Person_MissingOrBlankEmail_400(string query)
    {
        // Given an admin
        using var admin = await fixture.SignedIn("admin");

        // When the person is asked for with no usable address
        using var api = await admin.GetAsync("/api/v1/person" + query);
        using var page = await admin.GetAsync("/person" + query);

        // Then both refuse with 400 and say which parameter
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains($"error {ServerCodes.BadQuery}: `email` is missing", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Person_OwnerAsksForSomeoneElse_403ButThemselves200()
    {
        // Given the owner account (its user's e-mail is owner@example.test)
        using var owner = await fixture.SignedIn("owner");

        // When it asks for Ada, for an unknown address, and for itself in another case
        using var other = await owner.GetAsync("/api/v1/person?email=ada%40example.test");
        using var otherPage = await owner.GetAsync("/person?email=ada%40example.test");
        using var unknown = await owner.GetAsync("/api/v1/person?email=nobody%40example.test");
        using var self = await owner.GetAsync("/api/v1/person?email=Owner%40Example.test");

        // Then others are refused alike whether they exist or not, and its own view is answered
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherPage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.DoesNotContain("Ada", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Contains("\"name\": \"Olive Owner\"", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
