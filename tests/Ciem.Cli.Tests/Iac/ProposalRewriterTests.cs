using Ciem.App.Iac;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Import.Iac;
using Xunit;

namespace Ciem.Cli.Tests.Iac;

public sealed class ProposalRewriterTests
{
    private const string Tf = """
        resource "aws_iam_role" "etl" {
          name = "etl"
        }

        resource "aws_iam_role_policy" "one" {
          role   = aws_iam_role.etl.name
          policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
        }

        resource "aws_iam_role_policy" "two" {
          role   = aws_iam_role.etl.name
          policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
        }

        resource "aws_iam_policy" "shared" {
          policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:*", Resource = "*" }] })
        }

        resource "aws_iam_role_policy_attachment" "etl_shared" {
          role       = aws_iam_role.etl.name
          policy_arn = aws_iam_policy.shared.arn
        }

        resource "aws_iam_role_policy_attachment" "other_shared" {
          role       = "other"
          policy_arn = aws_iam_policy.shared.arn
        }

        resource "aws_iam_role_policy_attachment" "etl_admin" {
          role       = aws_iam_role.etl.name
          policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
        }

        """;

    private const string Doc = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    [Fact]
    public void Rewrite_RoleWithSeveralDefinitions_KeepsOnePlaceRemovesTheRestAndDetachesSharedPolicies()
    {
        // Given a role with two inline policies, a policy shared with another role and an AWS-managed policy
        var source = TerraformSource.Read([("iam.tf", Tf)]);

        // When a one-document proposal is written
        var result = ProposalRewriter.Rewrite(source, new Dictionary<string, string> { ["iam.tf"] = Tf }, [Proposal("etl", Doc)]);

        // Then the first inline policy holds it, the second is removed, both attachments go and the shared policy stays
        var after = TerraformSource.Read([("iam.tf", result.ChangedFiles["iam.tf"])]);
        Assert.Empty(after.Diagnostics);
        Assert.Equal("one", Assert.Single(after.InlinePolicies).Block.Label);
        Assert.Equal(Doc, TerraformSource.DecodeJsonEncode(after.InlinePolicies[0].Policy.Value));
        Assert.Equal("other_shared", Assert.Single(after.Attachments).Block.Label);
        Assert.Equal("shared", Assert.Single(after.ManagedPolicies).Block.Label);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.IacSharedPolicy && d.Location!.Line == 19);
        Assert.Contains(result.Notes, n => n == "etl: detached `arn:aws:iam::aws:policy/AdministratorAccess`");
        Assert.DoesNotContain("\n\n\n", result.ChangedFiles["iam.tf"], StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_MoreDocumentsThanPlaces_AddsInlinePolicies()
    {
        // Given a role with one inline policy and a proposal split in two documents
        const string tf = "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n}\n\nresource \"aws_iam_role_policy\" \"p\" {\n  role   = aws_iam_role.r.name\n  policy = \"{}\"\n}\n";
        var source = TerraformSource.Read([("r.tf", tf)]);
        var proposal = Proposal("r", Doc) with { Policies = [new ProposedPolicy("r-1", Doc, 1), new ProposedPolicy("r-2", Doc.Replace("s3:GetObject", "s3:PutObject", StringComparison.Ordinal), 1)] };

        // When it is written
        var result = ProposalRewriter.Rewrite(source, new Dictionary<string, string> { ["r.tf"] = tf }, [proposal]);

        // Then the second document is a new aws_iam_role_policy on the same role
        var after = TerraformSource.Read([("r.tf", result.ChangedFiles["r.tf"])]);
        Assert.Equal(["p", "r_2"], after.InlinePolicies.Select(p => p.Block.Label));
        Assert.All(after.InlinePolicies, p => Assert.Equal("r", p.RoleName));
        Assert.Contains("s3:PutObject", TerraformSource.DecodeJsonEncode(after.InlinePolicies[1].Policy.Value), StringComparison.Ordinal);
    }

    private static PolicyProposal Proposal(string role, string json) =>
        new(new Identity("aws", $"arn:aws:iam::111111111111:role/{role}", role, IdentityKind.Role, "111111111111", [], null, null),
            [], [new ProposedPolicy(role + "-lp", json, json.Length)], [], [], [], 10, 1, 0.5, new ProposalVerification(1, 1, 0, []), []);
}

public sealed class ProposalRewriterGuardrailTests
{
    private const string Tf = """
        resource "aws_iam_role" "admin" {
          name = "admin"
        }

        resource "aws_iam_role_policy" "all" {
          name   = "all"
          role   = aws_iam_role.admin.name
          policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
        }

        resource "aws_iam_role_policy_attachment" "mfa" {
          role       = aws_iam_role.admin.name
          policy_arn = "arn:aws:iam::111111111111:policy/RequireMFA"
        }

        resource "aws_iam_role_policy" "no_leave" {
          name   = "no-leave"
          role   = aws_iam_role.admin.name
          policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "organizations:LeaveOrganization", Resource = "*" }] })
        }

        """;

    [Fact]
    public void Rewrite_RoleWithDenyOnlyPolicies_GuardrailsStayUntouched()
    {
        // Given a role with an allow-all inline policy, an attached RequireMFA policy and a Deny-only inline policy,
        // and a proposal that keeps both as guardrails
        var source = TerraformSource.Read([("iam.tf", Tf)]);
        var json = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        var proposal = new PolicyProposal(new Identity("aws", "arn:aws:iam::111111111111:role/admin", "admin", IdentityKind.Role, "111111111111", [], null, null),
            [], [new ProposedPolicy("admin-lp", json, json.Length)], [], [], ["arn:aws:iam::111111111111:role/admin#all"], 10, 1, 0.5, new ProposalVerification(1, 1, 0, []), [])
        {
            Guardrails =
            [
                new KeptGuardrail("arn:aws:iam::111111111111:policy/RequireMFA", GuardrailKind.RestrictingPolicy, 1),
                new KeptGuardrail("arn:aws:iam::111111111111:role/admin#no-leave", GuardrailKind.RestrictingPolicy, 1),
            ],
        };

        // When rewritten
        var result = ProposalRewriter.Rewrite(source, new Dictionary<string, string> { ["iam.tf"] = Tf }, [proposal]);

        // Then the allow-all policy holds the proposal, and both guardrails are exactly as they were
        var text = result.ChangedFiles["iam.tf"];
        Assert.Contains("s3:GetObject", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Action = \"*\"", text, StringComparison.Ordinal);
        Assert.Contains("resource \"aws_iam_role_policy_attachment\" \"mfa\"", text, StringComparison.Ordinal);
        Assert.Contains("policy_arn = \"arn:aws:iam::111111111111:policy/RequireMFA\"", text, StringComparison.Ordinal);
        Assert.Contains("Effect = \"Deny\", Action = \"organizations:LeaveOrganization\"", text, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("kept guardrail `RequireMFA`", StringComparison.Ordinal));
    }

    [Fact]
    public void Rewrite_PermissionSetProposal_ReportedNotRewritten()
    {
        // Given a proposal for an Identity Center permission set
        var source = TerraformSource.Read([("iam.tf", Tf)]);
        var proposal = new PolicyProposal(new Identity("aws", "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1", "AWSReservedSSO_Admin_1", IdentityKind.SsoRole, "111111111111", [], null, null),
            [], [], [], [], [], 10, 1, 0.5, new ProposalVerification(1, 1, 0, []), [])
        {
            PermissionSet = new PermissionSetTarget("Admin", null, ["arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1"], 0, [], [], false),
        };

        // When rewritten / Then nothing in IAM changes, and the reason is given
        var result = ProposalRewriter.Rewrite(source, new Dictionary<string, string> { ["iam.tf"] = Tf }, [proposal]);
        Assert.Empty(result.ChangedFiles);
        Assert.Contains("permission set", Assert.Single(result.Drift).Reason, StringComparison.Ordinal);
    }
}
