using System.Net;
using System.Net.Sockets;
using Ciem.App.Iac;
using Ciem.Core.Diagnostics;
using Ciem.Tests.Http;
using Xunit;

namespace Ciem.Cli.Tests.Iac;

/// <summary>
/// Where a forge token may go (#13.1): never on through a redirect, never over plain http unless the operator says so,
/// checked for format before anything is pushed, and never printed — against real loopback servers and a real git remote.
/// </summary>
public sealed class ForgeSecurityTests
{
    private const string Token = "ghp_SecretValueNeverPrinted42";
    private const string Branch = "ciem/least-privilege-2026-11-28";

    private static PullRequestRequest Request => new(Branch, "main", "Least privilege", "body");

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Theory]
    [InlineData(Forge.GitHub, 307)]
    [InlineData(Forge.GitHub, 308)]
    [InlineData(Forge.GitLab, 307)]
    [InlineData(Forge.GitLab, 302)]
    public async Task OpenAsync_RedirectToAnotherPort_NotFollowedAndTokenNeverArrivesThere(Forge forge, int status)
    {
        // Given an API that redirects every request to another server on another port
        using var elsewhere = new RecordingApiServer(_ => new ApiAnswer(201, """{"number":1,"html_url":"https://x/1","iid":1,"web_url":"https://x/1"}"""));
        using var api = new RecordingApiServer(r => new ApiAnswer(status, "",
            new Dictionary<string, string> { ["Location"] = elsewhere.BaseUrl + r.RawPath }));
        using var http = ForgeSecurity.CreateHttpClient(TimeSpan.FromSeconds(30));
        var client = PullRequestClient.Create(http, new PullRequestTarget(forge, new Uri(api.BaseUrl + "/api"), "acme/infra", "T"), Token, TimeProvider.System);

        // When a pull request is opened
        var error = await Assert.ThrowsAsync<PullRequestException>(() => client.OpenAsync(Request));

        // Then the redirect is refused by name, the other server received nothing, and the token is not in the message
        Assert.Equal(DiagnosticCodes.PullRequestRedirected, error.Code);
        Assert.Contains($"answered {status} ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"a redirect to `{elsewhere.BaseUrl}/api/", error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Single(api.Requests);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ghp_SecretValueNeverPrinted42", null)]
    [InlineData("glpat-AbCdEf_123-xyz", null)]
    [InlineData("github_pat_11ABC_def", null)]
    [InlineData("dG9rZW4=", null)]
    [InlineData("", "it is empty")]
    [InlineData("ghp_abc\n", "it begins or ends with whitespace (a newline from a file?)")]
    [InlineData("ghp_abc\r\n", "it begins or ends with whitespace (a newline from a file?)")]
    [InlineData(" ghp_abc", "it begins or ends with whitespace (a newline from a file?)")]
    [InlineData("ghp abc", "it contains whitespace")]
    [InlineData("ghp_abc\u0000", "it has characters a token cannot have (allowed: letters, digits, `-._~+/` and trailing `=`)")]
    [InlineData("ghp_é", "it has characters a token cannot have (allowed: letters, digits, `-._~+/` and trailing `=`)")]
    [InlineData("ab=c", "it has characters a token cannot have (allowed: letters, digits, `-._~+/` and trailing `=`)")]
    [InlineData("user:pass", "it has characters a token cannot have (allowed: letters, digits, `-._~+/` and trailing `=`)")]
    public void TokenProblem_Token_NamesWhatIsWrong(string token, string? expected) =>
        Assert.Equal(expected, ForgeSecurity.TokenProblem(token));

    [Theory]
    [InlineData("fatal: unable to access 'https://x-access-token:ghp_S3cret@github.com/acme/infra.git/'",
        "fatal: unable to access 'https://***@github.com/acme/infra.git/'")]
    [InlineData("push to http://ghp_S3cret@127.0.0.1:9/a.git failed", "push to http://***@127.0.0.1:9/a.git failed")]
    [InlineData("git@github.com:acme/infra.git", "git@github.com:acme/infra.git")]
    [InlineData("https://github.com/acme/infra.git", "https://github.com/acme/infra.git")]
    public void Redact_Text_HidesUserInfoOnly(string text, string expected) => Assert.Equal(expected, ForgeSecurity.Redact(text));

    [Fact]
    public void Propose_TokenWithTrailingNewline_RefusedBeforeAnyBranchOrPush()
    {
        // Given a token read whole from a file (a trailing newline) and an API that would accept it
        using var cli = ProposePullRequestTests.Setup(out var bare, out var clone);
        using var server = new RecordingApiServer(_ => new ApiAnswer(201, """{"number":1,"html_url":"https://x/1"}"""));
        cli.Environment["GITHUB_TOKEN"] = Token + "\n";

        // When a pull request is asked for
        var run = cli.Run("propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28",
            "--iac-repo", clone.Path, "--push", "origin", "--pull-request", "github", "--repository", "acme/infra",
            "--api-url", server.BaseUrl, "--allow-insecure-http");

        // Then it stops with exit 3 naming the variable and the newline, before any branch, push or request
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("error CIEM1313: the token in `GITHUB_TOKEN` cannot be sent: it begins or ends with whitespace", run.Err, StringComparison.Ordinal);
        Assert.Equal("", clone.Run("branch", "--list", Branch).Trim());
        Assert.Equal("", bare.Run("branch", "--list", Branch).Trim());
        Assert.Empty(server.Requests);
        Assert.DoesNotContain(Token, run.Out + run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_PlainHttpApiWithoutOverride_RefusedBeforeAnyBranch()
    {
        // Given an API on plain http
        using var cli = ProposePullRequestTests.Setup(out var bare, out var clone);
        using var server = new RecordingApiServer(_ => new ApiAnswer(201, """{"number":1,"html_url":"https://x/1"}"""));
        cli.Environment["GITHUB_TOKEN"] = Token;

        // When a pull request is asked for without --allow-insecure-http
        var run = cli.Run("propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28",
            "--iac-repo", clone.Path, "--push", "origin", "--pull-request", "github", "--repository", "acme/infra", "--api-url", server.BaseUrl);

        // Then it is refused: the token would travel in clear
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains($"error CIEM1312: `{server.BaseUrl}/` is plain http: the token would travel in clear", run.Err, StringComparison.Ordinal);
        Assert.Equal("", bare.Run("branch", "--list", Branch).Trim());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Propose_ApiRedirects_NotFollowedTokenStaysAndBranchIsPushed()
    {
        // Given an API answering 307 to a server on another port
        using var cli = ProposePullRequestTests.Setup(out var bare, out var clone);
        using var elsewhere = new RecordingApiServer(_ => new ApiAnswer(201, """{"number":1,"html_url":"https://x/1"}"""));
        using var api = new RecordingApiServer(r => new ApiAnswer(307, "", new Dictionary<string, string> { ["Location"] = elsewhere.BaseUrl + r.RawPath }));
        cli.Environment["GITLAB_TOKEN"] = Token;

        // When a merge request is asked for
        var run = cli.Run("propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28",
            "--iac-repo", clone.Path, "--push", "origin", "--pull-request", "gitlab", "--repository", "acme/infra",
            "--api-url", api.BaseUrl + "/api/v4", "--allow-insecure-http");

        // Then it fails with exit 1 naming the redirect, the other server saw nothing, and the token is never printed
        Assert.Equal(ExitCodes.Failure, run.Code);
        Assert.Contains("error CIEM1311: the GitLab API at", run.Err, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal("Bearer " + Token, Assert.Single(api.Requests).Headers["Authorization"]);
        Assert.DoesNotContain(Token, run.Out + run.Err, StringComparison.Ordinal);
        Assert.NotEqual("", bare.Run("rev-parse", Branch).Trim());
    }

    [Fact]
    public void Propose_RemoteWithCredentialsOverHttp_RefusedUnlessAllowedAndNeverPrinted()
    {
        // Given a clone whose push remote carries a token over plain http (to a port nobody listens on)
        using var cli = ProposePullRequestTests.Setup(out _, out var clone);
        const string Secret = "ghp_RemoteSecret0123456789";
        clone.Run("remote", "add", "leaky", $"http://x-access-token:{Secret}@127.0.0.1:{ClosedPort()}/acme/infra.git");
        var args = new[] { "propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28",
            "--iac-repo", clone.Path, "--push", "leaky" };

        // When the branch is pushed there without the override
        var refused = cli.Run(args);

        // Then it is refused before the branch exists, the remote shown without its credentials
        Assert.Equal(ExitCodes.InvalidInput, refused.Code);
        Assert.Contains("the remote `leaky` (`http://***@127.0.0.1:", refused.Err, StringComparison.Ordinal);
        Assert.Contains("carries credentials over plain http", refused.Err, StringComparison.Ordinal);
        Assert.Equal("", clone.Run("branch", "--list", Branch).Trim());

        // When the operator allows plain http and the push fails
        var failed = cli.Run([.. args, "--allow-insecure-http"]);

        // Then git's error is printed without the token, and no half-made branch stays behind
        Assert.Equal(ExitCodes.Failure, failed.Code);
        Assert.Contains("`git push -q -- leaky " + Branch + "` failed", failed.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, refused.Out + refused.Err + failed.Out + failed.Err, StringComparison.Ordinal);
        Assert.Equal("", clone.Run("branch", "--list", Branch).Trim());
        Assert.Equal("main", clone.CurrentBranch);
    }
}
