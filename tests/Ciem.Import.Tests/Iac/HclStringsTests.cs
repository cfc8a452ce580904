using Ciem.Core.Diagnostics;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Iac;

/// <summary>HCL's escape sequences decoded as Terraform decodes them, in every place a quoted string is read.</summary>
public sealed class HclStringsTests
{
    [Theory]
    [InlineData(@"a\nb", "a\nb")]
    [InlineData(@"\r\t", "\r\t")]
    [InlineData(@"say \""hi\"" \\ bye", "say \"hi\" \\ bye")]
    [InlineData(@"\u001b[2J", "\u001b[2J")]
    [InlineData(@"iam:\u0050assRole", "iam:PassRole")]
    [InlineData(@"\u00e9\u00E9", "éé")]
    [InlineData(@"\U0001F600", "\U0001F600")]
    [InlineData(@"\U0000001b", "\u001b")]
    [InlineData(@"$${literal} %%{x}", "$${literal} %%{x}")]
    [InlineData("plain", "plain")]
    public void Unescape_SpecSequences_Decoded(string content, string expected)
    {
        // Given the content of a quoted HCL string; When it is decoded
        var text = HclStrings.Unescape(content, out var problem);

        // Then each escape is the character the specification names, and template escapes are left to the template layer
        Assert.Null(problem);
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(@"\x41", "`\\x` is not an escape sequence")]
    [InlineData(@"\u12", "`\\u12` is not a valid escape")]
    [InlineData(@"\u12G4", "`\\u12G4` is not a valid escape")]
    [InlineData(@"\uD800", "`\\uD800` is not a valid escape")]
    [InlineData(@"\U00110000", "`\\U00110000` is not a valid escape")]
    [InlineData(@"\U0001F60", "`\\U0001F60` is not a valid escape")]
    [InlineData(@"trailing\", "ends with a lone")]
    public void Unescape_InvalidSequence_RefusedWithTheSequence(string content, string expected)
    {
        // Given a backslash sequence Terraform refuses (a near miss of a valid one); When it is decoded
        var text = HclStrings.Unescape(content, out var problem);

        // Then there is no text, and the reason names the sequence
        Assert.Null(text);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EscapedActionInJsonencodeAndPolicyDocument_DecodedAsTerraformApplies()
    {
        // Given a role whose inline policy spells iam:PassRole with `\u0050`, a policy document spelling iam:* with
        // `\u002a` and a name holding `\U0001F600`
        const string Text = """
            resource "aws_iam_role" "ci" {
              name               = "ci-deployer"
              assume_role_policy = data.aws_iam_policy_document.trust.json
            }

            resource "aws_iam_role_policy" "deploy" {
              name = "deploy\U0001F600"
              role = aws_iam_role.ci.name
              policy = jsonencode({
                Statement = [{ Effect = "Allow", Action = "iam:\u0050assRole", Resource = "*" }]
              })
            }

            data "aws_iam_policy_document" "wide" {
              statement {
                actions   = ["iam:\u002a"]
                resources = ["*"]
              }
            }

            resource "aws_iam_role_policy" "wide" {
              name   = "wide"
              role   = aws_iam_role.ci.name
              policy = data.aws_iam_policy_document.wide.json
            }
            """;

        // When it is read
        var result = TerraformHclReader.Read(null, new TerraformModule([("iam.tf", Text)], _ => null));

        // Then the actions are those Terraform sends to AWS, not the escape's letters
        var role = Assert.Single(result.Changes);
        var deploy = Assert.Single(role.After, p => p.Name == "deploy\U0001F600");
        Assert.Equal("iam:PassRole", Assert.Single(Assert.Single(deploy.Document!.Statements).Actions));
        var wide = Assert.Single(role.After, p => p.Name == "wide");
        Assert.Equal("iam:*", Assert.Single(Assert.Single(wide.Document!.Statements).Actions));
    }

    [Fact]
    public void Read_InvalidEscapeInPolicy_UnknownContentNotLiteralText()
    {
        // Given a policy whose action holds `\x2a`, which Terraform refuses (and a near-miss valid twin)
        static string Policy(string action) =>
            "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = \""
            + action + "\", Resource = \"*\" }]\n  })\n}\n";

        // When each is read
        var bad = TerraformHclReader.Read(null, new TerraformModule([("p.tf", Policy(@"iam:\x2a"))], _ => null));
        var good = TerraformHclReader.Read(null, new TerraformModule([("p.tf", Policy(@"iam:\u002a"))], _ => null));

        // Then the refused one is unknown content located at the policy (so the gate rates it), never `iam:\x2a` as text
        Assert.True(Assert.Single(bad.Changes).After[0].IsUnknown);
        Assert.Equal(new SourceLocation("p.tf", 3), Assert.Single(bad.Diagnostics).Location);
        Assert.Equal("iam:*", Assert.Single(Assert.Single(Assert.Single(good.Changes).After[0].Document!.Statements).Actions));
    }
}
