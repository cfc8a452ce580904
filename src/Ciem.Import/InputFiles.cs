using System.Runtime.InteropServices;
using Ciem.Core.Diagnostics;

namespace Ciem.Import;

/// <summary>
/// The one way readers and import commands reach files: only regular files are opened (a FIFO blocks, `/dev/zero`
/// never ends, a device is not an export), and folders are walked once each — a symbolic link back to a folder
/// already on the walk is reported instead of followed for ever.
/// </summary>
public static class InputFiles
{
    /// <summary>
    /// What the path names, following symbolic links: a regular file, a folder, something else (described), or nothing.
    /// </summary>
    public static InputPathKind KindOf(string path, out string description)
    {
        ArgumentNullException.ThrowIfNull(path);
        description = "";
        if (Directory.Exists(path)) { return InputPathKind.Folder; }
        if (!File.Exists(path)) { return InputPathKind.Missing; }
        if (new FileInfo(path).LinkTarget is not null && !Resolves(path))
        {
            // .NET reports a link to nothing (or to itself) as an existing file; opening it fails later, mid-run.
            description = "a symbolic link that leads to no file (its target is missing, or it loops)";
            return InputPathKind.Other;
        }
        if (FileType.Of(path) is { } type && type != FileType.Regular)
        {
            description = FileType.Describe(type);
            return InputPathKind.Other;
        }
        return InputPathKind.File;
    }

    private static bool Resolves(string link)
    {
        try { return File.ResolveLinkTarget(link, returnFinalTarget: true) is { Exists: true }; }
        catch (IOException) { return false; }
    }

    /// <summary>
    /// Opens a regular file for reading. Anything else throws <see cref="InputFileException"/> (an
    /// <see cref="IOException"/>) naming the path and what it is, before a byte is read.
    /// </summary>
    public static FileStream OpenRead(string path, int bufferSize = 1, FileOptions options = FileOptions.SequentialScan)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (KindOf(path, out var what) == InputPathKind.Other) { throw InputFileException.NotRegular(path, what); }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, options);
    }

    /// <summary>
    /// Reads a whole regular file as UTF-8 bytes for a first look at its shape: UTF-16 transcoded, a byte order mark
    /// dropped, invalid UTF-8 left for the reader to report.
    /// </summary>
    public static byte[] ReadAllUtf8(string path)
    {
        using var stream = OpenRead(path);
        using var text = new Json.Utf8InputStream(stream, Json.Utf8Check.None);
        using var buffer = new MemoryStream();
        text.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of a regular file as UTF-8 (as <see cref="ReadAllUtf8"/>), and
    /// whether they are the whole file.
    /// </summary>
    public static (byte[] Bytes, bool Whole) ReadHead(string path, int maxBytes)
    {
        using var stream = OpenRead(path);
        using var text = new Json.Utf8InputStream(stream, Json.Utf8Check.None);
        var buffer = new byte[maxBytes];
        var read = text.ReadAtLeast(buffer, maxBytes, throwOnEndOfStream: false);
        var whole = read < maxBytes || text.Read(new byte[1]) == 0;
        return (buffer[..read], whole);
    }

    /// <summary>Reads a whole regular file as text (UTF-8, UTF-8 with a BOM, or UTF-16 with a BOM).</summary>
    public static string ReadAllText(string path)
    {
        using var stream = OpenRead(path);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The files the paths name: a file itself (whatever its name), or the files under a folder that
    /// <paramref name="include"/> accepts (hidden ones left out), sorted per folder in ordinal order. A missing path,
    /// a path that is not a regular file, and a folder loop become diagnostics with <paramref name="missingCode"/>,
    /// <see cref="DiagnosticCodes.InputNotRegularFile"/> and <see cref="DiagnosticCodes.InputFolderLoop"/>; so do
    /// FIFOs, devices and sockets met inside a folder.
    /// </summary>
    public static List<string> Expand(IEnumerable<string> paths, Func<string, bool> include, DiagnosticBag diagnostics, string missingCode)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(include);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var files = new List<string>();
        foreach (var path in paths)
        {
            switch (KindOf(path, out var what))
            {
                case InputPathKind.File:
                    files.Add(path);
                    break;
                case InputPathKind.Folder:
                    var found = new List<string>();
                    Walk(path, include, found, diagnostics, []);
                    found.Sort(StringComparer.Ordinal);
                    files.AddRange(found);
                    break;
                case InputPathKind.Other:
                    diagnostics.Add(NotRegular(path, what));
                    break;
                default:
                    diagnostics.Error(missingCode, $"no such file or folder `{path}`", new SourceLocation(path));
                    break;
            }
        }
        return files;
    }

    /// <summary>The diagnostic for a path that is not a regular file.</summary>
    public static Diagnostic NotRegular(string path, string what) => Diagnostic.Error(DiagnosticCodes.InputNotRegularFile,
        $"`{path}` is {what}, not a regular file: only regular files are read", new SourceLocation(path));

    private static void Walk(string folder, Func<string, bool> include, List<string> found, DiagnosticBag diagnostics, HashSet<string> onWalk)
    {
        // The folder's real path identifies it: a link back to a folder already on the walk is a loop.
        var real = RealPath(folder);
        if (!onWalk.Add(real))
        {
            diagnostics.Warning(DiagnosticCodes.InputFolderLoop,
                $"`{folder}` leads back to `{real}`, a folder already being read: the loop is not followed", new SourceLocation(folder));
            return;
        }
        var options = new EnumerationOptions
        {
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", options).Order(StringComparer.Ordinal))
        {
            switch (KindOf(entry, out var what))
            {
                case InputPathKind.Folder:
                    Walk(entry, include, found, diagnostics, onWalk);
                    break;
                case InputPathKind.File when include(entry):
                    found.Add(entry);
                    break;
                case InputPathKind.Other when include(entry):
                    diagnostics.Add(NotRegular(entry, what));
                    break;
                default:
                    break;
            }
        }
        onWalk.Remove(real);
    }

    /// <summary>The absolute path with every symbolic link along it resolved (as far as it exists).</summary>
    public static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full);
        var resolvedParent = parent is null ? null : RealPath(parent);
        var here = resolvedParent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
        FileSystemInfo? target;
        try { target = new FileInfo(here).ResolveLinkTarget(returnFinalTarget: true); }
        catch (IOException) { return here; }
        // A link's target may itself sit under links: resolve the result again (bounded by the OS's own loop limit).
        return target is null ? here : RealPath(target.FullName);
    }

    /// <summary>The type of a file as the operating system reports it (Linux `statx`); null where it cannot be told.</summary>
    private static class FileType
    {
        public const int Regular = 0x8000;
        private const int Fifo = 0x1000;
        private const int CharacterDevice = 0x2000;
        private const int BlockDevice = 0x6000;
        private const int Socket = 0xC000;
        private const int AtFdCwd = -100;
        private const uint StatxType = 0x1;

        public static int? Of(string path)
        {
            if (!OperatingSystem.IsLinux()) { return null; }
            // struct statx is the same on every Linux architecture; stx_mode is the u16 at offset 28.
            Span<byte> buffer = stackalloc byte[256];
            try
            {
                if (NativeMethods.Statx(AtFdCwd, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0) { return null; }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]) & 0xF000;
        }

        public static string Describe(int type) => type switch
        {
            Fifo => "a named pipe (fifo)",
            CharacterDevice => "a character device",
            BlockDevice => "a block device",
            Socket => "a socket",
            _ => "a special file",
        };
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
    }
}

/// <summary>What a path names.</summary>
public enum InputPathKind
{
    Missing,
    File,
    Folder,
    /// <summary>A FIFO, device or socket: never read.</summary>
    Other,
}

/// <summary>A path that cannot be read as an input (not a regular file): an environment error with a clear message.</summary>
public sealed class InputFileException : IOException
{
    public InputFileException() { }

    public InputFileException(string message) : base(message) { }

    public InputFileException(string message, Exception inner) : base(message, inner) { }

    public static InputFileException NotRegular(string path, string what) =>
        new($"`{path}` is {what}, not a regular file: only regular files are read");
}
