using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Okta;
using Ciem.Collect.Tests.Gcp;
using Ciem.Collect.Workspace;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Workspace;

/// <summary>
/// `ciem collect google` against a loopback server answering the Admin SDK Directory API's `users.list`,
/// `groups.list` and `members.list` as documented (`kind`, `etag`, the list member, `nextPageToken`; an empty list
/// without its member; `{"error": {"code", "message", "errors"}}`), over the sample bundle of samples/directory.
/// </summary>
public sealed class GoogleWorkspaceCollectorTests : IDisposable
{
    private const string Token = "ya29.workspace-test-token";
    private const string Root = "/admin/directory/v1";
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-google-");
    private readonly JsonObject _sample = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("samples", "directory", "google.json")))!.AsObject();

    [Fact]
    public async Task CollectAsync_SampleDirectoryInPages_EqualsImportOfTheBundle()
    {
        // Given the sample served one object per page, the first call throttled, and the sample imported as a file
        using var server = Serve(new LoopbackHttpServer()).Throttle(1);
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportDirectoryCommand.Run(host, "google", [TestPaths.Repo("samples", "directory", "google.json")], When, imported, "json"));
        host.CloseSessions();

        // When the directory is collected
        var collected = Db("collected");
        DirectoryCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await GoogleWorkspaceCollector.CollectAsync(session, Options(server), When);
        }

        // Then every page was followed by its token with the bearer token, each group's members were read,
        // the customer came from the users, and the store holds what the import holds
        Assert.Contains(server.Requests, r => r.Path == $"{Root}/users" && r.Query["pageToken"] == "1" && r.Query["customer"] == "my_customer");
        Assert.Contains(server.Requests, r => r.Path == $"{Root}/groups" && r.Query["pageToken"] == "1");
        Assert.Equal(1, server.Count($"{Root}/groups/03x1data0001/members"));
        Assert.Equal(1, server.Count($"{Root}/groups/03x1all00002/members"));
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));
        Assert.Equal("C01acme23", result.Tenant);
        Assert.Equal(2, result.Snapshot!.Users.Length);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(Json(Load(imported)), Json(Load(collected)));
    }

    [Fact]
    public async Task CollectAsync_GroupWithoutMembers_EmptyAnswerReadsAsNoMembers()
    {
        // Given a third group, whose members list the API answers without a `members` member
        var groups = _sample["groups"]!["groups"]!.AsArray();
        groups.Add(new JsonObject { ["kind"] = "admin#directory#group", ["id"] = "03x1empty003", ["email"] = "empty@acme.example", ["name"] = "Empty" });
        using var server = Serve(new LoopbackHttpServer());
        using var session = new CiemSession(Db("empty"));

        // When the directory is collected
        var result = await GoogleWorkspaceCollector.CollectAsync(session, Options(server) with { Customer = "C01acme23" }, When);

        // Then the group is there with no members, nobody else lost theirs, and nothing was reported
        var snapshot = Load(session);
        Assert.Empty(snapshot.Groups.Single(g => g.Id == "03x1empty003").Members);
        var member = Assert.Single(snapshot.Groups.Single(g => g.Id == "03x1data0001").Members);
        Assert.Equal((MemberKind.User, "104633870000000000001"), (member.Kind, member.Id));
        Assert.Equal("C01acme23", snapshot.TenantId);
        Assert.Contains(server.Requests, r => r.Query["customer"] == "C01acme23");
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public async Task CollectAsync_MembersRefused_ErrorNamesTheCallAndTheStoreIsUnchanged()
    {
        // Given a store holding a collection, then the API refusing to list a group's members
        using var server = Serve(new LoopbackHttpServer());
        var db = Db("refused");
        using (var session = new CiemSession(db)) { await GoogleWorkspaceCollector.CollectAsync(session, Options(server), When); }
        var before = Json(Load(db));
        server.Fail(new LoopbackAnswer(403, "{\"error\":{\"code\":403,\"message\":\"Not Authorized to access this resource/api\"," +
            "\"errors\":[{\"message\":\"Not Authorized to access this resource/api\",\"domain\":\"global\",\"reason\":\"forbidden\"}]}}"), pattern: $"{Root}/groups/{{}}/members");

        // When it is collected again, a day later
        CollectException error;
        using (var session = new CiemSession(db))
        {
            error = await Assert.ThrowsAsync<CollectException>(() => GoogleWorkspaceCollector.CollectAsync(session, Options(server), When.AddDays(1)));
        }

        // Then the error names the call and Google's message, not the token, and the store still holds the first snapshot only
        Assert.Equal(DiagnosticCodes.CollectCallFailed, error.Code);
        Assert.StartsWith($"admin `GET {Root}/groups/03x1data0001/members` was refused with http 403: Not Authorized to access this resource/api", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Json(Load(db)));
    }

    [Fact]
    public async Task CollectAsync_TokenRefused_CredentialsErrorAndNothingWritten()
    {
        // Given the API refusing the token on every call
        using var server = Serve(new LoopbackHttpServer()).Fail(new LoopbackAnswer(401,
            "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}"));
        using var session = new CiemSession(Db("unauthenticated"));

        // When the directory is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => GoogleWorkspaceCollector.CollectAsync(session, Options(server), When));

        // Then it is a credentials error on the first call, and no directory was written
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.StartsWith($"admin `GET {Root}/users` was refused with `UNAUTHENTICATED` (http 401)", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Store.LoadDirectories());
    }

    [Fact]
    public void RunGoogle_DryRunAsJson_PlansAndWritesNothing()
    {
        // Given a server that would answer, and a store path that does not exist yet
        using var server = Serve(new LoopbackHttpServer());
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);
        var db = Db("dry");

        // When a dry run is asked for
        var exit = CollectCommand.RunGoogle(host, Options(server) with { DryRun = true }, db, "json");

        // Then it plans the three lists on the given root, called nothing, and created no store
        Assert.Equal(ExitCodes.Ok, exit);
        var summary = JsonNode.Parse(output.ToString())!;
        Assert.True(summary["dryRun"]!.GetValue<bool>());
        Assert.Equal("my_customer", summary["tenant"]!.GetValue<string>());
        Assert.Equal($"GET {server.Url}admin/directory/v1/users?customer=my_customer and /groups?customer=my_customer (every page)", summary["plan"]![0]!.GetValue<string>());
        Assert.Empty(server.Requests);
        Assert.False(File.Exists(db));
    }

    [Theory]
    [InlineData("C01acme23&x=1")]
    [InlineData("")]
    public void RunGoogle_CustomerNotAnId_BadSettingExit3(string customer)
    {
        // Given a customer that is not an id (one would change the query)
        var error = new StringWriter();
        var host = new CliHost(new StringWriter(), error, TimeProvider.System, _ => null);

        // When a dry run is asked for
        var exit = CollectCommand.RunGoogle(host, new GoogleWorkspaceCollectOptions(customer) { DryRun = true }, Db("bad"), "text");

        // Then it is refused as a setting, naming the value
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"customer `{customer}` is not a workspace customer id", error.ToString(), StringComparison.Ordinal);
    }

    private static GoogleWorkspaceCollectOptions Options(LoopbackHttpServer server) => new()
    {
        AdminEndpoint = server.Url,
        Credential = new StaticAccess(Token),
        PageSize = 1,
        Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
    };

    /// <summary>The three list calls over the sample, in pages of `maxResults` linked by `nextPageToken`.</summary>
    private LoopbackHttpServer Serve(LoopbackHttpServer server)
    {
        static Func<JsonArray, string?, LoopbackAnswer> Page(string kind, string member) => (items, next) =>
        {
            // The API leaves the list member out of an empty answer.
            var body = new JsonObject { ["kind"] = $"admin#directory#{kind}", ["etag"] = "\"HKS8OBLg7Vr5g6Nb4pzsbq6JDPk/abc\"" };
            if (items.Count > 0) { body[member] = items; }
            if (next is not null) { body["nextPageToken"] = System.Web.HttpUtility.ParseQueryString(new Uri(next).Query)["pageToken"]; }
            return LoopbackAnswer.Json(body);
        };
        server.MapPages($"{Root}/users", _ => _sample["users"]!["users"]!.AsArray(), 1, "pageToken", Page("users", "users"));
        server.MapPages($"{Root}/groups", _ => _sample["groups"]!["groups"]!.AsArray(), 1, "pageToken", Page("groups", "groups"));
        server.MapPages($"{Root}/groups/{{}}/members", r => _sample["members"]![r.Segments[0]]?["members"]?.AsArray() ?? [], 1, "pageToken", Page("members", "members"));
        return server;
    }

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static DirectorySnapshot Load(string db)
    {
        using var session = new CiemSession(db);
        return Load(session);
    }

    private static DirectorySnapshot Load(CiemSession session) =>
        session.Store.LoadDirectories().OrderByDescending(d => d.TakenAt).First();

    private static string Json(DirectorySnapshot snapshot) => JsonSerializer.Serialize(snapshot);

    public void Dispose() => _folder.Delete(recursive: true);
}
