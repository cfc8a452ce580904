using System.Globalization;
using Ciem.App.Iac;
using Ciem.App.Review;
using Ciem.Demo;
using Ciem.Import.Iac;

namespace Ciem.App.Demo;

/// <summary>The demo organisation's Terraform repository: where it is, the roles it defines and those it leaves out.</summary>
public sealed record DemoIacRepository(string Path, int RolesDefined, int RolesLeftOut);

public static partial class DemoStory
{
    /// <summary>The folder of the demo organisation's Terraform repository, in the story's folder.</summary>
    public const string RepositoryFolder = "iac-repo";

    /// <summary>The simulated organisation's name on its commits and merges.</summary>
    private const string Organisation = "Acme cloud platform";
    private const string OrganisationEmail = "platform@acme.example";

    /// <summary>
    /// Writes the demo organisation's Terraform repository (<see cref="DemoTerraform"/>) into the story's folder and makes
    /// it a git repository: `git init`, one commit on `main` dated the story's first day, the organisation as its author.
    /// </summary>
    private static DemoIacRepository CreateRepository(string folder, DemoManifest manifest, DateTimeOffset start)
    {
        var path = Path.Combine(folder, RepositoryFolder);
        Directory.CreateDirectory(path);
        var written = DemoTerraform.Write(manifest.AwsFolder, path);
        var git = new GitRepository(path);
        git.Run("init", "-q", "-b", "main");
        // The repository's own identity and settings: the user's global git configuration (signing) stays out of it.
        git.Run("config", "user.name", Organisation);
        git.Run("config", "user.email", OrganisationEmail);
        git.Run("config", "commit.gpgsign", "false");
        git.Run("add", "-A");
        var date = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        git.Run("commit", "-q", "--date", date, "-m",
            $"IAM roles of the demo organisation ({written.Defined.Count} roles)");
        return new DemoIacRepository(git.Path, written.Defined.Count, written.LeftOut);
    }

    private static bool IsIac(ReviewChange? change) =>
        change?.Channel is ReviewChange.BranchChannel or ReviewChange.PullRequestChannel;

    /// <summary>
    /// The role as the merged repository defines it, which the simulated organisation's `terraform apply` makes it: its
    /// inline policies (name and document) and the ARNs attached, read from its file under `accounts/ACCOUNT/`.
    /// </summary>
    private static DemoPolicyChange AsDefined(TerraformSourceResult source, DemoPolicyChange change)
    {
        var folder = $"accounts/{change.Account}/";
        var inline = source.InlinePolicies
            .Where(p => p.RoleName == change.Name && p.Block.File.StartsWith(folder, StringComparison.Ordinal))
            .Select(p => (Name: TerraformSource.Literal(p.Block.Attribute("name")?.Value) ?? p.Block.Label,
                Json: TerraformSource.DecodeJsonEncode(p.Policy.Value)
                    ?? throw new InvalidOperationException($"`{p.Block.Address}` in {p.Block.File} is not a literal `jsonencode`")))
            .ToList();
        var attached = source.Attachments
            .Where(a => a.RoleName == change.Name && a.Block.File.StartsWith(folder, StringComparison.Ordinal) && a.PolicyArn is not null)
            .Select(a => a.PolicyArn!).ToList();
        return change with { Documents = inline, Attached = attached };
    }

    private sealed partial class Story
    {
        /// <summary>The demo organisation's Terraform repository (null without AWS).</summary>
        public DemoIacRepository? Repository { get; init; }

        /// <summary>
        /// Merges the branches into `main` in order (`--no-ff`, as a pull request's merge), as the simulated organisation;
        /// the merged repository's definitions, or null when there was nothing to merge.
        /// </summary>
        private TerraformSourceResult? Merge(IReadOnlyList<string> branches)
        {
            if (Repository is null || branches.Count == 0) { return null; }
            var git = new GitRepository(Repository.Path);
            foreach (var branch in branches) { git.Run("merge", "--no-ff", "-q", "-m", $"Merge pull request from {branch}", branch); }
            return TerraformSource.ReadDirectory(Repository.Path);
        }
    }
}
