using System.Text.Json;
using Ciem.App.Reports;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Sweep;

namespace Ciem.App.Proposals;

/// <summary>
/// The proposal files under `--out`: per AWS identity its IAM JSON document(s), Terraform, diff and evidence; per Azure
/// or GCP principal its role (or binding) and Terraform. `ciem propose` and `ciem sweep --out` write through here.
/// </summary>
public static class ProposalFiles
{
    /// <summary>
    /// Writes, per proposal, into its own folder: the IAM JSON document(s), Terraform, the diff and the evidence; returns
    /// the number of files.
    /// </summary>
    public static int WriteProposals(string folder, IEnumerable<PolicyProposal> proposals)
    {
        using var writer = new ProposalFileWriter(folder);
        var count = WriteProposals(writer, proposals);
        writer.Commit();
        return count;
    }

    /// <summary>
    /// As <see cref="WriteProposals(string, IEnumerable{PolicyProposal})"/>, through a writer shared with other providers'
    /// files.
    /// </summary>
    public static int WriteProposals(ProposalFileWriter writer, IEnumerable<PolicyProposal> proposals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(proposals);
        var count = 0;
        foreach (var p in proposals)
        {
            var files = ProposalFileNames.Files(p);
            var policyFiles = ProposalFileNames.PolicyFiles(p);
            for (var i = 0; i < p.Policies.Length; i++) { writer.Write(policyFiles[i], p.Policies[i].Json + "\n"); }
            var folder = ProposalFileNames.Folder(p);
            writer.Write(folder + "/proposal.tf", ProposalRenderer.Terraform(p));
            writer.Write(folder + "/diff.txt", ProposalRenderer.Diff(p));
            writer.Write(folder + "/evidence.json", JsonSerializer.Serialize(new
            {
                identity = p.Identity.Id,
                permissionSet = PermissionSetJson(p.PermissionSet),
                grantedBefore = p.GrantedBefore,
                grantedAfter = p.GrantedAfter,
                reductionPercent = p.ReductionPercent,
                confidence = p.Confidence,
                verification = new
                {
                    state = p.Verification.StateName, p.Verification.Replayed, p.Verification.StillAllowed, p.Verification.NotReplayable,
                    passed = p.Verification.Passed, exceeding = p.Verification.Exceeding,
                },
                evidence = p.Evidence.Select(e => new
                {
                    action = e.Action, reason = e.Reason.ToString(), count = e.Count, lastUsed = e.LastUsed, resources = e.Resources,
                }),
                removed = p.RemovedActions,
                replaces = p.OriginalPolicies,
                keptGuardrails = p.Guardrails.Select(GuardrailJson),
                sensitiveKept = p.Flagged.Select(f => new { action = f.Action, reason = f.Reason, resources = f.Resources }),
                notes = p.Notes,
            }, ReportJson.Options));
            count += files.Length;
        }
        return count;
    }

    /// <summary>A kept guardrail as JSON (propose, evidence and sweep JSON share it).</summary>
    public static object GuardrailJson(KeptGuardrail g) => new
    {
        policy = g.Policy,
        kind = g.Kind switch
        {
            GuardrailKind.RestrictingPolicy => "restricting-policy",
            GuardrailKind.DenyStatements => "deny-statements",
            _ => "permissions-boundary",
        },
        statements = g.Statements,
        document = g.Document,
    };

    /// <summary>A permission set target as JSON, or null.</summary>
    public static object? PermissionSetJson(PermissionSetTarget? set) => set is null ? null : new
    {
        name = set.Name,
        arn = set.Arn,
        accounts = set.Accounts,
        roles = set.Roles,
        principals = set.Principals,
        replacesManaged = set.ManagedPolicyArns,
        replacesCustomerManaged = set.CustomerManaged.Select(c => c.Path + c.Name),
    };

    /// <summary>
    /// As <see cref="WriteCloud(ProposalFileWriter, string, string, string, string, string)"/>, the two files committed
    /// together into <paramref name="output"/>.
    /// </summary>
    public static string WriteCloud(string output, string provider, string principal, string document, string extension, string terraform)
    {
        using var writer = new ProposalFileWriter(output);
        var folder = WriteCloud(writer, provider, principal, document, extension, terraform);
        writer.Commit();
        return folder;
    }

    /// <summary>Writes `{provider}/{principal}/{extension}` (`role.json`, …) and `proposal.tf`; returns the folder.</summary>
    public static string WriteCloud(
        ProposalFileWriter writer, string provider, string principal, string document, string extension, string terraform)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(principal);
        var files = ProposalFileNames.CloudFiles(provider, principal, extension);
        writer.Write(files[0], document);
        writer.Write(files[1], terraform);
        return ProposalFileNames.CloudFolder(provider, principal);
    }

    /// <summary>
    /// Writes the AWS proposals (as `ciem propose`) and the Azure and GCP ones (as `ciem propose --provider`); returns the
    /// number of files.
    /// </summary>
    public static int WriteEstate(string output, EstateSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new ProposalFileWriter(output);
        var written = result.Aws is null ? 0 : WriteProposals(writer, result.Aws.Proposals);
        foreach (var cloud in new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>())
        {
            foreach (var p in cloud.Proposals)
            {
                WriteCloud(writer, cloud.Provider, p.Identity.Id, p.Document, p.DocumentExtension, p.Terraform);
                written += 2;
            }
        }
        writer.Commit();
        return written;
    }
}
