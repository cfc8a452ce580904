using Ciem.App.Iac;
using Ciem.App.Review;
using Ciem.App.Tests.Notify;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;

namespace Ciem.App.Tests.Review;

/// <summary>Apply and rollback through a real git repository holding Terraform (docs/review.md, "Apply through IaC").</summary>
public sealed class ReviewIacTests
{
    private const string Etl = "arn:aws:iam::111111111111:role/etl";
    private const string Ghost = "arn:aws:iam::111111111111:role/ghost";

    private const string MainTf = """
        resource "aws_iam_role" "etl" {
          name               = "etl"
          assume_role_policy = "{}"
        }

        resource "aws_iam_role_policy" "legacy" {
          name = "legacy-inline"
          role = aws_iam_role.etl.name
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = ["s3:*", "sqs:*"], Resource = "*" }]
          })
        }

        resource "aws_iam_role" "web" {
          name               = "web"
          assume_role_policy = "{}"
        }

        """;

    private static async Task<(ReviewFixture F, GitRepository Git)> ApprovedWithRepository(
        bool inConfig = false, string? linkedTo = null)
    {
        var f = new ReviewFixture();
        var git = new GitRepository(Directory.CreateDirectory(f.Temp.Sub("infra")).FullName);
        git.Run("init", "-q", "-b", "main");
        if (linkedTo is null) { await File.WriteAllTextAsync(Path.Combine(git.Path, "main.tf"), MainTf); }
        else
        {
            await File.WriteAllTextAsync(linkedTo, MainTf);
            File.CreateSymbolicLink(Path.Combine(git.Path, "main.tf"), linkedTo);
        }
        git.Run("add", "main.tf");
        git.Commit("the roles");
        IReadOnlyList<ReviewEntry> estate =
        [
            ReviewFixture.Entry(Etl),
            ReviewFixture.Entry(Ghost),
            ReviewFixture.Entry("sp-web", provider: "azure", kind: Core.Model.IdentityKind.ServiceIdentity, env: "dev", scope: "sub-1"),
        ];
        var config = new ReviewConfig { BatchSize = 3, IacRepository = inConfig ? git.Path : null };
        f.Programme.Plan(estate, ReviewSettings.Default with { Config = config }, ReviewFixture.T0, "q4");
        await f.Programme.NotifyAsync("q4", f.Outbox());
        f.Clock.Now = ReviewFixture.T0.AddDays(8);
        Assert.True(f.Programme.Approve("q4", "1", "admin@example.test").Ok);
        return (f, git);
    }

    [Fact]
    public async Task ApplyThroughIac_DefinedRole_BranchWithRewrittenTf_OthersScripts_RollbackRestoresBytes()
    {
        // Given an approved batch of two AWS roles (one defined in the Terraform repository) and an Azure principal
        var (f, git) = await ApprovedWithRepository();
        using var fixture = f;
        var iac = ReviewIacRepository.Open(git.Path, out var error);
        Assert.NotNull(iac);
        Assert.Null(error);

        // When the batch is applied through the repository
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then the defined role is on one branch for its account, with the policy rewritten to the proposal
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        var applied = result.Value!.Applied;
        Assert.Equal(3, applied.Length);
        var etl = applied.Single(i => i.Identity == Etl);
        Assert.Equal(ReviewState.Applied, etl.State);
        Assert.Equal(ReviewChange.BranchChannel, etl.Change!.Channel);
        Assert.Equal("ciem/review/q4/batch-1/111111111111", etl.Change.Location);
        Assert.Equal(git.Run("rev-parse", "ciem/review/q4/batch-1/111111111111").Trim(), etl.Change.Commit);
        Assert.Equal(["main.tf"], etl.Change.Files.ToArray());
        var rewritten = git.Run("show", "ciem/review/q4/batch-1/111111111111:main.tf");
        Assert.Contains("s3:GetObject", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("sqs:*", rewritten, StringComparison.Ordinal);
        Assert.Contains("resource \"aws_iam_role\" \"web\"", rewritten, StringComparison.Ordinal);
        // And the clone is back on main, clean, unchanged
        Assert.Equal("main", git.CurrentBranch);
        Assert.True(git.IsClean);
        Assert.Equal(MainTf, await File.ReadAllTextAsync(Path.Combine(git.Path, "main.tf")));

        // And the role absent from the repository and the Azure principal keep the change script, applied by hand
        var ghost = applied.Single(i => i.Identity == Ghost);
        Assert.Equal(ReviewChange.ScriptChannel, ghost.Change!.Channel);
        Assert.True(File.Exists(Path.Combine(ghost.Change.Location, "apply.sh")));
        Assert.Equal(ReviewChange.ScriptChannel, applied.Single(i => i.Identity == "sp-web").Change!.Channel);
        Assert.Equal(2, result.Value.Skipped.Length);
        Assert.All(result.Value.Skipped, w => Assert.Equal(DiagnosticCodes.ReviewIacNotFound, w.Code));
        Assert.Contains(result.Value.Skipped, w => w.Message.Contains("ghost", StringComparison.Ordinal));
        Assert.Contains(result.Value.Skipped, w => w.Message.StartsWith("`sp-web` is not changed", StringComparison.Ordinal)
            && w.Message.Contains("holds no Terraform for the proposal", StringComparison.Ordinal));

        // And the decision log records the branch for the role and the reason for the script
        var decisions = f.Store.LoadDecisions("q4");
        Assert.Contains(decisions, d => d.Subject == Etl && d.Action == "apply" && d.Reason.Contains("`ciem/review/q4/batch-1/111111111111`", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d.Subject == Ghost && d.Action == "apply" && d.Reason.Contains("not through the IaC repository", StringComparison.Ordinal));
        var channels = f.Store.LoadReductions().ToDictionary(r => r.Identity, r => (r.Channel, r.Location));
        Assert.Equal(("branch", "ciem/review/q4/batch-1/111111111111"), channels[Etl]);
        Assert.Equal("script", channels[Ghost].Channel);
        Assert.Equal("script", channels["sp-web"].Channel);

        // When the branch is merged and the role is rolled back without the repository
        git.Run("merge", "-q", "--ff-only", "ciem/review/q4/batch-1/111111111111");
        var refused = f.Programme.Rollback("q4", Etl, "ops@example.test", "etl broke");

        // Then it is refused and nothing changes
        Assert.Equal(DiagnosticCodes.ReviewIacNeeded, Assert.Single(refused.Diagnostics).Code);
        Assert.Equal(ReviewState.Applied, f.Programme.Status("q4").Value!.Batches.SelectMany(b => b.Items).Single(i => i.Identity == Etl).State);

        // When rolled back with the repository
        var rolled = f.Programme.Rollback("q4", Etl, "ops@example.test", "etl broke", iac);

        // Then a revert branch restores the original bytes of main.tf, and the log names it
        Assert.True(rolled.Ok, string.Join("; ", rolled.Diagnostics));
        Assert.Equal(ReviewState.RolledBack, rolled.Value!.Item.State);
        Assert.StartsWith("ciem/review/q4/rollback/etl-", rolled.Value.Branch, StringComparison.Ordinal);
        Assert.Equal(MainTf, git.Run("show", rolled.Value.Branch + ":main.tf"));
        Assert.Equal("main", git.CurrentBranch);
        Assert.True(git.IsClean);
        Assert.Contains(f.Store.LoadDecisions("q4"), d => d.Subject == Etl && d.Action == "rollback" && d.Reason.Contains(rolled.Value.Branch!, StringComparison.Ordinal));
        Assert.True(f.Programme.Log("q4").Value!.Intact);
    }

    [Fact]
    public async Task RollbackThroughIac_OtherChangeInSameFile_OnlyThisIdentityReverted()
    {
        // Given the role applied and merged, then an unrelated later change to the same file
        var (f, git) = await ApprovedWithRepository();
        using var fixture = f;
        var iac = ReviewIacRepository.Open(git.Path, out _)!;
        f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);
        git.Run("merge", "-q", "--ff-only", "ciem/review/q4/batch-1/111111111111");
        var merged = await File.ReadAllTextAsync(Path.Combine(git.Path, "main.tf"));
        var later = merged.Replace("name               = \"web\"", "name               = \"web-2\"", StringComparison.Ordinal);
        Assert.NotEqual(merged, later);
        await File.WriteAllTextAsync(Path.Combine(git.Path, "main.tf"), later);
        git.Run("commit", "-q", "-am", "rename web");

        // When the role is rolled back
        var rolled = f.Programme.Rollback("q4", Etl, "ops@example.test", "etl broke", iac);

        // Then the revert branch holds the original policy and keeps the later change
        Assert.True(rolled.Ok, string.Join("; ", rolled.Diagnostics));
        Assert.Equal(MainTf.Replace("name               = \"web\"", "name               = \"web-2\"", StringComparison.Ordinal),
            git.Run("show", rolled.Value!.Branch + ":main.tf"));
    }

    [Fact]
    public async Task RollbackThroughIac_BranchNeverMerged_NoRevertBranch()
    {
        // Given the role applied but its branch not merged
        var (f, git) = await ApprovedWithRepository();
        using var fixture = f;
        var iac = ReviewIacRepository.Open(git.Path, out _)!;
        f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // When it is rolled back
        var rolled = f.Programme.Rollback("q4", Etl, "ops@example.test", "not wanted", iac);

        // Then it is rolled back with no branch: the base still holds the previous policy, the pull request is closed
        Assert.True(rolled.Ok, string.Join("; ", rolled.Diagnostics));
        Assert.Null(rolled.Value!.Branch);
        Assert.Contains("close the pull request of branch `ciem/review/q4/batch-1/111111111111`", rolled.Value.Revert, StringComparison.Ordinal);
        Assert.DoesNotContain("rollback", git.Run("branch", "--list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyThroughIac_TfIsSymbolicLink_RefusedTargetUntouched()
    {
        // Given an approved batch whose role is defined in a committed main.tf that links to a file outside the clone
        var outside = Path.Combine(Path.GetTempPath(), "ciem-outside-" + Guid.NewGuid().ToString("N") + ".tf");
        try
        {
            var (f, git) = await ApprovedWithRepository(linkedTo: outside);
            using var fixture = f;
            var iac = ReviewIacRepository.Open(git.Path, out _)!;

            // When the batch is applied through the repository
            var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

            // Then nothing is written through the link: the role stays approved with a located error, no branch is left
            var error = Assert.Single(result.Value!.Skipped, d => d.Severity == Severity.Error);
            Assert.Equal(DiagnosticCodes.ReviewIacFailed, error.Code);
            Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
            Assert.Equal(MainTf, await File.ReadAllTextAsync(outside));
            var items = f.Programme.Status("q4").Value!.Batches.SelectMany(b => b.Items);
            Assert.Equal(ReviewState.Approved, items.Single(i => i.Identity == Etl).State);
            Assert.Equal("main", git.CurrentBranch);
            Assert.DoesNotContain("ciem/review", git.Run("branch", "--list"), StringComparison.Ordinal);
        }
        finally { File.Delete(outside); }
    }

    [Fact]
    public async Task ApplyThroughIac_BranchExists_AccountStaysApproved()
    {
        // Given an approved batch and a branch of the name the apply would make
        var (f, git) = await ApprovedWithRepository();
        using var fixture = f;
        git.Run("branch", "ciem/review/q4/batch-1/111111111111");
        var iac = ReviewIacRepository.Open(git.Path, out _)!;

        // When the batch is applied through the repository
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then the account's roles stay approved with a located error; the Azure principal gets its script
        var error = Assert.Single(result.Value!.Skipped, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticCodes.ReviewIacFailed, error.Code);
        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);
        Assert.Equal(["sp-web"], result.Value.Applied.Select(i => i.Identity).ToArray());
        var items = f.Programme.Status("q4").Value!.Batches.SelectMany(b => b.Items).ToList();
        Assert.Equal(ReviewState.Approved, items.Single(i => i.Identity == Etl).State);
        Assert.Equal(ReviewState.Approved, items.Single(i => i.Identity == Ghost).State);
        Assert.True(git.IsClean);
    }

    [Fact]
    public async Task ApplyThroughIac_RepositoryFromConfig_BranchWithoutOption()
    {
        // Given a campaign whose config names the repository
        var (f, git) = await ApprovedWithRepository(inConfig: true);
        using var fixture = f;

        // When the batch is applied without a repository argument
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test");

        // Then the defined role still goes through the configured repository
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        Assert.Equal(ReviewChange.BranchChannel, result.Value!.Applied.Single(i => i.Identity == Etl).Change!.Channel);
        Assert.Contains("s3:GetObject", git.Run("show", "ciem/review/q4/batch-1/111111111111:main.tf"), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConfig_IacRepo_RelativeToConfigFolder()
    {
        // Given a config naming the repository relative to its own folder
        var file = Path.Combine(Path.GetTempPath(), "team", "ciem-review.yml");

        // When read
        var read = ReviewConfigReader.Read("iac-repo: ../infra\n", file);

        // Then the path is resolved against the config's folder
        Assert.Empty(read.Diagnostics);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "infra"), read.Settings.Config.IacRepository);
    }

    [Fact]
    public void Open_NotARepositoryOrDirty_Refused()
    {
        // Given a plain folder and a repository with an uncommitted file
        using var temp = new TempFolder();
        var plain = Directory.CreateDirectory(temp.Sub("plain")).FullName;
        var dirty = new GitRepository(Directory.CreateDirectory(temp.Sub("dirty")).FullName);
        dirty.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(dirty.Path, "x.tf"), "");

        // When opened, Then each is refused with why
        Assert.Null(ReviewIacRepository.Open(plain, out var notGit));
        Assert.Contains("is not a git working tree", notGit, StringComparison.Ordinal);
        Assert.Null(ReviewIacRepository.Open(dirty.Path, out var uncommitted));
        Assert.Contains("uncommitted changes", uncommitted, StringComparison.Ordinal);
    }
}
