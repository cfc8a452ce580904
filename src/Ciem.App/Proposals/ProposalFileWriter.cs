using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.App.Proposals;

/// <summary>
/// Writes proposal files under one `--out` folder and refuses to write a path twice in a run (compared without case,
/// as macOS and Windows file systems do): two proposals mapping to one file is a bug that would lose a proposal
/// silently, so it stops the run with <see cref="DiagnosticCodes.ProposalFileCollision"/> instead. The files go to a
/// temporary folder beside `--out` (<see cref="OutputFolder"/>) and appear there only at <see cref="Commit"/>: a full
/// disk or a failure leaves no partial proposal set.
/// </summary>
public sealed class ProposalFileWriter(string root) : IDisposable
{
    private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);
    private OutputFolder? _staged;

    public string Root { get; } = Path.GetFullPath(root);

    public int Count => _written.Count;

    /// <summary>Writes <paramref name="relative"/> (`/`-separated, from <c>ProposalFileNames</c>) with the text.</summary>
    public void Write(string relative, string text)
    {
        ArgumentNullException.ThrowIfNull(relative);
        ArgumentNullException.ThrowIfNull(text);
        var path = Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{DiagnosticCodes.ProposalFileCollision}: `{relative}` is outside `{Root}`");
        }
        if (!_written.Add(path))
        {
            throw new InvalidOperationException($"{DiagnosticCodes.ProposalFileCollision}: `{relative}` was already written in this run; "
                + "two proposals map to one file, nothing is overwritten");
        }
        _staged ??= OutputFolder.Begin(Root);
        var staged = Path.Combine(_staged.Staging, Path.GetRelativePath(Root, path));
        OwnerOnly.CreateFolder(Path.GetDirectoryName(staged)!);
        OwnerOnly.WriteAllText(staged, text);
    }

    /// <summary>Moves every file written into `--out` (created, 0700, even when no file was written).</summary>
    public void Commit()
    {
        if (_staged is null) { OwnerOnly.CreateFolder(Root); }
        else { _staged.Commit(); }
    }

    /// <summary>Drops what was written unless <see cref="Commit"/> ran.</summary>
    public void Dispose() => _staged?.Dispose();
}
