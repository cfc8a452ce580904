using System.Diagnostics;

namespace Ciem.App.Iac;

/// <summary>The `git` command line on one working tree. A failing command is an environment failure (exception).</summary>
public sealed class GitRepository(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Run(params string[] args)
    {
        var (code, output, error) = TryRun(args);
        if (code != 0) { throw new InvalidOperationException(RedactUserInfo($"`git {string.Join(' ', args)}` failed in {Path} ({code}): {error.Trim()}")); }
        return output;
    }

    /// <summary>Hides the user part of every URL in a message (`https://TOKEN@host/…`, `https://user:TOKEN@host/…`).</summary>
    public static string RedactUserInfo(string text) => ForgeSecurity.Redact(text);

    public (int Code, string Output, string Error) TryRun(params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(Path);
        foreach (var a in args) { start.ArgumentList.Add(a); }
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start `git`");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Throws unless <paramref name="file"/> (relative to the work tree) is a regular, tracked file inside it: writing
    /// through a symbolic link, or to a path outside the tree, would change a file the repository does not hold.
    /// </summary>
    public void RequireTrackedRegularFile(string file)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, file));
        var root = System.IO.Path.TrimEndingDirectorySeparator(Path) + System.IO.Path.DirectorySeparatorChar;
        var info = new FileInfo(full);
        if (!full.StartsWith(root, StringComparison.Ordinal) || info.LinkTarget is not null || !info.Exists
            || info.Directory?.ResolveLinkTarget(returnFinalTarget: true) is not null
            || TryRun("ls-files", "--error-unmatch", "--", file).Code != 0)
        {
            throw new InvalidOperationException(
                $"`{file}` is not a regular, tracked file inside `{Path}` (a symbolic link, or outside the work tree): "
                + "it is not rewritten");
        }
    }

    public bool IsClean => Run("status", "--porcelain").Trim().Length == 0;

    public string CurrentBranch => Run("rev-parse", "--abbrev-ref", "HEAD").Trim();

    /// <summary>Commits the staged files; an identity is supplied when the repository has none configured.</summary>
    public void Commit(string message)
    {
        var hasIdentity = TryRun("config", "user.email").Code == 0;
        if (hasIdentity) { Run("commit", "-q", "-m", message); }
        else { Run("-c", "user.name=OpenCIEM", "-c", "user.email=ciem@localhost", "commit", "-q", "-m", message); }
    }
}
