using Ciem.Cli.Iac;
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
        try
        {
            var files = Directory.EnumerateFiles(dir.FullName, "*.tf", SearchOption.TopDirectoryOnly)
                .Order(StringComparer.Ordinal)
                .Select(f => (prefix + Path.GetFileName(f), File.ReadAllText(f)))
                .ToList();
            after = new TerraformModule(files, rel => File.Exists(Path.Combine(dir.FullName, rel)) ? File.ReadAllText(Path.Combine(dir.FullName, rel)) : null);
        }
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
            var names = tree.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(p => p.EndsWith(".tf", StringComparison.Ordinal) && !p[prefix.Length..].Contains('/', StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            var files = names.Select(p => (p, git.Run("show", $"{baseRef}:{p}"))).ToList();
            before = new TerraformModule(files, rel => git.TryRun("show", $"{baseRef}:{prefix}{rel}") is { Code: 0 } r ? r.Output : null);
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
}
