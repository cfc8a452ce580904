using System.Text;

namespace Ciem.Storage;

/// <summary>
/// Creates the files and folders that hold estate data — the store, reports, proposals, evidence, notices, outputs —
/// readable by their owner only: folders 0700, files 0600 (an existing file is narrowed to 0600 when rewritten). The
/// estate's identities, policies and gaps are what an attacker on the same machine would look for first. Files that
/// belong to a git work tree (IaC rewrites) keep the repository's modes and do not come here.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and any missing parent as 0700; folders that exist keep their mode.</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows()) { return Directory.CreateDirectory(path); }
        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only: each missing one is made here.
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }
        while (missing.TryPop(out var folder)) { Directory.CreateDirectory(folder, FolderMode); }
        return new DirectoryInfo(Path.GetFullPath(path));
    }

    /// <summary>Opens a file for writing, created 0600; an existing file opened this way is set to 0600 first.</summary>
    public static FileStream Open(string path, FileMode mode = System.IO.FileMode.Create, FileShare share = FileShare.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions { Mode = mode, Access = mode == System.IO.FileMode.Append ? FileAccess.Write
            : FileAccess.ReadWrite, Share = share };
        if (OperatingSystem.IsWindows()) { return new FileStream(path, options); }
        options.UnixCreateMode = FileMode;
        var stream = new FileStream(path, options);
        try { File.SetUnixFileMode(stream.SafeFileHandle, FileMode); }
        catch
        {
            stream.Dispose();
            throw;
        }
        return stream;
    }

    /// <summary>Writes the whole file (UTF-8, no byte-order mark), 0600, through a temporary file (<see cref="WriteAllBytes"/>).</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>
    /// Writes the whole file, 0600: the bytes go to a temporary file beside it, renamed over it once they are all on
    /// disk, so a full disk or a failure leaves the previous file (or none), never half of the new one. A symbolic link
    /// at <paramref name="path"/> is replaced, not followed.
    /// </summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(bytes);
        var full = Path.GetFullPath(path);
        var temporary = TemporaryBeside(full);
        try
        {
            using (var stream = Open(temporary, System.IO.FileMode.CreateNew))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>A name beside <paramref name="path"/> that no one else uses (hidden, ends in `.tmp`).</summary>
    public static string TemporaryBeside(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }
}
