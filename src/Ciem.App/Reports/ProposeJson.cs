using Ciem.App.Iac;
using Ciem.App.Proposals;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem propose` (`ciem.propose/1` for AWS, `ciem.propose-cloud/1` for Azure and GCP):
/// the proposals with their verification and files, what was excluded or failed, and the branch and pull request.
/// </summary>
public static class ProposeJson
{
    public static object Aws(string output, SweepResult result, IacBranchResult? branch, PullRequestResult? pullRequest)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            output = Path.GetFullPath(output),
            proposals = result.Proposals.Select(p => new
            {
                identity = p.Identity.Id,
                permissionSet = ProposalFiles.PermissionSetJson(p.PermissionSet),
                grantedBefore = p.GrantedBefore,
                grantedAfter = p.GrantedAfter,
                reductionPercent = p.ReductionPercent,
                confidence = p.Confidence,
                verified = p.Verification.Passed,
                verification = p.Verification.StateName,
                keptGuardrails = p.Guardrails.Select(ProposalFiles.GuardrailJson),
                sensitiveKept = p.Flagged.Select(f => new { action = f.Action, reason = f.Reason, resources = f.Resources }),
                files = ProposalFileNames.Files(p),
                removesPaths = p.RemovesPaths,
            }),
            excluded = result.Excluded.Select(e => new { identity = e.Identity.Id, reason = e.Reason }),
            branch = branch is null ? null : new { name = branch.Branch, commits = branch.Commits, files = branch.ChangedFiles },
            pullRequest = pullRequest is null ? null
                : new { number = pullRequest.Number, url = pullRequest.Url, updated = pullRequest.Updated },
            failures = result.Failures.Select(f => new
            {
                identity = f.Identity.Id,
                reason = f.Reason,
                regressions = f.Regressions.Select(r => $"{r.Action} on {r.Resource}"),
            }),
        };
    }

    /// <param name="folder">the folder the files were written to; null when nothing was emitted.</param>
    public static object Cloud(Provider provider, CloudProposeResult r, string? folder)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new
        {
            provider = provider.Name, principal = r.Principal, emitted = folder is not null,
            grantedBefore = r.GrantedBefore, grantedAfter = r.GrantedAfter,
            summary = r.Summary, files = folder, failures = r.Failures,
            confidence = r.Confidence is not { } c ? null : new { score = c.Score, level = c.Level, reason = c.Reason },
            kept = r.Kept.Select(k => new { permission = k.Permission, reason = ReasonName(k.Reason), calls = k.Count }),
        };
    }

    /// <summary>`used`, `seasonal`, `exception`, `unknown` (not recorded by the logs).</summary>
    public static string ReasonName(KeepReason reason) => reason switch
    {
        KeepReason.Used => "used",
        KeepReason.Seasonal => "seasonal",
        KeepReason.Exception => "exception",
        _ => "unknown",
    };
}
