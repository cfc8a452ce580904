using Ciem.App.Iac;
using Ciem.App.Identities;
using Ciem.App.Questions;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Proposals;

/// <summary>
/// The branch proposals were written on, or why none was: <see cref="Error"/> (with its code) is null on success;
/// <see cref="InvalidInput"/> says whether the request was wrong (not a git work tree, a bad branch name) rather than
/// the repository or the push failing.
/// </summary>
public sealed record ProposalBranchOutcome(IacBranchResult? Branch, string? Error, bool InvalidInput);

/// <summary>
/// The steps of `ciem propose` around the sweep that any host takes alike: narrowing the sweep to one named identity,
/// writing the proposal files (whole or not at all), writing them into the Terraform repository on a branch (with
/// `PR.md` beside the files), and recording what was delivered so `ciem reductions` can follow it.
/// </summary>
public static class ProposalDelivery
{
    /// <summary>
    /// The options of a sweep that proposes for the one identity <paramref name="query"/> names (an ARN, a name or
    /// ACCOUNT/NAME) — even when its unused share is small, since it was asked for by name.
    /// </summary>
    public static QuestionResult<SweepOptions> ForIdentity(CiemSession session, string query, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        var log = new QuestionLog();
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<SweepOptions>(null); }
        var who = AwsIdentityQuery.Resolve(estate, query, out var problem);
        return who is null
            ? log.Invalid<SweepOptions>(problem ?? $"no identity matches `{query}`")
            : log.Result(options with { Only = [who.Identity.Id], MinimumUnusedShare = 0 });
    }

    /// <summary>The AWS proposals' files under <paramref name="output"/>; null, or the error when two collide (nothing written).</summary>
    public static string? WriteFiles(string output, IReadOnlyList<PolicyProposal> proposals)
    {
        try
        {
            ProposalFiles.WriteProposals(output, proposals);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"error {e.Message}";
        }
    }

    /// <summary>
    /// Rewrites the roles' policies in the Terraform clone <paramref name="repository"/> on a new branch (default
    /// `ciem/least-privilege-DATE`), one commit per account, and writes `PR.md` beside the proposals in <paramref name="output"/>.
    /// </summary>
    public static ProposalBranchOutcome WriteBranch(string repository, string? branch, IacBranchOptions options, string output,
        IReadOnlyList<PolicyProposal> proposals, ProposalWindow window)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(window);
        if (!Directory.Exists(Path.Combine(repository, ".git")) && !File.Exists(Path.Combine(repository, ".git")))
        {
            return new(null, $"error {DiagnosticCodes.CliBadArgument}: `{repository}` is not a git working tree (--iac-repo)", true);
        }
        IacBranchResult result;
        var name = branch ?? $"ciem/least-privilege-{window.AsOf:yyyy-MM-dd}";
        try { result = IacProposalBranch.Create(repository, name, proposals, window, options); }
        catch (ArgumentException e)
        {
            return new(null, $"error {DiagnosticCodes.CliArgument}: {e.Message}", true);
        }
        catch (InvalidOperationException e)
        {
            return new(null, $"error: {GitRepository.RedactUserInfo(e.Message)}", false);
        }
        OwnerOnly.WriteAllText(Path.Combine(output, "PR.md"), result.PullRequestMarkdown);
        return new(result, null, false);
    }

    /// <summary>Records the delivered AWS proposals (and the branch and pull request they went out on, when any).</summary>
    public static void Record(ICiemStore store, IReadOnlyList<PolicyProposal> proposals, string output, IacBranchResult? branch,
        PullRequestResult? pullRequest, DateTimeOffset now)
    {
        var delivered = branch is null ? null
            : new BranchDelivery(branch.Branch, branch.Rewritten.Select(p => p.Identity.Id).ToHashSet(StringComparer.Ordinal),
                [.. branch.Batches.Select(b => (b.Account, b.Commit, b.Files))], pullRequest?.Url);
        ReductionRecorder.Record(store, proposals, output, delivered, now);
    }

    /// <summary>Writes an Azure or GCP proposal (`role.json` or `binding.json`, `proposal.tf`), records it, returns its folder.</summary>
    public static string WriteCloud(ICiemStore store, CloudProposeResult r, string output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(r);
        var folder = ProposalFiles.WriteCloud(output, r.Provider, r.Principal, r.Document, r.Extension, r.Terraform);
        var files = ProposalFileNames.CloudFiles(r.Provider, r.Principal, r.Extension);
        ReductionRecorder.RecordCloud(store, [new ReductionRecorder.CloudDelivery(r.Provider, r.Principal, r.Name, r.Scope, r.Removed,
            r.GrantedBefore, r.GrantedAfter, files)], output, now);
        return folder;
    }
}
