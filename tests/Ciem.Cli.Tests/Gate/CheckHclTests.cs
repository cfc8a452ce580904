using System.Text.Json;
using Ciem.App.Iac;

namespace Ciem.Cli.Tests.Gate;

public sealed class CheckHclTests : IDisposable
{
    private readonly CliRunner _cli = new();

    private const string IamTf = """
        resource "aws_iam_role" "deployer" {
          name = "ci-deployer"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }]
          })
        }

        resource "aws_iam_role_policy" "deploy" {
          name = "deploy"
          role = aws_iam_role.deployer.id
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              { Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "${aws_s3_bucket.artifacts.arn}/*" },
              { Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" },
            ]
          })
        }
        """;

    private string Repo()
    {
        var root = Path.Combine(_cli.Home, "repo");
        Directory.CreateDirectory(Path.Combine(root, "infra"));
        var git = new GitRepository(root);
        git.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(root, "infra", "iam.tf"), IamTf);
        git.Run("add", ".");
        git.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "initial");
        return root;
    }

    [Fact]
    public void Check_HclChangeAddsIamStar_Exit2AtTheTfLine()
    {
        // Given a pull request that adds a statement with iam:* to the deploy policy (at line 17)
        var root = Repo();
        File.WriteAllText(Path.Combine(root, "infra", "iam.tf"), IamTf.Replace(
            """{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" },""",
            """{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" },""" + "\n      { Effect = \"Allow\", Action = \"iam:*\", Resource = \"*\" },",
            StringComparison.Ordinal));
        // When the folder is checked against main, as SARIF
        var (code, output, err) = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main", "--format", "sarif");
        // Then the gate fails with a finding located in infra/iam.tf at the policy's line
        Assert.True(code == 2, output + err);
        using var sarif = JsonDocument.Parse(output);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var finding = Assert.Single(results, r => r.GetProperty("ruleId").GetString() is "new-admin" or "sensitive-wildcard" && r.GetProperty("message").GetProperty("text").GetString()!.Contains("iam:*", StringComparison.Ordinal));
        var location = finding.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("infra/iam.tf", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(17, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.DoesNotContain(results, r => r.GetProperty("ruleId").GetString() == "indeterminate-change");
    }

    [Fact]
    public void Check_HclRemovalOnly_Exit0()
    {
        // Given a pull request that only removes the logs statement
        var root = Repo();
        File.WriteAllText(Path.Combine(root, "infra", "iam.tf"), IamTf.Replace(
            """{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" },""", "", StringComparison.Ordinal));
        // When checked against main
        var (code, output, err) = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main");
        // Then it passes and shows the removal
        Assert.True(code == 0, output + err);
        Assert.Contains("role/ci-deployer", output, StringComparison.Ordinal);
        Assert.Contains("-1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HclWithoutBaseRef_EverythingIsNew()
    {
        // Given a folder outside git with a role that may be assumed by anyone
        var dir = Path.Combine(_cli.Home, "plain");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "trust.tf"), IamTf.Replace("Service = \"codebuild.amazonaws.com\"", "AWS = \"*\"", StringComparison.Ordinal));
        // When checked without a base ref
        var (code, output, err) = _cli.Run("check", "--hcl", dir);
        // Then the new public trust fails the gate
        Assert.True(code == 2, output + err);
        Assert.Contains("new-public-trust", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BaseRefWithoutHcl_Exit3()
    {
        Assert.Equal(3, _cli.Run("check", "--plan", "x.json", "--base-ref", "main").Code);
        Assert.Equal(3, _cli.Run("check", "--hcl", Path.Combine(Repo(), "infra"), "--base-ref", "no-such-ref").Code);
    }

    [Fact]
    public void Check_TfvarsWidenALocalModule_FindingInTheModuleFile()
    {
        // Given infra/ calling ../modules/reader with actions from a variable, committed on main
        var root = Path.Combine(_cli.Home, "vars");
        Directory.CreateDirectory(Path.Combine(root, "infra"));
        Directory.CreateDirectory(Path.Combine(root, "modules", "reader"));
        var git = new GitRepository(root);
        git.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(root, "infra", "main.tf"), """
            variable "reader_actions" {
              default = ["s3:GetObject"]
            }

            module "reader" {
              source  = "../modules/reader"
              name    = "reports-reader"
              actions = var.reader_actions
            }
            """);
        File.WriteAllText(Path.Combine(root, "modules", "reader", "main.tf"), """
            variable "name" { type = string }
            variable "actions" { type = list(string) }

            resource "aws_iam_role" "this" {
              name = var.name
            }

            resource "aws_iam_role_policy" "this" {
              role   = aws_iam_role.this.name
              policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })
            }
            """);
        git.Run("add", ".");
        git.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "initial");
        // And a pull request that only adds terraform.tfvars widening the actions
        File.WriteAllText(Path.Combine(root, "infra", "terraform.tfvars"), "reader_actions = [\"s3:GetObject\", \"iam:PassRole\", \"ec2:RunInstances\"]\n");

        // When infra/ is checked against main
        var (code, output, err) = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main", "--format", "json");

        // Then the module's role gains an escalation path, located in the module's file, and the gate fails
        Assert.True(code == 2, output + err);
        using var json = JsonDocument.Parse(output);
        var principal = Assert.Single(json.RootElement.GetProperty("principals").EnumerateArray());
        Assert.Equal("role/reports-reader", principal.GetProperty("id").GetString());
        Assert.Equal(["ec2:RunInstances", "iam:PassRole"], principal.GetProperty("added").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "new-escalation");
        Assert.StartsWith("modules/reader/main.tf:", finding.GetProperty("location").GetString(), StringComparison.Ordinal);
        Assert.Contains("CIEM6462", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HostileRoleName_MarkdownAndTextKeepEveryFindingVisible()
    {
        // Given a pull request adding iam:* to a role whose name carries a carriage return, `<!--`, backticks, a pipe,
        // a terminal escape and Spectre markup
        var root = Repo();
        // (`\\r` is HCL's escape for a carriage return; the escape character is raw in the file)
        const string Hostile = "ci\\r<!-- \u001b[2J`x|y [red]z";
        File.WriteAllText(Path.Combine(root, "infra", "iam.tf"), IamTf
            .Replace("\"ci-deployer\"", "\"" + Hostile + "\"", StringComparison.Ordinal)
            .Replace("""Action = ["logs:PutLogEvents"], Resource = "*" },""",
                """Action = ["logs:PutLogEvents"], Resource = "*" },""" + "\n      { Effect = \"Allow\", Action = \"iam:*\", Resource = \"*\" },",
                StringComparison.Ordinal));

        // When it is checked as a pull-request comment and as text
        var markdown = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main", "--format", "markdown");
        var text = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main");

        // Then the gate fails and says so, the name is escaped in its code span, and nothing can hide the rows after it
        Assert.Equal(2, markdown.Code);
        Assert.Contains("### OpenCIEM check: **failed**", markdown.Out, StringComparison.Ordinal);
        const string Span = "``role/ci <!-- `x\\|y [red]z``";
        var rows = markdown.Out.Split('\n');
        Assert.Equal(3, rows.Count(r => r.StartsWith("| critical | `new-admin` | " + Span + " | ", StringComparison.Ordinal)
            || r.StartsWith("| high | `new-escalation` | " + Span + " | ", StringComparison.Ordinal)
            || r.StartsWith("| high | `sensitive-wildcard` | " + Span + " | ", StringComparison.Ordinal)));
        // `<!--` appears only inside the principal's code span (literal text there), never as an HTML comment
        Assert.DoesNotContain("<!--", markdown.Out.Replace(Span, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("`role/ci &lt;!-- ", markdown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', markdown.Out);
        Assert.Equal(2, text.Code);
        Assert.Contains("CRITICAL new-admin  `role/ci<!-- `x|y [red]z` becomes administrative", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text.Out + text.Err);
        Assert.DoesNotContain('\u001b', markdown.Out + text.Out + text.Err);
    }

    public void Dispose() => _cli.Dispose();
}
