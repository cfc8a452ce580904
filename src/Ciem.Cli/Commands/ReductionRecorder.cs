using Ciem.Cli.Iac;
using Ciem.Core.Aws.LeastPrivilege;

namespace Ciem.Cli.Commands;

/// <summary>
/// Records what `ciem propose` delivered in the store, so `ciem reductions` and the gate can tell later whether each
/// removed permission was applied, is still pending, or came back. A rewritten identity is delivered on the branch
/// (with its account's commit and files, and the pull request when one was opened); any other is delivered as files.
/// </summary>
public static class ReductionRecorder
{
    public const string Files = "files";
    public const string Branch = "branch";
    public const string PullRequest = "pull-request";

    public static void Record(CliHost host, string? db, IReadOnlyList<PolicyProposal> proposals, string output, IacBranchResult? branch, PullRequestResult? pullRequest)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(proposals);
        if (proposals.Count == 0) { return; }
        var now = host.Clock.GetUtcNow();
        var folder = Path.GetFullPath(output);
        var onBranch = branch?.Rewritten.Select(p => p.Identity.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        var records = proposals.Select(p =>
        {
            if (branch is not null && onBranch.Contains(p.Identity.Id))
            {
                var batch = branch.Batches.FirstOrDefault(b => b.Account == p.Identity.Scope);
                return new DeliveredReduction(0, p.Identity.Provider, p.Identity.Id, p.Identity.Scope, p.Identity.Name, p.RemovedActions, p.GrantedBefore, p.GrantedAfter, now,
                    pullRequest is null ? Branch : PullRequest, branch.Branch, batch?.Commit, batch?.Files ?? [], pullRequest?.Url);
            }
            var stem = ProposeCommand.FileStem(p);
            return new DeliveredReduction(0, p.Identity.Provider, p.Identity.Id, p.Identity.Scope, p.Identity.Name, p.RemovedActions, p.GrantedBefore, p.GrantedAfter, now,
                Files, folder, null, [.. ProposalFiles(p, stem)], null);
        }).ToList();
        using var store = StoreAccess.Open(host, db);
        store.RecordReductions(records);
    }

    /// <summary>The files <see cref="ProposeCommand.WriteProposals"/> writes for one proposal.</summary>
    private static IEnumerable<string> ProposalFiles(PolicyProposal p, string stem)
    {
        if (p.Policies.Length == 1) { yield return stem + ".json"; }
        else { for (var i = 1; i <= p.Policies.Length; i++) { yield return $"{stem}-{i}.json"; } }
        yield return stem + ".tf";
        yield return stem + ".diff.txt";
        yield return stem + ".evidence.json";
    }
}
