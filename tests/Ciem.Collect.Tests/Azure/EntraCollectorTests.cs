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
