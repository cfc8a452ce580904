using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Text;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>Renders a proposal as Terraform and as a readable diff of what is removed and what is kept.</summary>
public static class ProposalRenderer
{
    /// <summary>
    /// `aws_iam_policy` resources with the documents as `jsonencode` HCL, attached to the role or user, and a comment
    /// naming the policies the proposal replaces (to detach in the same change).
    /// </summary>
    public static string Terraform(PolicyProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (proposal.PermissionSet is { } set) { return PermissionSetTerraform(proposal, set); }
        var sb = new StringBuilder();
        var isRole = proposal.Identity.Id.Contains(":role/", StringComparison.Ordinal);
        sb.Append("# Least-privilege proposal for ").Append(HclText.Comment(proposal.Identity.Id)).Append('\n');
        Header(sb, proposal);
        sb.Append("# Replaces (detach or delete in the same change):\n");
        foreach (var p in proposal.OriginalPolicies) { sb.Append("#   ").Append(HclText.Comment(p)).Append('\n'); }
        KeptGuardrails(sb, proposal);
        foreach (var policy in proposal.Policies)
        {
            var id = Identifier(policy.Name);
            sb.Append('\n');
            sb.Append("resource \"aws_iam_policy\" \"").Append(id).Append("\" {\n");
            sb.Append("  name        = ").Append(HclText.Quoted(policy.Name)).Append('\n');
            sb.Append("  description = \"Least privilege from observed usage (OpenCIEM)\"\n");
            sb.Append("  policy = jsonencode(");
            using (var doc = JsonDocument.Parse(policy.Json)) { Hcl(sb, doc.RootElement, 1); }
            sb.Append(")\n}\n\n");
            sb.Append(isRole ? "resource \"aws_iam_role_policy_attachment\" \"" : "resource \"aws_iam_user_policy_attachment\" \"").Append(id).Append("\" {\n");
            sb.Append(isRole ? "  role       = " : "  user       = ").Append(HclText.Quoted(proposal.Identity.Name)).Append('\n');
            sb.Append("  policy_arn = aws_iam_policy.").Append(id).Append(".arn\n}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The permission set's new inline policy (`aws_ssoadmin_permission_set_inline_policy`, which provisions it to every
    /// assigned account) and the attachments it replaces, to delete in the same change. The instance and the permission
    /// set are looked up by name (`aws_ssoadmin_instances`, `aws_ssoadmin_permission_set` data sources).
    /// </summary>
    private static string PermissionSetTerraform(PolicyProposal proposal, PermissionSetTarget set)
    {
        var sb = new StringBuilder();
        var id = Identifier(set.Name);
        sb.Append("# Least-privilege proposal for the IAM Identity Center permission set ").Append(HclText.Comment(set.Name)).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"# from the usage of {set.Roles.Length} role(s) in {set.Accounts.Length} account(s)");
        sb.Append(set.Principals > 0 ? string.Create(CultureInfo.InvariantCulture, $", {set.Principals} assigned user(s)/group(s)\n") : "\n");
        Header(sb, proposal);
        sb.Append("# AWSReservedSSO_* roles cannot be changed in IAM: the permission set provisions them.\n");
        sb.Append("# Replaces (delete these attachments in the same change):\n");
        foreach (var arn in set.ManagedPolicyArns) { sb.Append("#   aws_ssoadmin_managed_policy_attachment: ").Append(HclText.Comment(arn)).Append('\n'); }
        foreach (var c in set.CustomerManaged) { sb.Append("#   aws_ssoadmin_customer_managed_policy_attachment: ").Append(HclText.Comment(c.Path + c.Name)).Append('\n'); }
        if (set.HasInlinePolicy) { sb.Append("#   the current inline policy (overwritten below)\n"); }
        KeptGuardrails(sb, proposal);
        sb.Append("\ndata \"aws_ssoadmin_instances\" \"this\" {}\n\n");
        sb.Append("data \"aws_ssoadmin_permission_set\" \"").Append(id).Append("\" {\n");
        sb.Append("  instance_arn = tolist(data.aws_ssoadmin_instances.this.arns)[0]\n");
        sb.Append("  name         = ").Append(HclText.Quoted(set.Name)).Append("\n}\n\n");
        sb.Append("resource \"aws_ssoadmin_permission_set_inline_policy\" \"").Append(id).Append("\" {\n");
        sb.Append("  instance_arn       = tolist(data.aws_ssoadmin_instances.this.arns)[0]\n");
        sb.Append("  permission_set_arn = data.aws_ssoadmin_permission_set.").Append(id).Append(".arn\n");
        sb.Append("  inline_policy = jsonencode(");
        using (var doc = JsonDocument.Parse(proposal.Policies[0].Json)) { Hcl(sb, doc.RootElement, 1); }
        sb.Append(")\n}\n");
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, PolicyProposal proposal) =>
        sb.Append(CultureInfo.InvariantCulture, $"# granted actions: {proposal.GrantedBefore} -> {proposal.GrantedAfter} ({proposal.ReductionPercent:0.#}% fewer); confidence {proposal.Confidence:0.00}; verification: {proposal.Verification.Summary}\n");

    private static void KeptGuardrails(StringBuilder sb, PolicyProposal proposal)
    {
        if (proposal.Guardrails.IsEmpty) { return; }
        sb.Append("# Keeps (guardrails, unchanged — do not detach):\n");
        foreach (var g in proposal.Guardrails) { sb.Append("#   ").Append(HclText.Comment(GuardrailLine(g))).Append('\n'); }
    }

    /// <summary>One line per kept guardrail, for Terraform comments, diffs and reports.</summary>
    public static string GuardrailLine(KeptGuardrail guardrail)
    {
        ArgumentNullException.ThrowIfNull(guardrail);
        return guardrail.Kind switch
        {
            GuardrailKind.RestrictingPolicy => $"{guardrail.Policy} (restricts only: stays attached)",
            GuardrailKind.DenyStatements => $"{guardrail.Policy}: {guardrail.Statements} Deny statement(s) kept verbatim in `{guardrail.Document}`",
            _ => $"{guardrail.Policy} (permissions boundary)",
        };
    }

    /// <summary>A readable diff: per service, the actions removed; then every kept action with its evidence.</summary>
    public static string Diff(PolicyProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{proposal.Identity.Id}\n");
        sb.Append(CultureInfo.InvariantCulture, $"granted actions {proposal.GrantedBefore:N0} -> {proposal.GrantedAfter:N0} ({proposal.ReductionPercent:0.#}% fewer), confidence {proposal.Confidence:0.00}\n");
        var v = proposal.Verification;
        sb.Append("verification: ").Append(v.Summary).Append('\n');
        foreach (var r in v.Regressions) { sb.Append(CultureInfo.InvariantCulture, $"  REGRESSION {r.Action} on {r.Resource}\n"); }
        foreach (var e in v.Exceeding.Take(10)) { sb.Append(CultureInfo.InvariantCulture, $"  BEYOND ORIGINAL {e}\n"); }
        if (proposal.PermissionSet is { } set)
        {
            sb.Append(CultureInfo.InvariantCulture, $"permission set {set.Name}: usage of {set.Roles.Length} role(s) in {set.Accounts.Length} account(s) combined\n");
        }
        foreach (var g in proposal.Guardrails) { sb.Append("kept guardrail: ").Append(GuardrailLine(g)).Append('\n'); }
        foreach (var f in proposal.Flagged)
        {
            sb.Append(CultureInfo.InvariantCulture, $"SENSITIVE kept as unknown: {f.Action} ({f.Reason}) on {string.Join(", ", f.Resources.Take(3))}{(f.Resources.Length > 3 ? ", …" : "")}\n");
        }
        sb.Append('\n');
        foreach (var service in proposal.RemovedActions.GroupBy(a => a[..a.IndexOf(':', StringComparison.Ordinal)], StringComparer.Ordinal))
        {
            var list = service.ToList();
            sb.Append(CultureInfo.InvariantCulture, $"- {service.Key}: {list.Count} action(s) removed");
            sb.Append(list.Count <= 6 ? $" ({string.Join(", ", list)})\n" : $" ({string.Join(", ", list.Take(5))}, …)\n");
        }
        foreach (var e in proposal.Evidence)
        {
            var why = e.Reason switch
            {
                KeepReason.Used => $"used {e.Count:N0}x, last {e.LastUsed:yyyy-MM-dd}",
                KeepReason.Seasonal => $"seasonal: not in the window, used {e.Count:N0}x in the lookback, last {e.LastUsed:yyyy-MM-dd}",
                KeepReason.Exception => "kept: configured exception",
                _ => "kept: not recorded by CloudTrail (unknown, never unused)",
            };
            sb.Append(CultureInfo.InvariantCulture, $"+ {e.Action}  {why}{(e.Resources.IsEmpty ? "" : $"  on {string.Join(", ", e.Resources.Take(3))}{(e.Resources.Length > 3 ? ", …" : "")}")}\n");
        }
        foreach (var note in proposal.Notes) { sb.Append("note: ").Append(note).Append('\n'); }
        return sb.ToString();
    }

    /// <summary>A policy document as a `jsonencode(…)` HCL expression whose inner lines are indented for nesting <paramref name="depth"/> (2 spaces each).</summary>
    public static string JsonEncode(string policyJson, int depth)
    {
        ArgumentNullException.ThrowIfNull(policyJson);
        var sb = new StringBuilder("jsonencode(");
        using (var doc = JsonDocument.Parse(policyJson)) { Hcl(sb, doc.RootElement, depth); }
        return sb.Append(')').ToString();
    }

    private static string Identifier(string name) => HclText.Identifier(name);

    /// <summary>Writes a JSON value as an HCL expression (objects with quoted keys and `=`), as `jsonencode` takes it.</summary>
    private static void Hcl(StringBuilder sb, JsonElement e, int depth)
    {
        var indent = new string(' ', depth * 2);
        var inner = new string(' ', (depth + 1) * 2);
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append("{\n");
                foreach (var p in e.EnumerateObject())
                {
                    sb.Append(inner).Append(HclText.Quoted(p.Name)).Append(" = ");
                    Hcl(sb, p.Value, depth + 1);
                    sb.Append('\n');
                }
                sb.Append(indent).Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append("[\n");
                foreach (var item in e.EnumerateArray())
                {
                    sb.Append(inner);
                    Hcl(sb, item, depth + 1);
                    sb.Append(",\n");
                }
                sb.Append(indent).Append(']');
                break;
            case JsonValueKind.String:
                // `${` and `%{` start HCL templates: escaped, so policy variables stay literal.
                sb.Append(HclText.Quoted(e.GetString()!));
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }
}
