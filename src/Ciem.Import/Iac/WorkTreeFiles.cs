namespace Ciem.Import.Iac;

/// <summary>
/// What Terraform source from a pull request may make the CI gate read: `file("…")` and local module folders only
/// when their real path (symbolic links resolved) is inside the work tree, and files only when they are regular
/// files of at most <see cref="MaxFileBytes"/> — never `/etc/passwd`, `/dev/zero` or a link out of the checkout.
/// </summary>
public static class WorkTreeFiles
{
    /// <summary>AWS policies are at most 20 KB; a megabyte is far beyond any policy file.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>
    /// The text of <paramref name="relative"/> (resolved against <paramref name="folder"/>), or null when it is
    /// missing, outside <paramref name="root"/>, not a regular file or larger than <see cref="MaxFileBytes"/>.
    /// </summary>
    public static string? Read(string root, string folder, string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var path = Path.GetFullPath(Path.Combine(folder, relative));
        if (!IsInside(root, path) || InputFiles.KindOf(path, out _) != InputPathKind.File) { return null; }
        try
        {
            using var stream = InputFiles.OpenRead(path);
            if (stream.Length > MaxFileBytes) { return null; }
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the real path of <paramref name="path"/> is <paramref name="root"/> or under it.</summary>
    public static bool IsInside(string root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var realRoot = InputFiles.RealPath(root);
        var real = InputFiles.RealPath(path);
        return real == realRoot || real.StartsWith(realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>
    /// `prefix` (a repository-relative folder ending in `/`, or empty) joined with a relative module source, normalised
    /// (`.` dropped, `..` applied), ending in `/`; empty for the root.
    /// </summary>
    public static string Combine(string prefix, string source)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(source);
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
