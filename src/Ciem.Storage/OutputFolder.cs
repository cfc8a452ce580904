namespace Ciem.Storage;

/// <summary>
/// A set of files written as one — proposals, an evidence bundle, change scripts: every file goes to a temporary folder
/// (0700) beside the target, and only once the whole set is written are its entries renamed into the target. Renames
/// in one file system need no space, so a full disk, a failure or a kill while writing leaves the target as it was
/// (and the temporary folder is removed), never half a set. Files of the target that the set does not name stay.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private bool _done;

    private OutputFolder(string target, string staging)
    {
        Target = target;
        Staging = staging;
    }

    /// <summary>The folder the set is for (full path).</summary>
    public string Target { get; }

    /// <summary>Where the set is written until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>Starts a set for <paramref name="target"/>: its missing parents are created (0700), the temporary folder made
    /// beside it.</summary>
    public static OutputFolder Begin(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        var full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(full)) { throw new IOException($"`{target}` is a file: expected a folder"); }
        OwnerOnly.CreateFolder(Path.GetDirectoryName(full)!);
        var staging = OwnerOnly.TemporaryBeside(full);
        OwnerOnly.CreateFolder(staging);
        return new OutputFolder(full, staging);
    }

    /// <summary>Moves the written set into the target: the whole folder when the target does not exist, else entry by entry.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        if (!Directory.Exists(Target)) { Directory.Move(Staging, Target); }
        else
        {
            Merge(Staging, Target);
            Directory.Delete(Staging, recursive: true);
        }
        _done = true;
    }

    /// <summary>Removes the temporary folder unless <see cref="Commit"/> ran.</summary>
    public void Dispose()
    {
        if (_done) { return; }
        _done = true;
        try { Directory.Delete(Staging, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    private static void Merge(string from, string into)
    {
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(into, entry.Name);
            if (entry is DirectoryInfo folder)
            {
                if (Directory.Exists(destination) && new FileInfo(destination).LinkTarget is null) { Merge(folder.FullName, destination); }
                else
                {
                    // A file or a symbolic link where the set has a folder is replaced, not followed.
                    if (File.Exists(destination) || new FileInfo(destination).LinkTarget is not null) { File.Delete(destination); }
                    Directory.Move(folder.FullName, destination);
                }
            }
            else { File.Move(entry.FullName, destination, overwrite: true); }
        }
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot take the output, or null: checked before any work, so a run does not compute
    /// for minutes and then fail to write. A folder output (<paramref name="folder"/>) may be missing (it is created
    /// under its nearest existing folder); a file output needs its folder. Writability is tried, not guessed from the
    /// mode: a probe file is created and removed in the folder that will be written (a read-only mount refuses it
    /// even for root).
    /// </summary>
    public static string? Problem(string path, bool folder)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            { return $"is not a usable path: {ex.Message}"; }
        if (folder && File.Exists(full)) { return "is a file: expected a folder"; }
        if (!folder && Directory.Exists(full)) { return "is a folder: expected a file name"; }
        var probeIn = folder && Directory.Exists(full) ? full : Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (!folder && probeIn is not null && !Directory.Exists(probeIn))
        {
            return File.Exists(probeIn) ? $"`{probeIn}` is a file, not a folder" : $"the folder `{probeIn}` does not exist";
        }
        while (probeIn is not null && !Directory.Exists(probeIn))
        {
            if (File.Exists(probeIn)) { return $"`{probeIn}` is a file, not a folder"; }
            probeIn = Path.GetDirectoryName(probeIn);
        }
        if (probeIn is null) { return "has no existing folder above it"; }
        var probe = Path.Combine(probeIn, $".ciem-probe-{Guid.NewGuid():N}");
        try
        {
            using (OwnerOnly.Open(probe, FileMode.CreateNew)) { }
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be written: `{probeIn}`: {ex.Message.TrimEnd('.')}";
        }
    }
}
