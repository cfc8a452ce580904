using System.Collections.Immutable;
using Ciem.App.Iac;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Import.Iac;

namespace Ciem.App.Review;

/// <summary>
/// A file an IaC change touched: its text before the change and after this identity's part of the change alone. A
/// rollback takes this identity's part back out of whatever the file holds then (a three-way merge), so other
/// identities changed in the same file stay changed.
/// </summary>
public sealed record ReviewFileText(string File, string Before, string After);

/// <summary>One identity written into the IaC repository: the branch, its commit, the files and their texts.</summary>
public sealed record ReviewIacChange(string Branch, string Commit, ImmutableArray<string> Files, ImmutableArray<ReviewFileText> Texts)
{
    /// <summary>The remote the branch was pushed to; null when it stayed in the local clone.</summary>
    public string? PushedTo { get; init; }
}

/// <summary>What one batch commit did: the identities changed, those not defined in the repository (and why).</summary>
public sealed record ReviewIacBatch(
    ImmutableDictionary<string, ReviewIacChange> Changed, ImmutableDictionary<string, string> NotFound, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The branch written (null when no identity was found in the repository).</summary>
    public IacBranchWrite? Written { get; init; }
}

/// <summary>Where review branches go: the remote they are pushed to and, optionally, the forge that opens their pull requests.</summary>
public sealed record ReviewForge(string Push, ForgeDelivery? Delivery)
{
    /// <summary>The remote may carry credentials over plain http (`--allow-insecure-http`).</summary>
    public bool AllowInsecureHttp { get; init; }
}

/// <summary>
/// A local clone of the Terraform repository the review programme applies proposals through (the proposal-branch flow
/// of `ciem propose --iac-repo`: TerraformSource, ProposalRewriter for AWS roles, CloudIdentityRewriter for Azure
/// principals and GCP members). Each call makes one new branch from the
/// clone's current commit with one commit through <see cref="IacBranch"/> (the sequence `ciem propose` uses), pushes it
/// when <see cref="Forge"/> names a remote, and leaves the clone on the branch it was on. A git failure is an
/// environment failure (InvalidOperationException with git's message); nothing is left half-written.
/// </summary>
public sealed class ReviewIacRepository
{
    private readonly GitRepository _git;

    private ReviewIacRepository(GitRepository git) => _git = git;

    /// <summary>The same clone, pushing its branches to <paramref name="forge"/>'s remote (and opening pull requests there).</summary>
    public ReviewIacRepository With(ReviewForge? forge) => new(_git) { Forge = forge };

    /// <summary>
    /// The same clone pushing to <paramref name="forge"/>'s remote, or null with why not: the remote must exist and must
    /// not carry credentials over plain http (checked now, before any branch is made).
    /// </summary>
    public ReviewIacRepository? With(ReviewForge forge, out string? error)
    {
        ArgumentNullException.ThrowIfNull(forge);
        error = null;
        try
        {
            if (forge.Push.StartsWith('-')) { throw new ArgumentException($"the remote `{forge.Push}` must not begin with `-`"); }
            ForgeSecurity.RequireSafeRemote(_git, forge.Push, forge.AllowInsecureHttp);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
        return With(forge);
    }

    public string Path => _git.Path;

    /// <summary>The remote branches are pushed to and the forge their pull requests open on; null keeps them local.</summary>
    public ReviewForge? Forge { get; init; }

    /// <summary>The clone at <paramref name="path"/>, or null with why it cannot be used (not a git working tree, uncommitted changes).</summary>
    public static ReviewIacRepository? Open(string path, out string? error)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        error = null;
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full)) { error = $"`{full}` does not exist"; return null; }
        var git = new GitRepository(full);
        var (code, top, _) = git.TryRun("rev-parse", "--show-toplevel");
        if (code != 0) { error = $"`{full}` is not a git working tree"; return null; }
        if (!git.IsClean) { error = $"the repository `{top.Trim()}` has uncommitted changes: commit or stash them first"; return null; }
        if (git.CurrentBranch == "HEAD")
        {
            error = $"`{top.Trim()}` is on a detached HEAD: check out the branch the changes should merge into";
            return null;
        }
        return new ReviewIacRepository(git);
    }

    /// <summary>The branch the clone is on: where proposal and revert branches start and merge back.</summary>
    public string BaseBranch => _git.CurrentBranch;

    /// <summary>
    /// Writes the entries (of one provider: AWS roles through <see cref="ProposalRewriter"/>, Azure principals and GCP
    /// members through <see cref="CloudIdentityRewriter"/>) into a new branch with one commit. Each entry is rewritten
    /// alone first: an identity the rewriter cannot find (not defined, a user, a permission set, a grant written through
    /// a reference) is not found and keeps the script path; the others are rewritten together into the commit. No
    /// identity found: no branch.
    /// </summary>
    public ReviewIacBatch Apply(string branch, string message, IReadOnlyList<ReviewEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var source = TerraformSource.ReadDirectory(_git.Path);
        var texts = source.Blocks.Select(b => b.File).Distinct(StringComparer.Ordinal)
            .ToDictionary(f => f, f => File.ReadAllText(System.IO.Path.Combine(_git.Path, f)), StringComparer.Ordinal);
        var notFound = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var alone = new Dictionary<string, (ReviewEntry Entry, ImmutableDictionary<string, string> Files)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = entry.Candidate.IdentityId;
            var (files, reason, _) = Rewrite(source, texts, [entry]);
            if (reason.TryGetValue(id, out var why) || files.IsEmpty)
            {
                notFound[id] = why ?? "no definition found in the repository";
                continue;
            }
            alone[id] = (entry, files);
        }
        var diagnostics = source.Diagnostics;
        if (alone.Count == 0) { return new(ImmutableDictionary<string, ReviewIacChange>.Empty, notFound.ToImmutable(), diagnostics); }
        var (all, _, notes) = Rewrite(source, texts, [.. alone.Values.Select(a => a.Entry)]);
        var written = OnNewBranch(branch, all, message);
        var commit = written.Commits[0].Commit;
        var changed = alone.ToImmutableDictionary(a => a.Key, a =>
        {
            var files = a.Value.Files.Keys.Order(StringComparer.Ordinal).ToImmutableArray();
            var kept = files.Select(f => new ReviewFileText(f, texts[f], a.Value.Files[f]));
            return new ReviewIacChange(branch, commit, files, [.. kept]) { PushedTo = written.PushedTo };
        }, StringComparer.Ordinal);
        return new(changed, notFound.ToImmutable(), diagnostics.AddRange(notes)) { Written = written };
    }

    /// <summary>
    /// The files the entries change, rewritten together, and why each entry not changed was not found. AWS proposals go
    /// through the rewriter in one pass; Azure and GCP identities one after the other, each over the texts the previous
    /// one left (two members of one shared binding both leave it).
    /// </summary>
    private static (ImmutableDictionary<string, string> Files, ImmutableDictionary<string, string> NotFound,
        ImmutableArray<Diagnostic> Diagnostics) Rewrite(TerraformSourceResult source, IReadOnlyDictionary<string, string> texts, IReadOnlyList<ReviewEntry> entries)
    {
        var notFound = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var aws = new List<PolicyProposal>();
        var current = new Dictionary<string, string>(texts, StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = ImmutableArray<Diagnostic>.Empty;
        foreach (var entry in entries)
        {
            var id = entry.Candidate.IdentityId;
            if (entry.Candidate.Provider == "aws")
            {
                if (entry.Target.TryGetValue("permission-set", out var set))
                {
                    notFound[id] = $"an Identity Center permission set (`{set}`): changed through the permission set, not in IAM";
                }
                else { aws.Add(ToProposal(entry)); }
                continue;
            }
            if (CloudProposalOf(entry, out var missing) is not { } cloud)
            {
                notFound[id] = missing!;
                continue;
            }
            var result = CloudIdentityRewriter.Rewrite(current, cloud);
            if (result.NotFound is { } reason) { notFound[id] = reason; continue; }
            foreach (var (file, text) in result.ChangedFiles) { current[file] = text; changed.Add(file); }
        }
        if (aws.Count > 0)
        {
            var result = ProposalRewriter.Rewrite(source, texts, aws);
            foreach (var d in result.Drift) { notFound[d.Proposal.Identity.Id] = d.Reason; }
            diagnostics = result.Diagnostics;
            foreach (var (file, text) in result.ChangedFiles) { current[file] = text; changed.Add(file); }
        }
        return (changed.ToImmutableDictionary(f => f, f => current[f], StringComparer.Ordinal), notFound.ToImmutable(), diagnostics);
    }

    /// <summary>The Azure principal or GCP member and the proposal's Terraform the campaign stored; null with why not.</summary>
    private static CloudIdentityProposal? CloudProposalOf(ReviewEntry entry, out string? missing)
    {
        var provider = entry.Candidate.Provider;
        var key = provider == "azure" ? "principal" : "member";
        missing = null;
        if (!entry.Target.TryGetValue(key, out var principal) || principal.Length == 0)
        {
            missing = $"the campaign's entry names no {key}";
            return null;
        }
        if (!entry.Target.TryGetValue("terraform", out var terraform) || terraform.Length == 0)
        {
            missing = "the campaign's entry holds no Terraform for the proposal (planned before IaC apply covered Azure and GCP): "
                + "plan again";
            return null;
        }
        return new CloudIdentityProposal(provider, principal, terraform);
    }

    /// <summary>
    /// Writes a revert branch that takes one identity's change back out of the files as they are on the base branch:
    /// each file is merged three-way (`git merge-file`: this identity's text after the change → before it). Returns
    /// the commit, or null when the base branch holds the previous text already (the proposal branch was never
    /// merged: closing it is the rollback). A file changed since in the same lines cannot be merged: refused.
    /// </summary>
    public IacBranchWrite? Revert(string branch, string message, ImmutableArray<ReviewFileText> texts)
    {
        var merged = new List<(string File, string Text)>();
        foreach (var t in texts)
        {
            var path = System.IO.Path.Combine(_git.Path, t.File);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"`{t.File}` no longer exists in `{_git.Path}`: restore the previous policy by hand");
            }
            var current = File.ReadAllText(path);
            if (current == t.Before) { continue; }
            merged.Add((t.File, MergeFile(t.File, current, t.After, t.Before)));
        }
        if (merged.Count == 0) { return null; }
        return OnNewBranch(branch, merged.ToDictionary(m => m.File, m => m.Text, StringComparer.Ordinal), message);
    }

    private string MergeFile(string file, string current, string @base, string other)
    {
        var dir = Directory.CreateTempSubdirectory("ciem-revert-");
        try
        {
            var paths = new[] { ("current", current), ("base", @base), ("other", other) }
                .Select(p => { var f = System.IO.Path.Combine(dir.FullName, p.Item1); File.WriteAllText(f, p.Item2); return f; }).ToArray();
            var (code, output, error) = _git.TryRun("merge-file", "-p", paths[0], paths[1], paths[2]);
            if (code < 0 || code > 127) { throw new InvalidOperationException($"`git merge-file` failed on `{file}`: {error.Trim()}"); }
            if (code > 0)
            {
                throw new InvalidOperationException(
                    $"`{file}` has changed since in the lines the change touched ({code} conflict(s)): restore the previous policy by hand");
            }
            return output;
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>Makes <paramref name="branch"/> from the current commit with one commit, pushes it when a remote is set.</summary>
    private IacBranchWrite OnNewBranch(string branch, IReadOnlyDictionary<string, string> files, string message)
    {
        try
        {
            return IacBranch.Write(_git, branch, [new IacCommitPlan(message, files)],
                new IacBranchOptions { PushTo = Forge?.Push, AllowInsecureHttp = Forge?.AllowInsecureHttp == true });
        }
        catch (ArgumentException e)
        {
            // A branch name made from the campaign's values that git refuses is a failure of this change, not of the call.
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>The proposal as the rewriter needs it, from what the campaign stored (what was noticed and approved).</summary>
    private static PolicyProposal ToProposal(ReviewEntry entry)
    {
        var c = entry.Candidate;
        var identity = new Identity(c.Provider, c.IdentityId, c.Name, c.Kind, c.Scope, c.Tags, null, null, c.DirectoryOwner);
        var policies = entry.Documents.Select(d => new ProposedPolicy(
            d.Name.EndsWith(".json", StringComparison.Ordinal) ? d.Name[..^5] : d.Name, d.Content, d.Content.Length)).ToImmutableArray();
        var replaced = entry.Target.GetValueOrDefault("replaced", "").Split('|', StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();
        var guardrails = entry.Target.GetValueOrDefault("guardrails", "").Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Select(g => new KeptGuardrail(g, GuardrailKind.RestrictingPolicy, 0)).ToImmutableArray();
        return new PolicyProposal(identity, [], policies, [], c.Removed, replaced, c.GrantedBefore, c.GrantedAfter, c.Confidence,
            new ProposalVerification(0, 0, 0, []), []) { Guardrails = guardrails };
    }
}
