using System.Text.Json;
using Ciem.App.Iac;
using Ciem.Cli.Tests.Usage;
using Ciem.Tests.Http;
using Xunit;

namespace Ciem.Cli.Tests.Iac;

/// <summary>`ciem propose --iac-repo --push origin --pull-request …` end to end: a real bare remote, a real local HTTP API.</summary>
public sealed class ProposePullRequestTests
{
    private const string Token = "ghp_SecretValueNeverPrinted42";
    private const string Branch = "ciem/least-privilege-2026-11-28";

    private const string WorkerTf = """
        resource "aws_iam_role" "worker" {
          name = "app-worker"
        }

        resource "aws_iam_role_policy" "worker" {
          role   = aws_iam_role.worker.name
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
        }

        """;

    [Fact]
    public void Propose_PushWithGitHubPullRequest_PushesOpensThePullRequestAndRecordsTheReduction()
    {
        // Given the sample estate with a month of usage, a clone of a bare remote defining app-worker, and a GitHub API
        using var cli = Setup(out var bare, out var clone);
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, "[]")
            : new ApiAnswer(201, """{"number":31,"html_url":"https://github.example.com/acme/infra/pull/31","state":"open"}"""));
        cli.Environment["GITHUB_TOKEN"] = Token;

        // When the proposal is delivered as a pull request
        var outDir = Path.Combine(cli.Home, "proposals");
        var run = cli.Run("propose", "app-worker", "--out", outDir, "--db", cli.Db, "--as-of", "2026-11-28", "--iac-repo", clone.Path, "--push", "origin",
            "--pull-request", "github", "--repository", "acme/infra", "--api-url", server.BaseUrl + "/api/v3", "--allow-insecure-http", "--format", "json");

        // Then the branch is on the remote and the pull request was created from it into main, with PR.md as its body
        Assert.True(run.Code == 0, run.Err);
        var commit = bare.Run("rev-parse", Branch).Trim();
        var post = Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v3/repos/acme/infra/pulls", post.RawPath);
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(Branch, body.RootElement.GetProperty("head").GetString());
        Assert.Equal("main", body.RootElement.GetProperty("base").GetString());
        Assert.Equal("Least privilege for 1 identity (OpenCIEM)", body.RootElement.GetProperty("title").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "PR.md")), body.RootElement.GetProperty("body").GetString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(31, json.RootElement.GetProperty("pullRequest").GetProperty("number").GetInt32());
        Assert.Equal(commit, json.RootElement.GetProperty("branch").GetProperty("commits")[0].GetString());
        Assert.Contains("pull request #31 opened: https://github.example.com/acme/infra/pull/31", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Out + run.Err, StringComparison.Ordinal);

        // And the delivery is recorded: no snapshot was taken since, so the reduction is pending
        var reductions = cli.Run("reductions", "--db", cli.Db, "--format", "json");
        Assert.True(reductions.Code == 0, reductions.Err);
        using var r = JsonDocument.Parse(reductions.Out);
        var recorded = Assert.Single(r.RootElement.GetProperty("reductions").EnumerateArray());
        Assert.Equal("arn:aws:iam::222222222222:role/app-worker", recorded.GetProperty("identity").GetString());
        Assert.Equal("pending", recorded.GetProperty("status").GetString());
        Assert.Equal(0, recorded.GetProperty("snapshotsSinceDelivery").GetInt32());
        var delivery = recorded.GetProperty("delivery");
        Assert.Equal("pull-request", delivery.GetProperty("channel").GetString());
        Assert.Equal(Branch, delivery.GetProperty("location").GetString());
        Assert.Equal(commit, delivery.GetProperty("revision").GetString());
        Assert.Equal(["worker.tf"], delivery.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("https://github.example.com/acme/infra/pull/31", delivery.GetProperty("pullRequest").GetString());
        Assert.True(recorded.GetProperty("removed").GetInt32() > 400);
    }

    [Fact]
    public void Propose_PullRequestWithoutToken_FailsBeforeMakingTheBranch()
    {
        // Given no GITLAB_TOKEN in the environment
        using var cli = Setup(out var bare, out var clone);

        // When a merge request is asked for
        var run = cli.Run("propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28", "--iac-repo", clone.Path, "--push", "origin",
            "--pull-request", "gitlab", "--repository", "acme/infra", "--api-url", "http://127.0.0.1:9/api/v4", "--allow-insecure-http");

        // Then it stops with exit 3 before any branch is created or pushed
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("error CIEM6440: no token in the environment variable `GITLAB_TOKEN`", run.Err, StringComparison.Ordinal);
        Assert.Equal("", clone.Run("branch", "--list", Branch).Trim());
        Assert.Equal("", bare.Run("branch", "--list", Branch).Trim());
    }

    [Fact]
    public void Propose_LocalRemoteWithoutRepository_AsksForRepository()
    {
        // Given a remote that is a local path
        using var cli = Setup(out _, out var clone);
        cli.Environment["GITHUB_TOKEN"] = Token;

        // When a pull request is asked for without --repository
        var run = cli.Run("propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28", "--iac-repo", clone.Path, "--push", "origin", "--pull-request", "github");

        // Then it says how to name the repository
        Assert.Equal(ExitCodes.InvalidInput, run.Code);
        Assert.Contains("of remote `origin`: give --repository OWNER/NAME", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_ApiRejectsTheToken_ExitsOneAndSaysTheBranchIsPushed()
    {
        // Given a GitLab API that rejects the token named by --token-env
        using var cli = Setup(out var bare, out var clone);
        using var server = new RecordingApiServer(_ => new ApiAnswer(401, """{"message":"401 Unauthorized"}"""));
        cli.Environment["CI_BOT_TOKEN"] = Token;

        // When a merge request is asked for
        var run = cli.Run("propose", "app-worker", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db, "--as-of", "2026-11-28", "--iac-repo", clone.Path, "--push", "origin",
            "--pull-request", "gitlab", "--repository", "acme/platform/infra", "--api-url", server.BaseUrl + "/api/v4", "--token-env", "CI_BOT_TOKEN", "--allow-insecure-http");

        // Then it fails with exit 1, says what to check and that the branch is pushed, and the token is never printed
        Assert.Equal(ExitCodes.Failure, run.Code);
        Assert.Contains("error CIEM6441: the GitLab API at", run.Err, StringComparison.Ordinal);
        Assert.Contains("rejected the token in `$CI_BOT_TOKEN` (401 Unauthorized: 401 Unauthorized)", run.Err, StringComparison.Ordinal);
        Assert.Contains($"the branch `{Branch}` is pushed to `origin`", run.Err, StringComparison.Ordinal);
        Assert.Equal("Bearer " + Token, Assert.Single(server.Requests).Headers["Authorization"]);
        Assert.DoesNotContain(Token, run.Out + run.Err, StringComparison.Ordinal);
        Assert.NotEqual("", bare.Run("rev-parse", Branch).Trim());
    }

    internal static CliRunner Setup(out GitRepository bare, out GitRepository clone)
    {
        var cli = new CliRunner();
        cli.ImportSamples();
        Assert.Equal(0, cli.Run("import", "cloudtrail", UsageCommandsTests.WriteTrail(Path.Combine(cli.Home, "trail")), "--db", cli.Db).Code);
        bare = new GitRepository(Directory.CreateDirectory(Path.Combine(cli.Home, "remote.git")).FullName);
        bare.Run("init", "-q", "--bare", "-b", "main");
        var seed = new GitRepository(Directory.CreateDirectory(Path.Combine(cli.Home, "seed")).FullName);
        seed.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(seed.Path, "worker.tf"), WorkerTf);
        seed.Run("add", ".");
        seed.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "initial");
        seed.Run("push", "-q", bare.Path, "main");
        new GitRepository(cli.Home).Run("clone", "-q", bare.Path, "clone");
        clone = new GitRepository(Path.Combine(cli.Home, "clone"));
        return cli;
    }
}
