using Ciem.App.Iac;
using Ciem.Import.Iac;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem check --hcl DIR [--base-ref REF]`: the `.tf` files of one module folder, and with a base ref the same folder at
/// that git ref (`git show REF:path`) as the before side. Paths are relative to the repository root when the folder is
/// in a git work tree, so SARIF results point at the files code scanning knows.
/// </summary>
internal static class HclInput
{
    public static IacReadResult? Read(CliHost host, DirectoryInfo dir, string? baseRef)
    {
        if (!dir.Exists)
        {
            host.Error.WriteLine($"error: no folder at `{dir.FullName}`");
            return null;
        }
        var git = new GitRepository(dir.FullName);
        var inRepo = git.TryRun("rev-parse", "--show-prefix");
        var prefix = inRepo.Code == 0 ? inRepo.Output.Trim() : "";
        if (baseRef is not null && inRepo.Code != 0)
        {
            host.Error.WriteLine($"error: `{dir.FullName}` is not in a git work tree: --base-ref needs one");
            return null;
        }
        TerraformModule after;
        // `file()` and local modules stay inside the work tree (the repository root, or the folder outside git).
        var root = Path.GetFullPath(Path.Combine([dir.FullName, .. prefix.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(_ => "..")]));
        try { after = WorkingTree(dir.FullName, prefix, root); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            host.Error.WriteLine($"error: cannot read `{dir.FullName}`: {ex.Message}");
            return null;
        }
        TerraformModule? before = null;
        if (baseRef is not null)
        {
            var tree = git.TryRun("ls-tree", "--name-only", "--full-tree", baseRef, "--", prefix.Length == 0 ? "." : prefix);
            if (tree.Code != 0)
            {
                host.Error.WriteLine($"error: cannot read `{baseRef}` in `{dir.FullName}`: {tree.Error.Trim()}");
                return null;
            }
            before = AtRef(git, baseRef, prefix);
        }
        var result = TerraformHclReader.Read(before, after);
        if (result.Changes.IsEmpty && result.Clouds.IsEmpty && result.HasErrors)
        {
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
            host.Error.WriteLine("error: the input cannot be read");
            return null;
        }
        return result;
    }

    /// <summary>The folder in the working tree: its `.tf` and variable files, `file()` and local modules relative to it; paths from the repository root.</summary>
    private static TerraformModule WorkingTree(string folder, string prefix, string root)
    {
        List<(string, string)> Read(Func<string, bool> keep) => [.. Directory.EnumerateFiles(folder, "*", SearchOption.TopDirectoryOnly)
            .Where(f => keep(Path.GetFileName(f))).Order(StringComparer.Ordinal).Select(f => (prefix + Path.GetFileName(f), Ciem.Import.InputFiles.ReadAllText(f)))];
        return new TerraformModule(Read(f => f.EndsWith(".tf", StringComparison.Ordinal)), rel => WorkTreeFiles.Read(root, folder, rel))
        {
            VariableFiles = Read(TerraformValues.IsVariableFile),
            ReadModule = source =>
            {
                var child = Path.GetFullPath(Path.Combine(folder, source));
                // Variable files belong to the root module only: a called module gets its inputs from the `module` block.
                return Directory.Exists(child) && WorkTreeFiles.IsInside(root, child)
                    ? WorkingTree(child, Combine(prefix, source), root) with { VariableFiles = [] } : null;
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
        List<(string, string)> Read(Func<string, bool> keep) => [.. names.Where(p => keep(p[prefix.Length..])).Select(p => (p, git.Run("show", $"{gitRef}:{p}")))];
        return new TerraformModule(Read(f => f.EndsWith(".tf", StringComparison.Ordinal)), rel => git.TryRun("show", $"{gitRef}:{prefix}{rel}") is { Code: 0 } r ? r.Output : null)
        {
            VariableFiles = Read(TerraformValues.IsVariableFile),
            ReadModule = source => AtRef(git, gitRef, Combine(prefix, source)) is { } m ? m with { VariableFiles = [] } : null,
        };
    }

    /// <summary>`prefix` (a repository-relative folder ending in `/`, or empty) joined with a relative source, normalised, ending in `/`.</summary>
    internal static string Combine(string prefix, string source)
    {
        var parts = new List<string>();
        foreach (var part in (prefix + source).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") { continue; }
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") { parts.RemoveAt(parts.Count - 1); }
            else { parts.Add(part); }
        }
        return parts.Count == 0 ? "" : string.Join('/', parts) + "/";
    }
}
