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

/// <summary>A growable list of diagnostics that readers return alongside their values.</summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;

    public Diagnostic this[int index] => _items[index];

    public bool HasErrors => _items.Exists(d => d.Severity == Severity.Error);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void Error(string code, string message, SourceLocation? location = null) => _items.Add(Diagnostic.Error(code, message, location));

    public void Warning(string code, string message, SourceLocation? location = null) => _items.Add(Diagnostic.Warning(code, message, location));

    public System.Collections.Immutable.ImmutableArray<Diagnostic> ToImmutable() => [.. _items];

    public IEnumerator<Diagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
