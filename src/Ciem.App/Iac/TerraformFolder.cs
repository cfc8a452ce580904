using Ciem.Import.Iac;

namespace Ciem.App.Iac;

/// <summary>
/// A Terraform folder read, or why it cannot be: <see cref="Error"/> is null when <see cref="Result"/> can be used; when
/// the folder held nothing readable, <see cref="Result"/> keeps the located diagnostics that say why.
/// </summary>
public sealed record TerraformFolderRead(IacReadResult? Result, string? Error);

/// <summary>
/// `ciem check --hcl DIR [--base-ref REF]` and the alert rules' IaC repositories: the `.tf` files of one module folder,
/// and with a base ref the same folder at that git ref (`git show REF:path`) as the before side. Paths are relative to
/// the repository root when the folder is in a git work tree, so SARIF results point at the files code scanning knows.
/// </summary>
public static class TerraformFolder
{
    /// <summary>The folder relative to its repository root, ending in `/` (`git rev-parse --show-prefix`); empty outside one.</summary>
    public static string RepositoryPrefix(string folder)
    {
        var inRepo = new GitRepository(folder).TryRun("rev-parse", "--show-prefix");
        return inRepo.Code == 0 ? inRepo.Output.Trim() : "";
    }

    /// <summary>Where each block of <paramref name="folder"/> (and of its local modules) is written, from the repository root.</summary>
    public static PlanSourceMap SourceMap(DirectoryInfo folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return PlanSourceMap.Build(folder, RepositoryPrefix(folder.FullName));
    }

    /// <summary>The folder's changes (against <paramref name="baseRef"/> when given); an error (lowercase, located) otherwise.</summary>
    public static TerraformFolderRead Read(DirectoryInfo dir, string? baseRef)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!dir.Exists) { return new(null, $"no folder at `{dir.FullName}`"); }
        var git = new GitRepository(dir.FullName);
        var inRepo = git.TryRun("rev-parse", "--show-prefix");
        var prefix = inRepo.Code == 0 ? inRepo.Output.Trim() : "";
        if (baseRef is not null && inRepo.Code != 0)
        {
            return new(null, $"`{dir.FullName}` is not in a git work tree: --base-ref needs one");
        }
        TerraformModule after;
        // `file()` and local modules stay inside the work tree (the repository root, or the folder outside git).
        var up = prefix.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(_ => "..");
        var root = Path.GetFullPath(Path.Combine([dir.FullName, .. up]));
        try { after = WorkingTree(dir.FullName, prefix, root); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(null, $"cannot read `{dir.FullName}`: {ex.Message}");
        }
        TerraformModule? before = null;
        if (baseRef is not null)
        {
            var tree = git.TryRun("ls-tree", "--name-only", "--full-tree", baseRef, "--", prefix.Length == 0 ? "." : prefix);
            if (tree.Code != 0) { return new(null, $"cannot read `{baseRef}` in `{dir.FullName}`: {tree.Error.Trim()}"); }
            before = AtRef(git, baseRef, prefix);
        }
        var result = TerraformHclReader.Read(before, after);
        return result.Changes.IsEmpty && result.Clouds.IsEmpty && result.HasErrors
            ? new(result, "the input cannot be read")
            : new(result, null);
    }

    /// <summary>
    /// The folder in the working tree: its `.tf` and variable files, `file()` and local modules relative to it; paths
    /// from the repository root.
    /// </summary>
    private static TerraformModule WorkingTree(string folder, string prefix, string root)
    {
        List<(string, string)> Read(Func<string, bool> keep) => [.. Directory.EnumerateFiles(folder, "*", SearchOption.TopDirectoryOnly)
            .Where(f => keep(Path.GetFileName(f))).Order(StringComparer.Ordinal)
            .Select(f => (prefix + Path.GetFileName(f), Ciem.Import.InputFiles.ReadAllText(f)))];
        return new TerraformModule(Read(f => f.EndsWith(".tf", StringComparison.Ordinal)), rel => WorkTreeFiles.Read(root, folder, rel))
        {
            VariableFiles = Read(TerraformValues.IsVariableFile),
            ReadModule = source =>
            {
                var child = Path.GetFullPath(Path.Combine(folder, source));
                // Variable files belong to the root module only: a called module gets its inputs from the `module` block.
                return Directory.Exists(child) && WorkTreeFiles.IsInside(root, child)
                    ? WorkingTree(child, WorkTreeFiles.Combine(prefix, source), root) with { VariableFiles = [] } : null;
            },
        };
    }

    /// <summary>The folder at a git ref (`git ls-tree` + `git show REF:path`), with its variable files and local modules.</summary>
    private static TerraformModule? AtRef(GitRepository git, string gitRef, string prefix)
    {
        var tree = git.TryRun("ls-tree", "--name-only", "--full-tree", gitRef, "--", prefix.Length == 0 ? "." : prefix);
        if (tree.Code != 0) { return null; }
        var names = tree.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p[prefix.Length..].Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        List<(string, string)> Read(Func<string, bool> keep) =>
            [.. names.Where(p => keep(p[prefix.Length..])).Select(p => (p, git.Run("show", $"{gitRef}:{p}")))];
        return new TerraformModule(Read(f => f.EndsWith(".tf", StringComparison.Ordinal)),
            rel => git.TryRun("show", $"{gitRef}:{prefix}{rel}") is { Code: 0 } r ? r.Output : null)
        {
            VariableFiles = Read(TerraformValues.IsVariableFile),
            ReadModule = source =>
                AtRef(git, gitRef, WorkTreeFiles.Combine(prefix, source)) is { } m ? m with { VariableFiles = [] } : null,
        };
    }
}
