using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Azure;

/// <summary>
/// `ciem collect azure` against a loopback server answering Azure Resource Manager's and Microsoft Graph's documented
/// shapes (`{"value": […], "nextLink": …}` pages, 429 with `Retry-After`, `{"error": {"code", "message"}}`).
/// </summary>
public sealed class AzureCollectorTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-azure-");

    [Fact]
    public async Task CollectAsync_TenantInPagesAndThrottled_EqualsImportOfTheExportedFiles()
    {
        // Given the tenant served one record per page, and the first two calls throttled
        using var server = AzureEstate.Serve(new LoopbackHttpServer()).Throttle(2, retryAfterSeconds: 1);
        var credential = new StaticToken(AzureEstate.Token);
        var exported = Directory.CreateDirectory(Path.Combine(_folder.FullName, "export")).FullName;
        AzureEstate.Export(exported);
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportAzureCommand.Run(host, [exported], When, null, imported, "json"));
        host.CloseSessions();

        // When the tenant is collected
        var collected = Db("collected");
        AzureCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await AzureCollector.CollectAsync(session, Options(server, credential), When);
        }

        // Then every page was followed, the throttled calls retried, and the store holds what the import of the files holds
        Assert.Equal(5, server.Count("/subscriptions/{}/providers/Microsoft.Authorization/roleAssignments"));
        Assert.Equal(4, server.Requests.Count(r => r.Path == "/subscriptions"));
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {AzureEstate.Token}", r.Headers["Authorization"]));
        Assert.Contains("https://management.azure.com/.default", credential.Scopes);
        Assert.Contains("https://graph.microsoft.com/.default", credential.Scopes);
        Assert.Equal([AccountStatus.Read, AccountStatus.Read], result.Subscriptions.Select(s => s.Status));
        Assert.Equal("tenant/" + AzureEstate.Tenant, result.Write!.Scope);
        Assert.Equal(4, result.Inventory!.RoleAssignments.Length);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != Severity.Info);
        Assert.Equal(Json(Load(imported)), Json(Load(collected)));
    }

    [Fact]
    public async Task CollectAsync_OneSubscriptionRefused_ListedAndItsPreviousRecordsKept()
    {
        // Given a store holding a full collection, then ARM refusing every call under the dev subscription
        using var server = AzureEstate.Serve(new LoopbackHttpServer());
        var db = Db("refused");
        using (var session = new CiemSession(db)) { await AzureCollector.CollectAsync(session, Options(server, new StaticToken(AzureEstate.Token)), When); }
        server.Fail(new LoopbackAnswer(403, "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client 'c0ffee00' with object id 'c0ffee00' does not have " +
            "authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '/subscriptions/" + AzureEstate.Dev + "'.\"}}"),
            pattern: $"/subscriptions/{AzureEstate.Dev}/providers/Microsoft.Authorization/roleAssignments");

        // When it is collected again through the command
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);
        var exit = CollectCommand.RunAzure(host, Options(server, new StaticToken(AzureEstate.Token)), db, "json");
        host.CloseSessions();

        // Then the run fails naming the subscription and ARM's code, the prod subscription is read, and dev's records are still there
        Assert.Equal(ExitCodes.Failure, exit);
        var summary = JsonNode.Parse(output.ToString())!;
        var dev = summary["subscriptions"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == AzureEstate.Dev)!;
        Assert.Equal("not-read", dev["status"]!.GetValue<string>());
        Assert.Contains("was refused with `AuthorizationFailed` (http 403)", dev["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(summary["diagnostics"]!.AsArray(), d => d!["code"]!.GetValue<string>() == DiagnosticCodes.CollectSubscriptionNotRead);
        var inventory = Load(db);
        Assert.Contains(inventory.RoleAssignments, a => a.Scope == $"/subscriptions/{AzureEstate.Dev}" && a.PrincipalId == AzureEstate.Group);
        Assert.Contains(inventory.ResourceGroups, g => g.Name == "rg-sandbox");
        Assert.Equal(4, inventory.RoleAssignments.Length);
    }

    [Fact]
    public async Task CollectAsync_TokenRefused_CredentialsErrorAndNothingWritten()
    {
        // Given ARM refusing the token as expired
        using var server = AzureEstate.Serve(new LoopbackHttpServer()).Fail(new LoopbackAnswer(401,
            "{\"error\":{\"code\":\"ExpiredAuthenticationToken\",\"message\":\"The access token expiry UTC time '12/1/2026 11:00:00 AM' is earlier than current UTC time.\"}}"));
        var db = Db("expired");
        using var session = new CiemSession(db);

        // When the tenant is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => AzureCollector.CollectAsync(session, Options(server, new StaticToken(AzureEstate.Token)), When));

        // Then the error is a credentials error naming the call and the code, without the token, and nothing was written
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.StartsWith("arm `GET /subscriptions` was refused with `ExpiredAuthenticationToken` (http 401)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureEstate.Token, error.Message, StringComparison.Ordinal);
        Assert.True(Load(db).IsEmpty);
    }

    [Fact]
    public async Task CollectAsync_NextLinkToAnotherHost_RefusedWithoutSendingTheToken()
    {
        // Given ARM whose subscriptions page links its next page on another server
        using var other = new LoopbackHttpServer();
        using var server = new LoopbackHttpServer().Map("GET", "/subscriptions", _ => LoopbackAnswer.Json(new JsonObject
        {
            ["value"] = new JsonArray(AzureEstate.Subscription(AzureEstate.Prod, "prod-1")),
            ["nextLink"] = $"{other.Url}subscriptions?api-version=2022-12-01&$skiptoken=1",
        }));
        using var session = new CiemSession(Db("elsewhere"));

        // When the tenant is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => AzureCollector.CollectAsync(session, Options(server, new StaticToken(AzureEstate.Token)), When));

        // Then the link is refused and the other server saw nothing
        Assert.Contains($"gave a next page outside `{server.Url.GetLeftPart(UriPartial.Authority)}`", error.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task CollectAsync_NoSubscriptionVisible_FailsAndWritesNothing()
    {
        // Given a credential that sees no subscription
        using var server = new LoopbackHttpServer().Map("GET", "/subscriptions", new JsonObject { ["value"] = new JsonArray() });
        var db = Db("none");
        using var session = new CiemSession(db);

        // When the tenant is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => AzureCollector.CollectAsync(session, Options(server, new StaticToken(AzureEstate.Token)), When));

        // Then it says so and how to fix it, and an empty snapshot did not replace anything
        Assert.Equal(DiagnosticCodes.CollectCallFailed, error.Code);
        Assert.Contains("the credential sees no subscription", error.Message, StringComparison.Ordinal);
        Assert.True(Load(db).IsEmpty);
    }

    [Fact]
    public async Task CollectAsync_DryRun_ListsSubscriptionsAndWritesNothing()
    {
        // Given the tenant
        using var server = AzureEstate.Serve(new LoopbackHttpServer(), pageSize: 10);

        // When a dry run is made without a store
        var result = await AzureCollector.CollectAsync(null, Options(server, new StaticToken(AzureEstate.Token)) with { DryRun = true }, When);

        // Then only the subscriptions were listed, and both are planned
        Assert.True(result.DryRun);
        Assert.Equal(["/subscriptions"], server.Requests.Select(r => r.Path));
        Assert.Equal([AccountStatus.Planned, AccountStatus.Planned], result.Subscriptions.Select(s => s.Status));
        Assert.Contains(result.Plan, p => p.Contains($"subscription {AzureEstate.Dev}: resourcegroups", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://management.example")]
    [InlineData("ftp://127.0.0.1/")]
    public void Arm_NotHttpsOffLoopback_BadSetting(string url)
    {
        // Given an endpoint that would send the token in clear or nowhere sensible
        var connection = new AzureConnection { ArmEndpoint = new Uri(url) };

        // When it is used
        var error = Assert.Throws<CollectException>(() => connection.Arm);

        // Then it is refused as a bad setting
        Assert.Equal(DiagnosticCodes.CollectBadSetting, error.Code);
    }

    internal static AzureCollectOptions Options(LoopbackHttpServer server, StaticToken credential) => new()
    {
        Connection = new AzureConnection
        {
            ArmEndpoint = server.Url,
            GraphEndpoint = server.Url,
            Credential = credential,
            Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
        },
        Parallelism = 2,
    };

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static AzureInventory Load(string db)
    {
        using var session = new CiemSession(db);
        return session.Store.LoadAzureInventory();
    }

    /// <summary>The inventory as JSON, each list in a fixed order (the collector reads subscriptions in parallel).</summary>
    private static string Json(AzureInventory i)
    {
        static string[] Sorted<T>(IEnumerable<T> items) => [.. items.Select(x => JsonSerializer.Serialize(x)).Order(StringComparer.Ordinal)];
        return JsonSerializer.Serialize(new
        {
            d = Sorted(i.RoleDefinitions), a = Sorted(i.RoleAssignments), n = Sorted(i.DenyAssignments), e = Sorted(i.EligibleAssignments),
            m = Sorted(i.ManagementGroups), s = Sorted(i.Subscriptions), r = Sorted(i.ResourceGroups), g = Sorted(i.GroupMemberships),
        });
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
