using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Import.Iac;
using Ciem.Tests;

namespace Ciem.Import.Tests.Iac;

public sealed class TerraformHclReaderTests
{
    private static string AppDir => TestPaths.Repo("tests", "Ciem.Import.Tests", "Iac", "Hcl", "app");

    private static TerraformModule App() => Module(
        Directory.GetFiles(AppDir, "*.tf").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray());

    private static TerraformModule Module(params (string Path, string Text)[] files) =>
        new(files, rel => File.Exists(Path.Combine(AppDir, rel)) ? File.ReadAllText(Path.Combine(AppDir, rel)) : null);

    private static GatePolicy PolicyNamed(PrincipalChange change, string name) => Assert.Single(change.After, p => p.Name == name);

    [Fact]
    public void Read_Module_RolePoliciesInEveryStyle()
    {
        // Given a module with jsonencode, an inline_policy block, a heredoc and a policy document attached to the role
        var result = TerraformHclReader.Read(null, App());
        // Then the role carries its trust and four policies, with interpolations and references kept symbolic
        var role = Assert.Single(result.Changes, c => c.Id == "role/orders-service");
        Assert.Equal(new SourceLocation("main.tf", 7), role.Location);
        Assert.Equal("lambda.amazonaws.com", Assert.Single(role.TrustAfter!.Document!.Statements).Principal!.Values[0].Value);
        Assert.Equal(["queue", "data", "orders-reports"], role.After.Select(p => p.Name));
        Assert.Equal("{aws_sqs_queue.orders.arn}", PolicyNamed(role, "queue").Document!.Statements[0].Resources[0]);
        Assert.Equal("arn:aws:s3:::{var.bucket_name}/${aws:username}/*", PolicyNamed(role, "data").Document!.Statements[0].Resources[0]);
        var reports = PolicyNamed(role, "orders-reports");
        Assert.Equal("arn:aws:s3:::{var.bucket_name}/reports/${aws:username}/*", reports.Document!.Statements[0].Resources[1]);
        Assert.Equal(Effect.Deny, reports.Document.Statements[1].Effect);
        Assert.Equal("{var.team}", reports.Document.Statements[1].Conditions[0].Values[0]);
        Assert.Equal(11, reports.LocationOf(reports.Document.Statements[1]).Line);
        Assert.Equal("documents.tf", reports.LocationOf(reports.Document.Statements[1]).File);
        var data = PolicyNamed(role, "data");
        Assert.Equal(36, data.Location.Line);
        Assert.Equal(40, data.LocationOf(data.Document!.Statements[0]).Line);
        var queue = PolicyNamed(role, "queue");
        Assert.Equal(23, queue.LocationOf(queue.Document!.Statements[0]).Line);
    }

    [Fact]
    public void Read_Module_FileAndDynamicValues()
    {
        // Given customer policies attached to nothing: one from file(), one whose actions are a variable
        var result = TerraformHclReader.Read(null, App());
        // Then the file's policy is read relative to the module and the variable makes the other unknown content
        var logs = Assert.Single(result.Changes, c => c.Id == "policy/orders-logs");
        Assert.Equal("logs:CreateLogStream logs:PutLogEvents", string.Join(' ', logs.After[0].Document!.Statements[0].Actions));
        var dynamic = Assert.Single(result.Changes, c => c.Id == "policy/orders-dynamic");
        Assert.True(dynamic.After[0].IsUnknown);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.HclUnknownPolicy && d.Message.Contains("var.actions", StringComparison.Ordinal) && d.Location == new SourceLocation("main.tf", 67));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        // And the unknown policy is an indeterminate finding, never skipped
        var delta = new PermissionDeltaCalculator(AwsActionCatalog.Default).Compute(dynamic);
        Assert.Contains(AwsGateRules.Evaluate(delta), f => f.RuleId == GateRules.IndeterminateChange);
    }

    [Fact]
    public void Read_BeforeAfter_AddedWildcardIsNewAdminAtItsLine()
    {
        // Given an inline policy whose jsonencode gains iam:* in a second statement
        const string Before = """
            resource "aws_iam_role" "ci" {
              name               = "ci-deployer"
              assume_role_policy = data.aws_iam_policy_document.trust.json
            }

            resource "aws_iam_role_policy" "deploy" {
              role = aws_iam_role.ci.name
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${var.artifacts}/*" }]
              })
            }
            """;
        var after = Before.Replace("""Resource = "${var.artifacts}/*" }]""", """Resource = "${var.artifacts}/*" }, { Effect = "Allow", Action = "iam:*", Resource = "*" }]""", StringComparison.Ordinal);
        // When read and evaluated
        var result = TerraformHclReader.Read(Module(("iam.tf", Before)), Module(("iam.tf", after)));
        var role = Assert.Single(result.Changes);
        Assert.Equal("role/ci-deployer", role.Id);
        Assert.True(role.TrustAfter!.IsUnknown);
        var findings = AwsGateRules.Evaluate(new PermissionDeltaCalculator(AwsActionCatalog.Default).Compute(role));
        // Then the wildcard is reported at its statement's line in iam.tf
        var wildcard = Assert.Single(findings, f => f.RuleId == GateRules.SensitiveWildcard);
        Assert.Equal("iam.tf", wildcard.Location?.File);
        Assert.Equal(10, wildcard.Location?.Line);
    }

    [Theory]
    [InlineData("""Action = "s3:${var.verb}" """)]
    [InlineData("Action = var.actions")]
    [InlineData("Action = concat([\"s3:GetObject\"], var.more)")]
    [InlineData("Action = local.ok ? \"s3:*\" : \"s3:GetObject\"")]
    public void Read_SymbolDecidesActions_UnknownContent(string action)
    {
        // Given a policy whose actions are known only at apply
        var text = "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", " + action + ", Resource = \"*\" }]\n  })\n}\n";
        var result = TerraformHclReader.Read(null, Module(("p.tf", text)));
        // Then it is unknown content, located at the policy attribute
        var change = Assert.Single(result.Changes);
        Assert.True(change.After[0].IsUnknown);
        Assert.Equal(3, Assert.Single(result.Diagnostics).Location?.Line);
    }

    [Fact]
    public void Read_AttachmentsAndNamesNotInModule_KeptSymbolic()
    {
        // Given a policy attached to a role known only by a variable, and an AWS managed policy by ARN
        const string Text = """
            resource "aws_iam_policy" "p" {
              name   = "${var.prefix}-read"
              policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"${aws_s3_bucket.b.arn}/*\"}]}"
            }

            resource "aws_iam_policy_attachment" "p" {
              name       = "p"
              roles      = [var.role_name, "literal-role"]
              policy_arn = aws_iam_policy.p.arn
            }

            resource "aws_iam_user_policy_attachment" "admin" {
              user       = "alice"
              policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
            }
            """;
        var result = TerraformHclReader.Read(null, Module(("a.tf", Text)));
        // Then the principals are named symbolically and the policy is not also checked on its own
        Assert.Equal(["role/${var.role_name}", "role/literal-role", "user/alice"], result.Changes.Select(c => c.Id).Order(StringComparer.Ordinal));
        var role = Assert.Single(result.Changes, c => c.Name == "literal-role");
        Assert.Equal("{var.prefix}-read", role.After[0].Name);
        Assert.Equal("{aws_s3_bucket.b.arn}/*", role.After[0].Document!.Statements[0].Resources[0]);
        var alice = Assert.Single(result.Changes, c => c.Name == "alice");
        Assert.Equal("arn:aws:iam::aws:policy/AdministratorAccess", alice.After[0].Arn);
    }

    [Fact]
    public void Read_SameModuleOnBothSides_NothingTouched()
    {
        // Given a module unchanged between the base ref and the working tree (its unknown policy included)
        var result = TerraformHclReader.Read(App(), App());
        // Then no principal is touched, so an unrelated pull request is not reported
        Assert.Empty(result.Changes);
    }
}
