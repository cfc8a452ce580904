using System.Text;
using Ciem.Core.Review;

namespace Ciem.App.Review;

/// <summary>An apply script and the rollback script that restores what the apply script saved before changing anything.</summary>
public sealed record ReviewScriptPair(string Apply, string Rollback);

/// <summary>
/// Ready-to-run change scripts in each cloud's own CLI for identities not managed in the IaC repository (docs/review.md).
/// Every value from the estate is shell-quoted. Each apply script first saves the identity's current grants into
/// `previous/` beside it (what the rollback script restores), then applies the proposal's documents, then removes only
/// what the proposal replaces. Null when the provider's target is not one these scripts can change (then the change
/// goes through IaC or by hand).
/// </summary>
public static class ReviewScripts
{
    public static ReviewScriptPair? For(ReviewEntry entry, string campaign)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Candidate.Provider switch
        {
            "aws" => Aws(entry, campaign),
            "azure" => Azure(entry, campaign),
            _ => Gcp(entry, campaign),
        };
    }

    private static ReviewScriptPair? Aws(ReviewEntry e, string campaign)
    {
        if (!e.Target.TryGetValue("principal", out var kind) || !e.Target.TryGetValue("name", out var name)) { return null; }
        var (flag, noun) = kind == "role" ? ("--role-name", "role") : ("--user-name", "user");
        var replaced = e.Target.GetValueOrDefault("replaced", "").Split('|', StringSplitOptions.RemoveEmptyEntries);
        var apply = Header(e, campaign, "apply");
        apply.Append(Invariant($"P={Q(name)}\nmkdir -p previous\n"));
        apply.Append(Invariant($"aws iam list-attached-{noun}-policies {flag} \"$P\" --output json > previous/attached.json\n"));
        apply.Append(Invariant($"aws iam list-{noun}-policies {flag} \"$P\" --output json > previous/inline.json\n"));
        apply.Append(Invariant($"for n in $(jq -r '.PolicyNames[]' previous/inline.json); do\n  aws iam get-{noun}-policy {flag} \"$P\" --policy-name \"$n\" --output json > \"previous/inline-$n.json\"\ndone\n"));
        for (var i = 0; i < e.Documents.Length; i++)
        {
            apply.Append(Invariant($"aws iam put-{noun}-policy {flag} \"$P\" --policy-name {Q(NewPolicy(i))} --policy-document file://{Q(e.Documents[i].Name)}\n"));
        }
        apply.Append("# remove only the policies the proposal replaces (guardrails and boundaries stay)\n");
        foreach (var policy in replaced)
        {
            // The proposal names a policy by its id: a managed policy's ARN, or `PRINCIPAL-ARN#NAME` for an inline one.
            var hash = policy.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0 && policy[..hash] == e.Candidate.IdentityId)
            {
                var inline = policy[(hash + 1)..];
                apply.Append(Invariant($"if jq -e --arg n {Q(inline)} '.PolicyNames | index($n)' previous/inline.json > /dev/null; then aws iam delete-{noun}-policy {flag} \"$P\" --policy-name {Q(inline)}; fi\n"));
            }
            else if (hash < 0 && policy.StartsWith("arn:", StringComparison.Ordinal))
            {
                apply.Append(Invariant($"if jq -e --arg a {Q(policy)} '.AttachedPolicies | map(.PolicyArn) | index($a)' previous/attached.json > /dev/null; then aws iam detach-{noun}-policy {flag} \"$P\" --policy-arn {Q(policy)}; fi\n"));
            }
            else
            {
                // A policy of a group the user belongs to (or one named otherwise): this identity's script cannot remove it.
                apply.Append(Invariant($"echo {Q($"not changed here: {policy} (a group's policy: change the group, or the user's membership)")} >&2\n"));
            }
        }
        var rollback = Header(e, campaign, "rollback");
        rollback.Append(Invariant($"P={Q(name)}\n"));
        rollback.Append(Invariant($"for arn in $(jq -r '.AttachedPolicies[].PolicyArn' previous/attached.json); do aws iam attach-{noun}-policy {flag} \"$P\" --policy-arn \"$arn\"; done\n"));
        rollback.Append(Invariant($"for n in $(jq -r '.PolicyNames[]' previous/inline.json); do\n  jq '.PolicyDocument' \"previous/inline-$n.json\" > \"previous/doc-$n.json\"\n  aws iam put-{noun}-policy {flag} \"$P\" --policy-name \"$n\" --policy-document \"file://previous/doc-$n.json\"\ndone\n"));
        for (var i = 0; i < e.Documents.Length; i++)
        {
            rollback.Append(Invariant($"aws iam delete-{noun}-policy {flag} \"$P\" --policy-name {Q(NewPolicy(i))}\n"));
        }
        return new(apply.ToString(), rollback.ToString());
    }

    private static ReviewScriptPair? Azure(ReviewEntry e, string campaign)
    {
        if (!e.Target.TryGetValue("principal", out var principal) || !e.Target.TryGetValue("scope", out var scope) || !e.Target.TryGetValue("role", out var role))
        {
            return null;
        }
        var document = e.Documents[0].Name;
        var apply = Header(e, campaign, "apply");
        apply.Append(Invariant($"PRINCIPAL={Q(principal)}\nSCOPE={Q(scope)}\nROLE={Q(role)}\nmkdir -p previous\n"));
        apply.Append("az role assignment list --assignee \"$PRINCIPAL\" --all --output json > previous/assignments.json\n");
        apply.Append(Invariant($"az role definition update --role-definition @{Q(document)} 2>/dev/null || az role definition create --role-definition @{Q(document)}\n"));
        apply.Append("az role assignment create --assignee-object-id \"$PRINCIPAL\" --role \"$ROLE\" --scope \"$SCOPE\"\n");
        // The proposal was verified with the principal's other assignments gone, wherever they are (AzureRoleProposer's replay).
        apply.Append("# the proposed role replaces the principal's other assignments, at every scope\n");
        apply.Append("for id in $(jq -r --arg r \"$ROLE\" '.[] | select(.roleDefinitionName != $r) | .id' previous/assignments.json); do\n" +
            "  az role assignment delete --ids \"$id\"\ndone\n");
        var rollback = Header(e, campaign, "rollback");
        rollback.Append(Invariant($"PRINCIPAL={Q(principal)}\nSCOPE={Q(scope)}\nROLE={Q(role)}\n"));
        rollback.Append("jq -c --arg r \"$ROLE\" '.[] | select(.roleDefinitionName != $r)' previous/assignments.json |\n");
        rollback.Append("while read -r a; do\n  az role assignment create --assignee-object-id \"$PRINCIPAL\" --role \"$(echo \"$a\" | jq -r .roleDefinitionId)\" --scope \"$(echo \"$a\" | jq -r .scope)\"\ndone\n");
        rollback.Append("az role assignment delete --assignee \"$PRINCIPAL\" --role \"$ROLE\" --scope \"$SCOPE\"\n");
        return new(apply.ToString(), rollback.ToString());
    }

    private static ReviewScriptPair? Gcp(ReviewEntry e, string campaign)
    {
        if (!e.Target.TryGetValue("member", out var member) || !e.Target.TryGetValue("role", out var role) || !e.Target.TryGetValue("resource", out var resource))
        {
            return null;
        }
        // Project-level bindings only: buckets, folders and the organisation are changed through IaC or by hand.
        const string ProjectPrefix = "//cloudresourcemanager.googleapis.com/projects/";
        var project = resource.StartsWith(ProjectPrefix, StringComparison.Ordinal) ? resource[ProjectPrefix.Length..]
            : resource.StartsWith("projects/", StringComparison.Ordinal) ? resource["projects/".Length..] : null;
        if (project is null || project.Contains('/', StringComparison.Ordinal)) { return null; }
        var predefined = e.Target.GetValueOrDefault("predefined") == "true";
        var apply = Header(e, campaign, "apply");
        apply.Append(Invariant($"PROJECT={Q(project)}\nMEMBER={Q(member)}\nROLE={Q(role)}\nmkdir -p previous\n"));
        apply.Append("gcloud projects get-iam-policy \"$PROJECT\" --format=json > previous/policy.json\n");
        if (!predefined)
        {
            // The custom role lives in the project its name carries (`projects/ID/roles/NAME`, the proposer's project id),
            // which the binding names as ROLE; the bound resource may name the project by number.
            var roleId = role[(role.LastIndexOf('/') + 1)..];
            var parts = role.Split('/');
            var roleProject = parts is ["projects", { Length: > 0 } id, "roles", { Length: > 0 }] ? id : project;
            apply.Append(Invariant($"ROLE_PROJECT={Q(roleProject)}\n"));
            var file = Q(e.Documents[0].Name);
            apply.Append(Invariant($"gcloud iam roles update {Q(roleId)} --project \"$ROLE_PROJECT\" --file {file} --quiet 2>/dev/null ")
                + Invariant($"|| gcloud iam roles create {Q(roleId)} --project \"$ROLE_PROJECT\" --file {file}\n"));
        }
        apply.Append("gcloud projects add-iam-policy-binding \"$PROJECT\" --member \"$MEMBER\" --role \"$ROLE\" --condition=None\n");
        apply.Append("# the proposed role replaces the member's other roles on the project\n");
        apply.Append("for r in $(jq -r --arg m \"$MEMBER\" --arg r \"$ROLE\" '.bindings[] | select((.members | index($m)) and .role != $r) | .role' previous/policy.json); do\n  gcloud projects remove-iam-policy-binding \"$PROJECT\" --member \"$MEMBER\" --role \"$r\" --all\ndone\n");
        var rollback = Header(e, campaign, "rollback");
        rollback.Append(Invariant($"PROJECT={Q(project)}\n"));
        rollback.Append("jq 'del(.etag)' previous/policy.json > previous/policy-restore.json\n");
        rollback.Append("gcloud projects set-iam-policy \"$PROJECT\" previous/policy-restore.json\n");
        return new(apply.ToString(), rollback.ToString());
    }

    private static StringBuilder Header(ReviewEntry e, string campaign, string what)
    {
        var sb = new StringBuilder("#!/bin/sh\n");
        // A comment line holds no quote-breaking risk, but a name with a new line would end it: keep it on one line.
        sb.Append("# ciem review ").Append(what).Append(": ").Append(OneLine(e.Candidate.Provider)).Append(' ').Append(OneLine(e.Candidate.IdentityId))
            .Append(" (campaign ").Append(OneLine(campaign)).Append(", proposal ").Append(OneLine(e.Candidate.ProposalHash)).Append(")\n");
        sb.Append("# run from this folder; needs the cloud's CLI and jq\nset -eu\ncd \"$(dirname \"$0\")\"\n");
        return sb;
    }

    private static string NewPolicy(int index) => $"ciem-least-privilege-{index + 1}";

    private static string Q(string value) => ReviewNotices.ShellWord(value);

    private static string OneLine(string value) => new([.. value.Select(c => char.IsControl(c) ? '?' : c)]);

    private static string Invariant(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
