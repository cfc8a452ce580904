using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Ciem.Collect.Aws;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Aws;

/// <summary>
/// The calls signed here against local servers answering with the documented shapes: IAM's `Marker` pagination,
/// throttling (`Throttling`, 429 with Retry-After), errors of the Query and JSON protocols, and the SigV4 headers.
/// </summary>
public sealed class AwsCallerTests
{
    private static readonly CallPolicy Fast = new(TimeSpan.FromSeconds(5), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2));

    [Fact]
    public async Task ReadAsync_AuthorizationDetailsInTwoPages_FollowsTheMarkerAndReadsBoth()
    {
        // Given IAM answering `GetAccountAuthorizationDetails` in two pages linked by `Marker`
        var bodies = new ConcurrentQueue<string>();
        using var iam = new LoopbackHttpServer(async (context, _) =>
        {
            var body = await LoopbackHttpServer.Body(context);
            bodies.Enqueue(body);
            var second = body.Contains("Marker=page2", StringComparison.Ordinal);
            await LoopbackHttpServer.Answer(context, 200, Page(second ? "bob" : "alice", truncated: !second));
        });
        var caller = Caller(iam, "AWS_ENDPOINT_URL_IAM");

        // When the account is read
        var read = await new AwsAccountReader(caller, _ => throw new InvalidOperationException("no s3 here"),
            new AwsCollectOptions { CredentialReport = false, ResourcePolicies = new SortedSet<string>(), PageSize = 1 }).ReadAsync("111122223333", default);

        // Then both pages were asked for, the second with the first's marker, and the reader finds both users
        Assert.Equal(2, read.AuthorizationPages.Count);
        Assert.Contains("MaxItems=1", bodies.First(), StringComparison.Ordinal);
        Assert.DoesNotContain("Marker=", bodies.First(), StringComparison.Ordinal);
        var reader = new AuthorizationDetailsReader(DateTimeOffset.UnixEpoch);
        foreach (var (name, json) in read.AuthorizationPages) { reader.Add(new MemoryStream(json), name); }
        var details = reader.Build();
        Assert.Empty(details.Diagnostics);
        Assert.Equal(["alice", "bob"], details.Value.Accounts.Single().Users.Select(u => u.Name).Order(StringComparer.Ordinal));
        var alice = details.Value.Accounts.Single().Users.Single(u => u.Name == "alice");
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}", alice.InlinePolicies.Single().Document);
    }

    [Fact]
    public async Task QueryAsync_ThrottledThenTooManyRequests_RetriesHonouringRetryAfter()
    {
        // Given IAM answering `Throttling`, then 429 with `Retry-After: 1`, then the page
        var calls = 0;
        using var iam = new LoopbackHttpServer(async (context, _) =>
        {
            await LoopbackHttpServer.Body(context);
            switch (Interlocked.Increment(ref calls))
            {
                case 1:
                    await LoopbackHttpServer.Answer(context, 400, Error("Throttling", "Rate exceeded"));
                    break;
                case 2:
                    await LoopbackHttpServer.Answer(context, 429, Error("TooManyRequests", "slow down"), headers: ("Retry-After", "1"));
                    break;
                default:
                    await LoopbackHttpServer.Answer(context, 200, Page("alice", truncated: false));
                    break;
            }
        });
        var caller = Caller(iam, "AWS_ENDPOINT_URL_IAM");

        // When the call is made
        var watch = Stopwatch.StartNew();
        var result = await caller.QueryAsync(AwsService.Iam, "GetAccountAuthorizationDetails", "2010-05-08", null, default);

        // Then it succeeded on the third attempt, after waiting the second second the server asked for
        Assert.Equal(3, calls);
        Assert.Equal("false", AwsAccountReader.Child(result, "IsTruncated"));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task QueryAsync_ThrottledBeyondTheRetries_FailsNamingTheCall()
    {
        // Given IAM that always throttles
        var calls = 0;
        using var iam = new LoopbackHttpServer(async (context, _) =>
        {
            Interlocked.Increment(ref calls);
            await LoopbackHttpServer.Answer(context, 400, Error("Throttling", "Rate exceeded"));
        });
        var caller = Caller(iam, "AWS_ENDPOINT_URL_IAM");

        // When the call is made
        var error = await Assert.ThrowsAsync<CollectException>(() => caller.QueryAsync(AwsService.Iam, "GetAccountAuthorizationDetails", "2010-05-08", null, default));

        // Then it gave up after the retries with the service's words
        Assert.Equal(4, calls);
        Assert.Equal(DiagnosticCodes.CollectCallFailed, error.Code);
        Assert.Equal("`iam:GetAccountAuthorizationDetails` in account `111122223333` was refused with `Throttling`: Rate exceeded", error.Message);
    }

    [Fact]
    public async Task JsonAsync_AccessDenied_NotRetriedAndNamedWithTheServiceCode()
    {
        // Given Organizations refusing with the JSON protocol's error shape
        var calls = 0;
        var targets = new ConcurrentQueue<string?>();
        using var organizations = new LoopbackHttpServer(async (context, _) =>
        {
            Interlocked.Increment(ref calls);
            targets.Enqueue(context.Request.Headers["X-Amz-Target"]);
            await LoopbackHttpServer.Answer(context, 400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"You don't have permissions to access this resource.\"}",
                "application/x-amz-json-1.1");
        });
        var caller = Caller(organizations, "AWS_ENDPOINT_URL_ORGANIZATIONS");

        // When a call is made
        var error = await Assert.ThrowsAsync<CollectException>(() => caller.JsonAsync(AwsService.Organizations, "AWSOrganizationsV20161128", "ListRoots", new { }, default));

        // Then it was made once, with the target, and the failure names the call and the code
        Assert.Equal(1, calls);
        Assert.Equal("AWSOrganizationsV20161128.ListRoots", Assert.Single(targets));
        Assert.Equal("AccessDeniedException", error.ServiceCode);
        Assert.Contains("`organizations:ListRoots` in account `111122223333` was refused with `AccessDeniedException`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_SessionCredentials_SignedWithTheSdkSignerAndToken()
    {
        // Given a server that records the headers
        var headers = new ConcurrentQueue<WebHeaderCollection>();
        using var iam = new LoopbackHttpServer(async (context, _) =>
        {
            headers.Enqueue((WebHeaderCollection)context.Request.Headers);
            await LoopbackHttpServer.Answer(context, 200, Page("alice", truncated: false));
        });
        var caller = Caller(iam, "AWS_ENDPOINT_URL_IAM", new SessionAWSCredentials("ASIAEXAMPLE", "secret", "the-session-token"));

        // When a call is made
        await caller.QueryAsync(AwsService.Iam, "GetAccountAuthorizationDetails", "2010-05-08", null, default);

        // Then it carries a SigV4 authorization for IAM in us-east-1, the date and the session token, and no secret
        var sent = Assert.Single(headers);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/", sent["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/us-east-1/iam/aws4_request, SignedHeaders=", sent["Authorization"], StringComparison.Ordinal);
        Assert.DoesNotContain("secret", sent["Authorization"], StringComparison.Ordinal);
        Assert.Equal("the-session-token", sent["X-Amz-Security-Token"]);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", sent["X-Amz-Date"]);
    }

    [Fact]
    public async Task ReadAsync_LambdaFunctionsOverTwoPages_PoliciesOfThoseThatHaveOne()
    {
        // Given Lambda listing two functions over two pages (`NextMarker`), one with a resource policy and one without
        var paths = new ConcurrentQueue<string>();
        using var lambda = new LoopbackHttpServer(async (context, _) =>
        {
            var path = context.Request.RawUrl!;
            paths.Enqueue(path);
            const string json = "application/json";
            if (path == "/2015-03-31/functions/")
            {
                await LoopbackHttpServer.Answer(context, 200, Functions("orders", "NEXT/page=="), json);
            }
            else if (path.StartsWith("/2015-03-31/functions/?Marker=", StringComparison.Ordinal))
            {
                await LoopbackHttpServer.Answer(context, 200, Functions("billing", null), json);
            }
            else if (path == "/2015-03-31/functions/orders/policy")
            {
                await LoopbackHttpServer.Answer(context, 200, "{\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\",\"RevisionId\":\"4843f2f6\"}", json);
            }
            else
            {
                await LoopbackHttpServer.Answer(context, 404, "{\"Type\":\"User\",\"Message\":\"The resource you requested does not exist.\"}", json,
                    ("x-amzn-ErrorType", "ResourceNotFoundException"));
            }
        });
        var caller = Caller(lambda, "AWS_ENDPOINT_URL_LAMBDA");

        // When the account's Lambda resource policies are read
        var read = new AccountRead("111122223333");
        await new AwsAccountReader(caller, _ => throw new InvalidOperationException("no s3 here"),
            new AwsCollectOptions { CredentialReport = false, ResourcePolicies = new SortedSet<string> { "lambda" }, Regions = ["eu-west-1"] })
            .ResourcePoliciesAsync(read, default);

        // Then both pages were listed (the marker passed encoded), the policy kept, the function without one left out
        Assert.Contains("/2015-03-31/functions/?Marker=NEXT%2Fpage%3D%3D", paths);
        Assert.True(read.ResourcePoliciesComplete);
        var (arn, value) = Assert.Single(read.ResourcePolicies);
        Assert.Equal("arn:aws:lambda:eu-west-1:111122223333:function:orders", arn);
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", value["Policy"]!.GetValue<string>());
    }

    [Fact]
    public async Task QueryAsync_ExpiredToken_CredentialsDiagnostic()
    {
        // Given IAM refusing an expired session token
        using var iam = new LoopbackHttpServer(async (context, _) =>
            await LoopbackHttpServer.Answer(context, 403, Error("ExpiredToken", "The security token included in the request is expired")));
        var caller = Caller(iam, "AWS_ENDPOINT_URL_IAM");

        // When a call is made
        var error = await Assert.ThrowsAsync<CollectException>(() => caller.QueryAsync(AwsService.Iam, "GetAccountAuthorizationDetails", "2010-05-08", null, default));

        // Then it is a credentials failure naming the call and the reason
        Assert.Equal(DiagnosticCodes.CollectCredentials, error.Code);
        Assert.Equal("`iam:GetAccountAuthorizationDetails` in account `111122223333` was refused with `ExpiredToken`: The security token included in the request is expired", error.Message);
    }

    private static string Functions(string name, string? next) =>
        $"{{\"Functions\":[{{\"FunctionName\":\"{name}\",\"FunctionArn\":\"arn:aws:lambda:eu-west-1:111122223333:function:{name}\",\"Runtime\":\"python3.12\"}}]" +
        (next is null ? "}" : $",\"NextMarker\":\"{next}\"}}");

    [Fact]
    public void ErrorOf_RestJsonAnswer_TakesTheErrorTypeHeader()
    {
        // Given a Lambda (REST-JSON) error: the code in `x-amzn-ErrorType`, the message in the body
        var answer = new AwsAnswer(404, "{\"Type\":\"User\",\"Message\":\"The resource you requested does not exist.\"}"u8.ToArray(), null,
            "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/");

        // When it is read
        var (code, message) = AwsCaller.ErrorOf(answer);

        // Then the code is the header's first part
        Assert.Equal("ResourceNotFoundException", code);
        Assert.Equal("The resource you requested does not exist.", message);
    }

    private static AwsCaller Caller(LoopbackHttpServer server, string variable, AWSCredentials? credentials = null)
    {
        var endpoints = new AwsEndpoints(name => name == variable ? server.Url.ToString() : null, null);
        return new AwsCaller(new HttpClient(), endpoints, credentials ?? new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1", "111122223333", Fast);
    }

    private static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>" +
        "<RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>";

    /// <summary>One page of `GetAccountAuthorizationDetails` as IAM answers it (policy documents URL-encoded).</summary>
    private static string Page(string user, bool truncated) => $"""
        <GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <GetAccountAuthorizationDetailsResult>
            <IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>
            {(truncated ? "<Marker>page2</Marker>" : "")}
            <UserDetailList>
              <member>
                <GroupList/>
                <AttachedManagedPolicies/>
                <UserId>AIDACKCEVSQ6C2EXAMPLE{user.Length}</UserId>
                <Path>/</Path>
                <UserName>{user}</UserName>
                <Arn>arn:aws:iam::111122223333:user/{user}</Arn>
                <CreateDate>2013-10-14T18:32:24Z</CreateDate>
                <UserPolicyList>
                  <member>
                    <PolicyName>read</PolicyName>
                    <PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D</PolicyDocument>
                  </member>
                </UserPolicyList>
              </member>
            </UserDetailList>
            <GroupDetailList/>
            <RoleDetailList/>
            <Policies/>
          </GetAccountAuthorizationDetailsResult>
          <ResponseMetadata><RequestId>92e79ae7-7399-11e4-8c85-4b53eEXAMPLE</RequestId></ResponseMetadata>
        </GetAccountAuthorizationDetailsResponse>
        """;
}
