using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Text;
using Ciem.Import.Iac;

namespace Ciem.App.Iac;

/// <summary>
/// An Azure principal or a GCP member to rewrite: its id (`principal_id`, or the member as `serviceAccount:…`) and the
/// proposal's Terraform as the proposer emitted it (the custom role definition and its assignment, or the custom role
/// and its member binding), every value in it quoted through <see cref="HclText"/>.
/// </summary>
public sealed record CloudIdentityProposal(string Provider, string Principal, string Terraform);

/// <summary>What rewriting one identity changed (file → new text) and notes, or why it was not found.</summary>
public sealed record CloudRewriteResult(ImmutableDictionary<string, string> ChangedFiles, ImmutableArray<string> Notes, string? NotFound);

/// <summary>
/// Rewrites an Azure principal's or a GCP member's grants in Terraform source to its proposal, as
/// <see cref="ProposalRewriter"/> does for AWS roles. Azure: every `azurerm_role_assignment` whose `principal_id` is the
/// principal is removed (the proposed role replaces all of them, as the proposer's replay did); GCP: every
/// `google_{project,folder,organization,storage_bucket,service_account}_iam_member` of the member is removed, and the
/// member alone is taken out of every `…_iam_binding` `members` list (the block goes when it was the only member). The
/// proposal's Terraform takes the place of the first grant found. Values are matched as Terraform decodes them
/// (escapes, `$${`); a grant written through a reference or an interpolation is not matched. Pure: texts in, texts out.
/// </summary>
public static class CloudIdentityRewriter
{
    private static readonly string[] GcpTargets = ["project", "folder", "organization", "storage_bucket", "service_account"];

    public static CloudRewriteResult Rewrite(IReadOnlyDictionary<string, string> texts, CloudIdentityProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(proposal);
        var blocks = texts.OrderBy(t => t.Key, StringComparer.Ordinal)
            .SelectMany(t => TerraformSource.ParseBlocks(t.Key, t.Value, new DiagnosticBag())).Where(b => b.Kind == "resource").ToList();
        var matches = new List<(HclBlock Block, ProposalRewriter.Edit? ListEdit)>();
        var unresolved = 0;
        foreach (var block in blocks)
        {
            var (matched, listEdit, opaque) = proposal.Provider == "azure"
                ? Azure(block, proposal.Principal)
                : Gcp(block, proposal.Principal);
            unresolved += opaque;
            if (matched) { matches.Add((block, listEdit)); }
        }
        if (matches.Count == 0)
        {
            var what = proposal.Provider == "azure"
                ? $"no `azurerm_role_assignment` has `principal_id` `{proposal.Principal}`"
                : $"no `google_*_iam_member` or `google_*_iam_binding` names `{proposal.Principal}`";
            var opaque = unresolved == 0 ? "" : $" ({unresolved} grant(s) name their principal through a reference, not resolved)";
            return new(ImmutableDictionary<string, string>.Empty, [], $"{what} in the repository{opaque}");
        }
        // The proposal takes the place of the first grant removed whole; with none (only shared bindings), it follows the first.
        var site = matches.FirstOrDefault(m => m.ListEdit is null).Block;
        var edits = new List<ProposalRewriter.Edit>();
        var notes = ImmutableArray.CreateBuilder<string>();
        foreach (var (block, listEdit) in matches)
        {
            if (listEdit is not null)
            {
                edits.Add(listEdit);
                notes.Add($"`{block.Address}`: member taken out of `members`, the other members stay");
            }
            else if (block == site)
            {
                edits.Add(new ProposalRewriter.Edit(block.File, block.Span, proposal.Terraform.TrimEnd('\n')));
                notes.Add($"`{block.Address}` replaced by the proposal in {block.File}");
            }
            else
            {
                edits.Add(ProposalRewriter.Remove(texts, block));
                notes.Add($"`{block.Address}` removed (the proposal replaces it)");
            }
        }
        if (site is null)
        {
            var after = matches[0].Block;
            var end = new TextSpan(after.Span.End, after.Span.End);
            edits.Add(new ProposalRewriter.Edit(after.File, end, "\n\n" + proposal.Terraform.TrimEnd('\n')));
            notes.Add($"the proposal added after `{after.Address}` in {after.File}");
        }
        return new(ProposalRewriter.Apply(texts, edits, ImmutableDictionary<string, string>.Empty), notes.ToImmutable(), null);
    }

    private static (bool Matched, ProposalRewriter.Edit? ListEdit, int Opaque) Azure(HclBlock block, string principal)
    {
        if (block.Type != "azurerm_role_assignment" || block.Attribute("principal_id") is not { } id) { return default; }
        if (TerraformSource.TemplateLiteral(id.Value) is not { } value) { return (false, null, 1); }
        return (string.Equals(value.Trim(), principal.Trim(), StringComparison.OrdinalIgnoreCase), null, 0);
    }

    private static (bool Matched, ProposalRewriter.Edit? ListEdit, int Opaque) Gcp(HclBlock block, string member)
    {
        if (!block.Type.StartsWith("google_", StringComparison.Ordinal)) { return default; }
        var kind = block.Type["google_".Length..];
        var canonical = GcpMembers.Canonical(member);
        bool Same(string? v) => v is not null && string.Equals(GcpMembers.Canonical(v), canonical, StringComparison.Ordinal);
        if (GcpTargets.Any(t => kind == t + "_iam_member") && block.Attribute("member") is { } single)
        {
            var value = TerraformSource.TemplateLiteral(single.Value);
            return value is null ? (false, null, 1) : (Same(value), null, 0);
        }
        if (!GcpTargets.Any(t => kind == t + "_iam_binding") || block.Attribute("members") is not { } members) { return default; }
        var items = TerraformSource.ListItems(members.Value);
        var values = items.Select(s => TerraformSource.TemplateLiteral(members.Value[s.Start..s.End])).ToList();
        var opaque = values.Count(v => v is null);
        var index = values.FindIndex(Same);
        if (index < 0) { return (false, null, opaque); }
        if (items.Length == 1) { return (true, null, opaque); }
        // The item and the separator after it (before it, for the last item): the other items keep their text and layout.
        var offset = members.ValueSpan.Start;
        var span = index < items.Length - 1
            ? new TextSpan(offset + items[index].Start, offset + items[index + 1].Start)
            : new TextSpan(offset + items[index - 1].End, offset + items[index].End);
        return (true, new ProposalRewriter.Edit(block.File, span, ""), opaque);
    }
}
