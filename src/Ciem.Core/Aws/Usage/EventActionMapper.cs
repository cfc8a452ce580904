using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Aws.Usage;

/// <summary>How an event's IAM action(s) were found.</summary>
public enum EventMappingKind
{
    /// <summary><c>&lt;prefix&gt;:&lt;eventName&gt;</c> is a catalog action.</summary>
    Catalog,
    /// <summary>A row of the curated exception table applied.</summary>
    Override,
    /// <summary>The event is authorised by no IAM action (sign-in, portal tokens, service events).</summary>
    NoAction,
    /// <summary>Nothing known; reported, never dropped.</summary>
    Unknown,
}

/// <summary>The IAM actions an event exercises, and why.</summary>
public sealed record EventMapping(EventMappingKind Kind, ImmutableArray<string> Actions, string? Reason)
{
    public bool IsKnown => Kind != EventMappingKind.Unknown;
}

/// <summary>One row of <c>cloudtrail-action-overrides.tsv</c>.</summary>
public sealed record ActionOverride(string Kind, string Source, string Event, ImmutableArray<string> Actions, string Why);

/// <summary>
/// Maps CloudTrail <c>eventSource</c> + <c>eventName</c> to IAM actions: the curated exception table
/// (<c>cloudtrail-action-overrides.tsv</c>, embedded) first, then the catalog after normalising the name
/// (API-version suffixes such as Lambda's <c>20150331v2</c> or CloudFront's <c>2020_05_31</c> removed), then the
/// table's name-prefix rules. Thread-safe; results are cached per (source, name).
/// </summary>
public sealed class EventActionMapper
{
    public const string OverridesResourceName = "Ciem.Core.Aws.Usage.cloudtrail-action-overrides.tsv";
    private const string HostSuffix = ".amazonaws.com";
    private const int MaxCached = 100_000;

    private static readonly Lazy<EventActionMapper> DefaultMapper = new(
        () => new EventActionMapper(AwsActionCatalog.Default, LoadOverrides()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly AwsActionCatalog _catalog;
    private readonly Dictionary<string, string> _prefixBySource = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Source, string Event), ActionOverride> _exact = [];
    private readonly List<ActionOverride> _wildcards = [];
    private readonly ConcurrentDictionary<(string Source, string Name), EventMapping> _cache = new();

    public EventActionMapper(AwsActionCatalog catalog, IEnumerable<ActionOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(overrides);
        _catalog = catalog;
        Overrides = [.. overrides];
        foreach (var row in Overrides)
        {
            if (row.Kind == "service") { _prefixBySource[row.Source] = row.Actions[0]; }
            else if (row.Event.EndsWith('*')) { _wildcards.Add(row); }
            else { _exact[(row.Source.ToLowerInvariant(), row.Event.ToLowerInvariant())] = row; }
        }
        // Longest prefix first, so `Untag*` wins over a shorter rule.
        _wildcards.Sort((a, b) => b.Event.Length.CompareTo(a.Event.Length));
    }

    /// <summary>The catalog and the shipped exception table, loaded once.</summary>
    public static EventActionMapper Default => DefaultMapper.Value;

    public AwsActionCatalog Catalog => _catalog;

    public ImmutableArray<ActionOverride> Overrides { get; }

    /// <summary>The IAM prefix for an eventSource host: `monitoring.amazonaws.com` → `cloudwatch`, `s3.amazonaws.com` → `s3`.</summary>
    public string ServicePrefix(string eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (_prefixBySource.TryGetValue(eventSource, out var prefix)) { return prefix; }
        return eventSource.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase)
            ? eventSource[..^HostSuffix.Length].ToLowerInvariant()
            : eventSource.ToLowerInvariant();
    }

    /// <summary>The eventSource host a service prefix is logged under (the inverse of <see cref="ServicePrefix"/>).</summary>
    public string EventSourceFor(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        foreach (var (source, p) in _prefixBySource)
        {
            // Only single-label hosts (`monitoring.amazonaws.com`), not data-plane variants (`runtime.lex…`).
            if (string.Equals(p, prefix, StringComparison.OrdinalIgnoreCase) && source.Count(c => c == '.') == 2) { return source; }
        }
        return prefix + HostSuffix;
    }

    public EventMapping Map(CloudTrailEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        return Map(ev.Source, ev.Name);
    }

    public EventMapping Map(string eventSource, string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        ArgumentNullException.ThrowIfNull(eventName);
        if (_cache.TryGetValue((eventSource, eventName), out var cached)) { return cached; }
        var mapping = Compute(eventSource, eventName);
        if (_cache.Count < MaxCached) { _cache.TryAdd((eventSource, eventName), mapping); }
        return mapping;
    }

    /// <summary>Removes API-version suffixes: `GetFunction20150331v2` → `GetFunction`, `CreateDistribution2020_05_31` → `CreateDistribution`.</summary>
    public static string NormalizeName(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var span = eventName.AsSpan();
        var end = span.Length;
        var beforeV = end > 2 && span[end - 2] == 'v' && char.IsAsciiDigit(span[end - 1]) ? end - 2 : end;
        if (beforeV > 8 && IsDigits(span[(beforeV - 8)..beforeV]) && !char.IsAsciiDigit(span[beforeV - 9]))
        {
            return eventName[..(beforeV - 8)];
        }
        if (end > 10 && IsDigits(span[(end - 10)..(end - 6)]) && span[end - 6] == '_' && IsDigits(span[(end - 5)..(end - 3)])
            && span[end - 3] == '_' && IsDigits(span[(end - 2)..]))
        {
            return eventName[..(end - 10)];
        }
        return eventName;

        static bool IsDigits(ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');
    }

    private EventMapping Compute(string eventSource, string eventName)
    {
        var source = eventSource.ToLowerInvariant();
        var name = NormalizeName(eventName);
        if (_exact.TryGetValue((source, eventName.ToLowerInvariant()), out var row) || _exact.TryGetValue((source, name.ToLowerInvariant()), out row))
        {
            return FromRow(row);
        }
        var prefix = ServicePrefix(eventSource);
        if (_catalog.TryGetAction($"{prefix}:{name}", out var action))
        {
            return new EventMapping(EventMappingKind.Catalog, [action.FullName], null);
        }
        foreach (var wildcard in _wildcards)
        {
            if (string.Equals(wildcard.Source, eventSource, StringComparison.OrdinalIgnoreCase)
                && name.StartsWith(wildcard.Event.AsSpan(0, wildcard.Event.Length - 1), StringComparison.Ordinal))
            {
                return FromRow(wildcard);
            }
        }
        return new EventMapping(EventMappingKind.Unknown, [], $"no IAM action `{prefix}:{name}` in the catalog and no exception for it");
    }

    private EventMapping FromRow(ActionOverride row) => row.Kind == "none"
        ? new EventMapping(EventMappingKind.NoAction, [], row.Why)
        : new EventMapping(EventMappingKind.Override, [.. row.Actions.Select(a => _catalog.TryGetAction(a, out var known) ? known.FullName : a)], row.Why);

    /// <summary>Reads the embedded exception table.</summary>
    public static ImmutableArray<ActionOverride> LoadOverrides() => CuratedTable.Load(OverridesResourceName, ParseOverrides);

    /// <summary>Parses the exception table format (see the file's header). The table is our own artefact: a bad row throws.</summary>
    public static ImmutableArray<ActionOverride> ParseOverrides(TextReader reader) =>
        CuratedTable.Parse(reader, "cloudtrail-action-overrides.tsv", "kind\tsource\tevent\tactions\twhy",
            "kind source event actions why, with kind service, event or none", f => f[0] is "service" or "event" or "none"
                ? new ActionOverride(f[0], f[1], f[2], f[3] == "-" ? [] : [.. f[3].Split(',', StringSplitOptions.TrimEntries)], f[4])
                : null);
}
