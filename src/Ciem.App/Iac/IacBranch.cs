using System.Collections.Immutable;

namespace Ciem.App.Iac;

/// <summary>One commit of an IaC branch: its message and the new text of each file it changes (paths in the tree).</summary>
public sealed record IacCommitPlan(string Message, IReadOnlyDictionary<string, string> Files);

/// <summary>A commit made on an IaC branch: its id and the files it changed, in order.</summary>
public sealed record IacCommitted(string Commit, ImmutableArray<string> Files);

/// <summary>What <see cref="IacBranch.Write"/> did: the branch, where it started, its commits and the remote it went to.</summary>
public sealed record IacBranchWrite(string Branch, string BaseBranch, ImmutableArray<IacCommitted> Commits, string? PushedTo);

/// <summary>How a branch is written: the remote to push to (none: local only) and whether a branch without commits stays.</summary>
public sealed record IacBranchOptions
{
    /// <summary>The remote the branch is pushed to once every commit is made; null keeps it local.</summary>
    public string? PushTo { get; init; }

    /// <summary>`http://` remote URLs carrying credentials are refused unless this is set (`--allow-insecure-http`).</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Keep the new branch when no plan changed a file (the proposal flow reports such a branch).</summary>
    public bool KeepEmpty { get; init; }
}

/// <summary>
/// The one branch → commit → push → restore sequence of every IaC change (`ciem propose --iac-repo`, `ciem review
/// apply` and `rollback`): a new branch from the clone's current commit, one commit per plan, the push, and the clone
/// back on the branch it was on whatever happens. Only regular, tracked files inside the work tree are written. A
/// failure leaves neither written files nor the half-made branch behind; the remote is checked before anything changes.
/// </summary>
public static class IacBranch
{
    /// <summary>
    /// Writes <paramref name="plans"/> as commits on the new branch <paramref name="branch"/>. The plans are enumerated
    /// one at a time after the previous commit, so each may read the tree as the previous one left it; a plan without
    /// files makes no commit.
    /// </summary>
    public static IacBranchWrite Write(GitRepository git, string branch, IEnumerable<IacCommitPlan> plans, IacBranchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentNullException.ThrowIfNull(plans);
        options ??= new IacBranchOptions();
        // A branch or remote that begins with `-` would be read by git as an option: refused before anything changes.
        if (branch.StartsWith('-') || options.PushTo?.StartsWith('-') == true)
        {
            throw new ArgumentException($"the branch `{branch}` and the remote `{options.PushTo}` must not begin with `-`");
        }
        if (git.TryRun("check-ref-format", "--branch", branch).Code != 0)
        {
            throw new ArgumentException($"`{branch}` is not a valid branch name");
        }
        if (!git.IsClean) { throw new InvalidOperationException($"the repository `{git.Path}` has uncommitted changes"); }
        if (git.TryRun("rev-parse", "--verify", "--quiet", "refs/heads/" + branch).Code == 0)
        {
            throw new InvalidOperationException($"the branch `{branch}` exists already in `{git.Path}`");
        }
        if (options.PushTo is { } remote) { ForgeSecurity.RequireSafeRemote(git, remote, options.AllowInsecureHttp); }
        var original = git.CurrentBranch;
        if (original == "HEAD")
        {
            throw new InvalidOperationException($"`{git.Path}` is on a detached HEAD: check out the branch the changes should merge into");
        }
        git.Run("checkout", "-q", "-b", branch);
        var commits = ImmutableArray.CreateBuilder<IacCommitted>();
        string? pushed = null;
        var done = false;
        try
        {
            foreach (var plan in plans)
            {
                if (plan.Files.Count == 0) { continue; }
                var files = plan.Files.Keys.Order(StringComparer.Ordinal).ToArray();
                // Checked for every file before any is written: a symbolic link would carry the change outside the
                // repository while the commit claims it.
                foreach (var file in files) { git.RequireTrackedRegularFile(file); }
                foreach (var file in files) { File.WriteAllText(Path.Combine(git.Path, file), plan.Files[file]); }
                git.Run(["add", "--", .. files]);
                git.Commit(plan.Message);
                commits.Add(new IacCommitted(git.Run("rev-parse", "HEAD").Trim(), [.. files]));
            }
            if (options.PushTo is { } to && commits.Count > 0)
            {
                git.Run("push", "-q", "--", to, branch);
                pushed = to;
            }
            done = true;
        }
        finally
        {
            // A failure half-way leaves written, uncommitted files on the new branch: drop them so the clone can switch
            // back, then drop the branch (nothing half-made stays; a re-run may use the same name).
            if (!git.IsClean) { git.Run("reset", "-q", "--hard"); }
            git.Run("checkout", "-q", original);
            if (!done || (commits.Count == 0 && !options.KeepEmpty)) { git.TryRun("branch", "-q", "-D", "--", branch); }
        }
        return new IacBranchWrite(branch, original, commits.ToImmutable(), pushed);
    }
}
