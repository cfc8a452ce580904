using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ciem.Server.Tests;

/// <summary>
/// Every endpoint the server maps, read from its endpoint data source, called anonymously and as each role. An endpoint
/// missing from <see cref="Expected"/> fails the test: a new endpoint must say who may call it.
/// </summary>
public sealed class AuthorizationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Anyone = "anonymous";
    private static readonly string[] All = ServerFixture.Users;
    private static readonly string[] Reviewers = ["admin", "reviewer", "owner"];
    private static readonly string[] Evidence = ["admin", "auditor"];

    /// <summary>Who may call each endpoint (METHOD and route pattern), and the query a successful call needs.</summary>
    private static readonly Dictionary<string, (string[] Roles, string Query)> Expected = new(StringComparer.Ordinal)
    {
        ["GET /static/{name}"] = ([Anyone], ""),
        ["GET /login"] = ([Anyone], ""),
        ["POST /login"] = ([Anyone], ""),
        ["GET /healthz"] = ([Anyone], ""),
        ["GET {*path}"] = ([Anyone], ""),
        ["POST /logout"] = (All, ""),
        ["GET /"] = (All, ""),
        ["GET /identities"] = (All, ""),
        ["GET /identity"] = (All, "?provider=aws&id=" + Uri.EscapeDataString(ServerFixture.Arn("etl"))),
        ["GET /person"] = (All, "?email=owner%40example.test"),
        ["GET /review"] = (All, ""),
        ["POST /review/approve"] = (Reviewers, ""),
        ["POST /review/object"] = (Reviewers, ""),
        ["GET /alerts"] = (All, ""),
        ["GET /evidence"] = (Evidence, ""),
        ["GET /evidence/download"] = (Evidence, "?framework=all&from=2026-11-01&to=2026-12-01"),
        ["GET /imports"] = (All, ""),
        ["POST /imports/upload"] = (["admin"], ""),
        ["POST /imports/upload/azure"] = (["admin"], ""),
        ["POST /imports/upload/gcp"] = (["admin"], ""),
        ["POST /imports/upload/directory"] = (["admin"], ""),
        ["GET /account"] = (All, ""),
        ["POST /account/tokens"] = (All, ""),
        ["POST /account/tokens/revoke"] = (All, ""),
        ["GET /api/v1/overview"] = (All, ""),
        ["GET /api/v1/identities"] = (All, ""),
        ["GET /api/v1/identity"] = (All, "?provider=aws&id=" + Uri.EscapeDataString(ServerFixture.Arn("etl"))),
        ["GET /api/v1/person"] = (All, "?email=owner%40example.test"),
        ["GET /api/v1/review"] = (All, ""),
        ["POST /api/v1/review/approve"] = (Reviewers, ""),
        ["POST /api/v1/review/object"] = (Reviewers, ""),
        ["GET /api/v1/alerts"] = (All, ""),
        ["GET /api/v1/evidence"] = (Evidence, "?framework=all&from=2026-11-01&to=2026-12-01"),
        ["GET /api/v1/imports"] = (All, ""),
        ["POST /api/v1/imports/aws"] = (["admin"], ""),
        ["POST /api/v1/imports/azure"] = (["admin"], ""),
        ["POST /api/v1/imports/gcp"] = (["admin"], ""),
        ["POST /api/v1/imports/directory"] = (["admin"], ""),
        ["GET /api/v1/tokens"] = (All, ""),
        ["POST /api/v1/tokens"] = (All, ""),
        ["DELETE /api/v1/tokens/{id:long}"] = (All, ""),
        ["GET /api/v1/users"] = (["admin"], ""),
        ["GET /api/v1/openapi.json"] = (All, ""),
    };

    private List<(string Key, string Method, string Path)> Endpoints()
    {
        var endpoints = ((IEndpointRouteBuilder)fixture.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Key: $"{m} {e.RoutePattern.RawText}", Method: m,
                Path: (e.RoutePattern.RawText ?? "/").Replace("{name}", "app.css", StringComparison.Ordinal).Replace("{id:long}", "999", StringComparison.Ordinal)
                    .Replace("{*path}", "/no-such-page", StringComparison.Ordinal))))
            .ToList();
        // Signing out ends the session the next calls use: it goes last.
        return [.. endpoints.OrderBy(e => e.Key == "POST /logout")];
    }

    [Fact]
    public void Endpoints_EveryOneHasAnExpectationAndAPolicy()
    {
        // Given the server's endpoints
        var keys = Endpoints().Select(e => e.Key).ToList();

        // When they are compared with the table and checked for a policy
        var unlisted = keys.Except(Expected.Keys).ToList();
        var gone = Expected.Keys.Except(keys).ToList();

        // Then every endpoint is listed, every listed one exists, and none lacks a policy
        Assert.True(unlisted.Count == 0, $"endpoint(s) with no expectation in AuthorizationTests: {string.Join(", ", unlisted)}");
        Assert.True(gone.Count == 0, $"expected endpoint(s) not mapped: {string.Join(", ", gone)}");
        Assert.Empty(CiemServer.Unguarded(fixture.App));
    }

    [Fact]
    public void Unguarded_EndpointWithoutPolicy_IsListed()
    {
        // Given an app with one endpoint that names a policy and one that names none
        var app = WebApplication.CreateBuilder().Build();
        app.MapGet("/guarded", () => "ok").RequireAuthorization("read");
        app.MapGet("/forgotten", () => "oops");

        // When the unguarded endpoints are listed
        var open = CiemServer.Unguarded(app);

        // Then only the one without a policy is
        Assert.Equal("HTTP: GET /forgotten", Assert.Single(open));
    }

    [Fact]
    public async Task Endpoints_Anonymous_ApiIs401PagesRedirectToSignIn()
    {
        using var client = fixture.Anonymous();
        foreach (var (key, method, path) in Endpoints())
        {
            // Given an anonymous caller; When each endpoint is called
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path + Expected[key].Query));

            // Then open ones answer, API ones say 401 and pages send to the sign-in page
            if (Expected[key].Roles.Contains(Anyone))
            {
                Assert.True((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.Unauthorized, $"{key}: {response.StatusCode}");
            }
            else if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{key}: {response.StatusCode}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{key}: {response.StatusCode}");
                Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("reviewer")]
    [InlineData("owner")]
    [InlineData("auditor")]
    public async Task Endpoints_EachRole_403UnlessAllowed(string role)
    {
        using var client = await fixture.SignedIn(role);
        foreach (var (key, method, path) in Endpoints().Where(e => !Expected[e.Key].Roles.Contains(Anyone)))
        {
            // Given a signed-in role; When each endpoint is called (a write with no body: refused before anything is read)
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path + Expected[key].Query));

            // Then a role not allowed gets 403; an allowed one gets 200 on reads and never 401, 403 or a server error on writes
            if (!Expected[key].Roles.Contains(role)) { Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {key}: {response.StatusCode}"); }
            else if (method == "GET") { Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} {key}: {response.StatusCode}"); }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized) && (int)response.StatusCode < 500,
                    $"{role} {key}: {response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Identities_Owner_SeesOnlyTheirOwn()
    {
        // Given the owner bob and an admin
        using var owner = await fixture.SignedIn("owner");
        using var admin = await fixture.SignedIn("admin");

        // When both list the identities, and bob asks for another owner's list and identity
        var mine = await (await owner.GetAsync("/api/v1/identities")).Content.ReadAsStringAsync();
        var all = await (await admin.GetAsync("/api/v1/identities")).Content.ReadAsStringAsync();
        using var others = await owner.GetAsync("/api/v1/identities?owner=team-b%40example.test");
        using var otherIdentity = await owner.GetAsync("/identity?provider=aws&id=" + Uri.EscapeDataString(ServerFixture.Arn("web")));
        var queue = await (await owner.GetAsync("/api/v1/review")).Content.ReadAsStringAsync();

        // Then bob sees his two identities and his two review items only; the admin sees all four
        Assert.Contains("\"total\":2", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("role/web", mine, StringComparison.Ordinal);
        Assert.Contains("\"total\":4", all, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherIdentity.StatusCode);
        Assert.Contains("role/etl", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("role/web", queue, StringComparison.Ordinal);
    }
}
