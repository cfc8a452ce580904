using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ciem.App.Iac;
using Ciem.Core.Diagnostics;
using Ciem.Tests.Http;
using Xunit;

namespace Ciem.Cli.Tests.Iac;

public sealed class PullRequestClientTests
{
    private const string Token = "ghp_TestToken0123456789abcdef";

    private static readonly PullRequestRequest Request = new("ciem/least-privilege-2026-11-28", "main", "Least privilege for 1 identity (OpenCIEM)", "# Least-privilege policies\n\n| identity | … |\n");

    private static string GitHubPull(int number) => $$$"""
        {"url":"https://api.github.com/repos/acme/infra/pulls/{{{number}}}","id":1{{{number}}},"node_id":"PR_kw","html_url":"https://github.com/acme/infra/pull/{{{number}}}",
         "number":{{{number}}},"state":"open","title":"Least privilege","head":{"label":"acme:ciem/least-privilege-2026-11-28","ref":"ciem/least-privilege-2026-11-28"},
         "base":{"label":"acme:main","ref":"main"}}
        """;

    private static string GitLabMergeRequest(int iid) => $$"""
        {"id":9{{iid}},"iid":{{iid}},"project_id":42,"title":"Least privilege","state":"opened","source_branch":"ciem/least-privilege-2026-11-28",
         "target_branch":"main","web_url":"https://gitlab.example.com/acme/platform/infra/-/merge_requests/{{iid}}"}
        """;

    private static PullRequestClient Client(RecordingApiServer server, Forge forge, string repository, string apiPath, HttpClient http) =>
        PullRequestClient.Create(http, new PullRequestTarget(forge, new Uri(server.BaseUrl + apiPath), repository, forge == Forge.GitHub ? "GITHUB_TOKEN" : "GITLAB_TOKEN"), Token, TimeProvider.System);

    [Fact]
    public async Task OpenAsync_GitHubWithoutOpenPullRequest_CreatesItWithTheDocumentedRequest()
    {
        // Given a GitHub Enterprise API with no open pull request for the branch
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, "[]") : new ApiAnswer(201, GitHubPull(7)));
        using var http = new HttpClient();

        // When the pull request is opened
        var result = await Client(server, Forge.GitHub, "acme/infra", "/api/v3", http).OpenAsync(Request);

        // Then the open pull requests of the branch are listed, then one is created with title, head, base and body
        Assert.Equal(new PullRequestResult(7, "https://github.com/acme/infra/pull/7", Updated: false), result);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("GET", requests[0].Method);
        Assert.Equal("/api/v3/repos/acme/infra/pulls?state=open&head=acme%3Aciem%2Fleast-privilege-2026-11-28", requests[0].RawPath);
        Assert.Equal("POST", requests[1].Method);
        Assert.Equal("/api/v3/repos/acme/infra/pulls", requests[1].RawPath);
        foreach (var r in requests)
        {
            Assert.Equal("application/vnd.github+json", r.Headers["Accept"]);
            Assert.Equal("2022-11-28", r.Headers["X-GitHub-Api-Version"]);
            Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]);
            Assert.StartsWith("OpenCIEM/", r.Headers["User-Agent"], StringComparison.Ordinal);
        }
        Assert.StartsWith("application/json", requests[1].Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(requests[1].Body);
        Assert.Equal(["title", "head", "base", "body"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Request.Title, body.RootElement.GetProperty("title").GetString());
        Assert.Equal("ciem/least-privilege-2026-11-28", body.RootElement.GetProperty("head").GetString());
        Assert.Equal("main", body.RootElement.GetProperty("base").GetString());
        Assert.Equal(Request.Body, body.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task OpenAsync_GitHubPullRequestAlreadyOpen_UpdatesItInsteadOfFailing()
    {
        // Given an open pull request #12 for the branch
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, $"[{GitHubPull(12)}]") : new ApiAnswer(200, GitHubPull(12)));
        using var http = new HttpClient();

        // When the pull request is opened again
        var result = await Client(server, Forge.GitHub, "acme/infra", "", http).OpenAsync(Request);

        // Then #12 is updated (PATCH) with the new title and body and nothing is created
        Assert.Equal(new PullRequestResult(12, "https://github.com/acme/infra/pull/12", Updated: true), result);
        var patch = server.Requests.ToArray()[1];
        Assert.Equal("PATCH", patch.Method);
        Assert.Equal("/repos/acme/infra/pulls/12", patch.RawPath);
        using var body = JsonDocument.Parse(patch.Body);
        Assert.Equal(Request.Body, body.RootElement.GetProperty("body").GetString());
        Assert.Equal("main", body.RootElement.GetProperty("base").GetString());
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task OpenAsync_GitLabSubgroupProject_PostsToTheUrlEncodedProjectWithPrivateToken()
    {
        // Given a self-managed GitLab with no open merge request for the branch
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, "[]") : new ApiAnswer(201, GitLabMergeRequest(5)));
        using var http = new HttpClient();

        // When the merge request is opened for a project in a subgroup
        var result = await Client(server, Forge.GitLab, "acme/platform/infra", "/api/v4", http).OpenAsync(Request);

        // Then the project path is URL-encoded, the token goes as a bearer token and the body has the documented fields
        Assert.Equal(new PullRequestResult(5, "https://gitlab.example.com/acme/platform/infra/-/merge_requests/5", Updated: false), result);
        var requests = server.Requests.ToArray();
        Assert.Equal("/api/v4/projects/acme%2Fplatform%2Finfra/merge_requests?state=opened&source_branch=ciem%2Fleast-privilege-2026-11-28", requests[0].RawPath);
        Assert.Equal("POST", requests[1].Method);
        Assert.Equal("/api/v4/projects/acme%2Fplatform%2Finfra/merge_requests", requests[1].RawPath);
        Assert.All(requests, r => Assert.Equal("Bearer " + Token, r.Headers["Authorization"]));
        Assert.All(requests, r => Assert.False(r.Headers.ContainsKey("PRIVATE-TOKEN")));
        using var body = JsonDocument.Parse(requests[1].Body);
        Assert.Equal("ciem/least-privilege-2026-11-28", body.RootElement.GetProperty("source_branch").GetString());
        Assert.Equal("main", body.RootElement.GetProperty("target_branch").GetString());
        Assert.Equal(Request.Title, body.RootElement.GetProperty("title").GetString());
        Assert.Equal(Request.Body, body.RootElement.GetProperty("description").GetString());
    }

    [Fact]
    public async Task OpenAsync_GitLabConflictOnCreate_FindsAndUpdatesTheOpenMergeRequest()
    {
        // Given a merge request opened by someone else between the search and the create (409 Conflict)
        var lists = 0;
        using var server = new RecordingApiServer(r => (r.Method, lists) switch
        {
            ("GET", 0) => Answer(ref lists, new ApiAnswer(200, "[]")),
            ("GET", _) => new ApiAnswer(200, $"[{GitLabMergeRequest(3)}]"),
            ("POST", _) => new ApiAnswer(409, """{"message":["Another open merge request already exists for this source branch: !3"]}"""),
            _ => new ApiAnswer(200, GitLabMergeRequest(3)),
        });
        using var http = new HttpClient();

        // When the merge request is opened
        var result = await Client(server, Forge.GitLab, "acme/infra", "/api/v4", http).OpenAsync(Request);

        // Then !3 is updated with PUT
        Assert.True(result.Updated);
        Assert.Equal(3, result.Number);
        Assert.Equal(["GET", "POST", "GET", "PUT"], server.Requests.Select(r => r.Method));
        var put = server.Requests.Last();
        Assert.Equal("/api/v4/projects/acme%2Finfra/merge_requests/3", put.RawPath);
        using var body = JsonDocument.Parse(put.Body);
        Assert.Equal(Request.Body, body.RootElement.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""", "rejected the token in `$GITHUB_TOKEN` (401 Unauthorized: Bad credentials): check that it holds a valid token")]
    [InlineData(403, """{"message":"Resource not accessible by personal access token"}""", "may not open a pull request on `acme/infra` (403 Forbidden: Resource not accessible by personal access token): check its scopes")]
    [InlineData(404, """{"message":"Not Found"}""", "`acme/infra` was not found at")]
    public async Task OpenAsync_GitHubRefuses_ThrowsWhatToCheckWithoutTheToken(int status, string body, string expected)
    {
        // Given an API that refuses every request
        using var server = new RecordingApiServer(_ => new ApiAnswer(status, body));
        using var http = new HttpClient();

        // When the pull request is opened
        var error = await Assert.ThrowsAsync<PullRequestException>(() => Client(server, Forge.GitHub, "acme/infra", "", http).OpenAsync(Request));

        // Then the message says what to check, never the token, and nothing is retried
        Assert.Equal(DiagnosticCodes.PullRequestRejected, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OpenAsync_GitHubValidationFailed_NamesTheBranchesAndTheApiErrors()
    {
        // Given a base branch GitHub does not know (422 Validation Failed)
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, "[]")
            : new ApiAnswer(422, """{"message":"Validation Failed","errors":[{"resource":"PullRequest","field":"base","code":"invalid"}],"documentation_url":"https://docs.github.com/rest/pulls/pulls#create-a-pull-request","status":"422"}"""));
        using var http = new HttpClient();

        // When the pull request is opened
        var error = await Assert.ThrowsAsync<PullRequestException>(() => Client(server, Forge.GitHub, "acme/infra", "", http).OpenAsync(Request));

        // Then the message carries GitHub's reason and says which branches to check
        Assert.Equal("GitHub refused the pull request from `ciem/least-privilege-2026-11-28` into `main` (422 Unprocessable Entity: Validation Failed; PullRequest base invalid): check that `main` exists on the remote and that `ciem/least-privilege-2026-11-28` has commits it does not have", error.Message);
    }

    [Fact]
    public async Task OpenAsync_RateLimitedWithRetryAfter_WaitsAndRetries()
    {
        // Given a first answer saying the rate limit is exhausted, retry after one second
        var first = true;
        using var server = new RecordingApiServer(r =>
        {
            if (first)
            {
                first = false;
                return new ApiAnswer(403, """{"message":"API rate limit exceeded for user ID 1."}""", new Dictionary<string, string> { ["Retry-After"] = "1", ["x-ratelimit-remaining"] = "0" });
            }
            return r.Method == "GET" ? new ApiAnswer(200, "[]") : new ApiAnswer(201, GitHubPull(8));
        });
        using var http = new HttpClient();
        var started = DateTimeOffset.UtcNow;

        // When the pull request is opened
        var result = await Client(server, Forge.GitHub, "acme/infra", "", http).OpenAsync(Request);

        // Then the list is asked again after the wait and the pull request is created
        Assert.Equal(8, result.Number);
        Assert.Equal(["GET", "GET", "POST"], server.Requests.Select(r => r.Method));
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task OpenAsync_RateLimitResetTooFar_FailsWithTheRetryTime()
    {
        // Given GitLab answering 429 with a wait of an hour
        using var server = new RecordingApiServer(_ => new ApiAnswer(429, """{"message":"Retry later"}""", new Dictionary<string, string> { ["Retry-After"] = "3600" }));
        using var http = new HttpClient();

        // When the merge request is opened
        var error = await Assert.ThrowsAsync<PullRequestException>(() => Client(server, Forge.GitLab, "acme/infra", "/api/v4", http).OpenAsync(Request));

        // Then it gives up at once and says when to retry
        Assert.Equal(DiagnosticCodes.PullRequestRateLimited, error.Code);
        Assert.Contains("the GitLab API is rate limiting this token (429 Too Many Requests: Retry later): retry after ", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OpenAsync_NothingListening_ThrowsUnreachable()
    {
        // Given an API address where nothing listens
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var http = new HttpClient();
        var client = PullRequestClient.Create(http, new PullRequestTarget(Forge.GitHub, new Uri($"http://127.0.0.1:{port}"), "acme/infra", "GITHUB_TOKEN"), Token, TimeProvider.System);

        // When the pull request is opened
        var error = await Assert.ThrowsAsync<PullRequestException>(() => client.OpenAsync(Request));

        // Then the failure says the API cannot be reached
        Assert.Equal(DiagnosticCodes.PullRequestUnreachable, error.Code);
        Assert.StartsWith($"cannot reach the GitHub API at `http://127.0.0.1:{port}/`", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/acme/infra.git", "https", "github.com", "acme/infra")]
    [InlineData("git@github.com:acme/infra.git", "ssh", "github.com", "acme/infra")]
    [InlineData("ssh://git@gitlab.example.com:2222/acme/platform/infra.git", "ssh", "gitlab.example.com", "acme/platform/infra")]
    [InlineData("https://gitlab.com/acme/platform/infra", "https", "gitlab.com", "acme/platform/infra")]
    public void Parse_RemoteUrl_ReturnsHostAndRepository(string url, string scheme, string host, string path)
    {
        // Given a remote URL / When it is parsed / Then host and repository path are found
        Assert.Equal((scheme, host, path), ForgeRemote.Parse(url));
    }

    [Theory]
    [InlineData("/srv/git/infra.git")]
    [InlineData("../remote.git")]
    [InlineData("C:/repos/infra")]
    public void Parse_LocalPath_ReturnsNull(string url) => Assert.Null(ForgeRemote.Parse(url));

    [Theory]
    [InlineData(Forge.GitHub, "https", "github.com", "https://api.github.com/")]
    [InlineData(Forge.GitHub, "ssh", "github.example.com", "https://github.example.com/api/v3")]
    [InlineData(Forge.GitLab, "https", "gitlab.com", "https://gitlab.com/api/v4")]
    public void DefaultApi_Host_IsTheDocumentedBase(Forge forge, string scheme, string host, string expected) =>
        Assert.Equal(new Uri(expected), ForgeRemote.DefaultApi(forge, scheme, host));

    private static ApiAnswer Answer(ref int counter, ApiAnswer answer)
    {
        counter++;
        return answer;
    }
}
