using System.Text;
using System.Text.Json.Nodes;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Text;

namespace Ciem.Demo;

/// <summary>What <see cref="DemoTerraform.Write"/> wrote: the roles defined (account and name) and those left out.</summary>
public sealed record DemoTerraformResult(IReadOnlyList<(string Account, string Role)> Defined, int LeftOut);

/// <summary>
/// The demo organisation's Terraform repository (docs/review.md, "the demo"): the AWS roles of the generated export
/// with their inline policies (`aws_iam_role_policy`, `jsonencode`) and attachments (`aws_iam_role_policy_attachment`
/// with the policy's ARN), one file per role, `accounts/ACCOUNT/ROLE.tf` — the form `ciem review apply --iac-repo`
/// rewrites. Roles AWS manages (`/aws-service-role/`, `/aws-reserved/`) are not in it, nor roles whose name several
/// accounts share (the rewriter finds a role by its name): the review programme changes those, and the IAM users, by
/// change script, as it does any identity its repository does not define.
/// </summary>
public static class DemoTerraform
{
    /// <summary>Writes the repository's files into <paramref name="target"/> from the AWS export folder <paramref name="awsFolder"/>.</summary>
    public static DemoTerraformResult Write(string awsFolder, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(awsFolder);
        ArgumentException.ThrowIfNullOrEmpty(target);
        var roles = new List<(string Account, JsonObject Role)>();
        foreach (var file in Directory.EnumerateFiles(awsFolder, "authorization-details-*.json").Order(StringComparer.Ordinal))
        {
            var account = Path.GetFileName(file)["authorization-details-".Length..^".json".Length];
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var role in root["RoleDetailList"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if (((string?)role["Path"] ?? "/").StartsWith("/aws-", StringComparison.Ordinal)) { continue; }
                roles.Add((account, role));
            }
        }
        var shared = roles.GroupBy(r => (string)r.Role["RoleName"]!, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var defined = new List<(string, string)>();
        foreach (var (account, role) in roles)
        {
            var name = (string)role["RoleName"]!;
            if (shared.Contains(name)) { continue; }
            var folder = Path.Combine(target, "accounts", account);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, name + ".tf"), Role(account, role));
            defined.Add((account, name));
        }
        File.WriteAllText(Path.Combine(target, "README.md"), string.Join('\n',
            "# Demo organisation: AWS IAM roles",
            "",
            "Written by `ciem demo` from the generated estate: one file per role under `accounts/ACCOUNT/`. The review",
            "programme's apply branches (`ciem/review/CAMPAIGN/batch-N/ACCOUNT`) and revert branches rewrite these files.",
            ""));
        return new DemoTerraformResult(defined, roles.Count - defined.Count);
    }

    /// <summary>The role's resources; labels start with the account so that they are unique across the repository.</summary>
    private static string Role(string account, JsonObject role)
    {
        var name = (string)role["RoleName"]!;
        var label = HclText.Identifier($"a{account}_{name}");
        var sb = new StringBuilder();
        sb.Append("resource \"aws_iam_role\" \"").Append(label).Append("\" {\n")
            .Append("  name               = ").Append(HclText.Quoted(name)).Append('\n')
            .Append("  path               = ").Append(HclText.Quoted((string?)role["Path"] ?? "/")).Append('\n')
            .Append("  assume_role_policy = ").Append(Encode(role["AssumeRolePolicyDocument"], 1)).Append("\n}\n");
        var inline = role["RolePolicyList"]?.AsArray().OfType<JsonObject>() ?? [];
        var n = 0;
        foreach (var policy in inline)
        {
            var policyName = (string?)policy["PolicyName"] ?? $"inline-{n}";
            sb.Append("\nresource \"aws_iam_role_policy\" \"").Append(label).Append("_inline_").Append(n++).Append("\" {\n")
                .Append("  name   = ").Append(HclText.Quoted(policyName)).Append('\n')
                .Append("  role   = aws_iam_role.").Append(label).Append(".name\n")
                .Append("  policy = ").Append(Encode(policy["PolicyDocument"], 1)).Append("\n}\n");
        }
        n = 0;
        foreach (var attached in role["AttachedManagedPolicies"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            sb.Append("\nresource \"aws_iam_role_policy_attachment\" \"").Append(label).Append("_attached_").Append(n++).Append("\" {\n")
                .Append("  role       = aws_iam_role.").Append(label).Append(".name\n")
                .Append("  policy_arn = ").Append(HclText.Quoted((string?)attached["PolicyArn"] ?? "")).Append("\n}\n");
        }
        return sb.ToString();
    }

    private static string Encode(JsonNode? document, int depth) =>
        ProposalRenderer.JsonEncode(document?.ToJsonString() ?? "{}", depth);
}
