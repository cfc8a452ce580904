using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Cli;

/// <summary>
/// `--output FILE`: the results go to a temporary file beside FILE (mode 0600: results hold estate data), renamed
/// over FILE only when the command finished, so a failure or a full disk never leaves half a report where a complete
/// one is expected. A symbolic link at FILE is replaced, not followed.
/// </summary>
public sealed class OutputFile : IDisposable
{
    private readonly StreamWriter _writer;
    private bool _done;

    private OutputFile(string target, string temporary, StreamWriter writer)
    {
        Target = target;
        Temporary = temporary;
        _writer = writer;
    }

    public string Target { get; }

    public string Temporary { get; }

    public TextWriter Writer => _writer;

    /// <summary>A temporary file beside <paramref name="path"/>, or null with the reason (checked before any work).</summary>
    public static OutputFile? Create(string path, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        problem = null;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            problem = $"error {DiagnosticCodes.CliOutputUnwritable}: `--output` `{path}` is a folder: expected a file name";
            return null;
        }
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            problem = $"error {DiagnosticCodes.CliOutputUnwritable}: `--output` `{path}`: the folder `{folder}` does not exist";
            return null;
        }
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = OwnerOnly.Open(temporary, FileMode.CreateNew);
            return new OutputFile(full, temporary, new StreamWriter(stream, new System.Text.UTF8Encoding(false)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"error {DiagnosticCodes.CliOutputUnwritable}: `--output` `{path}` cannot be written: {ex.Message}";
            return null;
        }
    }

    /// <summary>Moves the complete results over the target.</summary>
    public void Commit()
    {
        _writer.Flush();
        _writer.Dispose();
        File.Move(Temporary, Target, overwrite: true);
        _done = true;
    }

    /// <summary>Drops the temporary file unless <see cref="Commit"/> ran.</summary>
    public void Dispose()
    {
        if (_done) { return; }
        _writer.Dispose();
        try { File.Delete(Temporary); }
        catch (IOException) { }
        _done = true;
    }
}
