using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Okta;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Okta;

/// <summary>
/// `ciem collect okta` against a local server answering as the Okta Management API does (the sample bundle's users,
/// groups, members, apps and assignments; `Link: rel="next"` pages; 429 with `X-Rate-Limit-Reset`; error objects).
/// </summary>
public sealed class OktaCollectorTests : IDisposable
{
    private const string Token = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-okta-");
    private readonly JsonObject _sample = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("samples", "directory", "okta.json")))!.AsObject();

    [Fact]
    public async Task CollectAsync_SampleDirectoryInPages_EqualsImportOfTheBundle()
    {
        // Given the sample bundle served by the API, users two per page, and the first call throttled
        var requests = new ConcurrentQueue<string>();
        var throttled = 0;
        using var okta = new LoopbackHttpServer((context, _) =>
        {
            requests.Enqueue(context.Request.RawUrl!);
            return Interlocked.Exchange(ref throttled, 1) == 0
                ? LoopbackHttpServer.Answer(context, 429, "{\"errorCode\":\"E0000047\",\"errorSummary\":\"API call exceeded rate limit due to too many requests.\"}",
                    "application/json", ("X-Rate-Limit-Limit", "600"), ("X-Rate-Limit-Remaining", "0"),
                    ("X-Rate-Limit-Reset", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)))
                : Api(context);
        });
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportDirectoryCommand.Run(host, "okta", [TestPaths.Repo("samples", "directory", "okta.json")], When, imported, "json"));
        host.CloseSessions();

        // When the directory is collected
        var collected = Db("collected");
        DirectoryCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await OktaCollector.CollectAsync(session, Options(okta), When);
        }

        // Then the throttled call was retried, every page was followed, and the snapshot is the import's
        Assert.Equal(2, requests.Count(r => r == "/api/v1/users?limit=2"));
        Assert.Contains(requests, r => r.StartsWith("/api/v1/users?after=", StringComparison.Ordinal));
        Assert.Equal(3, result.Snapshot!.Users.Length);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(Json(Load(imported), _sample["orgUrl"]!.GetValue<string>()), Json(Load(collected), okta.Url.GetLeftPart(UriPartial.Authority)));
    }

    [Fact]
    public async Task CollectAsync_InvalidToken_CredentialsErrorAndNothingWritten()
    {
        // Given an API that does not know the token
        using var okta = new LoopbackHttpServer((context, _) => Api(context));
        var db = Db("invalid");
        using var session = new CiemSession(db);

        // When the directory is collected with another token
        var error = await Assert.ThrowsAsync<CollectException>(() => OktaCollector.CollectAsync(session, Options(okta) with { Token = "wrong-token-value" }, When));

        // Then the message gives Okta's code and summary, not the token, and no directory was written
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.Equal("okta `GET /api/v1/users` was refused with `E0000011`: Invalid token provided", error.Message);
        Assert.DoesNotContain("wrong-token-value", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Store.LoadDirectories());
    }

    [Fact]
    public async Task CollectAsync_NextLinkToAnotherHost_RefusedWithoutSendingTheToken()
    {
        // Given an API whose users page links its next page on another server
        var elsewhere = 0;
        using var other = new LoopbackHttpServer((context, _) =>
        {
            Interlocked.Increment(ref elsewhere);
            return LoopbackHttpServer.Answer(context, 200, "[]", "application/json");
        });
        using var okta = new LoopbackHttpServer((context, _) =>
            LoopbackHttpServer.Answer(context, 200, "[]", "application/json", ("Link", $"<{other.Url}api/v1/users?after=x>; rel=\"next\"")));
        var db = Db("elsewhere");
        using var session = new CiemSession(db);

        // When the directory is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => OktaCollector.CollectAsync(session, Options(okta), When));

        // Then the link is refused, naming both hosts; the other server saw nothing and nothing was written
        Assert.Contains($"gave a next page on `{other.Url.GetLeftPart(UriPartial.Authority)}`, not on the org", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, elsewhere);
        Assert.Empty(session.Store.LoadDirectories());
    }

    [Theory]
    [InlineData("http://acme.okta.example")]
    [InlineData("ftp://acme.okta.example")]
    public void Org_NotHttpsOffLoopback_BadSetting(string url)
    {
        // Given an org url that would send the token in clear or nowhere sensible
        // When it is checked
        var error = Assert.Throws<CollectException>(() => OktaCollector.Org(new Uri(url)));

        // Then it is refused as a bad setting
        Assert.Equal(DiagnosticCodes.CollectBadSetting, error.Code);
    }

    [Fact]
    public void JobsRun_CollectJob_ReadsTheDirectoryAndRecordsTheRun_AndRefusesWhatTheJobOwns()
    {
        // Given the API on a loopback port, the token in the environment (never in the file), and three collect jobs:
        // one right, one whose token the API refuses, one that tries to choose its own store
        using var okta = new LoopbackHttpServer((context, _) => Api(context));
        var db = Db("jobs");
        var config = Path.Combine(_folder.FullName, "ciem-server.yml");
        File.WriteAllText(config, "jobs:\n"
            + $"  - {{name: okta, kind: collect, schedule: '@daily', source: okta, options: '--org-url {okta.Url} --timeout 20'}}\n"
            + $"  - {{name: stale, kind: collect, schedule: '@daily', source: okta, options: '--org-url {okta.Url}'}}\n"
            + $"  - {{name: elsewhere, kind: collect, schedule: '@daily', source: okta, options: '--org-url {okta.Url} --db=other.db'}}\n");
        (int Code, JsonElement Run) Run(string job, string token)
        {
            var output = new StringWriter();
            var host = new CliHost(output, new StringWriter(), TimeProvider.System, n => n == "OKTA_API_TOKEN" ? token : null);
            var code = CiemApp.Run(["jobs", "run", job, "--config", config, "--db", db, "--format", "json"], host);
            host.CloseSessions();
            return (code, JsonDocument.Parse(output.ToString()).RootElement.Clone());
        }

        // When each is run by hand
        var ok = Run("okta", Token);
        var refused = Run("stale", "wrong-token-value");
        var owned = Run("elsewhere", Token);

        // Then the first collected the directory into the job's store, the second failed naming Okta's refusal (not the
        // token), and the third was refused before any call
        Assert.Equal(0, ok.Code);
        Assert.Equal("`ciem collect okta`: exit code 0", ok.Run.GetProperty("summary").GetString());
        Assert.Equal(3, Load(db).Users.Length);
        Assert.NotEqual(0, refused.Code);
        var why = refused.Run.GetProperty("summary").GetString()!;
        Assert.StartsWith("`ciem collect okta`: exit code 1 (error", why, StringComparison.Ordinal);
        Assert.Contains("E0000011", why, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-value", why, StringComparison.Ordinal);
        Assert.Equal("`options` sets `--db`, which the job sets itself: remove it", owned.Run.GetProperty("summary").GetString());
        Assert.False(File.Exists(Path.Combine(_folder.FullName, "other.db")));
    }

    private static OktaCollectOptions Options(LoopbackHttpServer okta) => new(okta.Url, Token)
    {
        PageSize = 2,
        Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
    };

    /// <summary>The documented endpoints, answered from the sample bundle; users in pages of `limit`.</summary>
    private Task Api(HttpListenerContext context)
    {
        var server = context.Request.Url!.GetLeftPart(UriPartial.Authority);
        const string json = "application/json";
        if (context.Request.Headers["Authorization"] != $"SSWS {Token}")
        {
            return LoopbackHttpServer.Answer(context, 401, "{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\",\"errorLink\":\"E0000011\"," +
                "\"errorId\":\"oaeKx1nOgZ2RiqGdyxcsmCMDA\",\"errorCauses\":[]}", json);
        }
        var path = context.Request.Url!.AbsolutePath;
        var query = System.Web.HttpUtility.ParseQueryString(context.Request.Url.Query);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode? Keyed(string member, string id) => _sample[member]?[id] ?? new JsonArray();
        switch (segments)
        {
            case ["api", "v1", "users"]:
                var users = _sample["users"]!.AsArray();
                var start = int.TryParse(query["after"], out var after) ? after : 0;
                var limit = int.Parse(query["limit"] ?? "200", System.Globalization.CultureInfo.InvariantCulture);
                var page = new JsonArray([.. users.Skip(start).Take(limit).Select(u => u!.DeepClone())]);
                var links = new List<(string, string)> { ("Link", $"<{server}/api/v1/users?limit={limit}>; rel=\"self\"") };
                if (start + limit < users.Count) { links.Add(("Link", $"<{server}/api/v1/users?after={start + limit}&limit={limit}>; rel=\"next\"")); }
                return AnswerWithLinks(context, page.ToJsonString(), links);
            case ["api", "v1", "groups"]:
                return LoopbackHttpServer.Answer(context, 200, _sample["groups"]!.ToJsonString(), json);
            case ["api", "v1", "groups", var group, "users"]:
                return LoopbackHttpServer.Answer(context, 200, Keyed("group-members", group)!.ToJsonString(), json);
            case ["api", "v1", "apps"]:
                return LoopbackHttpServer.Answer(context, 200, _sample["apps"]!.ToJsonString(), json);
            case ["api", "v1", "apps", var app, "users"]:
                return LoopbackHttpServer.Answer(context, 200, Keyed("app-users", app)!.ToJsonString(), json);
            case ["api", "v1", "apps", var app, "groups"]:
                return LoopbackHttpServer.Answer(context, 200, Keyed("app-groups", app)!.ToJsonString(), json);
            default:
                return LoopbackHttpServer.Answer(context, 404, "{\"errorCode\":\"E0000022\",\"errorSummary\":\"The endpoint does not support the provided HTTP method\"}", json);
        }
    }

    /// <summary>Okta sends each link in its own `Link` header.</summary>
    private static async Task AnswerWithLinks(HttpListenerContext context, string body, List<(string Name, string Value)> links)
    {
        foreach (var (_, value) in links) { context.Response.Headers.Add("Link", value); }
        await LoopbackHttpServer.Answer(context, 200, body, "application/json");
    }

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static DirectorySnapshot Load(string db)
    {
        using var session = new CiemSession(db);
        return Assert.Single(session.Store.LoadDirectories());
    }

    /// <summary>The snapshot as JSON with its tenant (the org url, which differs between the sample and the local server) named alike.</summary>
    private static string Json(DirectorySnapshot snapshot, string tenant) =>
        JsonSerializer.Serialize(snapshot with { TenantId = "tenant" }).Replace(tenant, "tenant", StringComparison.Ordinal);

    public void Dispose() => _folder.Delete(recursive: true);
}
