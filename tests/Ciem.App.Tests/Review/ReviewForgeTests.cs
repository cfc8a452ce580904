using System.Text.Json;
using Ciem.App.Iac;
using Ciem.App.Review;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;
using Ciem.Tests.Http;

namespace Ciem.App.Tests.Review;

/// <summary>
/// `ciem review apply|rollback` through a forge: the branch pushed to a real bare remote, the pull (merge) request
/// opened on a loopback HTTP server answering like the GitHub / GitLab REST APIs, the link in the campaign and the log.
/// </summary>
public sealed class ReviewForgeTests
{
    private const string Etl = "arn:aws:iam::111111111111:role/etl";
    private const string Token = "ghp_ReviewToken0123456789abcdef";
    private const string Branch = "ciem/review/q4/batch-1/111111111111";

    private const string MainTf = """
        resource "aws_iam_role" "etl" {
          name               = "etl"
          assume_role_policy = "{}"
        }

        resource "aws_iam_role_policy" "legacy" {
          name   = "legacy-inline"
          role   = aws_iam_role.etl.name
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:*", "sqs:*"], Resource = "*" }] })
        }

        """;

    // The 201 bodies of GitHub's "create a pull request" and GitLab's "create MR" (fields the client reads, and more).
    private static string GitHubPull(int number, string head) => $$$"""
        {"url":"https://api.github.com/repos/acme/infra/pulls/{{{number}}}","id":10{{{number}}},"node_id":"PR_kwDO",
         "html_url":"https://github.com/acme/infra/pull/{{{number}}}","number":{{{number}}},"state":"open","locked":false,
         "title":"t","user":{"login":"ciem-bot","id":1},"body":"b","draft":false,
         "head":{"label":"acme:{{{head}}}","ref":"{{{head}}}","sha":"0000000000000000000000000000000000000000"},
         "base":{"label":"acme:main","ref":"main","sha":"1111111111111111111111111111111111111111"}}
        """;

    private static string GitLabMergeRequest(int iid, string source) => $$$"""
        {"id":9{{{iid}}},"iid":{{{iid}}},"project_id":42,"title":"t","description":"d","state":"opened",
         "target_branch":"main","source_branch":"{{{source}}}","draft":false,"merge_status":"checking",
         "web_url":"https://gitlab.example.com/acme/platform/infra/-/merge_requests/{{{iid}}}"}
        """;

    private static async Task<(ReviewFixture F, GitRepository Clone, GitRepository Bare)> Approved()
    {
        var f = new ReviewFixture();
        var bare = new GitRepository(Directory.CreateDirectory(f.Temp.Sub("infra.git")).FullName);
        bare.Run("init", "-q", "--bare", "-b", "main");
        var clone = new GitRepository(Directory.CreateDirectory(f.Temp.Sub("infra")).FullName);
        clone.Run("init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(clone.Path, "main.tf"), MainTf);
        clone.Run("add", "main.tf");
        clone.Commit("the roles");
        clone.Run("remote", "add", "origin", bare.Path);
        clone.Run("push", "-q", "origin", "main");
        f.Programme.Plan([ReviewFixture.Entry(Etl)], ReviewSettings.Default with { Config = new ReviewConfig { BatchSize = 3 } }, ReviewFixture.T0, "q4");
        await f.Programme.NotifyAsync("q4", f.Outbox());
        f.Clock.Now = ReviewFixture.T0.AddDays(8);
        Assert.True(f.Programme.Approve("q4", "1", "admin@example.test").Ok);
        return (f, clone, bare);
    }

    private static ReviewIacRepository Through(ReviewFixture f, GitRepository clone, string forge, string apiUrl)
    {
        var settings = new ForgeSettings(forge, forge == "github" ? "acme/infra" : "acme/platform/infra", apiUrl) { AllowInsecureHttp = true };
        var delivery = ForgeDelivery.Prepare(clone.Path, "origin", settings,
            v => v is "GITHUB_TOKEN" or "GITLAB_TOKEN" ? Token : null, f.Clock, out var error);
        Assert.True(delivery is not null, error?.ToString());
        return ReviewIacRepository.Open(clone.Path, out _)!.With(new ReviewForge("origin", delivery));
    }

    [Fact]
    public async Task ApplyAndRollback_GitHub_PushesBranchesOpensPullRequestsAndRecordsTheLinks()
    {
        // Given an approved AWS role defined in a clone of a bare remote, and a GitHub API on loopback
        var (f, clone, bare) = await Approved();
        using var fixture = f;
        var number = 40;
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, "[]")
            : new ApiAnswer(201, GitHubPull(++number, JsonDocument.Parse(r.Body).RootElement.GetProperty("head").GetString()!)));
        var iac = Through(f, clone, "github", server.BaseUrl + "/api/v3");

        // When the batch is applied
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then the branch is on the remote, the pull request was created from it into main, and the item holds the link
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        var etl = Assert.Single(result.Value!.Applied);
        Assert.Equal(ReviewChange.PullRequestChannel, etl.Change!.Channel);
        Assert.Equal("https://github.com/acme/infra/pull/41", etl.Change.PullRequest);
        Assert.Equal(bare.Run("rev-parse", Branch).Trim(), etl.Change.Commit);
        var post = Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v3/repos/acme/infra/pulls", post.RawPath);
        Assert.Equal("Bearer " + Token, post.Headers["Authorization"]);
        using (var body = JsonDocument.Parse(post.Body))
        {
            Assert.Equal(Branch, body.RootElement.GetProperty("head").GetString());
            Assert.Equal("main", body.RootElement.GetProperty("base").GetString());
            Assert.Equal("Least privilege for account 111111111111: campaign q4 batch 1 (OpenCIEM)", body.RootElement.GetProperty("title").GetString());
            Assert.Contains("| `arn:aws:iam::111111111111:role/etl` | 4 | 1 | 3 |", body.RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        }
        // And the decision log and the reductions name the pull request
        Assert.Contains(f.Store.LoadDecisions("q4"), d => d.Subject == Etl && d.Action == "apply"
            && d.Reason.Contains("pull request #41 https://github.com/acme/infra/pull/41", StringComparison.Ordinal));
        var reduction = Assert.Single(f.Store.LoadReductions());
        Assert.Equal(("pull-request", Branch, "https://github.com/acme/infra/pull/41"), (reduction.Channel, reduction.Location, reduction.PullRequest));
        Assert.Equal("main", clone.CurrentBranch);

        // When the pull request is merged and the role rolled back
        clone.Run("merge", "-q", "--ff-only", Branch);
        var rolled = f.Programme.Rollback("q4", Etl, "ops@example.test", "etl broke", iac);

        // Then the revert branch is pushed and its pull request opened, restoring the original bytes
        Assert.True(rolled.Ok, string.Join("; ", rolled.Diagnostics));
        Assert.Empty(rolled.Value!.Warnings);
        Assert.Equal(ReviewState.RolledBack, rolled.Value.Item.State);
        Assert.Equal("https://github.com/acme/infra/pull/42", rolled.Value.PullRequest);
        Assert.Equal(MainTf, bare.Run("show", rolled.Value.Branch + ":main.tf"));
        var revert = server.Requests.Where(r => r.Method == "POST").Last();
        using (var body = JsonDocument.Parse(revert.Body))
        {
            Assert.Equal(rolled.Value.Branch, body.RootElement.GetProperty("head").GetString());
            Assert.Contains("**Reason**: etl broke", body.RootElement.GetProperty("body").GetString(), StringComparison.Ordinal);
        }
        Assert.Contains(f.Store.LoadDecisions("q4"), d => d.Subject == Etl && d.Action == "rollback"
            && d.Reason.Contains("revert pull request #42 https://github.com/acme/infra/pull/42", StringComparison.Ordinal));
        Assert.True(f.Programme.Log("q4").Value!.Intact);
    }

    [Fact]
    public async Task Apply_GitLab_OpensMergeRequestForTheProjectPath()
    {
        // Given a self-managed GitLab API on loopback
        var (f, clone, bare) = await Approved();
        using var fixture = f;
        using var server = new RecordingApiServer(r => r.Method == "GET" ? new ApiAnswer(200, "[]") : new ApiAnswer(201, GitLabMergeRequest(7, Branch)));

        // When the batch is applied through it
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", Through(f, clone, "gitlab", server.BaseUrl + "/api/v4"));

        // Then the merge request goes to the URL-encoded project path and its web_url is recorded
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        Assert.Equal("https://gitlab.example.com/acme/platform/infra/-/merge_requests/7", Assert.Single(result.Value!.Applied).Change!.PullRequest);
        var post = Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v4/projects/acme%2Fplatform%2Finfra/merge_requests", post.RawPath);
        Assert.Equal(Branch, JsonDocument.Parse(post.Body).RootElement.GetProperty("source_branch").GetString());
        Assert.NotEqual("", bare.Run("rev-parse", Branch).Trim());
        Assert.Contains(f.Store.LoadDecisions("q4"), d => d.Action == "apply" && d.Reason.Contains("pull request !7 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_ApiRejectsTheToken_BranchPushedItemAppliedWithWarning()
    {
        // Given a GitHub API that rejects the token
        var (f, clone, bare) = await Approved();
        using var fixture = f;
        using var server = new RecordingApiServer(_ => new ApiAnswer(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"""));

        // When the batch is applied
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", Through(f, clone, "github", server.BaseUrl));

        // Then the branch is pushed and recorded (the change exists), and the warning says to open the pull request by hand
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        var etl = Assert.Single(result.Value!.Applied);
        Assert.Equal(ReviewChange.BranchChannel, etl.Change!.Channel);
        Assert.Null(etl.Change.PullRequest);
        Assert.Equal(bare.Run("rev-parse", Branch).Trim(), etl.Change.Commit);
        var warning = Assert.Single(result.Value.Skipped);
        Assert.Equal(DiagnosticCodes.ReviewPullRequestFailed, warning.Code);
        Assert.Contains("is pushed to `origin` but the pull request was not opened (CIEM6441", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, warning.Message, StringComparison.Ordinal);
        Assert.Contains(f.Store.LoadDecisions("q4"), d => d.Action == "apply" && d.Reason.Contains("pushed to `origin`", StringComparison.Ordinal));
    }
}
