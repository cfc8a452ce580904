using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Azure;
using Ciem.Collect.Okta;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Tests;
using Xunit.Abstractions;

namespace Ciem.Collect.Tests.Azure;

/// <summary>
/// `ciem collect entra` against a loopback server answering Microsoft Graph v1.0 as documented: the sample bundle's
/// objects in `{"@odata.context", "value", "@odata.nextLink"}` pages, members and owners at their own endpoints.
/// </summary>
public sealed class EntraCollectorTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-entra-");
    private readonly JsonObject _sample = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("samples", "directory", "entra.json")))!.AsObject();

    [Fact]
    public async Task CollectAsync_SampleDirectoryInPages_EqualsImportOfTheBundle()
    {
        // Given the sample directory served one object per page, and the first users call throttled
        using var graph = Serve(new LoopbackHttpServer()).Throttle(1, pattern: "/v1.0/users");
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportDirectoryCommand.Run(host, "entra", [TestPaths.Repo("samples", "directory", "entra.json")], When, imported, "json"));
        host.CloseSessions();

        // When the directory is collected
        var collected = Db("collected");
        DirectoryCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await EntraCollector.CollectAsync(session, Connection(graph), dryRun: false, When);
        }

        // Then every page and every group's members were read, and the snapshot is the import's, tenant included
        var users = Items("users").Count;
        Assert.Equal(users + 1, graph.Count("/v1.0/users"));
        Assert.Equal(Items("groups").Count, graph.Count("/v1.0/groups/{}/members"));
        Assert.Equal(users, result.Snapshot!.Users.Length);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(JsonSerializer.Serialize(Load(imported)), JsonSerializer.Serialize(Load(collected)));
    }

    [Fact]
    public async Task CollectAsync_MembersRefused_NothingWritten()
    {
        // Given Graph refusing to list a group's members
        using var graph = Serve(new LoopbackHttpServer()).Fail(new LoopbackAnswer(403,
            "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}"), pattern: "/v1.0/groups/{}/members");
        var db = Db("refused");
        using var session = new CiemSession(db);

        // When the directory is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => EntraCollector.CollectAsync(session, Connection(graph), dryRun: false, When));

        // Then the error names the call and Graph's code, and no directory was written
        Assert.Equal(DiagnosticCodes.CollectCallFailed, error.Code);
        Assert.Contains("/members` was refused with `Authorization_RequestDenied` (http 403): Insufficient privileges", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Store.LoadDirectories());
    }

    [Fact]
    public void RunEntra_DryRunAsJson_PlansAndWritesNothing()
    {
        // Given no server at all
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);
        var db = Db("dry");

        // When a dry run is asked for
        var exit = CollectCommand.RunEntra(host, new AzureConnection(), dryRun: true, db, "json");

        // Then it plans Graph's calls, and no store was created
        Assert.Equal(ExitCodes.Ok, exit);
        var summary = JsonNode.Parse(output.ToString())!;
        Assert.True(summary["dryRun"]!.GetValue<bool>());
        Assert.StartsWith("GET https://graph.microsoft.com/v1.0/organization", summary["plan"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    private JsonArray Items(string member) => _sample[member]!["value"]!.AsArray();

    /// <summary>Graph's endpoints over the sample; lists in pages of one object, members and owners from the sample's expansions.</summary>
    private LoopbackHttpServer Serve(LoopbackHttpServer server)
    {
        static LoopbackAnswer Page(JsonArray items, string? next)
        {
            var body = new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", ["value"] = items };
            if (next is not null) { body["@odata.nextLink"] = next; }
            return LoopbackAnswer.Json(body);
        }
        JsonArray Without(string member, string expansion) =>
            new([.. Items(member).Select(i => { var o = i!.DeepClone().AsObject(); o.Remove(expansion); return (JsonNode)o; })]);
        JsonArray Expanded(string member, string id, string expansion) =>
            Items(member).Single(i => i!["id"]!.GetValue<string>() == id)![expansion]?.DeepClone().AsArray() ?? [];
        server.Map("GET", "/v1.0/organization", new JsonObject
        {
            ["value"] = new JsonArray(new JsonObject { ["id"] = _sample["tenantId"]!.GetValue<string>(), ["displayName"] = "Acme" }),
        });
        server.MapPages("/v1.0/users", _ => Items("users"), 1, "$skiptoken", Page);
        server.MapPages("/v1.0/groups", _ => Without("groups", "members"), 1, "$skiptoken", Page);
        server.MapPages("/v1.0/groups/{}/members", r => Expanded("groups", r.Segments[0], "members"), 1, "$skiptoken", Page);
        // `$expand=owners` gives every object an `owners` list, empty when it has none.
        JsonArray WithOwners(string member) =>
            new([.. Items(member).Select(i => { var o = i!.DeepClone().AsObject(); o["owners"] ??= new JsonArray(); return (JsonNode)o; })]);
        server.MapPages("/v1.0/servicePrincipals", _ => WithOwners("servicePrincipals"), 1, "$skiptoken", Page);
        server.MapPages("/v1.0/applications", _ => WithOwners("applications"), 1, "$skiptoken", Page);
        server.MapPages("/v1.0/directoryRoles", _ => Without("directoryRoles", "members"), 1, "$skiptoken", Page);
        server.MapPages("/v1.0/directoryRoles/{}/members", r => Expanded("directoryRoles", r.Segments[0], "members"), 1, "$skiptoken", Page);
        return server;
    }

    private static AzureConnection Connection(LoopbackHttpServer graph) => new()
    {
        GraphEndpoint = graph.Url,
        Credential = new StaticToken(AzureEstate.Token),
        Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
    };

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static DirectorySnapshot Load(string db)
    {
        using var session = new CiemSession(db);
        return Assert.Single(session.Store.LoadDirectories());
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

/// <summary>A directory of thousands of principals collected from the loopback server: every one read, and the rate reported.</summary>
public sealed class EntraCollectorScaleTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-entra-scale-");

    [Fact]
    public async Task CollectAsync_FiveThousandUsersInFiveHundredGroups_EveryPrincipalAndMemberRead()
    {
        // Given 5,000 users, 500 groups of 20 members each and 200 service principals, in Graph's pages of 999
        const int Users = 5000, Groups = 500, Principals = 200;
        static string Id(int kind, int i) => $"{kind:x8}-0000-4000-8000-{i:x12}";
        var users = new JsonArray([.. Enumerable.Range(0, Users).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = Id(1, i), ["displayName"] = $"user {i}", ["userPrincipalName"] = $"user{i}@acme.example", ["mail"] = $"user{i}@acme.example",
            ["otherMails"] = new JsonArray(), ["accountEnabled"] = i % 50 != 0,
        })]);
        var groups = new JsonArray([.. Enumerable.Range(0, Groups).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = Id(2, i), ["displayName"] = $"group {i}", ["mail"] = null, ["groupTypes"] = new JsonArray(), ["membershipRule"] = null,
        })]);
        var principals = new JsonArray([.. Enumerable.Range(0, Principals).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = Id(3, i), ["appId"] = Id(4, i), ["displayName"] = $"app {i}", ["servicePrincipalType"] = "Application", ["accountEnabled"] = true,
            ["owners"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = Id(1, i) }),
        })]);
        static LoopbackAnswer Page(JsonArray items, string? next)
        {
            var body = new JsonObject { ["value"] = items };
            if (next is not null) { body["@odata.nextLink"] = next; }
            return LoopbackAnswer.Json(body);
        }
        using var graph = new LoopbackHttpServer();
        graph.Map("GET", "/v1.0/organization", new JsonObject { ["value"] = new JsonArray(new JsonObject { ["id"] = "72f988bf-0000-4000-8000-acme00000001" }) });
        graph.MapPages("/v1.0/users", _ => users, 999, "$skiptoken", Page);
        graph.MapPages("/v1.0/groups", _ => groups, 999, "$skiptoken", Page);
        graph.MapPages("/v1.0/groups/{}/members", r =>
        {
            var g = Convert.ToInt32(r.Segments[0][^12..], 16);
            return new JsonArray([.. Enumerable.Range(0, 20).Select(m => (JsonNode)new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = Id(1, (g * 20 + m) % Users) })]);
        }, 999, "$skiptoken", Page);
        graph.MapPages("/v1.0/servicePrincipals", _ => principals, 999, "$skiptoken", Page);
        graph.MapPages("/v1.0/applications", _ => [], 999, "$skiptoken", Page);
        graph.MapPages("/v1.0/directoryRoles", _ => [], 999, "$skiptoken", Page);

        // When the directory is collected
        using var session = new CiemSession(Path.Combine(_folder.FullName, "scale.db"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await EntraCollector.CollectAsync(session, new AzureConnection { GraphEndpoint = graph.Url, Credential = new StaticToken(AzureEstate.Token) }, false,
            DateTimeOffset.UtcNow);
        watch.Stop();

        // Then every principal and every membership is in the stored snapshot
        var stored = Assert.Single(session.Store.LoadDirectories());
        Assert.Equal(Users, stored.Users.Length);
        Assert.Equal(Principals, stored.ServicePrincipals.Length);
        Assert.Equal(Groups * 20, stored.Groups.Sum(g => g.Members.Length));
        Assert.Equal(100, stored.Users.Count(u => !u.Enabled));
        output.WriteLine($"{Users + Principals + Groups} principals, {result.Calls} calls, {watch.Elapsed.TotalSeconds:0.00} s, " +
            $"{(Users + Principals + Groups) / watch.Elapsed.TotalSeconds:0} principals/s");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
