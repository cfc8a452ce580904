using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Aws;
using Ciem.Collect.Tests.Aws.Moto;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Aws;

/// <summary>
/// `ciem collect aws` against a real moto server holding an organization (management and member accounts, users,
/// groups, roles, inline and trust policies, SCP and RCP, buckets, keys, queues, topics, secrets and repositories with
/// policies, a trail with CloudTrail objects).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class CollectAwsFromMotoTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly MotoFixture _moto;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-tests-");

    public CollectAwsFromMotoTests(MotoFixture moto)
    {
        _moto = moto;
    }

    private MotoServer Moto => _moto.Server;

    [MotoFact]
    public async Task CollectAsync_OrganizationInMoto_EqualsImportOfCliExports()
    {
        // Given an organization in moto, and the `aws` CLI's exports of it imported with `ciem import aws`
        Moto.Reset();
        var estate = MotoEstate.Populate(Moto, accounts: 2, users: 3);
        var exports = _folder.CreateSubdirectory("exports").FullName;
        MotoEstate.Export(Moto, exports);
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportAwsCommand.Run(host, [exports], When, imported, "json"));
        host.CloseSessions();

        // When the same organization is collected from the APIs
        var collected = Db("collected");
        AwsCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await AwsCollector.CollectAsync(session, Options() with { CloudTrail = false }, When);
        }

        // Then every account was read and the stored inventories are the same
        Assert.Empty(result.NotRead);
        Assert.Equal([.. new[] { estate.Management }.Concat(estate.Members).Order(StringComparer.Ordinal)], result.Accounts.Select(a => a.Id));
        var fromFiles = Load(imported);
        var fromApis = Load(collected);
        Assert.Equal(3, fromApis.Accounts.Length);
        Assert.All(fromApis.Accounts, a => Assert.Equal(3, a.Users.Length));
        // moto attaches AWS's FullAWSAccess SCP and RCPFullAWSAccess RCP to the root, as AWS does
        Assert.Equal(["FullAWSAccess", "RCPFullAWSAccess", "deny-leave", "s3-tls"], fromApis.Organization!.Policies.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(OrgPolicyKind.Rcp, fromApis.Organization.Policies.Single(p => p.Name == "s3-tls").Kind);
        Assert.Equal(8, fromApis.ResourcePolicies.Length);
        Assert.Equal(["ecr", "kms", "s3", "secretsmanager", "sns", "sqs"], fromApis.ResourcePolicies.Select(p => p.Service).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3, fromApis.CredentialReports.Length);
        Assert.Equal(Canonical(fromFiles), Canonical(fromApis));
    }

    [MotoFact]
    public async Task CollectAsync_CloudTrailObjects_OnlyThoseNotYetIngestedAreRead()
    {
        // Given a trail whose bucket holds three CloudTrail objects of two events each
        Moto.Reset();
        MotoEstate.Populate(Moto, accounts: 0, users: 2, trailObjects: 3);
        var db = Db("trail");
        var options = Options() with { ResourcePolicies = new SortedSet<string>(), CredentialReport = false };

        // When it is collected three times, with one new object before the third
        using var session = new CiemSession(db);
        var first = await AwsCollector.CollectAsync(session, options, When);
        var second = await AwsCollector.CollectAsync(session, options, When);
        MotoEstate.PutTrailObject(Moto, "late");
        var third = await AwsCollector.CollectAsync(session, options, When);

        // Then the first run reads all three, the second none, the third only the new one
        Assert.Equal("s3://org-trail-logs/org/AWSLogs/", Assert.Single(first.CloudTrail!.Buckets));
        Assert.Equal(3, first.CloudTrail.Ingested!.Counts.Files);
        Assert.Equal(6, first.CloudTrail.Ingested.Counts.Events);
        Assert.Equal(3, second.CloudTrail!.ObjectsSkipped);
        Assert.Null(second.CloudTrail.Ingested);
        Assert.Equal(4, third.CloudTrail!.ObjectsListed);
        Assert.Equal(3, third.CloudTrail.ObjectsSkipped);
        Assert.Equal(1, third.CloudTrail.Ingested!.Counts.Files);
        var fourth = await AwsCollector.CollectAsync(session, options, When);
        Assert.Equal(4, fourth.CloudTrail!.ObjectsSkipped);
        Assert.Null(fourth.CloudTrail.Ingested);
    }

    [MotoFact]
    public async Task CollectAsync_MemberRoleRefused_AccountListedAndTheRestWritten()
    {
        // Given an organization collected once, and then STS refusing the member role of one account
        Moto.Reset();
        var estate = MotoEstate.Populate(Moto, accounts: 2, users: 2);
        var refused = estate.Members[0];
        var db = Db("refused");
        using var session = new CiemSession(db);
        await AwsCollector.CollectAsync(session, Options() with { CloudTrail = false }, When);
        var before = session.Store.LoadAwsInventory();
        using var sts = new LoopbackHttpServer((context, token) => StsRefusing(context, refused, token));

        // When it is collected again through that STS
        var result = await AwsCollector.CollectAsync(session, Options(("AWS_ENDPOINT_URL_STS", sts.Url.ToString())) with { CloudTrail = false },
            When.AddHours(1));

        // Then the account is listed as not read, with the reason, and the others are written
        var notRead = Assert.Single(result.NotRead);
        Assert.Equal(refused, notRead.Id);
        Assert.Contains("sts:AssumeRole", notRead.Reason, StringComparison.Ordinal);
        Assert.Contains("`AccessDenied`", notRead.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.CollectAccountNotRead && d.Message.Contains(refused, StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.CollectResourcePoliciesKept);
        // (moto draws member account ids at random, so both sides are put in one order)
        Assert.Equal(new[] { estate.Management, estate.Members[1] }.Order(StringComparer.Ordinal),
            result.Snapshot!.Snapshots.Where(s => s.Kind == "account").Select(s => s.Scope).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(result.Snapshot!.Snapshots, s => s.Scope == refused || s.Kind == "resource-policies");
        // And nothing of the refused account was replaced: its snapshot and the resource policies are those of the first run
        var after = session.Store.LoadAwsInventory();
        Assert.Equal(before.Accounts.Single(a => a.AccountId == refused).TakenAt, after.Accounts.Single(a => a.AccountId == refused).TakenAt);
        Assert.Equal(before.ResourcePolicies.Length, after.ResourcePolicies.Length);
        Assert.Contains(session.Store.ListSnapshots(), s => s.SourceFiles.Contains($"not read: account {refused} (AccessDenied)"));
    }

    [MotoFact]
    public async Task CollectAsync_BadCredentials_NamesTheCallAndWritesNothing()
    {
        // Given a moto server that authenticates every request, and keys it does not know
        using var strict = new MotoServer(new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0" });
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        var options = Options(("AWS_ENDPOINT_URL", strict.Url)) with { Credentials = new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", secret) };
        var db = Db("bad-credentials");

        // When it is collected
        using var session = new CiemSession(db);
        var error = await Assert.ThrowsAsync<CollectException>(() => AwsCollector.CollectAsync(session, options, When));

        // Then the message names the refused call and the service's reason, holds no secret, and nothing was written
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.Contains("`sts:GetCallerIdentity`", error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidClientTokenId", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
        Assert.False(session.StoreExists && session.Store.LoadAwsInventory().Accounts.Length > 0);
    }

    [MotoFact]
    public async Task CollectAsync_ServerVerifyingSignatures_AcceptsTheSignedCallsAndRefusesAWrongSecret()
    {
        // Given a moto server that checks every request's signature and permissions, and a user allowed the reads
        using var strict = new MotoServer(new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3" });
        var (keyId, secret) = MotoEstate.CollectorUser(strict);
        var options = Options(("AWS_ENDPOINT_URL", strict.Url)) with
        {
            MemberRole = null,
            CloudTrail = false,
            ResourcePolicies = new SortedSet<string> { "s3" },
        };

        // When the account is collected with the user's key, then with a wrong secret
        using var session = new CiemSession(Db("signed"));
        var result = await AwsCollector.CollectAsync(session, options with { Credentials = new BasicAWSCredentials(keyId, secret) }, When);
        var error = await Assert.ThrowsAsync<CollectException>(() =>
            AwsCollector.CollectAsync(session, options with { Credentials = new BasicAWSCredentials(keyId, secret[..^1] + "x") }, When));

        // Then the calls signed with the SDK's signer (IAM's Query protocol, Organizations' JSON protocol) are accepted,
        // and the wrong secret is refused as a credentials failure
        Assert.Empty(result.NotRead);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.CollectNoOrganization);
        var account = Assert.Single(result.Inventory!.Accounts);
        Assert.Equal(["collector"], account.Users.Select(u => u.Name));
        Assert.Single(result.Inventory.CredentialReports);
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.Contains("SignatureDoesNotMatch", error.Message, StringComparison.Ordinal);
    }

    [MotoFact]
    public async Task CollectAsync_IamTimesOut_AccountNotReadAndItsSnapshotKept()
    {
        // Given an account collected once, then an IAM endpoint that never answers
        Moto.Reset();
        var estate = MotoEstate.Populate(Moto, accounts: 0, users: 2, trailObjects: 0);
        var db = Db("timeout");
        using var session = new CiemSession(db);
        var options = Options() with { CloudTrail = false, ResourcePolicies = new SortedSet<string>() };
        await AwsCollector.CollectAsync(session, options, When);
        using var silent = new LoopbackHttpServer((_, token) => Task.Delay(Timeout.Infinite, token));

        // When it is collected again with a one-second time-out
        var result = await AwsCollector.CollectAsync(session, Options(("AWS_ENDPOINT_URL_IAM", silent.Url.ToString())) with
        {
            CloudTrail = false,
            ResourcePolicies = new SortedSet<string>(),
            Call = new CallPolicy(TimeSpan.FromSeconds(1), 1, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)),
        }, When.AddHours(1));

        // Then the account is listed as not read because of the time-out of the named call, and its snapshot is the first one
        var notRead = Assert.Single(result.NotRead);
        Assert.Equal(estate.Management, notRead.Id);
        Assert.Contains("`iam:GetAccountAuthorizationDetails` in account `123456789012` did not answer within 1 s (2 attempts)", notRead.Reason, StringComparison.Ordinal);
        var account = Assert.Single(session.Store.LoadAwsInventory().Accounts);
        Assert.Equal(When, account.TakenAt);
        Assert.Equal(2, account.Users.Length);
    }

    [MotoFact]
    public void CollectCommand_DryRun_ListsAccountsAndCallsAndWritesNothing()
    {
        // Given an organization with two member accounts
        Moto.Reset();
        var estate = MotoEstate.Populate(Moto, accounts: 2, users: 1, trailObjects: 0);
        var db = Db("dry-run");
        var output = new StringWriter();
        var host = new CliHost(output, new StringWriter(), TimeProvider.System, _ => null);

        // When `ciem collect aws --dry-run --format json` runs
        var exit = CollectCommand.Run(host, Options() with { DryRun = true }, db, "json");

        // Then it lists every account as planned with the role it would assume, and no store was created
        Assert.Equal(ExitCodes.Ok, exit);
        using var json = JsonDocument.Parse(output.ToString());
        Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.All(json.RootElement.GetProperty("accounts").EnumerateArray(), a => Assert.Equal("planned", a.GetProperty("status").GetString()));
        var plan = json.RootElement.GetProperty("plan").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.All(estate.Members, m => Assert.Contains(plan, p => p.Contains($"arn:aws:iam::{m}:role/OpenCiemReadOnly", StringComparison.Ordinal)));
        Assert.False(File.Exists(db));
    }

    private AwsCollectOptions Options(params (string Name, string Value)[] environment)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_ENDPOINT_URL"] = Moto.Url };
        foreach (var (name, value) in environment) { variables[name] = value; }
        return new AwsCollectOptions
        {
            Credentials = new BasicAWSCredentials("testing", "testing"),
            Region = "us-east-1",
            Environment = name => variables.GetValueOrDefault(name),
            Call = new CallPolicy(TimeSpan.FromSeconds(20), 2, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)),
        };
    }

    /// <summary>STS in front of moto, refusing to let anyone assume a role of <paramref name="account"/> (as AWS answers).</summary>
    private async Task StsRefusing(HttpListenerContext context, string account, CancellationToken token)
    {
        var body = await LoopbackHttpServer.Body(context);
        if (body.Contains("Action=AssumeRole", StringComparison.Ordinal) && body.Contains($"%3A{account}%3A", StringComparison.Ordinal))
        {
            await LoopbackHttpServer.Answer(context, 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>" +
                "<Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/moto is not authorized to perform: sts:AssumeRole on resource: " +
                $"arn:aws:iam::{account}:role/OpenCiemReadOnly</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>");
            return;
        }
        using var http = new HttpClient();
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri($"{Moto.Url}{context.Request.RawUrl}"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        // moto tells the service from the signature's scope
        foreach (var name in new[] { "Authorization", "X-Amz-Date", "X-Amz-Security-Token" })
        {
            if (context.Request.Headers[name] is { } value) { forward.Headers.TryAddWithoutValidation(name, value); }
        }
        using var response = await http.SendAsync(forward, token);
        await LoopbackHttpServer.Answer(context, (int)response.StatusCode, await response.Content.ReadAsStringAsync(token));
    }

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static AwsInventory Load(string db)
    {
        using var session = new CiemSession(db);
        return session.Store.LoadAwsInventory();
    }

    /// <summary>
    /// The inventory as JSON with every policy document re-serialized compactly (the CLI prints documents indented,
    /// the collector compactly), and two times left out that reading itself changes: the credential reports' generation
    /// (each side asked IAM for its own) and the last use of the read-only role (each side assumed it).
    /// </summary>
    private static string Canonical(AwsInventory inventory)
    {
        var node = JsonSerializer.SerializeToNode(inventory with
        {
            CredentialReports = [.. inventory.CredentialReports.Select(r => r with { GeneratedAt = null })],
            Accounts = [.. inventory.Accounts.Select(a => a with
            {
                Roles = [.. a.Roles.Select(r => r.Name == "OpenCiemReadOnly" ? r with { LastUsed = null } : r)],
            })],
        })!;
        return Normalize(node)!.ToJsonString();
    }

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        JsonValue v when v.TryGetValue<string>(out var s) && s.TrimStart().StartsWith('{') => TryParse(s) ?? v.DeepClone(),
        _ => node?.DeepClone(),
    };

    private static JsonNode? TryParse(string text)
    {
        try { return Normalize(JsonNode.Parse(text)); }
        catch (JsonException) { return null; }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
