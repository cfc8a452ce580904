using System.Collections.Immutable;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Proposals;

/// <summary>
/// The branch a proposal run delivered on: its name, the identities it rewrote, per account the commit and its files,
/// and the pull request's address when one was opened.
/// </summary>
public sealed record BranchDelivery(string Branch, IReadOnlySet<string> Rewritten, ImmutableArray<(string Account, string Commit, ImmutableArray<string> Files)> Batches,
    string? PullRequestUrl);

/// <summary>
/// Records what `ciem propose` (and `ciem sweep --out`) delivered in the store, so `ciem reductions` and the gate can
/// tell later whether each removed permission was applied, is still pending, or came back. A rewritten identity is
/// delivered on the branch (with its account's commit and files, and the pull request when one was opened); any other
/// is delivered as files.
/// </summary>
public static class ReductionRecorder
{
    public const string Files = "files";
    public const string Branch = "branch";
    public const string PullRequest = "pull-request";

    /// <summary>Records AWS proposals written into <paramref name="output"/>, and on <paramref name="branch"/> when given.</summary>
    public static void Record(ICiemStore store, IReadOnlyList<PolicyProposal> proposals, string output, BranchDelivery? branch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(proposals);
        if (proposals.Count == 0) { return; }
        var folder = Path.GetFullPath(output);
        var records = proposals.Select(p =>
        {
            if (branch is not null && branch.Rewritten.Contains(p.Identity.Id))
            {
                var batch = branch.Batches.FirstOrDefault(b => b.Account == p.Identity.Scope);
                return new DeliveredReduction(0, p.Identity.Provider, p.Identity.Id, p.Identity.Scope, p.Identity.Name, p.RemovedActions, p.GrantedBefore, p.GrantedAfter, now,
                    branch.PullRequestUrl is null ? Branch : PullRequest, branch.Branch, batch.Commit, batch.Files.IsDefault ? [] : batch.Files, branch.PullRequestUrl);
            }
            return new DeliveredReduction(0, p.Identity.Provider, p.Identity.Id, p.Identity.Scope, p.Identity.Name, p.RemovedActions, p.GrantedBefore, p.GrantedAfter, now,
                Files, folder, null, ProposalFileNames.Files(p), null);
        }).ToList();
        store.RecordReductions(records);
    }

    /// <summary>One Azure or GCP proposal written as files: the principal, the scope its role is assigned at, the permissions removed (granted before and not after) and the file names.</summary>
    public sealed record CloudDelivery(string Provider, string Principal, string Name, string Scope, ImmutableArray<string> Removed, int GrantedBefore, int GrantedAfter, ImmutableArray<string> Files)
    {
        public static CloudDelivery Of(CloudProposal p)
        {
            ArgumentNullException.ThrowIfNull(p);
            var (scope, removed) = p.Azure is { } a ? (a.Scope, a.Removed) : (p.Gcp!.Resource, p.Gcp.Removed);
            return new(p.Identity.Provider, p.Identity.Id, p.Identity.Name, scope, removed, p.GrantedBefore, p.GrantedAfter,
                ProposalFileNames.CloudFiles(p.Identity.Provider, p.Identity.Id, p.DocumentExtension));
        }
    }

    /// <summary>Records Azure and GCP proposals written into <paramref name="output"/> (`ciem propose --provider`, `ciem sweep --out`).</summary>
    public static void RecordCloud(ICiemStore store, IReadOnlyList<CloudDelivery> deliveries, string output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deliveries);
        if (deliveries.Count == 0) { return; }
        var folder = Path.GetFullPath(output);
        var records = deliveries.Select(d => new DeliveredReduction(0, d.Provider, d.Principal, d.Scope, d.Name, d.Removed, d.GrantedBefore, d.GrantedAfter, now,
            Files, folder, null, d.Files, null)).ToList();
        store.RecordReductions(records);
    }
}
