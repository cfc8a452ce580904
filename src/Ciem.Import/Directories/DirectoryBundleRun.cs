using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Json;

namespace Ciem.Import.Directories;

/// <summary>
/// What the directory bundle readers share: parsing the file, finding the items of a member whatever its paging
/// layout (one output, an array of pages, or outputs keyed by a parameter), and counting, locating and quarantining.
/// </summary>
internal abstract class DirectoryBundleRun(string file)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public DiagnosticBag Diagnostics { get; } = new();

    public List<QuarantinedRecord> Quarantined { get; } = [];

    public ImportCounts Counts { get; private set; }

    protected abstract DirectorySnapshot? Read(JsonElement root, DateTimeOffset takenAt);

    /// <summary>Opens <paramref name="path"/> and runs the reader <paramref name="create"/> makes for it.</summary>
    public static ImportResult<DirectorySnapshot?> RunFile(string path, DateTimeOffset takenAt, Func<string, DirectoryBundleRun> create)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(create);
        using var stream = InputFiles.OpenRead(path);
        return create(path).Run(stream, takenAt);
    }

    /// <summary>
    /// Whether <paramref name="root"/> is this kind of bundle (an object with <paramref name="required"/>); if not, one
    /// error says so and nothing is imported. Unknown top-level members are warned about.
    /// </summary>
    protected bool IsBundle(JsonElement root, string required, string bundle, string[] knownMembers)
    {
        if (root.ValueKind != JsonValueKind.Object || root.Property(required) is null)
        {
            Diagnostics.Error(DiagnosticCodes.DirectoryUnknownFormat, $"not {bundle} bundle: no `{required}` member, so nothing was imported", At("$"));
            return false;
        }
        WarnUnknownMembers(root, knownMembers);
        return true;
    }

    public ImportResult<DirectorySnapshot?> Run(Stream stream, DateTimeOffset takenAt)
    {
        DirectorySnapshot? snapshot = null;
        try
        {
            using var document = JsonText.Parse(stream);
            snapshot = Read(document.RootElement, takenAt);
        }
        catch (JsonException ex)
        {
            Diagnostics.Add(PolicyText.NotJson(ex, file));
        }
        return new ImportResult<DirectorySnapshot?>(snapshot, Diagnostics, Counts, [.. Quarantined], [file]);
    }

    /// <summary>
    /// The items of <paramref name="list"/> under a bundle member: the member may be one output
    /// (`{"Users": […]}`), a bare array of items, an array of pages, or an object of outputs keyed by a
    /// parameter (`{"ps-arn": {"AttachedManagedPolicies": […]}}`), nested up to three levels. Each item comes with
    /// its JSON path and the keys it was found under.
    /// </summary>
    protected static IEnumerable<(JsonElement Item, string Path, ImmutableArray<string> Keys)> Items(JsonElement root, string member, string list)
    {
        if (root.Property(member) is not { } value) { return []; }
        return Walk(value, $"$['{member}']", list, [], 0);
    }

    private static IEnumerable<(JsonElement, string, ImmutableArray<string>)> Walk(JsonElement value, string path, string list, ImmutableArray<string> keys, int depth)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in items.EnumerateArray()) { yield return (item, $"{path}.{list}[{i++}]", keys); }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                var at = $"{path}[{i++}]";
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(list, out _))
                {
                    foreach (var x in Walk(element, at, list, keys, depth + 1)) { yield return x; }
                }
                else
                {
                    yield return (element, at, keys);
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Object && depth < 3)
        {
            foreach (var p in value.EnumerateObject())
            {
                foreach (var x in Walk(p.Value, $"{path}['{p.Name}']", list, keys.Add(p.Name), depth + 1)) { yield return x; }
            }
        }
    }

    protected void WarnUnknownMembers(JsonElement root, IReadOnlyCollection<string> known)
    {
        foreach (var member in root.EnumerateObject().Where(m => !known.Contains(m.Name)))
        {
            Diagnostics.Warning(DiagnosticCodes.DirectoryUnknownFormat, $"unknown member `{member.Name}` ignored", At($"$['{member.Name}']"));
        }
    }

    /// <summary>Counts a record as imported, or as skipped when <paramref name="key"/> was already seen.</summary>
    protected T? Counted<T>(string key, T value, string path)
        where T : class
    {
        if (!_seen.Add(key))
        {
            Diagnostics.Warning(DiagnosticCodes.DirectoryDuplicate, $"`{key}` appears more than once; the later record was skipped", At(path));
            Counts += new ImportCounts(0, 1, 0);
            return null;
        }
        Counts += new ImportCounts(1, 0, 0);
        return value;
    }

    protected T? Quarantine<T>(string code, string message, string path, JsonElement item)
        where T : class
    {
        Diagnostics.Error(code, message + "; the record was quarantined", At(path));
        Quarantined.Add(new QuarantinedRecord(At(path), code, item.GetRawText()));
        Counts += new ImportCounts(0, 0, 1);
        return null;
    }

    protected T? Missing<T>(string field, string path, JsonElement item)
        where T : class => Quarantine<T>(DiagnosticCodes.DirectoryMissingField, $"`{field}` is missing", path, item);

    protected void Dangling(string message, string path) => Diagnostics.Warning(DiagnosticCodes.DirectoryDanglingReference, message, At(path));

    protected SourceLocation At(string path) => new(file, JsonPath: path);
}
