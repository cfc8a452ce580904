using System.Text.Json;

namespace Ciem.Cli.Tests.Gate;

/// <summary>`ciem check --plan plan.json --source DIR`: plan findings located at the `.tf` lines of their resources.</summary>
public sealed class PlanSourceMapTests : IDisposable
{
    private readonly CliRunner _cli = new();

    private const string MainTf = """
        resource "aws_iam_role" "app" {
          name               = "app"
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }

        resource "aws_iam_role_policy" "admin" {
          name   = "admin"
          role   = aws_iam_role.app.name
          policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
        }

        module "readers" {
          source = "./modules/reader"
        }

        """;

    private const string ReaderTf = """
        variable "users" { default = ["bob"] }

        resource "aws_iam_user_policy" "this" {
          for_each = toset(var.users)
          user     = each.key
          policy   = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }] })
        }

        """;

    /// <summary>`terraform show -json` of that folder: the inline policy of `app`, and `bob`'s policy from the module.</summary>
    private const string Plan = """
        {"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[
          {"address":"aws_iam_role_policy.admin","mode":"managed","type":"aws_iam_role_policy","name":"admin","provider_name":"registry.terraform.io/hashicorp/aws",
           "change":{"actions":["create"],"before":null,"after":{"name":"admin","role":"app","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"},"after_unknown":{"id":true}}},
          {"address":"module.readers.aws_iam_user_policy.this[\"bob\"]","module_address":"module.readers","mode":"managed","type":"aws_iam_user_policy","name":"this","index":"bob","provider_name":"registry.terraform.io/hashicorp/aws",
           "change":{"actions":["create"],"before":null,"after":{"user":"bob","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}"},"after_unknown":{"id":true,"name":true}}}]}
        """;

    private (string Plan, string Infra) Write()
    {
        var infra = Path.Combine(_cli.Home, "infra");
        Directory.CreateDirectory(Path.Combine(infra, "modules", "reader"));
        File.WriteAllText(Path.Combine(infra, "main.tf"), MainTf);
        File.WriteAllText(Path.Combine(infra, "modules", "reader", "main.tf"), ReaderTf);
        var plan = Path.Combine(_cli.Home, "plan.json");
        File.WriteAllText(plan, Plan);
        return (plan, infra);
    }

    [Theory]
    [InlineData("--source")]
    [InlineData("--hcl")]
    public void Check_PlanWithSource_SarifPointsAtTheTfLines(string option)
    {
        // Given a plan and the folder it was made from
        var (plan, infra) = Write();

        // When the plan is checked with the source, as SARIF
        var (code, output, err) = _cli.Run("check", "--plan", plan, option, infra, "--format", "sarif");

        // Then each result points at its resource's block in the .tf file, the plan path kept as the logical location
        Assert.True(code == 2, output + err);
        using var sarif = JsonDocument.Parse(output);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var admin = results.First(r => r.GetProperty("ruleId").GetString() == "new-admin" && r.GetProperty("message").GetProperty("text").GetString()!.Contains("role/app", StringComparison.Ordinal));
        var location = admin.GetProperty("locations")[0];
        Assert.Equal("main.tf", location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(6, location.GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal("$.resource_changes[0].change.after.policy", location.GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString());
        var bob = results.First(r => r.GetProperty("message").GetProperty("text").GetString()!.Contains("user/bob", StringComparison.Ordinal));
        var bobLocation = bob.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("modules/reader/main.tf", bobLocation.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, bobLocation.GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void Check_PlanWithoutSource_PointsIntoThePlan()
    {
        // Given the same plan, checked without its source
        var (plan, _) = Write();
        var (_, output, _) = _cli.Run("check", "--plan", plan, "--format", "sarif");

        // Then results point into plan.json
        using var sarif = JsonDocument.Parse(output);
        Assert.All(sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray(),
            r => Assert.Equal("plan.json", r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()));
    }

    [Fact]
    public void Check_SourceWithoutPlan_Exit3()
    {
        // Given --source with a policy file / When checked / Then it is a bad argument
        var (_, infra) = Write();
        var (code, _, err) = _cli.Run("check", "--after", Path.Combine(_cli.Home, "plan.json"), "--source", infra);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("--source goes with --plan", err, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
