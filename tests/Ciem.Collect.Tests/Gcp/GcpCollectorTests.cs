using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Aws;
using Ciem.Collect.Gcp;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Gcp;

/// <summary>
/// `ciem collect gcp` against a loopback server answering Cloud Asset Inventory's `assets.list` and IAM's list calls
/// as documented (camelCase, `nextPageToken`, `{}` for an empty list, `{"error": {"code", "message", "status"}}`),
/// over the sample organization of samples/gcp.
/// </summary>
public sealed class GcpCollectorTests : IDisposable
{
    private const string Token = "ya29.test-access-token";
    private const string Organization = "123456789012";
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-gcp-");

    [Fact]
    public async Task CollectAsync_SampleOrganizationInPages_EqualsImportOfTheExports()
    {
        // Given the sample organization served one asset per page, the first call throttled, and its exports as files
        using var server = Serve(new LoopbackHttpServer()).Throttle(1);
        var export = Directory.CreateDirectory(Path.Combine(_folder.FullName, "export")).FullName;
        File.WriteAllLines(Path.Combine(export, "resources.json"), Lines("resources.json").Where(IsHierarchy).Select(l => l.ToJsonString()));
        File.Copy(TestPaths.Repo("samples", "gcp", "iam-policies.json"), Path.Combine(export, "iam-policies.json"));
        File.Copy(TestPaths.Repo("samples", "gcp", "custom-roles.json"), Path.Combine(export, "custom-roles.json"));
        File.Copy(TestPaths.Repo("samples", "gcp", "deny-policies.json"), Path.Combine(export, "deny-policies.json"));
        File.Copy(TestPaths.Repo("samples", "gcp", "groups.json"), Path.Combine(export, "groups.json"));
        File.WriteAllText(Path.Combine(export, "service-accounts.json"), new JsonObject { ["accounts"] = new JsonArray(Account()) }.ToJsonString());
        File.WriteAllText(Path.Combine(export, "keys.json"), new JsonObject { ["keys"] = new JsonArray(Key()) }.ToJsonString());
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportGcpCommand.Run(host, [export], When, null, imported, "json"));
        host.CloseSessions();

        // When the organization is collected
        var collected = Db("collected");
        GcpCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await GcpCollector.CollectAsync(session, Options(server), When);
        }

        // Then every page was followed with its token, both projects were read, the folder's deny policy was read whole
        // after its listing (which omits rules), each named group's members came from cloud identity, and the store holds
        // what the import holds
        Assert.Contains(server.Requests, r => r.Query["pageToken"] == "3");
        Assert.Equal(1, server.Count("/v2/policies/{}/denypolicies/{}"));
        Assert.Equal(4, server.Count("/v2/policies/{}/denypolicies"));
        Assert.Equal(2, server.Count("/v1/groups/{}/memberships"));
        Assert.Equal(["group:auditors@acme.example", "group:prod-devs@acme.example"],
            result.Inventory!.Groups.Select(g => g.Group).Order(StringComparer.Ordinal));
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));
        Assert.Equal(["acme-dev", "acme-prod"], result.Projects.Select(p => p.Id));
        Assert.All(result.Projects, p => Assert.Equal(AccountStatus.Read, p.Status));
        Assert.Equal("organizations/" + Organization, result.Write!.Scope);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(Json(Load(imported)), Json(Load(collected)));
    }

    [Fact]
    public async Task CollectAsync_ProjectRefused_ListedAndItsPreviousAccountsKept()
    {
        // Given a store holding a full collection, then IAM refusing the prod project's service accounts
        using var server = Serve(new LoopbackHttpServer());
        var db = Db("refused");
        using (var session = new CiemSession(db)) { await GcpCollector.CollectAsync(session, Options(server), When); }
        server.Fail(new LoopbackAnswer(403, "{\"error\":{\"code\":403,\"message\":\"Permission 'iam.serviceAccounts.list' denied on resource (or it may not exist).\"," +
            "\"status\":\"PERMISSION_DENIED\"}}"), pattern: "/v1/projects/acme-prod/serviceAccounts");

        // When it is collected again
        GcpCollectResult result;
        using (var session = new CiemSession(db)) { result = await GcpCollector.CollectAsync(session, Options(server), When); }

        // Then prod is listed as not read with Google's status, and its service account and key are still in the store
        var prod = result.Projects.Single(p => p.Id == "acme-prod");
        Assert.Equal(AccountStatus.NotRead, prod.Status);
        Assert.Contains("was refused with `PERMISSION_DENIED` (http 403)", prod.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.CollectProjectNotRead);
        var inventory = Load(db);
        Assert.Equal("deployer@acme-prod.iam.gserviceaccount.com", Assert.Single(inventory.ServiceAccounts).Email);
        Assert.Single(inventory.ServiceAccountKeys);
    }

    [Fact]
    public async Task RunGcp_DenyPoliciesAndGroupMembersRefused_PreviousKeptAndExitOne()
    {
        // Given a store holding a full collection, then IAM refusing every deny-policy listing and Cloud Identity every membership list
        using var server = Serve(new LoopbackHttpServer());
        var db = Db("deny-refused");
        using (var session = new CiemSession(db)) { await GcpCollector.CollectAsync(session, Options(server), When); }
        server.Fail(new LoopbackAnswer(403,
            "{\"error\":{\"code\":403,\"message\":\"Permission 'iam.denypolicies.list' denied on resource\"," +
            "\"status\":\"PERMISSION_DENIED\"}}"), pattern: "/v2/policies/{}/denypolicies");
        server.Fail(new LoopbackAnswer(403,
            "{\"error\":{\"code\":403,\"message\":\"Error(2028): Permission denied for resource groups/x (or it may not exist).\"," +
            "\"status\":\"PERMISSION_DENIED\"}}"), pattern: "/v1/groups/{}/memberships");

        // When it is collected again through the command
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);
        var exit = CollectCommand.RunGcp(host, Options(server), db, "json");
        host.CloseSessions();

        // Then the run fails naming what it could not read, and the deny policy and the memberships are still in the store
        Assert.Equal(ExitCodes.Failure, exit);
        var summary = JsonNode.Parse(output.ToString())!;
        Assert.Equal(4, summary["denyPoliciesNotRead"]!.AsArray().Count);
        Assert.True(summary["groupsNotRead"]!.GetValue<bool>());
        var codes = summary["diagnostics"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()).ToList();
        Assert.Contains(DiagnosticCodes.CollectDenyPoliciesNotRead, codes);
        Assert.Contains(DiagnosticCodes.CollectGcpGroupsNotRead, codes);
        var inventory = Load(db);
        Assert.EndsWith("/denypolicies/no-project-delete", Assert.Single(inventory.DenyPolicies).Name, StringComparison.Ordinal);
        Assert.Equal(2, inventory.Groups.Length);
    }

    [Fact]
    public async Task CollectAsync_TokenRefused_CredentialsErrorAndNothingWritten()
    {
        // Given Cloud Asset refusing the token
        using var server = Serve(new LoopbackHttpServer()).Fail(new LoopbackAnswer(401,
            "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials. Expected OAuth 2 access token.\",\"status\":\"UNAUTHENTICATED\"}}"));
        var db = Db("unauthenticated");
        using var session = new CiemSession(db);

        // When the organization is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => GcpCollector.CollectAsync(session, Options(server), When));

        // Then it is a credentials error naming the call and the status, without the token, and nothing was written
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.StartsWith($"cloudasset `GET /v1/organizations/{Organization}/assets` was refused with `UNAUTHENTICATED` (http 401)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.Empty(Load(db).Resources);
    }

    [Fact]
    public void RunGcp_NotAnOrganizationNumber_BadSettingExit3()
    {
        // Given an organization given by name rather than number
        var error = new StringWriter();
        var host = new CliHost(new StringWriter(), error, TimeProvider.System, _ => null);

        // When a dry run is asked for
        var exit = CollectCommand.RunGcp(host, new GcpCollectOptions("acme.example") { DryRun = true }, Db("bad"), "text");

        // Then it is refused as a setting, naming the value
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("organization `acme.example` is not an organization number", error.ToString(), StringComparison.Ordinal);
    }

    private static GcpCollectOptions Options(LoopbackHttpServer server) => new(Organization)
    {
        CloudAssetEndpoint = server.Url,
        IamEndpoint = server.Url,
        CloudIdentityEndpoint = server.Url,
        Credential = new StaticAccess(Token),
        PageSize = 1,
        Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
    };

    /// <summary>Cloud Asset's and IAM's list endpoints over the sample; Cloud Asset in pages of `pageSize` linked by `nextPageToken`.</summary>
    private static LoopbackHttpServer Serve(LoopbackHttpServer server)
    {
        static LoopbackAnswer Page(string member, JsonArray items, string? next)
        {
            if (items.Count == 0 && next is null) { return LoopbackAnswer.Json(new JsonObject()); }
            var body = new JsonObject { [member] = items };
            if (next is not null) { body["nextPageToken"] = System.Web.HttpUtility.ParseQueryString(new Uri(next).Query)["pageToken"]; }
            return LoopbackAnswer.Json(body);
        }
        var resources = Lines("resources.json").Where(IsHierarchy).Select(Camel).ToList();
        var policies = Lines("iam-policies.json").Select(Camel).ToList();
        server.MapPages($"/v1/organizations/{Organization}/assets", r => new JsonArray([.. (r.Query["contentType"] == "IAM_POLICY" ? policies : resources)
            .Where(a => r.Query.GetValues("assetTypes") is not { } types || types.Contains(a!["assetType"]!.GetValue<string>()))
            .Select(a => a!.DeepClone())]), 1, "pageToken", (items, next) => Page("assets", items, next));
        server.Map("GET", $"/v1/organizations/{Organization}/roles", _ => LoopbackAnswer.Json(new JsonObject { ["roles"] = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("samples", "gcp", "custom-roles.json"))) }));
        server.Map("GET", "/v1/projects/{}/roles", _ => LoopbackAnswer.Json(new JsonObject()));
        ServeDenyPolicies(server);
        ServeGroups(server);
        server.Map("GET", "/v1/projects/{}/serviceAccounts", r => LoopbackAnswer.Json(r.Segments[0] == "acme-prod" ? new JsonObject { ["accounts"] = new JsonArray(Account()) } : new JsonObject()));
        server.Map("GET", "/v1/projects/{}/serviceAccounts/{}/keys", r => LoopbackAnswer.Json(r.Segments[1] == Account()["email"]!.GetValue<string>()
            ? new JsonObject { ["keys"] = new JsonArray(Key()) } : new JsonObject()));
        return server;
    }

    /// <summary>
    /// IAM v2's deny policies of samples/gcp: the list of an attachment point gives each policy without its rules
    /// (as documented), `GET` of the policy gives it whole; an attachment point without policies answers `{}`.
    /// </summary>
    private static void ServeDenyPolicies(LoopbackHttpServer server)
    {
        var policies = Sample("deny-policies.json");
        static string Point(JsonObject policy) => Uri.UnescapeDataString(policy["name"]!.GetValue<string>().Split('/')[1]);
        server.Map("GET", "/v2/policies/{}/denypolicies", r =>
        {
            var listed = policies.Where(p => Point(p) == r.Segments[0]).Select(p =>
            {
                var metadata = p.DeepClone().AsObject();
                metadata.Remove("rules");
                return (JsonNode)metadata;
            }).ToList();
            return LoopbackAnswer.Json(listed.Count == 0 ? new JsonObject() : new JsonObject { ["policies"] = new JsonArray([.. listed]) });
        });
        server.Map("GET", "/v2/policies/{}/denypolicies/{}", r =>
        {
            var found = policies.FirstOrDefault(p => Point(p) == r.Segments[0]
                && p["name"]!.GetValue<string>().EndsWith("/" + r.Segments[1], StringComparison.Ordinal));
            return found is null ? NotFound : LoopbackAnswer.Json(found.DeepClone());
        });
    }

    private static LoopbackAnswer NotFound =>
        new(404, "{\"error\":{\"code\":404,\"message\":\"Not found\",\"status\":\"NOT_FOUND\"}}");

    private static List<JsonObject> Sample(string file) =>
        [.. JsonNode.Parse(File.ReadAllText(TestPaths.Repo("samples", "gcp", file)))!.AsArray().Select(p => p!.AsObject())];

    /// <summary>
    /// Cloud Identity over samples/gcp/groups.json: `groups:lookup` by email, then `memberships` with each member's
    /// `preferredMemberKey` and `type`.
    /// </summary>
    private static void ServeGroups(LoopbackHttpServer server)
    {
        var groups = Sample("groups.json");
        static string Id(string email) => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(email)).ToLowerInvariant()[..15];
        static string Type(string member) =>
            member.Split(':')[0] switch { "group" => "GROUP", "serviceAccount" => "SERVICE_ACCOUNT", _ => "USER" };
        server.Map("GET", "/v1/groups:lookup", r =>
            groups.FirstOrDefault(g => g["group"]!.GetValue<string>() == r.Query["groupKey.id"]) is { } g
                ? LoopbackAnswer.Json(new JsonObject { ["name"] = $"groups/{Id(g["group"]!.GetValue<string>())}" })
                : NotFound);
        server.Map("GET", "/v1/groups/{}/memberships", r =>
        {
            var group = groups.Single(g => Id(g["group"]!.GetValue<string>()) == r.Segments[0]);
            var members = group["members"]!.AsArray().Select(m => m!.GetValue<string>());
            return LoopbackAnswer.Json(new JsonObject
            {
                ["memberships"] = new JsonArray([.. members.Select((m, i) => (JsonNode)new JsonObject
                {
                    ["name"] = $"groups/{r.Segments[0]}/memberships/{i + 1:D21}",
                    ["preferredMemberKey"] = new JsonObject { ["id"] = m[(m.IndexOf(':', StringComparison.Ordinal) + 1)..] },
                    ["roles"] = new JsonArray(new JsonObject { ["name"] = "MEMBER" }),
                    ["type"] = Type(m),
                })]),
            });
        });
    }

    private static JsonObject Account() => new()
    {
        ["name"] = "projects/acme-prod/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com", ["projectId"] = "acme-prod",
        ["uniqueId"] = "112233445566778899001", ["email"] = "deployer@acme-prod.iam.gserviceaccount.com", ["displayName"] = "Deployer",
        ["etag"] = "MDEwMjE5MjA=", ["oauth2ClientId"] = "112233445566778899001",
    };

    private static JsonObject Key() => new()
    {
        ["name"] = "projects/acme-prod/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com/keys/3b7e0c2f9a1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f",
        ["validAfterTime"] = "2025-01-10T09:00:00Z", ["validBeforeTime"] = "9999-12-31T23:59:59Z", ["keyAlgorithm"] = "KEY_ALG_RSA_2048",
        ["keyOrigin"] = "GOOGLE_PROVIDED", ["keyType"] = "USER_MANAGED",
    };

    private static List<JsonNode> Lines(string file) =>
        [.. File.ReadAllLines(TestPaths.Repo("samples", "gcp", file)).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!)];

    private static bool IsHierarchy(JsonNode asset) => asset["asset_type"]!.GetValue<string>().StartsWith("cloudresourcemanager.googleapis.com/", StringComparison.Ordinal);

    /// <summary>The export's snake_case keys as the API's JSON names them (`asset_type` → `assetType`).</summary>
    private static JsonNode Camel(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(
            p.Key.Contains('_', StringComparison.Ordinal) ? string.Concat(p.Key.Split('_').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])) : p.Key,
            p.Key == "data" ? p.Value?.DeepClone() : p.Value is null ? null : Camel(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : Camel(i))]),
        _ => node.DeepClone(),
    };

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static GcpInventory Load(string db)
    {
        using var session = new CiemSession(db);
        return session.Store.LoadGcpInventory();
    }

    private static string Json(GcpInventory i)
    {
        static string[] Sorted<T>(IEnumerable<T> items) => [.. items.Select(x => JsonSerializer.Serialize(x)).Order(StringComparer.Ordinal)];
        return JsonSerializer.Serialize(new
        {
            r = Sorted(i.Resources), p = Sorted(i.Policies), c = Sorted(i.CustomRoles), s = Sorted(i.ServiceAccounts), k = Sorted(i.ServiceAccountKeys),
            d = Sorted(i.DenyPolicies), g = Sorted(i.Groups.Select(g => g with { Members = [.. g.Members.Order(StringComparer.Ordinal)] })),
        });
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
