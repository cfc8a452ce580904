using Ciem.App.Iac;
using Ciem.App.Proposals;
using Ciem.App.Questions;
using Ciem.App.Tests.Notify;
using Ciem.App.Tests.Questions;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.App.Tests.Proposals;

/// <summary>The steps of `ciem propose` around the sweep, called as App: one identity, files, the branch, the config.</summary>
public sealed class ProposalDeliveryTests(QuestionEstate estate) : IClassFixture<QuestionEstate>
{
    private static readonly ProposalWindow Window = new(QuestionEstate.Now, 90, 400);

    [Fact]
    public void ForIdentity_UserByName_OnlyThatUserWhateverItsUnusedShare()
    {
        // Given the AWS sample and options with a threshold
        using var session = new CiemSession(estate.Db);
        var options = new SweepOptions { MinimumUnusedShare = 0.5, WindowDays = 30 };

        // When the sweep is narrowed to one user by name, and to a near miss of the name
        var one = ProposalDelivery.ForIdentity(session, "break-glass", options);
        var miss = ProposalDelivery.ForIdentity(session, "break-glass2", options);

        // Then only that user is swept, at any unused share, the other options kept; the near miss is invalid input
        Assert.Equal("arn:aws:iam::111111111111:user/break-glass", Assert.Single(one.Answer!.Only));
        Assert.Equal(0, one.Answer.MinimumUnusedShare);
        Assert.Equal(30, one.Answer.WindowDays);
        Assert.Equal(QuestionFailure.InvalidInput, miss.Problem!.Kind);
    }

    [Fact]
    public void ForIdentity_StoreWithoutAws_Unavailable()
    {
        // Given a store that holds nothing
        using var session = new CiemSession(estate.Missing("propose-one"));

        // When one identity is asked for
        var result = ProposalDelivery.ForIdentity(session, "break-glass", new SweepOptions());

        // Then the store, not the question, is the problem
        Assert.Equal(QuestionFailure.Unavailable, result.Problem!.Kind);
    }

    [Fact]
    public void WriteBranch_FolderNotInGit_InvalidInputAndNoPrFile()
    {
        // Given a folder that is not a git work tree
        using var temp = new TempFolder();
        var repository = Directory.CreateDirectory(temp.Sub("infra")).FullName;
        var output = Directory.CreateDirectory(temp.Sub("out")).FullName;

        // When the proposals are written there on a branch
        var outcome = ProposalDelivery.WriteBranch(repository, null, new IacBranchOptions(), output, [], Window);

        // Then it is refused as a bad argument, and no PR.md is written
        Assert.Null(outcome.Branch);
        Assert.True(outcome.InvalidInput);
        Assert.Equal($"error {DiagnosticCodes.CliBadArgument}: `{repository}` is not a git working tree (--iac-repo)", outcome.Error);
        Assert.False(File.Exists(Path.Combine(output, "PR.md")));
    }

    [Fact]
    public void WriteBranch_GitCloneAndNoBranchName_TheDatedBranchAndPrFile()
    {
        // Given a clone with one commit, and no proposal
        using var temp = new TempFolder();
        var git = new GitRepository(Directory.CreateDirectory(temp.Sub("infra")).FullName);
        git.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(git.Path, "main.tf"), "resource \"aws_iam_role\" \"app\" {\n  name = \"app\"\n}\n");
        git.Run("add", "main.tf");
        git.Commit("the roles");
        var output = Directory.CreateDirectory(temp.Sub("out")).FullName;

        // When the (empty) proposal set is written on a branch without a name
        var outcome = ProposalDelivery.WriteBranch(git.Path, null, new IacBranchOptions { KeepEmpty = true }, output, [], Window);

        // Then the branch is named after the window's end, PR.md holds its description, and the clone stays on main
        Assert.Null(outcome.Error);
        Assert.Equal("ciem/least-privilege-2026-12-01", outcome.Branch!.Branch);
        Assert.Equal(outcome.Branch.PullRequestMarkdown, File.ReadAllText(Path.Combine(output, "PR.md")));
        Assert.Equal("main", git.CurrentBranch);
    }

    [Fact]
    public void WriteFiles_NoProposal_TheFolderCreatedEmpty()
    {
        // Given no proposal
        using var temp = new TempFolder();
        var output = temp.Sub("proposals");

        // When the files are written
        var error = ProposalDelivery.WriteFiles(output, []);

        // Then there is no error and the folder exists, empty
        Assert.Null(error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public void Apply_ConfigFileVersusMissingFile_ExclusionsOrLocatedError()
    {
        // Given a ciem.yml that excludes one name, and a path with no file
        using var temp = new TempFolder();
        var config = temp.Sub("ciem.yml");
        File.WriteAllText(config, "exclusions:\n  names:\n    - { name: \"emergency-*\", reason: \"break-glass\" }\n");
        var missing = temp.Sub("none.yml");

        // When each is applied to the options
        var applied = ProposalConfig.Apply(config, new SweepOptions());
        var refused = ProposalConfig.Apply(missing, new SweepOptions());

        // Then the first excludes that name (and not a near miss); the second says which file is missing, with its code
        Assert.True(applied.Ok);
        Assert.Empty(applied.Messages);
        const string arn = "arn:aws:iam::222222222222:role/emergency-admin";
        var role = new Identity("aws", arn, "emergency-admin", IdentityKind.Role, "222222222222", [], null, null);
        var twin = role with { Id = "arn:aws:iam::222222222222:role/emergenc-admin", Name = "emergenc-admin" };
        Assert.Contains("break-glass", applied.Options.Exclusions.ReasonFor(role), StringComparison.Ordinal);
        Assert.Null(applied.Options.Exclusions.ReasonFor(twin));
        Assert.False(refused.Ok);
        var message = Assert.Single(refused.Messages);
        Assert.Equal($"error {DiagnosticCodes.ConfigNotFound}: configuration file `{missing}` not found (--config)", message);
    }
}
