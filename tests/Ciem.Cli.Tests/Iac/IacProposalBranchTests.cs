using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Ciem.App.Iac;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Import.Iac;
using Xunit;

namespace Ciem.Cli.Tests.Iac;

public sealed class IacProposalBranchTests : IDisposable
{
    private const string MainTf = """
        resource "aws_iam_role" "app" {
          name               = "app-role"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
          })
        }

        resource "aws_iam_role_policy" "app" {
          name = "app"
          role = aws_iam_role.app.name # inline policy
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect   = "Allow"
                Action   = ["s3:*", "dynamodb:*"]
                Resource = "*" # a comment with "quotes" and a } brace
              },
            ]
          })
        }

        """;

    private const string HeredocTf = """
        module "network" {
          source = "./network"
        }

        resource "aws_iam_role_policy" "batch" {
            name   = "batch"
            role   = "batch-role"
            policy = <<EOF
        {
          "Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:*:*:${var.queue}"}]
        }
        EOF
        }

        """;

    private const string DocumentTf = """
        data "aws_iam_policy_document" "reporting" {
          statement {
            actions   = ["athena:*", "s3:GetObject"]
            resources = ["*"]
          }
        }

        resource "aws_iam_role" "reporting" {
          name               = "reporting"
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }

        resource "aws_iam_policy" "reporting" {
          name   = "reporting"
          policy = data.aws_iam_policy_document.reporting.json
        }

        resource "aws_iam_role_policy_attachment" "reporting" {
          role       = aws_iam_role.reporting.name
          policy_arn = aws_iam_policy.reporting.arn
        }

        resource "aws_iam_role_policy_attachment" "reporting_ro" {
          role       = aws_iam_role.reporting.name
          policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        }

        """;

    private static readonly ProposalWindow Window = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 90, 400);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ciem-iac-" + Guid.NewGuid().ToString("N"));

    public IacProposalBranchTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        // git writes read-only object files: clear the attribute before deleting.
        foreach (var f in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)) { File.SetAttributes(f, FileAttributes.Normal); }
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Create_RepositoryInThreeStyles_RewritesEachPolicyWithOneCommitPerAccountAndReportsDrift()
    {
        // Given a repository with jsonencode, heredoc and policy-document definitions, and proposals for two accounts
        var repo = Init(Path.Combine(_root, "repo"));
        var proposals = Proposals();

        // When the proposals are written as a branch
        var result = IacProposalBranch.Create(repo.Path, "ciem/least-privilege-2026-11-01", proposals, Window);

        // Then there is one commit per account, on a new branch, and the clone is back on main
        Assert.Equal("main", repo.CurrentBranch);
        Assert.Equal("2", repo.Run("rev-list", "--count", "main..ciem/least-privilege-2026-11-01").Trim());
        Assert.Equal(2, result.Commits.Length);
        Assert.Equal(["document.tf", "heredoc.tf", "main.tf"], repo.Run("diff", "--name-only", "main", "ciem/least-privilege-2026-11-01").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["document.tf", "main.tf"], repo.Run("diff", "--name-only", "main", "ciem/least-privilege-2026-11-01~1").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // And the role without a definition is drift, not changed
        var drift = Assert.Single(result.Drift);
        Assert.Equal("ghost-role", drift.Proposal.Identity.Name);
        Assert.Contains("## Drift", result.PullRequestMarkdown, StringComparison.Ordinal);
        Assert.Contains("| `s3:GetObject` | Used | 42 | 2026-10-30 |", result.PullRequestMarkdown, StringComparison.Ordinal);
        Assert.Contains("2026-08-04 to 2026-11-01 (90 days)", result.PullRequestMarkdown, StringComparison.Ordinal);

        // And on the branch, the files still scan and each policy is the proposal
        repo.Run("checkout", "-q", "ciem/least-privilege-2026-11-01");
        var source = TerraformSource.ReadDirectory(repo.Path);
        Assert.Empty(source.Diagnostics.Where(d => d.Severity == Ciem.Core.Diagnostics.Severity.Error));
        AssertPolicy(source.InlinePolicies.Single(p => p.Block.Label == "app"), proposals[0]);
        AssertPolicy(source.InlinePolicies.Single(p => p.Block.Label == "batch"), proposals[2]);
        AssertPolicy(source.ManagedPolicies.Single(p => p.Block.Label == "reporting"), proposals[1]);
        Assert.DoesNotContain(source.Attachments, a => a.Block.Label == "reporting_ro");
        Assert.Contains(source.Attachments, a => a.Block.Label == "reporting");
        // And everything outside the policy values is untouched
        var main = File.ReadAllText(Path.Combine(repo.Path, "main.tf"));
        Assert.StartsWith(MainTf[..MainTf.IndexOf("resource \"aws_iam_role_policy\"", StringComparison.Ordinal)], main, StringComparison.Ordinal);
        Assert.Contains("  role = aws_iam_role.app.name # inline policy\n  policy = jsonencode({\n    \"Version\" = \"2012-10-17\"", main, StringComparison.Ordinal);
        var heredoc = File.ReadAllText(Path.Combine(repo.Path, "heredoc.tf"));
        Assert.Contains("module \"network\" {\n  source = \"./network\"\n}\n", heredoc, StringComparison.Ordinal);
        Assert.Contains("    policy = jsonencode({\n      \"Version\"", heredoc, StringComparison.Ordinal);
        Assert.Contains("data \"aws_iam_policy_document\" \"reporting\"", File.ReadAllText(Path.Combine(repo.Path, "document.tf")), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CloneOfBareRemote_PushesTheBranch()
    {
        // Given a bare remote and a clone of it holding the Terraform files
        var bare = Path.Combine(_root, "remote.git");
        Directory.CreateDirectory(bare);
        new GitRepository(bare).Run("init", "-q", "--bare", "-b", "main");
        var seed = Init(Path.Combine(_root, "seed"));
        seed.Run("push", "-q", bare, "main");
        new GitRepository(_root).Run("clone", "-q", bare, "clone");
        var clone = new GitRepository(Path.Combine(_root, "clone"));

        // When the proposals are written and pushed to origin
        var result = IacProposalBranch.Create(clone.Path, "ciem/lp", Proposals(), Window, pushTo: "origin");

        // Then the remote has the branch with one commit per account
        Assert.Equal(2, result.Commits.Length);
        Assert.Equal("2", new GitRepository(bare).Run("rev-list", "--count", "main..ciem/lp").Trim());
        Assert.Equal(result.Commits[^1], new GitRepository(bare).Run("rev-parse", "ciem/lp").Trim());
    }

    [Fact]
    public void Create_OnlyDriftedIdentities_CreatesNoCommit()
    {
        // Given proposals for a role the code does not define
        var repo = Init(Path.Combine(_root, "repo"));

        // When they are written
        var result = IacProposalBranch.Create(repo.Path, "ciem/none", [Proposal("333333333333", "ghost-role", Json("sqs:SendMessage"))], Window);

        // Then nothing is committed and the identity is drift
        Assert.Empty(result.Commits);
        Assert.Equal("0", repo.Run("rev-list", "--count", "main..ciem/none").Trim());
        Assert.Equal("no definition found in the repository", Assert.Single(result.Drift).Reason);
    }

    private static void AssertPolicy(PolicyDefinition definition, PolicyProposal proposal)
    {
        Assert.Equal(PolicyValueKind.JsonEncode, definition.Kind);
        var json = TerraformSource.DecodeJsonEncode(definition.Policy.Value);
        Assert.NotNull(json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(proposal.Policies[0].Json), JsonNode.Parse(json)), json);
    }

    [Fact]
    public void Create_SymlinkedTfPointingOutside_RefusedAndTargetUntouched()
    {
        // Given a repository whose main.tf is a tracked symbolic link to a file outside it
        var repo = Init(Path.Combine(_root, "repo"));
        var outside = Path.Combine(_root, "outside.tf");
        File.WriteAllText(outside, MainTf);
        File.Delete(Path.Combine(repo.Path, "main.tf"));
        File.CreateSymbolicLink(Path.Combine(repo.Path, "main.tf"), outside);
        repo.Run("add", "-A");
        repo.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "link");

        // When proposals that rewrite it are written as a branch
        var error = Assert.Throws<InvalidOperationException>(() => IacProposalBranch.Create(repo.Path, "ciem/lp", Proposals(), Window));

        // Then it is refused by name, the outside file is unchanged, and the clone is back on main without the branch
        Assert.Contains("`main.tf` is not a regular, tracked file", error.Message, StringComparison.Ordinal);
        Assert.Equal(MainTf, File.ReadAllText(outside));
        Assert.Equal("main", repo.CurrentBranch);
    }

    [Fact]
    public void Create_BranchStartingWithDash_RefusedBeforeAnyChange()
    {
        var repo = Init(Path.Combine(_root, "repo"));
        Assert.Throws<ArgumentException>(() => IacProposalBranch.Create(repo.Path, "--orphan", Proposals(), Window));
        Assert.Equal("main", repo.CurrentBranch);
    }

    private static GitRepository Init(string path)
    {
        Directory.CreateDirectory(path);
        var repo = new GitRepository(path);
        repo.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(path, "main.tf"), MainTf);
        File.WriteAllText(Path.Combine(path, "heredoc.tf"), HeredocTf);
        File.WriteAllText(Path.Combine(path, "document.tf"), DocumentTf);
        repo.Run("add", ".");
        repo.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "initial");
        return repo;
    }

    private static string Json(string action, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Kept","Effect":"Allow","Action":["{{action}}"],"Resource":"{{resource}}"}]}""";

    private static List<PolicyProposal> Proposals() =>
    [
        Proposal("111111111111", "app-role", Json("s3:GetObject", "arn:aws:s3:::data/${aws:username}/*")),
        Proposal("111111111111", "reporting", Json("athena:StartQueryExecution")),
        Proposal("222222222222", "batch-role", Json("sqs:SendMessage")),
        Proposal("222222222222", "ghost-role", Json("sqs:ReceiveMessage")),
    ];

    private static PolicyProposal Proposal(string account, string role, string json)
    {
        var identity = new Identity("aws", $"arn:aws:iam::{account}:role/{role}", role, IdentityKind.Role, account, [], null, null);
        var lastUsed = new DateTimeOffset(2026, 10, 30, 0, 0, 0, TimeSpan.Zero);
        return new PolicyProposal(identity, [], [new ProposedPolicy($"{role}-least-privilege", json, json.Length)],
            [new ActionEvidence("s3:GetObject", KeepReason.Used, 42, lastUsed, ["arn:aws:s3:::data/x"])], ["s3:PutObject", "dynamodb:Scan"], [$"{role}-policy"],
            120, 3, 0.8, new ProposalVerification(42, 42, 0, []), []);
    }
}
