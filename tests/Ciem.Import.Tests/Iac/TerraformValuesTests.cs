using Ciem.Core.Diagnostics;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Iac;

public sealed class TerraformValuesTests
{
    private const string Variables = """
        variable "prefix" {
          type    = string
          default = "dev"
        }

        variable "bucket" {
          default = "orders-data"
        }

        variable "actions" {
          type = list(string)
          default = [
            "s3:GetObject", # reads
            "s3:PutObject",
          ]
        }

        variable "queue_arn" {
          type = string
        }

        locals {
          bucket_arn = "arn:aws:s3:::${var.bucket}"
          role_name  = "${var.prefix}-orders"
          objects    = "${local.bucket_arn}/*"
          computed   = upper(var.prefix)
        }

        """;

    private const string Policy = """
        resource "aws_iam_role" "orders" {
          name               = local.role_name
          assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
        }

        resource "aws_iam_role_policy" "data" {
          name = "data"
          role = aws_iam_role.orders.name
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              { Effect = "Allow", Action = var.actions, Resource = local.objects },
              { Effect = "Allow", Action = "sqs:SendMessage", Resource = var.queue_arn },
              { Effect = "Allow", Action = "s3:ListBucket", Resource = "${local.bucket_arn}", Condition = { StringEquals = { "aws:PrincipalTag/env" = local.computed } } },
            ]
          })
        }

        resource "aws_iam_role_policy" "heredoc" {
          name   = "heredoc"
          role   = aws_iam_role.orders.name
          policy = <<EOF
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::${var.bucket}/tmp/*"}]}
        EOF
        }

        """;

    private static TerraformModule Module(IReadOnlyList<(string, string)> files, params (string, string)[] variableFiles) =>
        new(files, _ => null) { VariableFiles = variableFiles };

    [Fact]
    public void Read_DefaultsAndLocals_PoliciesBecomeConcrete()
    {
        // Given variables with defaults, locals built from them, and a role using both
        var result = TerraformHclReader.Read(null, Module([("variables.tf", Variables), ("main.tf", Policy)]));

        // Then the role name, the actions and the resources are the repository's values
        var role = Assert.Single(result.Changes);
        Assert.Equal("role/dev-orders", role.Id);
        var data = role.After.Single(p => p.Name == "data").Document!;
        Assert.Equal(["s3:GetObject", "s3:PutObject"], data.Statements[0].Actions.ToArray());
        Assert.Equal("arn:aws:s3:::orders-data/*", data.Statements[0].Resources[0]);
        Assert.Equal("arn:aws:s3:::orders-data", data.Statements[2].Resources[0]);
        Assert.Equal("arn:aws:s3:::orders-data/tmp/*", role.After.Single(p => p.Name == "heredoc").Document!.Statements[0].Resources[0]);

        // And what the repository does not define stays symbolic: a variable without a value, a local calling a function
        Assert.Equal("{var.queue_arn}", data.Statements[1].Resources[0]);
        Assert.Equal("{local.computed}", data.Statements[2].Conditions[0].Values[0]);
        // And the lines did not move: the statement with the list is still on line 12
        Assert.Equal(12, role.After.Single(p => p.Name == "data").LocationOf(data.Statements[0]).Line);
    }

    [Fact]
    public void Read_TfvarsAndAutoTfvars_OverrideDefaultsInTerraformOrder()
    {
        // Given terraform.tfvars, a JSON auto file and an HCL auto file
        var result = TerraformHclReader.Read(null, Module([("variables.tf", Variables), ("main.tf", Policy)],
            ("terraform.tfvars", "prefix = \"prod\"\nbucket = \"from-tfvars\"\n"),
            ("b.auto.tfvars", "bucket = \"from-auto\"\n"),
            ("a.auto.tfvars.json", """{"actions": ["s3:GetObject"], "queue_arn": "arn:aws:sqs:eu-west-1:111111111111:orders", "bucket": "from-json"}""")));

        // Then terraform.tfvars beats defaults, and auto files (lexical order) beat terraform.tfvars
        var role = Assert.Single(result.Changes);
        Assert.Equal("role/prod-orders", role.Id);
        var data = role.After.Single(p => p.Name == "data").Document!;
        Assert.Equal(["s3:GetObject"], data.Statements[0].Actions.ToArray());
        Assert.Equal("arn:aws:s3:::from-auto/*", data.Statements[0].Resources[0]);
        Assert.Equal("arn:aws:sqs:eu-west-1:111111111111:orders", data.Statements[1].Resources[0]);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != Severity.Info);
    }

    [Fact]
    public void Read_ActionsFromAVariableWithoutValue_StayIndeterminate()
    {
        // Given actions taken from a variable that has neither a default nor a tfvars value
        const string Text = """
            variable "verbs" { type = list(string) }

            resource "aws_iam_policy" "p" {
              name   = "p"
              policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.verbs, Resource = "*" }] })
            }
            """;

        // When the module is read
        var result = TerraformHclReader.Read(null, Module([("p.tf", Text)]));

        // Then the policy is unknown content, as before
        Assert.True(Assert.Single(result.Changes).After[0].IsUnknown);
        Assert.Equal(DiagnosticCodes.HclUnknownPolicy, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Read_BrokenTfvarsJson_WarnsWithItsLineAndUsesDefaults()
    {
        // Given a terraform.tfvars.json that is not JSON
        var result = TerraformHclReader.Read(null, Module([("variables.tf", Variables), ("main.tf", Policy)], ("terraform.tfvars.json", "{\n  \"prefix\": \n}")));

        // Then it is reported with its file and the defaults apply
        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.HclBadTfvars);
        Assert.Equal("terraform.tfvars.json", warning.Location!.File);
        Assert.Equal(3, warning.Location.Line);
        Assert.Equal("role/dev-orders", Assert.Single(result.Changes).Id);
    }

    [Fact]
    public void Read_LocalModule_FollowedWithItsInputs()
    {
        // Given a root module calling ./modules/reader with inputs, and a registry module
        const string Root = """
            locals {
              env = "stage"
            }

            module "reader" {
              source = "./modules/reader"
              name   = "${local.env}-reader"
              bucket = "arn:aws:s3:::stage-data"
            }

            module "vpc" {
              source  = "terraform-aws-modules/vpc/aws"
              version = "5.8.1"
            }
            """;
        const string Reader = """
            variable "name" { type = string }
            variable "bucket" { type = string }
            variable "actions" { default = ["s3:GetObject", "s3:ListBucket"] }

            resource "aws_iam_role" "this" {
              name = var.name
            }

            resource "aws_iam_role_policy" "this" {
              role   = aws_iam_role.this.name
              policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = ["${var.bucket}", "${var.bucket}/*"] }] })
            }
            """;
        var child = new TerraformModule([("modules/reader/main.tf", Reader)], _ => null);
        var module = new TerraformModule([("main.tf", Root)], _ => null) { ReadModule = source => source == "./modules/reader" ? child : null };

        // When the root module is read
        var result = TerraformHclReader.Read(null, module);

        // Then the module's role is read with the inputs and its own defaults, located in the module's file
        var role = Assert.Single(result.Changes);
        Assert.Equal("role/stage-reader", role.Id);
        Assert.Equal(new SourceLocation("modules/reader/main.tf", 5), role.Location);
        var statement = role.After[0].Document!.Statements[0];
        Assert.Equal(["s3:GetObject", "s3:ListBucket"], statement.Actions.ToArray());
        Assert.Equal(["arn:aws:s3:::stage-data", "arn:aws:s3:::stage-data/*"], statement.Resources.ToArray());
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.HclModuleFollowed && d.Message == "module `reader` (`./modules/reader`) followed with 2 input(s): 2 IAM resource(s)");

        // And the registry module is reported as not followed, with its line
        var skipped = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.HclModuleNotFollowed);
        Assert.Equal("module `vpc` is not followed: only local folders (`./…`, `../…`) are read, not `terraform-aws-modules/vpc/aws`; its IAM resources are not checked", skipped.Message);
        Assert.Equal(new SourceLocation("main.tf", 11), skipped.Location);
    }

    [Fact]
    public void Read_ModuleWithForEach_NotFollowed()
    {
        // Given a local module called with for_each
        const string Root = "module \"readers\" {\n  for_each = toset([\"a\", \"b\"])\n  source   = \"./modules/reader\"\n  name     = each.key\n}\n";
        var module = new TerraformModule([("main.tf", Root)], _ => null) { ReadModule = _ => throw new InvalidOperationException("must not be read") };

        // When it is read / Then it says why it was not followed
        var result = TerraformHclReader.Read(null, module);
        Assert.Empty(result.Changes);
        Assert.Equal("module `readers` is not followed: it uses `for_each`; its IAM resources are not checked", Assert.Single(result.Diagnostics).Message);
    }
}
