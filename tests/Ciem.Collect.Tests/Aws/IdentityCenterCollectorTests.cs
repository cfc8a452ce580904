using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Ciem.App;
using Ciem.Cli;
using Ciem.Cli.Commands;
using Ciem.Collect.Aws;
using Ciem.Collect.Okta;
using Ciem.Core.Directories;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Aws;

/// <summary>
/// `ciem collect identity-center` against a loopback server answering SSO Admin's and Identity Store's JSON protocol
/// (`X-Amz-Target`, `NextToken` pages, `{"__type", "Message"}` errors) from samples/directory/identity-center.json.
/// </summary>
public sealed class IdentityCenterCollectorTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ciem-collect-sso-");
    private readonly JsonObject _sample = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("samples", "directory", "identity-center.json")))!.AsObject();

    [Fact]
    public async Task CollectAsync_SampleInstanceWithUsersInPages_EqualsImportOfTheBundle()
    {
        // Given the sample instance served, users one per page, the first call throttled
        using var server = Serve(new LoopbackHttpServer()).Fail(new LoopbackAnswer(400,
            "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}", "application/x-amz-json-1.1"), times: 1);
        var imported = Db("imported");
        var host = new CliHost(new StringWriter(), new StringWriter(), TimeProvider.System, _ => null);
        Assert.Equal(ExitCodes.Ok, ImportDirectoryCommand.Run(host, "identity-center", [TestPaths.Repo("samples", "directory", "identity-center.json")], When, imported, "json"));
        host.CloseSessions();

        // When the instance is collected
        var collected = Db("collected");
        DirectoryCollectResult result;
        using (var session = new CiemSession(collected))
        {
            result = await IdentityCenterCollector.CollectAsync(session, Options(server), When);
        }

        // Then the users were read page by page with SigV4 for identitystore, and the snapshot is the import's
        var users = _sample["list-users"]!["Users"]!.AsArray().Count;
        Assert.Equal(users, server.Requests.Count(r => r.Headers["X-Amz-Target"] == "AWSIdentityStore.ListUsers"));
        Assert.Contains(server.Requests, r => r.Headers["Authorization"]!.Contains("/us-east-1/identitystore/aws4_request", StringComparison.Ordinal));
        Assert.Contains(server.Requests, r => r.Headers["Authorization"]!.Contains("/us-east-1/sso/aws4_request", StringComparison.Ordinal));
        Assert.Equal(users, result.Snapshot!.Users.Length);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(JsonSerializer.Serialize(Load(imported)), JsonSerializer.Serialize(Load(collected)));
    }

    [Fact]
    public async Task CollectAsync_AssignmentsRefused_NothingWritten()
    {
        // Given SSO Admin refusing to list an account's assignments
        using var server = Serve(new LoopbackHttpServer());
        var db = Db("refused");
        using var session = new CiemSession(db);
        server.Map("POST", "/", r => r.Headers["X-Amz-Target"] == "SWBExternalService.ListAccountAssignments"
            ? new LoopbackAnswer(400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"User is not authorized to perform: sso:ListAccountAssignments\"}", "application/x-amz-json-1.1")
            : Answer(r));

        // When the instance is collected
        var error = await Assert.ThrowsAsync<CollectException>(() => IdentityCenterCollector.CollectAsync(session, Options(server), When));

        // Then the error names the call and the service's code, and no directory was written
        Assert.Equal("AccessDeniedException", error.ServiceCode);
        Assert.Contains("sso:ListAccountAssignments", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Store.LoadDirectories());
    }

    private AwsCollectOptions Options(LoopbackHttpServer server) => new()
    {
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        Region = "us-east-1",
        Environment = name => name == "AWS_ENDPOINT_URL" ? server.Url.ToString() : null,
        Call = new CallPolicy(TimeSpan.FromSeconds(10), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2)),
    };

    private LoopbackHttpServer Serve(LoopbackHttpServer server) => server.Map("POST", "/", Answer);

    /// <summary>The JSON protocol's answers from the sample: the target names the action, the body its parameters.</summary>
    private LoopbackAnswer Answer(LoopbackRequest request)
    {
        const string Json = "application/x-amz-json-1.1";
        var body = JsonNode.Parse(request.Text)!.AsObject();
        string P(string name) => body[name]!.GetValue<string>();
        JsonNode Keyed(string member, params string[] keys) =>
            keys.Aggregate((JsonNode?)_sample[member], (node, key) => node?[key])?.DeepClone() ?? new JsonObject();
        JsonNode answer = request.Headers["X-Amz-Target"] switch
        {
            "SWBExternalService.ListInstances" => _sample["list-instances"]!.DeepClone(),
            "AWSIdentityStore.ListUsers" => UsersPage(body["NextToken"]?.GetValue<string>()),
            "AWSIdentityStore.ListGroups" => _sample["list-groups"]!.DeepClone(),
            "AWSIdentityStore.ListGroupMemberships" => Keyed("list-group-memberships", P("GroupId")),
            "SWBExternalService.ListPermissionSets" => _sample["list-permission-sets"]!.DeepClone(),
            "SWBExternalService.DescribePermissionSet" => Keyed("describe-permission-set", P("PermissionSetArn")),
            "SWBExternalService.GetInlinePolicyForPermissionSet" => Keyed("get-inline-policy-for-permission-set", P("PermissionSetArn")) is JsonObject { Count: > 0 } o
                ? o : new JsonObject { ["InlinePolicy"] = "" },
            "SWBExternalService.ListManagedPoliciesInPermissionSet" => Keyed("list-managed-policies-in-permission-set", P("PermissionSetArn")),
            "SWBExternalService.ListCustomerManagedPolicyReferencesInPermissionSet" => new JsonObject { ["CustomerManagedPolicyReferences"] = new JsonArray() },
            "SWBExternalService.GetPermissionsBoundaryForPermissionSet" => null!,
            "SWBExternalService.ListAccountsForProvisionedPermissionSet" => new JsonObject
            {
                ["AccountIds"] = new JsonArray([.. _sample["list-account-assignments"]!.AsObject().Where(a => a.Value![P("PermissionSetArn")] is not null).Select(a => (JsonNode)a.Key)]),
            },
            "SWBExternalService.ListAccountAssignments" => Keyed("list-account-assignments", P("AccountId"), P("PermissionSetArn")),
            var other => throw new InvalidOperationException($"unexpected call {other}"),
        };
        return answer is null
            ? new LoopbackAnswer(400, "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Could not find PermissionsBoundary\"}", Json)
            : new LoopbackAnswer(200, answer.ToJsonString(), Json);
    }

    /// <summary>`ListUsers` one user per page, `NextToken` the next user's index.</summary>
    private JsonObject UsersPage(string? token)
    {
        var users = _sample["list-users"]!["Users"]!.AsArray();
        var at = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        var page = new JsonObject { ["Users"] = new JsonArray(users[at]!.DeepClone()) };
        if (at + 1 < users.Count) { page["NextToken"] = (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture); }
        return page;
    }

    private string Db(string name) => Path.Combine(_folder.FullName, $"{name}.db");

    private static DirectorySnapshot Load(string db)
    {
        using var session = new CiemSession(db);
        return Assert.Single(session.Store.LoadDirectories());
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
