using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Collect.Gcp;
using Ciem.Collect.Tests.Azure;
using Ciem.Collect.Tests.Gcp;
using Ciem.Collect.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Usage;

/// <summary>
/// `ciem collect azure-activity` and `ciem collect gcp-audit` against the loopback server answering the Activity Log
/// list and Cloud Logging's `entries:list` as documented: the rollups equal those of the file import of the same
/// records, and a second run reads only what came after the first, so nothing is counted twice.
/// </summary>
public sealed class LogCollectorTests : IDisposable
{
    private const string Prod = "6b1f7e2a-93c4-4d55-8e0f-1a2b3c4d5e6f";
    private const string Dev = "0c9d8e7f-6a5b-4c3d-9e2f-7a8b9c0d1e2f";
    private const string Alice = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
    private const string Token = "ya29.logging-test-token";
    private const string VmWrite = "Microsoft.Compute/virtualMachines/write";
    private const string Web = "Microsoft.Compute/virtualMachines/vm-web";
    private const string Stapp = "Microsoft.Storage/storageAccounts/stapp";
    private static readonly DateTimeOffset First = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Second = First.AddDays(1);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-logs-");
    private readonly ConcurrentDictionary<string, List<JsonObject>> _log = new(StringComparer.OrdinalIgnoreCase);

    [Fact]
    public async Task AzureActivity_TwoRunsInPagesThrottled_EqualImportOfTheSameRecordsAndNothingTwice()
    {
        // Given five records in prod before the first run (one exactly at its window's end, one a failure), two after, and one in dev
        using var server = LogServer.ServeActivityLog(new LoopbackHttpServer(), Records, [Prod, Dev])
            .Throttle(1, pattern: LogServer.ActivityPath);
        var end = First.AddMinutes(-30);
        Add(Prod, LogServer.Activity(Prod, Alice, VmWrite, Web, First.AddDays(-3)));
        Add(Prod, LogServer.Activity(Prod, Alice, VmWrite, Web, First.AddDays(-2)));
        Add(Prod, LogServer.Activity(Prod, Alice, "Microsoft.Storage/storageAccounts/listKeys/action", Stapp, First.AddDays(-2)));
        Add(Prod, LogServer.Activity(Prod, Alice, "Microsoft.Authorization/roleAssignments/write", Stapp, First.AddHours(-5), "Failed"));
        Add(Prod, LogServer.Activity(Prod, Alice, VmWrite, Web, end));
        Add(Dev, LogServer.Activity(Dev, Alice, "Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/vm-dev",
            First.AddDays(-1)));
        var db = Db("collected");

        // When it is collected, two more records arrive, and it is collected again a day later
        LogCollectResult first, second;
        using (var session = new CiemSession(db)) { first = await AzureActivityCollector.CollectAsync(session, Options(server), First); }
        Add(Prod, LogServer.Activity(Prod, Alice, VmWrite, Web, First.AddHours(2)));
        Add(Prod, LogServer.Activity(Prod, Alice, "Microsoft.Compute/virtualMachines/delete", Web, First.AddHours(3)));
        using (var session = new CiemSession(db)) { second = await AzureActivityCollector.CollectAsync(session, Options(server), Second); }

        // Then the first run read four prod records in two pages (the one at its end belongs to the next window), the
        // second continued from where the first stopped, and the store equals the file import of every record
        var prod = first.Streams.Single(s => s.Id == Prod);
        Assert.Equal((AccountStatus.Read, 4L, 2), (prod.Status, prod.Records, prod.Pages));
        Assert.Equal(end, prod.To);
        var again = second.Streams.Single(s => s.Id == Prod);
        Assert.Equal((end, 3L), (again.From!.Value, again.Records));
        Assert.Equal(0L, second.Streams.Single(s => s.Id == Dev).Records);
        Assert.Contains(server.Requests, r => r.Query["$skiptoken"] == "2");
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {AzureEstate.Token}", r.Headers["Authorization"]));
        Assert.DoesNotContain(first.Diagnostics.Concat(second.Diagnostics), d => d.Severity == Severity.Error);
        var imported = Db("imported");
        Import(imported, StreamedUsageLog.AzureActivity, new JsonObject { ["value"] = Everything() });
        Assert.Equal(Usage(imported, Provider.Azure), Usage(db, Provider.Azure));
        Assert.Equal((7L, 1L), (Rows(db, Provider.Azure).Sum(u => u.Count), first.Counts!.Attempts + second.Counts!.Attempts));
    }

    [Fact]
    public async Task AzureActivity_OneSubscriptionRefused_ListedExitOneAndReadNextRun()
    {
        // Given two subscriptions with a record each, and the monitor refusing dev's log
        using var server = LogServer.ServeActivityLog(new LoopbackHttpServer(), Records, [Prod, Dev]);
        Add(Prod, LogServer.Activity(Prod, Alice, VmWrite, Web, First.AddDays(-1)));
        Add(Dev, LogServer.Activity(Dev, Alice, VmWrite, "Microsoft.Compute/virtualMachines/vm-dev", First.AddDays(-1)));
        server.Fail(new LoopbackAnswer(403,
            "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client does not have authorization to perform action " +
            "'Microsoft.Insights/eventtypes/values/read' over scope '/subscriptions/" + Dev + "'.\"}}"), times: 1,
            pattern: $"/subscriptions/{Dev}/providers/Microsoft.Insights/eventtypes/management/values");
        var db = Db("refused");

        // When it is collected through the command, then again
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);
        var exit = CollectCommand.RunLog(host, false, db, "json",
            (session, progress) => AzureActivityCollector.CollectAsync(session, Options(server), First, progress));
        host.CloseSessions();
        LogCollectResult second;
        using (var session = new CiemSession(db))
        {
            second = await AzureActivityCollector.CollectAsync(session, Options(server), First.AddHours(1));
        }

        // Then the first run fails naming dev and ARM's code while prod is stored; the second reads dev's whole first window
        Assert.Equal(ExitCodes.Failure, exit);
        var summary = JsonNode.Parse(output.ToString())!;
        var dev = summary["streams"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == Dev)!;
        Assert.Equal("not-read", dev["status"]!.GetValue<string>());
        Assert.Contains("was refused with `AuthorizationFailed` (http 403)", dev["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(summary["diagnostics"]!.AsArray(), d => d!["code"]!.GetValue<string>() == DiagnosticCodes.CollectLogStreamNotRead);
        Assert.Equal(1L, summary["usageEvents"]!.GetValue<long>());
        Assert.Equal(First.AddHours(1).AddMinutes(-30).AddDays(-90), second.Streams.Single(s => s.Id == Dev).From);
        Assert.Equal(2, Rows(db, Provider.Azure).Sum(u => u.Count));
    }

    [Fact]
    public async Task AzureActivity_CredentialsRefused_NothingWritten()
    {
        // Given ARM refusing the token
        using var server = LogServer.ServeActivityLog(new LoopbackHttpServer(), _ => [], [Prod]).Fail(new LoopbackAnswer(401,
            "{\"error\":{\"code\":\"ExpiredAuthenticationToken\",\"message\":" +
            "\"The access token expiry UTC time is earlier than current UTC time.\"}}"));
        var db = Db("expired");
        using var session = new CiemSession(db);

        // When it is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => AzureActivityCollector.CollectAsync(session, Options(server), First));

        // Then it is a credentials error naming ARM's code, without the token, and no run was recorded
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.Contains("`ExpiredAuthenticationToken` (http 401)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureEstate.Token, error.Message, StringComparison.Ordinal);
        var log = $"arm-api://{server.Url.Authority}/subscriptions/{Prod}/providers/Microsoft.Insights/eventtypes/management/values";
        Assert.Null(session.Store.LatestIngestedTime("azure", log));
    }

    [Fact]
    public async Task GcpAudit_TwoRunsInPages_EqualImportOfTheSameEntriesAndNothingTwice()
    {
        // Given Admin Activity and Data Access entries of two projects (one a denied attempt, one exactly at the first window's end)
        using var server = LogServer.ServeEntries(new LoopbackHttpServer(), Records).Throttle(1);
        var end = First.AddMinutes(-30);
        const string Deployer = "deployer@acme-prod.iam.gserviceaccount.com", AcmeProd = "projects/acme-prod";
        Add(AcmeProd, LogServer.AuditEntry("acme-prod", "activity", Deployer, "compute.googleapis.com", "v1.compute.instances.insert",
            "compute.instances.create", "projects/acme-prod/zones/europe-west1-b/instances/web-1", First.AddDays(-2)));
        Add(AcmeProd, LogServer.AuditEntry("acme-prod", "data_access", Deployer, "storage.googleapis.com", "storage.objects.get",
            "storage.objects.get", "projects/_/buckets/acme-artifacts/objects/app.tar", First.AddDays(-2)));
        Add(AcmeProd, LogServer.AuditEntry("acme-prod", "activity", Deployer, "iam.googleapis.com", "SetIamPolicy",
            "resourcemanager.projects.setIamPolicy", "projects/acme-prod", First.AddDays(-1), granted: false));
        Add(AcmeProd, LogServer.AuditEntry("acme-prod", "activity", Deployer, "compute.googleapis.com", "v1.compute.instances.insert",
            "compute.instances.create", "projects/acme-prod/zones/europe-west1-b/instances/web-2", end));
        Add("projects/acme-dev", LogServer.AuditEntry("acme-dev",
            "data_access", "ana@acme.example", "storage.googleapis.com", "storage.objects.list",
            "storage.objects.list", "projects/_/buckets/acme-dev-scratch", First.AddDays(-1)));
        var db = Db("gcp");

        // When both projects are collected, one more entry arrives, and they are collected again
        LogCollectResult first, second;
        using (var session = new CiemSession(db)) { first = await GcpAuditCollector.CollectAsync(session, Gcp(server), First); }
        Add(AcmeProd, LogServer.AuditEntry("acme-prod", "data_access", Deployer, "storage.googleapis.com", "storage.objects.get",
            "storage.objects.get", "projects/_/buckets/acme-artifacts/objects/app.tar", First.AddHours(1)));
        using (var session = new CiemSession(db)) { second = await GcpAuditCollector.CollectAsync(session, Gcp(server), Second); }

        // Then the first run read three prod entries in two pages, the second the two after its end, and the store
        // (uses, denied attempts, data-access coverage) equals the file import of every entry
        var prod = first.Streams.Single(s => s.Id == AcmeProd);
        Assert.Equal((3L, 2), (prod.Records, prod.Pages));
        Assert.Equal(2L, second.Streams.Single(s => s.Id == AcmeProd).Records);
        Assert.Contains(server.Requests, r => r.Text.Contains("\"pageToken\":\"2\"", StringComparison.Ordinal));
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));
        var imported = Db("gcp-imported");
        Import(imported, StreamedUsageLog.GcpAudit, new JsonObject { ["entries"] = Everything() });
        Assert.Equal(Usage(imported, Provider.Gcp), Usage(db, Provider.Gcp));
        Assert.Equal((5L, 1L), (Rows(db, Provider.Gcp).Sum(u => u.Count), first.Counts!.Attempts + second.Counts!.Attempts));
        using var check = new CiemSession(db);
        var days = (DateOnly.FromDateTime(First.AddDays(-3).UtcDateTime), DateOnly.FromDateTime(Second.UtcDateTime));
        Assert.Contains(check.Store.LoadLogCoverage(Provider.Gcp, days.Item1, days.Item2),
            c => c.Log == "data_access" && c.Service == "storage.googleapis.com");
    }

    [Fact]
    public void RunLog_GcpDryRun_ListsTheCallsAndWritesNothing()
    {
        // Given a dry run of two projects
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);
        var options = new GcpAuditCollectOptions("123456789012")
        {
            Projects = ["acme-prod", "acme-dev"], Pull = new LogPullOptions { DryRun = true },
        };

        // When it runs
        var exit = CollectCommand.RunLog(host, true, Db("dry"), "json",
            (session, progress) => GcpAuditCollector.CollectAsync(session, options, First, progress));

        // Then it plans both projects with their window's end, and no store was created
        Assert.Equal(ExitCodes.Ok, exit);
        var summary = JsonNode.Parse(output.ToString())!;
        Assert.Equal(["projects/acme-prod", "projects/acme-dev"], summary["streams"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.All(summary["streams"]!.AsArray(), s => Assert.Equal("planned", s!["status"]!.GetValue<string>()));
        Assert.Contains("entries:list", summary["plan"]!.AsArray()[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(File.Exists(Db("dry")));
    }

    [Theory]
    [InlineData("activity,audit", "audit log `audit` is not one of")]
    [InlineData("activity", "organization `acme` is not an organization number")]
    public async Task GcpAudit_BadSetting_RefusedBeforeAnyCall(string logs, string expected)
    {
        // Given an unknown log name, or an organization given by name
        var options = new GcpAuditCollectOptions(expected.Contains("acme", StringComparison.Ordinal) ? "acme" : "123456789012")
        {
            Logs = [.. logs.Split(',')], Credential = new StaticAccess(Token), LoggingEndpoint = new Uri("http://127.0.0.1:9/"),
        };

        // When it is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => GcpAuditCollector.CollectAsync(null, options, First));

        // Then it is refused as a setting
        Assert.Equal(DiagnosticCodes.CollectBadSetting, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private void Add(string stream, JsonObject record) => _log.GetOrAdd(stream, _ => []).Add(record);

    private IEnumerable<JsonObject> Records(string stream) => [.. _log.GetValueOrDefault(stream) ?? []];

    private JsonArray Everything() => new([.. _log.Values.SelectMany(l => l).Select(e => (JsonNode)e.DeepClone())]);

    private static AzureActivityCollectOptions Options(LoopbackHttpServer server) => new()
    {
        Connection = new AzureConnection
        {
            ArmEndpoint = server.Url, GraphEndpoint = server.Url, Credential = new StaticToken(AzureEstate.Token),
            Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
        },
        Pull = new LogPullOptions { Parallelism = 2 },
    };

    private static GcpAuditCollectOptions Gcp(LoopbackHttpServer server) => new("123456789012")
    {
        Projects = ["acme-prod", "acme-dev"],
        LoggingEndpoint = server.Url,
        Credential = new StaticAccess(Token),
        Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
    };

    /// <summary>The records as one exported file, through the pipeline `ciem import azure-activity` / `gcp-audit` use.</summary>
    private void Import(string db, StreamedUsageLog log, JsonObject records)
    {
        var file = Path.Combine(_folder.FullName, $"{Path.GetFileNameWithoutExtension(db)}.json");
        File.WriteAllText(file, records.ToJsonString());
        using var session = new CiemSession(db);
        var plan = UsageIngestion.Plan(session, log, [file], out var problems)!;
        Assert.Empty(problems);
        UsageIngestion.Ingest(session, log, plan, First);
    }

    private static string Usage(string db, Provider provider) => JsonSerializer.Serialize(Rows(db, provider));

    private static System.Collections.Immutable.ImmutableArray<Ciem.Storage.UsageTotal> Rows(string db, Provider provider)
    {
        using var session = new CiemSession(db);
        return session.Store.LoadUsage(provider, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1));
    }

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    public void Dispose() => _folder.Delete(recursive: true);
}
