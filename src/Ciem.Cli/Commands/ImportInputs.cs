using System.Collections.Immutable;
using System.CommandLine;
using System.IO.Enumeration;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Import;

namespace Ciem.Cli.Commands;

/// <summary>
/// What the import commands share: expanding files and folders, recognising a file's kind from the shape of its first
/// record, and summing what the readers return.
/// </summary>
public static class ImportInputs
{
    /// <summary>The `ciem import azure|gcp` command shape: PATH…, `--taken-at`, `--scope`, `--db`, `--format`.</summary>
    public static Command Command(CliHost host, string name, string description, string pathsDescription, string scopeDescription,
        Func<CliHost, string[], DateTimeOffset?, string?, string?, string, int> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var paths = new Argument<string[]>("paths") { Description = pathsDescription, Arity = ArgumentArity.OneOrMore };
        var takenAt = new Option<DateTimeOffset?>("--taken-at") { Description = "when the exports were taken (default: now)" };
        var scope = new Option<string?>("--scope") { Description = scopeDescription };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command(name, description) { paths, takenAt, scope, db, format };
        command.SetAction(p => run(host, p.GetValue(paths)!, p.GetValue(takenAt), p.GetValue(scope), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    /// <summary>
    /// Every file of <paramref name="paths"/> (folders: the files matching <paramref name="patterns"/> inside, `*.json` by
    /// default, in ordinal order) with its kind, or null after writing a message when a path does not exist.
    /// </summary>
    public static List<(string Path, TKind Kind)>? Expand<TKind>(CliHost host, IEnumerable<string> paths, Func<string, TKind> detect, params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Length == 0) { patterns = ["*.json"]; }
        // Folders are walked once (symbolic-link loops reported), and only regular files are read.
        var problems = new DiagnosticBag();
        var found = InputFiles.Expand(paths, f => patterns.Any(pattern => FileSystemName.MatchesSimpleExpression(pattern, Path.GetFileName(f))),
            problems, DiagnosticCodes.CliBadArgument);
        foreach (var problem in problems) { host.Error.WriteLine(problem.ToString()); }
        if (problems.HasErrors) { return null; }
        return [.. found.Select(f => (f, detect(f)))];
    }

    /// <summary>
    /// The shape of a file's first record: the top-level property names of the document, the property names of its
    /// first record (an array's first item, or the first item of a list wrapper such as `value` or `results`, or the
    /// object itself) including those under `properties`, and the record's `type`. Null when the file is not JSON
    /// (nor newline-delimited JSON); <see cref="RecordShape.IsEmpty"/> when it holds no record at all.
    /// </summary>
    public static RecordShape? Sniff(string path, params string[] wrappers)
    {
        byte[] bytes;
        try { bytes = InputFiles.ReadAllUtf8(path); }
        catch (IOException) { return null; }
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, options);
        }
        catch (JsonException)
        {
            // Newline-delimited JSON: the first non-empty line is the first record.
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            if (first is null) { return null; }
            try { document = JsonDocument.Parse(first, options); }
            catch (JsonException) { return null; }
        }
        using (document)
        {
            var root = document.RootElement;
            var top = root.ValueKind == JsonValueKind.Object ? root.EnumerateObject().Select(p => p.Name).ToImmutableHashSet(StringComparer.Ordinal) : [];
            JsonElement? record = root.ValueKind switch
            {
                JsonValueKind.Array => root.GetArrayLength() > 0 ? root[0] : null,
                JsonValueKind.Object => wrappers.Concat(["value"]).Select(w => root.TryGetProperty(w, out var list) && list.ValueKind == JsonValueKind.Array ? list : (JsonElement?)null)
                    .FirstOrDefault(l => l is not null) is { } wrapped ? (wrapped.GetArrayLength() > 0 ? wrapped[0] : null) : root,
                _ => null,
            };
            if (record is not { ValueKind: JsonValueKind.Object } r) { return new RecordShape(top, [], null, IsEmpty: record is null); }
            var names = r.EnumerateObject().Select(p => p.Name).ToList();
            if (r.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                names.AddRange(properties.EnumerateObject().Select(p => p.Name));
            }
            var type = r.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var name = r.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return new RecordShape(top, [.. names], type, IsEmpty: false, name);
        }
    }

    /// <summary>Writes the unknown-file errors; true when there were some.</summary>
    public static bool ReportUnknown(CliHost host, IEnumerable<string> unknown, string expected)
    {
        var any = false;
        foreach (var path in unknown)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.ImportUnknownFormat}: `{path}` is not {expected} (see docs/import-formats.md)");
            any = true;
        }
        return any;
    }

    /// <summary>The readers' outcome summed over files: diagnostics, counts and sources.</summary>
    public sealed class Totals
    {
        public List<Diagnostic> Diagnostics { get; } = [];

        public ImportCounts Counts { get; private set; }

        public ImmutableArray<string>.Builder Sources { get; } = ImmutableArray.CreateBuilder<string>();

        public T Add<T>(ImportResult<T> result)
        {
            ArgumentNullException.ThrowIfNull(result);
            Diagnostics.AddRange(result.Diagnostics);
            Counts += result.Counts;
            Sources.AddRange(result.SourceFiles);
            return result.Value;
        }

        public int Errors => Diagnostics.Count(d => d.Severity == Severity.Error);
    }

    /// <summary>Reads one file with a stream reader.</summary>
    public static ImportResult<T> Read<T>(string path, Func<Stream, string, ImportResult<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var stream = File.OpenRead(path);
        return read(stream, path);
    }
}

/// <param name="TopNames">the document's top-level property names (empty unless it is an object).</param>
/// <param name="RecordNames">the first record's property names, with those under `properties`.</param>
/// <param name="Type">the first record's `type`, if any.</param>
/// <param name="IsEmpty">the document holds no record (`[]`, `{"value": []}`).</param>
/// <param name="Name">the first record's `name`, if any.</param>
public sealed record RecordShape(ImmutableHashSet<string> TopNames, ImmutableHashSet<string> RecordNames, string? Type, bool IsEmpty, string? Name = null)
{
    public bool Has(string name) => RecordNames.Contains(name);

    public bool TypeIs(string suffix) => Type is not null && Type.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}
