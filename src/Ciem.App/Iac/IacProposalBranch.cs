using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Import.Iac;
using Ciem.Core.Model;
using Ciem.Core.Text;

namespace Ciem.App.Iac;

/// <summary>The window the proposals were computed over, for the pull-request description.</summary>
public sealed record ProposalWindow(DateTimeOffset AsOf, int WindowDays, int LookbackDays);

/// <summary>What <see cref="IacProposalBranch.Create"/> did: the branch, one commit per account, files, drift, the PR text.</summary>
public sealed record IacBranchResult(
    string Branch,
    ImmutableArray<string> Commits,
    ImmutableArray<string> ChangedFiles,
    ImmutableArray<PolicyProposal> Rewritten,
    ImmutableArray<DriftedIdentity> Drift,
    ImmutableArray<string> Notes,
    ImmutableArray<Diagnostic> Diagnostics,
    string PullRequestMarkdown)
{
    /// <summary>One entry per commit: the account whose proposals it holds and the files it changed.</summary>
    public ImmutableArray<IacBatchCommit> Batches { get; init; } = [];

    /// <summary>The remote the branch was pushed to; null when it was not pushed (no `--push`, or no commit).</summary>
    public string? PushedTo { get; init; }

    /// <summary>The branch the clone was on, from which the new branch starts (the pull request's base).</summary>
    public string? BaseBranch { get; init; }
}

/// <summary>One commit of a proposal branch: the account, the commit id and the files it changed.</summary>
public sealed record IacBatchCommit(string Account, string Commit, ImmutableArray<string> Files);

/// <summary>
/// Writes proposals into a local clone of the Terraform repository: a new branch from the current commit, one commit
/// per batch (all proposals of one account), the clone left on the branch it was on. Identities not defined in the
/// code are drift, reported and not changed.
/// </summary>
public static class IacProposalBranch
{
    public static IacBranchResult Create(
        string repositoryPath, string branch, IReadOnlyList<PolicyProposal> proposals, ProposalWindow window, string? pushTo = null) =>
        Create(repositoryPath, branch, proposals, window, new IacBranchOptions { PushTo = pushTo, KeepEmpty = true });

    /// <summary>As above, with the push and its transport chosen by <paramref name="options"/>.</summary>
    public static IacBranchResult Create(
        string repositoryPath, string branch, IReadOnlyList<PolicyProposal> proposals, ProposalWindow window, IacBranchOptions options)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        ArgumentNullException.ThrowIfNull(window);
        var git = new GitRepository(repositoryPath);
        var rewritten = ImmutableArray.CreateBuilder<PolicyProposal>();
        var drift = ImmutableArray.CreateBuilder<DriftedIdentity>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var accounts = new List<string>();
        IEnumerable<IacCommitPlan> Plans()
        {
            var first = true;
            foreach (var batch in proposals.GroupBy(p => p.Identity.Scope, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // Read again per batch: the previous commit changed the files.
                var source = TerraformSource.ReadDirectory(git.Path);
                if (first) { diagnostics.AddRange(source.Diagnostics); }
                first = false;
                var texts = source.Blocks.Select(b => b.File).Distinct(StringComparer.Ordinal)
                    .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(git.Path, f)), StringComparer.Ordinal);
                var result = ProposalRewriter.Rewrite(source, texts, batch);
                drift.AddRange(result.Drift);
                notes.AddRange(result.Notes);
                diagnostics.AddRange(result.Diagnostics);
                if (result.ChangedFiles.IsEmpty) { continue; }
                accounts.Add(batch.Key);
                rewritten.AddRange(result.Rewritten);
                yield return new IacCommitPlan(CommitMessage(batch.Key, result.Rewritten), result.ChangedFiles);
            }
        }
        var written = IacBranch.Write(git, branch, Plans(), options);
        var files = new SortedSet<string>(written.Commits.SelectMany(c => c.Files), StringComparer.Ordinal);
        var pr = PullRequest(branch, window, rewritten.ToImmutable(), drift.ToImmutable(), notes.ToImmutable(), files);
        return new IacBranchResult(branch, [.. written.Commits.Select(c => c.Commit)], [.. files], rewritten.ToImmutable(),
            drift.ToImmutable(), notes.ToImmutable(), diagnostics.ToImmutable(), pr)
        {
            Batches = [.. written.Commits.Select((c, i) => new IacBatchCommit(accounts[i], c.Commit, c.Files))],
            PushedTo = written.PushedTo,
            BaseBranch = written.BaseBranch,
        };
    }

    private static string CommitMessage(string account, IEnumerable<PolicyProposal> proposals)
    {
        var sb = new StringBuilder();
        // One line per value, control characters dropped: a name with a newline must not forge a line or a trailer.
        sb.Append(CommitText.Line($"ciem: least privilege for account {account}")).Append("\n\n");
        foreach (var p in proposals)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {CommitText.Line(p.Identity.Name)}: {p.GrantedBefore} -> {p.GrantedAfter} granted actions ({p.ReductionPercent:0.#}% fewer), verification {p.Verification.StateName} ({p.Verification.StillAllowed}/{p.Verification.Replayed} calls)\n");
        }
        return sb.ToString();
    }

    /// <summary>The pull-request description: window, per identity the reduction, verification and per-action usage, drift.</summary>
    public static string PullRequest(string branch, ProposalWindow window, ImmutableArray<PolicyProposal> rewritten, ImmutableArray<DriftedIdentity> drift, ImmutableArray<string> notes, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(files);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"# Least-privilege policies from observed usage\n\n");
        sb.Append(inv, $"Branch {MarkdownText.Code(branch)}, generated by OpenCIEM (`ciem propose --iac-repo`).\n\n");
        sb.Append(inv, $"**Window**: {UsageWindow.Of(window.AsOf, window.WindowDays).Start:yyyy-MM-dd} to {window.AsOf:yyyy-MM-dd} ({window.WindowDays} days); actions used in the {window.LookbackDays}-day lookback are kept as seasonal.\n\n");
        sb.Append("| identity | granted before | after | reduction | confidence | verification |\n|---|---:|---:|---:|---:|---|\n");
        foreach (var p in rewritten)
        {
            var v = p.Verification;
            sb.Append(inv, $"| {MarkdownText.Code(p.Identity.Id, inTable: true)} | {p.GrantedBefore} | {p.GrantedAfter} | {p.ReductionPercent:0.#}% | {p.Confidence:0.00} | {v.StateName}: {v.StillAllowed}/{v.Replayed} observed calls still allowed{(v.NotReplayable > 0 ? $", {v.NotReplayable} not replayable" : "")} |\n");
        }
        foreach (var p in rewritten)
        {
            sb.Append(inv, $"\n## {MarkdownText.Code(p.Identity.Id)}\n\n");
            sb.Append("| action | kept because | calls | last used | resources |\n|---|---|---:|---|---|\n");
            foreach (var e in p.Evidence)
            {
                sb.Append(inv, $"| {MarkdownText.Code(e.Action, inTable: true)} | {e.Reason} | {e.Count} | {(e.LastUsed is { } d ? d.ToString("yyyy-MM-dd", inv) : "")} | {string.Join(", ", e.Resources.Take(3).Select(r => MarkdownText.Code(r, inTable: true)))}{(e.Resources.Length > 3 ? ", …" : "")} |\n");
            }
            if (!p.RemovedActions.IsEmpty)
            {
                sb.Append(inv, $"\n<details><summary>{p.RemovedActions.Length} action(s) removed</summary>\n\n");
                foreach (var a in p.RemovedActions) { sb.Append(inv, $"- {MarkdownText.Code(a)}\n"); }
                sb.Append("\n</details>\n");
            }
            foreach (var note in p.Notes) { sb.Append(inv, $"\n> {MarkdownText.Message(note)}\n"); }
        }
        if (!drift.IsEmpty)
        {
            sb.Append("\n## Drift: not changed\n\nThese identities have proposals but their permissions are not defined in this repository:\n\n");
            foreach (var d in drift) { sb.Append(inv, $"- {MarkdownText.Code(d.Proposal.Identity.Id)}: {MarkdownText.Message(d.Reason)}\n"); }
        }
        if (!notes.IsEmpty)
        {
            sb.Append("\n## Changes beyond the policy text\n\n");
            foreach (var n in notes) { sb.Append(inv, $"- {MarkdownText.Message(n)}\n"); }
        }
        sb.Append("\n## Files\n\n");
        foreach (var f in files) { sb.Append(inv, $"- {MarkdownText.Code(f)}\n"); }
        return sb.ToString();
    }
}
