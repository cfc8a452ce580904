using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Review;

/// <summary>`ciem review` end to end on the samples: plan, status, notify to the outbox, log, and located errors.</summary>
public sealed class ReviewCommandTests
{
    private static CliRunner Samples()
    {
        var cli = SweepCommandTests.AzureAndGcp();
        Assert.Equal(0, cli.Run("import", "aws", TestPaths.Repo("samples", "aws"), "--db", cli.Db).Code);
        return cli;
    }

    [Fact]
    public void Review_SamplesPlanNotifyStatusLog_JsonAndText()
    {
        // Given the three providers' samples with usage
        using var cli = Samples();

        // When a campaign is planned, noticed, and its status and log read as JSON
        var (planCode, planOut, planErr) = cli.Run("review", "plan", "--db", cli.Db, "--as-of", "2026-11-28", "--name", "q4");
        var (notifyCode, notifyOut, _) = cli.Run("review", "notify", "--db", cli.Db);
        var (statusCode, statusJson, _) = cli.Run("review", "status", "--db", cli.Db, "--format", "json");
        var (logCode, logOut, _) = cli.Run("review", "log", "--verify", "--db", cli.Db);

        // Then every command succeeds, identities of each provider with proposals are planned and notices are in the outbox
        Assert.True(planCode == 0, planErr);
        Assert.StartsWith("campaign `q4`", planOut, StringComparison.Ordinal);
        Assert.Equal(0, notifyCode);
        Assert.Matches(@"\d+ sent, 0 already sent, 0 failed", notifyOut);
        Assert.Equal(0, statusCode);
        using var status = JsonDocument.Parse(statusJson);
        var providers = status.RootElement.GetProperty("batches").EnumerateArray()
            .SelectMany(b => b.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("provider").GetString()).ToHashSet();
        Assert.NotEmpty(providers);
        Assert.Equal("noticed", status.RootElement.GetProperty("batches")[0].GetProperty("items")[0].GetProperty("state").GetString());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(cli.Home, "review", "outbox"), "*.eml"));
        Assert.Equal(0, logCode);
        Assert.Contains("decision log intact", logOut, StringComparison.Ordinal);

        // And a second notify sends nothing new
        Assert.Matches(@"0 sent, \d+ already sent, 0 failed", cli.Run("review", "notify", "--db", cli.Db).Out);

        // And the campaign's state renders as an HTML page
        var page = Path.Combine(cli.Home, "review.html");
        Assert.Equal(0, cli.Run("review", "status", "--db", cli.Db, "--report", page).Code);
        var html = File.ReadAllText(page);
        Assert.Contains("<h1>Review campaign q4</h1>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"s-noticed\">noticed</td>", html, StringComparison.Ordinal);

        // And the sweep's report carries the campaign's state too (its id in the campaign section)
        var report = Path.Combine(cli.Home, "sweep.html");
        Assert.Equal(0, cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--report", report).Code);
        var sweepHtml = File.ReadAllText(report);
        Assert.Contains("<strong data-campaign>", sweepHtml, StringComparison.Ordinal);
        Assert.Matches("<strong data-campaign>[^<]*q4[^<]*</strong>", sweepHtml);
    }

    [Fact]
    public void Sweep_NoCampaign_ReportHasNoCampaignSection()
    {
        // Given samples with no review campaign planned
        using var cli = Samples();

        // When the sweep writes its report
        var report = Path.Combine(cli.Home, "sweep.html");
        Assert.Equal(0, cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--report", report).Code);

        // Then no campaign section is drawn
        Assert.DoesNotContain("data-campaign", File.ReadAllText(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Review_ConfigWithTypo_LocatedErrorExit3NothingPlanned()
    {
        // Given a review config with a misspelt key and a negative window
        using var cli = new CliRunner();
        var config = Path.Combine(cli.Home, "ciem-review.yml");
        File.WriteAllText(config, "name: q4\nobjection-dayz: 7\nnotice-days: -1\n");

        // When a campaign is planned with it
        var (code, _, err) = cli.Run("review", "plan", "--config", config, "--db", cli.Db);

        // Then both errors are reported with file and line and nothing is planned
        Assert.Equal(3, code);
        Assert.Contains($"error CIEM6701: unknown key `objection-dayz` in the review config (did you mean `objection-days`?)", err, StringComparison.Ordinal);
        Assert.Contains($"({config}:2)", err, StringComparison.Ordinal);
        Assert.Contains($"error CIEM6702: `notice-days` must be a whole number from 0 up, not `-1` ({config}:3)", err, StringComparison.Ordinal);
        Assert.Equal(3, cli.Run("review", "status", "--db", cli.Db).Code);
    }

    [Fact]
    public void Review_UnknownCampaignOrIdentity_LocatedErrors()
    {
        // Given an empty store
        using var cli = new CliRunner();

        // When status and an objection are asked for
        var (statusCode, _, statusErr) = cli.Run("review", "status", "--db", cli.Db, "--campaign", "nope");
        var (objectCode, _, objectErr) = cli.Run("review", "object", "role/x", "--keep", "s3:GetObject", "--reason", "r", "--by", "o", "--db", cli.Db);

        // Then both are refused with the review codes
        Assert.Equal((3, 3), (statusCode, objectCode));
        Assert.Contains("error CIEM6717: no review campaign `nope`", statusErr, StringComparison.Ordinal);
        Assert.Contains("error CIEM6717: no review campaign in the store: run `ciem review plan` first", objectErr, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewApply_IacRepoNotAGitTree_LocatedErrorNothingApplied()
    {
        // Given a folder that is not a git working tree
        using var cli = new CliRunner();
        var folder = Directory.CreateDirectory(Path.Combine(cli.Home, "not-a-repo")).FullName;

        // When apply and rollback are given it as the IaC repository
        var (applyCode, _, applyErr) = cli.Run("review", "apply", "1", "--by", "ops", "--iac-repo", folder, "--db", cli.Db);
        var (rollbackCode, _, rollbackErr) = cli.Run("review", "rollback", "role/x", "--by", "ops", "--iac-repo", folder, "--db", cli.Db);

        // Then both are refused naming the option, before the store is read
        Assert.Equal((3, 3), (applyCode, rollbackCode));
        Assert.Contains($"error CIEM6740: `{folder}` is not a git working tree (--iac-repo)", applyErr, StringComparison.Ordinal);
        Assert.Contains("(--iac-repo)", rollbackErr, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewApplyRollback_ForgeOptionsUnusable_RefusedBeforeAnyBranch()
    {
        // Given a clone of a bare remote and a valid-looking token
        using var cli = new CliRunner();
        var bare = new Ciem.App.Iac.GitRepository(Directory.CreateDirectory(Path.Combine(cli.Home, "infra.git")).FullName);
        bare.Run("init", "-q", "--bare", "-b", "main");
        var clone = new Ciem.App.Iac.GitRepository(Directory.CreateDirectory(Path.Combine(cli.Home, "infra")).FullName);
        clone.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(clone.Path, "main.tf"), "# roles\n");
        clone.Run("add", "main.tf");
        clone.Commit("initial");
        clone.Run("remote", "add", "origin", bare.Path);
        cli.Environment["GITHUB_TOKEN"] = "ghp_Valid0123456789";
        string[] forge = ["--iac-repo", clone.Path, "--push", "origin", "--pull-request", "github", "--repository", "acme/infra"];

        // When apply is asked to open pull requests on a plain-http API, with a token ending in a newline,
        // without --iac-repo, and rollback to push to a remote the clone does not have
        var insecure = cli.Run(["review", "apply", "1", "--by", "ops", "--db", cli.Db, .. forge, "--api-url", "http://127.0.0.1:9"]);
        cli.Environment["GITHUB_TOKEN"] = "ghp_Valid0123456789\n";
        var newline = cli.Run(["review", "apply", "1", "--by", "ops", "--db", cli.Db, .. forge, "--api-url", "http://127.0.0.1:9", "--allow-insecure-http"]);
        var noRepo = cli.Run("review", "apply", "1", "--by", "ops", "--db", cli.Db, "--push", "origin");
        var noRemote = cli.Run("review", "rollback", "role/x", "--by", "ops", "--db", cli.Db, "--iac-repo", clone.Path, "--push", "nosuch");

        // Then each is refused with exit 3 and its own located error, and no branch exists anywhere
        Assert.Equal((3, 3, 3, 3), (insecure.Code, newline.Code, noRepo.Code, noRemote.Code));
        Assert.Contains("error CIEM1312: `http://127.0.0.1:9/` is plain http: the token would travel in clear", insecure.Err, StringComparison.Ordinal);
        Assert.Contains("error CIEM1313: the token in `GITHUB_TOKEN` cannot be sent: it begins or ends with whitespace", newline.Err, StringComparison.Ordinal);
        Assert.Contains("error CIEM6440: --push and --pull-request need --iac-repo PATH on the command line", noRepo.Err, StringComparison.Ordinal);
        Assert.Contains("`nosuch` is not a remote of", noRemote.Err, StringComparison.Ordinal);
        Assert.Equal("main", clone.Run("branch", "--format=%(refname:short)").Trim());
        Assert.Equal("", bare.Run("branch", "--list").Trim());
    }
}
