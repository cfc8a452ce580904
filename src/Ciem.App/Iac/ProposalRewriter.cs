using System.Collections.Immutable;
using System.Text;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Text;
using Ciem.Import.Iac;

namespace Ciem.App.Iac;

/// <summary>An identity whose permissions are not defined in the repository: reported, never changed.</summary>
public sealed record DriftedIdentity(PolicyProposal Proposal, string Reason);

/// <summary>What a rewrite changed: the new text of every changed file, the identities rewritten, drift and notes.</summary>
public sealed record RewriteResult(
    ImmutableDictionary<string, string> ChangedFiles,
    ImmutableArray<PolicyProposal> Rewritten,
    ImmutableArray<DriftedIdentity> Drift,
    ImmutableArray<string> Notes,
    ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// Replaces the policies of each proposal's role in Terraform source with the proposal, as `jsonencode` HCL at the
/// attribute's indentation. The proposal replaces all the role's policies: its documents go into the role's inline
/// policies (`aws_iam_role_policy`), then into customer policies attached to this role only; inline policies left over
/// are removed, and so are the role's other attachments (AWS-managed or shared policies stay, only detached). More
/// documents than places become new `aws_iam_role_policy` resources. Pure: texts in, texts out.
/// </summary>
public static class ProposalRewriter
{
    /// <summary>One replacement of a span of a file's text (an empty span inserts, an empty replacement removes).</summary>
    internal sealed record Edit(string File, TextSpan Span, string Replacement);

    public static RewriteResult Rewrite(TerraformSourceResult source, IReadOnlyDictionary<string, string> texts, IEnumerable<PolicyProposal> proposals)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(proposals);
        var edits = new List<Edit>();
        var appends = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        var rewritten = ImmutableArray.CreateBuilder<PolicyProposal>();
        var drift = ImmutableArray.CreateBuilder<DriftedIdentity>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var diagnostics = new DiagnosticBag();
        foreach (var proposal in proposals)
        {
            var roleName = proposal.Identity.Name;
            if (!proposal.Identity.Id.Contains(":role/", StringComparison.Ordinal))
            {
                drift.Add(new DriftedIdentity(proposal, "only roles are rewritten in Terraform source"));
                continue;
            }
            if (proposal.PermissionSet is not null)
            {
                drift.Add(new DriftedIdentity(proposal, "an Identity Center permission set: its roles are changed through the permission set (see proposal.tf), not in IAM"));
                continue;
            }
            // Guardrails (policies that only restrict) stay exactly where they are: never replaced, never removed.
            var inline = source.InlinePolicies.Where(p => p.RoleName == roleName && !IsGuardrail(proposal, p, null)).ToList();
            var attachments = source.Attachments.Where(a => a.RoleName == roleName
                && !IsGuardrail(proposal, a.PolicyAddress is null ? null : source.ManagedPolicies.FirstOrDefault(m => m.Block.Address == a.PolicyAddress), a)).ToList();
            foreach (var g in proposal.Guardrails.Where(g => g.Kind == GuardrailKind.RestrictingPolicy))
            {
                notes.Add($"{roleName}: kept guardrail `{g.ShortName}` unchanged");
            }
            if (inline.Count == 0 && attachments.Count == 0)
            {
                var reason = source.RoleNames.Values.Contains(roleName, StringComparer.Ordinal)
                    ? "the role is defined but none of its policies is"
                    : "no definition found in the repository";
                drift.Add(new DriftedIdentity(proposal, reason));
                diagnostics.Warning(DiagnosticCodes.IacDrift, $"`{proposal.Identity.Id}` is not changed: {reason}");
                continue;
            }

            // Places a document can go: inline policies, then customer policies attached to this role only.
            var places = new List<(PolicyDefinition Policy, AttachmentDefinition? Attachment)>(inline.Select(p => (p, (AttachmentDefinition?)null)));
            foreach (var a in attachments)
            {
                var managed = a.PolicyAddress is null ? null : source.ManagedPolicies.FirstOrDefault(m => m.Block.Address == a.PolicyAddress);
                var others = a.PolicyAddress is null ? [] : source.Attachments.Where(o => o.PolicyAddress == a.PolicyAddress && o.RoleName != roleName).ToList();
                if (managed is not null && others.Count == 0) { places.Add((managed, a)); continue; }
                edits.Add(Remove(texts, a.Block));
                var what = a.PolicyArn ?? a.PolicyAddress ?? a.Block.Address;
                if (others.Count > 0)
                {
                    diagnostics.Warning(DiagnosticCodes.IacSharedPolicy, $"`{what}` is shared with other roles: detached from `{roleName}` and left unchanged", new SourceLocation(a.Block.File, a.Block.Line));
                }
                notes.Add(others.Count > 0
                    ? $"{roleName}: detached shared policy `{what}` (still attached to {string.Join(", ", others.Select(o => o.RoleName ?? o.Block.Address))})"
                    : $"{roleName}: detached `{what}`");
            }
            for (var k = 0; k < places.Count; k++)
            {
                var (policy, attachment) = places[k];
                if (k < proposal.Policies.Length)
                {
                    var depth = policy.Policy.Indent.Replace("\t", "  ", StringComparison.Ordinal).Length / 2;
                    edits.Add(new Edit(policy.Block.File, policy.Policy.ValueSpan, ProposalRenderer.JsonEncode(proposal.Policies[k].Json, depth)));
                    if (policy.Kind == PolicyValueKind.PolicyDocument)
                    {
                        notes.Add($"{roleName}: `{policy.Block.Address}` no longer uses `{TerraformSource.DocumentAddress(policy.Policy.Value)}` (delete it if nothing else does)");
                    }
                }
                else
                {
                    edits.Add(Remove(texts, policy.Block));
                    if (attachment is not null) { edits.Add(Remove(texts, attachment.Block)); }
                    notes.Add($"{roleName}: removed `{policy.Block.Address}` (the proposal replaces it)");
                }
            }
            if (proposal.Policies.Length > places.Count)
            {
                var file = inline.FirstOrDefault()?.Block.File ?? attachments[0].Block.File;
                var roleLabel = source.RoleNames.FirstOrDefault(r => r.Value == roleName).Key;
                var roleExpr = roleLabel is null ? HclText.Quoted(roleName) : $"aws_iam_role.{roleLabel}.name";
                if (!appends.TryGetValue(file, out var sb)) { appends[file] = sb = new StringBuilder(); }
                foreach (var policy in proposal.Policies.Skip(places.Count))
                {
                    var label = HclText.Identifier(policy.Name);
                    sb.Append("\nresource \"aws_iam_role_policy\" \"").Append(label).Append("\" {\n")
                        .Append("  name   = ").Append(HclText.Quoted(policy.Name)).Append('\n')
                        .Append("  role   = ").Append(roleExpr).Append('\n')
                        .Append("  policy = ").Append(ProposalRenderer.JsonEncode(policy.Json, 1)).Append("\n}\n");
                    notes.Add($"{roleName}: added `aws_iam_role_policy.{label}` in {file}");
                }
            }
            rewritten.Add(proposal);
        }

        var changed = Apply(texts, edits, appends.ToDictionary(a => a.Key, a => a.Value.ToString(), StringComparer.Ordinal));
        return new RewriteResult(changed, rewritten.ToImmutable(), drift.ToImmutable(), notes.ToImmutable(), diagnostics.ToImmutable());
    }

    /// <summary>
    /// The new text of every file the edits (and the text appended at the end of a file) change. An edit inside a span
    /// another edit replaces disappears with it; of two overlapping edits the later one in the file wins.
    /// </summary>
    internal static ImmutableDictionary<string, string> Apply(
        IReadOnlyDictionary<string, string> texts, IReadOnlyList<Edit> edits, IReadOnlyDictionary<string, string> appends)
    {
        var changed = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var file in edits.Select(e => e.File).Concat(appends.Keys).Distinct(StringComparer.Ordinal))
        {
            var text = texts[file];
            var all = edits.Where(e => e.File == file).DistinctBy(e => e.Span).ToList();
            var fileEdits = all.Where(e => !all.Any(o => o != e && o.Span.Length > 0 && o.Span.Start <= e.Span.Start && e.Span.End <= o.Span.End))
                .OrderByDescending(e => e.Span.Start).ThenByDescending(e => e.Span.Length).ToList();
            var sb = new StringBuilder(text);
            var lastStart = int.MaxValue;
            foreach (var e in fileEdits)
            {
                if (e.Span.End > lastStart) { continue; } // overlaps an edit already applied
                sb.Remove(e.Span.Start, e.Span.Length).Insert(e.Span.Start, e.Replacement);
                lastStart = e.Span.Start;
            }
            if (appends.TryGetValue(file, out var extra))
            {
                if (sb.Length > 0 && sb[^1] != '\n') { sb.Append('\n'); }
                sb.Append(extra);
            }
            changed[file] = sb.ToString();
        }
        return changed.ToImmutable();
    }

    /// <summary>
    /// Whether a policy definition or attachment in the source is one of the proposal's kept restricting policies: by
    /// the attached ARN, or by the `name` of the inline or managed policy block.
    /// </summary>
    private static bool IsGuardrail(PolicyProposal proposal, PolicyDefinition? policy, AttachmentDefinition? attachment)
    {
        foreach (var g in proposal.Guardrails.Where(g => g.Kind == GuardrailKind.RestrictingPolicy))
        {
            if (attachment?.PolicyArn is { } arn && string.Equals(arn, g.Policy, StringComparison.Ordinal)) { return true; }
            var name = policy?.Block.Attribute("name")?.Value.Trim().Trim('"');
            if (name is not null && string.Equals(name, g.ShortName, StringComparison.Ordinal)) { return true; }
        }
        return false;
    }

    /// <summary>Removes a whole block with its line end and one blank line after it.</summary>
    internal static Edit Remove(IReadOnlyDictionary<string, string> texts, HclBlock block)
    {
        var text = texts[block.File];
        var end = block.Span.End;
        for (var n = 0; n < 2 && end < text.Length; n++)
        {
            var nl = text.IndexOf('\n', end);
            if (nl < 0 || !string.IsNullOrWhiteSpace(text[end..nl])) { break; }
            end = nl + 1;
        }
        return new Edit(block.File, new TextSpan(block.Span.Start, end), "");
    }
}
