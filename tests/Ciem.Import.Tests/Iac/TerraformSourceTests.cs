using Ciem.Core.Diagnostics;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Iac;

public sealed class TerraformSourceTests
{
    [Fact]
    public void Read_TrickyText_GivesExactSpansOfEachPolicyValue()
    {
        // Given braces inside strings, comments, interpolations with nested quotes and a heredoc holding `}`
        const string tf = """
            /* resource "aws_iam_role" "commented" { */
            resource "aws_iam_role" "r" {
              name = "worker" // the role
              tags = { team = "a}b", note = "${lookup(var.m, "k", "}")}" }
            }
            resource "aws_iam_role_policy" "p" {
              role   = aws_iam_role.r.id
              policy = <<-POLICY
                {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "}"}]}
                POLICY
            }
            resource "aws_iam_role_policy" "q" {
              role = "worker"
              dynamic "x" {
                for_each = []
              }
              policy = jsonencode({ Version = "2012-10-17", Statement = [] }) # trailing
            }
            """;

        // When it is read
        var result = TerraformSource.Read([("iam.tf", tf)]);

        // Then both inline policies resolve to the role and their value spans are exact
        Assert.Empty(result.Diagnostics);
        Assert.Equal("worker", result.RoleNames["r"]);
        var p = result.InlinePolicies.Single(x => x.Block.Label == "p");
        Assert.Equal(("worker", PolicyValueKind.Heredoc), (p.RoleName, p.Kind));
        Assert.StartsWith("<<-POLICY\n", p.Policy.Value, StringComparison.Ordinal);
        Assert.EndsWith("    POLICY", p.Policy.Value, StringComparison.Ordinal);
        var q = result.InlinePolicies.Single(x => x.Block.Label == "q");
        Assert.Equal("jsonencode({ Version = \"2012-10-17\", Statement = [] })", tf[q.Policy.ValueSpan.Start..q.Policy.ValueSpan.End]);
        Assert.Equal("  ", q.Policy.Indent);
        Assert.Equal(17, q.Policy.Line);
        Assert.Equal("""{"Version":"2012-10-17","Statement":[]}""", TerraformSource.DecodeJsonEncode(q.Policy.Value));
    }

    [Fact]
    public void Read_UnclosedBlock_ReportsItWithItsLine()
    {
        // Given a block that is never closed
        const string tf = "resource \"aws_iam_role\" \"ok\" {\n  name = \"ok\"\n}\n\nresource \"aws_iam_role_policy\" \"broken\" {\n  policy = jsonencode({\n";

        // When it is read
        var result = TerraformSource.Read([("bad.tf", tf)]);

        // Then the good block is kept and the broken one is reported where it starts
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((Severity.Error, DiagnosticCodes.IacUnbalancedBlock, "bad.tf", 5L), (d.Severity, d.Code, d.Location!.File, d.Location.Line));
        Assert.Equal("ok", Assert.Single(result.RoleNames).Value);
    }

    [Fact]
    public void Read_RoleFromAModuleOutput_IsReportedAsUnresolved()
    {
        // Given an inline policy on a role known only to a module
        const string tf = "resource \"aws_iam_role_policy\" \"p\" {\n  role   = module.app.role_name\n  policy = data.aws_iam_policy_document.missing.json\n}\n";

        // When it is read
        var result = TerraformSource.Read([("m.tf", tf)]);

        // Then the role and the document are located diagnostics, and the policy has no role
        Assert.Null(Assert.Single(result.InlinePolicies).RoleName);
        Assert.Contains(result.Diagnostics, d => d.Message == "cannot resolve role `module.app.role_name` of `aws_iam_role_policy.p` within the repository" && d.Location!.Line == 1);
        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("`data.aws_iam_policy_document.missing.json`", StringComparison.Ordinal) && d.Location!.Line == 3);
    }

    [Theory]
    [InlineData("jsonencode({ a = \"${var.x}\" })")]
    [InlineData("jsonencode({ a = var.x })")]
    [InlineData("jsonencode(local.doc)")]
    public void DecodeJsonEncode_NonLiteralContent_IsNull(string value) => Assert.Null(TerraformSource.DecodeJsonEncode(value));

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"ev\\\"il$${x}\"", "ev\"il${x}")]
    [InlineData("\"a%%{b}\\u0041\"", "a%{b}A")]
    [InlineData("\"serviceAccount:${google_service_account.x.email}\"", null)]
    [InlineData("\"a\" \"b\"", null)]
    [InlineData("var.x", null)]
    public void TemplateLiteral_EscapedTemplatesDecoded_InterpolationRefused(string value, string? expected)
    {
        // Given a value as written in HCL / When decoded / Then the text Terraform stands for, or null for an expression
        Assert.Equal(expected, TerraformSource.TemplateLiteral(value));
    }

    [Fact]
    public void ListItems_QuotedWithCommasAndComments_SpansOfEachItem()
    {
        // Given a list over several lines, an item holding a comma and a comment
        const string Value = "[\n  \"a,b\", # first\n  \"c\",\n  var.d\n]";

        // When its items are found
        var items = TerraformSource.ListItems(Value).Select(s => Value[s.Start..s.End]).ToArray();

        // Then each item's exact text, and nothing for a value that is not a list
        Assert.Equal(["\"a,b\"", "\"c\"", "var.d"], items);
        Assert.Empty(TerraformSource.ListItems("\"a\""));
    }
}
