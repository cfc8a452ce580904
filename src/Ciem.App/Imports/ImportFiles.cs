using System.Collections.Immutable;
using System.IO.Enumeration;
using Ciem.Core.Diagnostics;
using Ciem.Import;
using Ciem.Storage;

namespace Ciem.App.Imports;

/// <summary>
/// What a snapshot import did. <see cref="Refusals"/>: input errors (a missing path, a file of no known kind) that
/// stopped it before anything was read; otherwise <see cref="Writes"/> is empty when nothing could be imported (the
/// store was not changed, <see cref="Diagnostics"/> say why). <see cref="Contents"/>: what was stored, per kind.
/// </summary>
public sealed record SnapshotImportResult(ImmutableArray<SnapshotWrite> Writes, ImportCounts Counts, ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<(string What, int Count)> Contents, ImmutableArray<Diagnostic> Refusals)
{
    /// <summary>Stopped by input errors before anything was read.</summary>
    public static SnapshotImportResult Refused(IEnumerable<Diagnostic> refusals) => new([], default, [], [], [.. refusals]);

    public bool Imported => Refusals.IsEmpty && !Writes.IsEmpty;
}

/// <summary>
/// What the file imports share: expanding files and folders into files with their kind, the errors for files of no
/// known kind, and summing what the readers return.
/// </summary>
public static class ImportFiles
{
    /// <summary>
    /// Every file of <paramref name="paths"/> (folders: the files matching <paramref name="patterns"/> inside, `*.json` by
    /// default, in ordinal order) with its kind; null when a path does not exist or cannot be read (the reasons in
    /// <paramref name="problems"/>).
    /// </summary>
    public static List<(string Path, TKind Kind)>? Expand<TKind>(IEnumerable<string> paths, Func<string, TKind> detect, DiagnosticBag problems,
        params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(detect);
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Length == 0) { patterns = ["*.json"]; }
        // Folders are walked once (symbolic-link loops reported), and only regular files are read.
        var found = InputFiles.Expand(paths, f => patterns.Any(pattern => FileSystemName.MatchesSimpleExpression(pattern, Path.GetFileName(f))),
            problems, DiagnosticCodes.CliBadArgument);
        if (problems.HasErrors) { return null; }
        return [.. found.Select(f => (f, detect(f)))];
    }

    /// <summary>The error for a file of no known kind: `PATH` is not <paramref name="expected"/>.</summary>
    public static Diagnostic Unknown(string path, string expected) =>
        Diagnostic.Error(DiagnosticCodes.ImportUnknownFormat, $"`{path}` is not {expected} (see docs/import-formats.md)");

    /// <summary>Reads one file with a stream reader.</summary>
    public static ImportResult<T> Read<T>(string path, Func<Stream, string, ImportResult<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var stream = File.OpenRead(path);
        return read(stream, path);
    }
}

/// <summary>The readers' outcome summed over files: diagnostics, counts and sources.</summary>
public sealed class ImportTotals
{
    public List<Diagnostic> Diagnostics { get; } = [];

    public ImportCounts Counts { get; private set; }

    public ImmutableArray<string>.Builder Sources { get; } = ImmutableArray.CreateBuilder<string>();

    /// <summary>Whether a reader reported an error (a file truncated, a record that could not be read).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    public T Add<T>(ImportResult<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Diagnostics.AddRange(result.Diagnostics);
        Counts += result.Counts;
        Sources.AddRange(result.SourceFiles);
        return result.Value;
    }

    /// <summary>What nothing could be imported from: no write, the readers' diagnostics.</summary>
    public SnapshotImportResult Nothing() => new([], Counts, [.. Diagnostics], [], []);

    /// <summary>The stored snapshots with these totals.</summary>
    public SnapshotImportResult Stored(IEnumerable<SnapshotWrite> writes, ImmutableArray<(string What, int Count)> contents) =>
        new([.. writes], Counts, [.. Diagnostics], contents, []);
}
