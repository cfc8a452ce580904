using System.Collections;
using System.Text;

namespace Ciem.Core.Diagnostics;

public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>Where a diagnostic points: a file and line, a JSON pointer, a record index — whichever are known.</summary>
public sealed record SourceLocation(string? File = null, long? Line = null, string? JsonPath = null, long? Record = null)
{
    public static readonly SourceLocation None = new();

    public SourceLocation WithFile(string? file) => this with { File = file ?? File };

    public SourceLocation Under(string jsonPath) => this with { JsonPath = jsonPath };

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (File is not null)
        {
            sb.Append(File);
            if (Line is not null) { sb.Append(':').Append(Line.Value); }
        }
        else if (Line is not null)
        {
            sb.Append("line ").Append(Line.Value);
        }
        if (Record is not null)
        {
            if (sb.Length > 0) { sb.Append(", "); }
            sb.Append("record ").Append(Record.Value);
        }
        if (JsonPath is not null)
        {
            if (sb.Length > 0) { sb.Append(", "); }
            sb.Append(JsonPath);
        }
        return sb.ToString();
    }
}

/// <summary>
/// A problem found in external input. Messages are lowercase, without a final period, with user values
/// in backticks, e.g. <c>unknown condition operator `StringLikee` in statement 2</c>.
/// </summary>
public sealed record Diagnostic(Severity Severity, string Code, string Message, SourceLocation? Location = null)
{
    public static Diagnostic Error(string code, string message, SourceLocation? location = null) => new(Severity.Error, code, message, location);

    public static Diagnostic Warning(string code, string message, SourceLocation? location = null) => new(Severity.Warning, code, message, location);

    public static Diagnostic Info(string code, string message, SourceLocation? location = null) => new(Severity.Info, code, message, location);

    public Diagnostic At(SourceLocation location) => this with { Location = location };

    public override string ToString()
    {
        var where = Location?.ToString();
        var sev = Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "info" };
        return string.IsNullOrEmpty(where) ? $"{sev} {Code}: {Message}" : $"{sev} {Code}: {Message} ({where})";
    }
}

/// <summary>
/// A growable list of diagnostics that readers return alongside their values. Diagnostics are listed up to
/// <see cref="MaxPerFile"/> per file; the rest of a file's are counted in one summary diagnostic (code
/// <see cref="DiagnosticCodes.InputTooManyDiagnostics"/>, the highest severity of those it stands for), so that a
/// hostile file of millions of bad records costs a counter, not millions of messages.
/// </summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    /// <summary>Diagnostics listed per file unless a bag is made with another limit.</summary>
    public const int DefaultMaxPerFile = 1000;

    private readonly List<Diagnostic> _items = [];
    private readonly Dictionary<string, FileTally> _files = new(StringComparer.Ordinal);

    public DiagnosticBag() : this(DefaultMaxPerFile) { }

    public DiagnosticBag(int maxPerFile)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerFile);
        MaxPerFile = maxPerFile;
    }

    public int MaxPerFile { get; }

    public int Count => _items.Count;

    public Diagnostic this[int index] => _items[index];

    public bool HasErrors => _items.Exists(d => d.Severity == Severity.Error);

    /// <summary>The last error added, listed or only counted.</summary>
    public Diagnostic? LastError { get; private set; }

    public void Add(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        if (diagnostic.Severity == Severity.Error) { LastError = diagnostic; }
        if (diagnostic.Location?.File is not { } file)
        {
            _items.Add(diagnostic);
            return;
        }
        if (!_files.TryGetValue(file, out var tally)) { _files[file] = tally = new FileTally(); }
        if (tally.Listed < MaxPerFile)
        {
            tally.Listed++;
            _items.Add(diagnostic);
            return;
        }
        tally.Dropped++;
        if (diagnostic.Severity > tally.Worst) { tally.Worst = diagnostic.Severity; }
        var summary = new Diagnostic(tally.Worst, DiagnosticCodes.InputTooManyDiagnostics,
            $"{tally.Dropped} more diagnostics of this file are not listed (the first {MaxPerFile} are)", new SourceLocation(file));
        if (tally.SummaryIndex < 0)
        {
            tally.SummaryIndex = _items.Count;
            _items.Add(summary);
        }
        else
        {
            _items[tally.SummaryIndex] = summary;
        }
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var diagnostic in diagnostics) { Add(diagnostic); }
    }

    public void Error(string code, string message, SourceLocation? location = null) => Add(Diagnostic.Error(code, message, location));

    public void Warning(string code, string message, SourceLocation? location = null) => Add(Diagnostic.Warning(code, message, location));

    public System.Collections.Immutable.ImmutableArray<Diagnostic> ToImmutable() => [.. _items];

    public IEnumerator<Diagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class FileTally
    {
        public int Listed;
        public long Dropped;
        public Severity Worst = Severity.Info;
        public int SummaryIndex = -1;
    }
}
