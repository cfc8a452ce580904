using Ciem.Core.Aws.Catalog;
using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Usage;

/// <summary>A rollup row's key: who used which action on which resource on which UTC day. <see cref="Resource"/> is `*` when the event names none.</summary>
public readonly record struct UsageKey(string IdentityKey, string? Person, string Action, string Resource, DateOnly Day);

/// <summary>A failed attempt's key: the usage key plus the error code (`AccessDenied`, `ThrottlingException`, …).</summary>
public readonly record struct AttemptKey(UsageKey Usage, string ErrorCode)
{
    public bool IsDenied => CloudTrailEvent.IsDeniedCode(ErrorCode);
}

/// <summary>How many times, and first and last seen.</summary>
public readonly record struct UsageStats(long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen)
{
    public UsageStats Add(DateTimeOffset time) => new(Count + 1, time < FirstSeen ? time : FirstSeen, time > LastSeen ? time : LastSeen);

    public UsageStats Merge(UsageStats other) =>
        new(Count + other.Count, other.FirstSeen < FirstSeen ? other.FirstSeen : FirstSeen, other.LastSeen > LastSeen ? other.LastSeen : LastSeen);
}

/// <summary>What <see cref="UsageRollup.Add"/> did with an event.</summary>
public enum RollupOutcome
{
    /// <summary>Counted as usage of its actions.</summary>
    Usage,
    /// <summary>The call failed: counted as a (denied or failed) attempt, not as usage.</summary>
    Attempt,
    /// <summary>Its key was already added: not counted twice.</summary>
    Duplicate,
    /// <summary>Authorised by no IAM action (sign-in, service events); counted in <see cref="UsageRollup.NoActionEvents"/>.</summary>
    NoAction,
    /// <summary>Maps to nothing known; counted in <see cref="UsageRollup.Unmapped"/>, never dropped silently.</summary>
    Unmapped,
}

/// <summary>
/// The pure daily rollup the store persists: (identity, action, resource, day) → count, first and last seen, with
/// failed calls kept apart as attempts. An event's actions come from <see cref="EventActionMapper"/>, its identity from
/// <see cref="EventPrincipal.IdentityKey"/> (plus the person for Identity Center and federated sessions), its resources
/// from the record's <c>resources</c> list (`*` when empty). Events are deduplicated by <see cref="EventKey"/> within a
/// rollup. Not thread-safe: build one per worker and <see cref="Merge"/>.
/// </summary>
public sealed class UsageRollup(EventActionMapper mapper)
{
    private const string AnyResource = "*";
    private const int MaxCachedMappings = 10_000;

    private readonly Dictionary<UsageKey, UsageStats> _usage = [];
    private readonly Dictionary<AttemptKey, UsageStats> _attempts = [];
    private readonly Dictionary<(string Source, string Name), long> _unmapped = [];
    private readonly HashSet<EventKey> _seen = [];
    private readonly Dictionary<string, AwsAction?> _actions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string Service, DateOnly Day), long> _dataEvents = [];

    // Readers intern sources and names, so a reference-keyed cache skips hashing them; other strings just miss it.
    private readonly Dictionary<(string Source, string Name), EventMapping> _mappings = new(ReferencePairComparer.Instance);

    public IReadOnlyDictionary<UsageKey, UsageStats> Usage => _usage;

    public IReadOnlyDictionary<AttemptKey, UsageStats> Attempts => _attempts;

    /// <summary>Events whose (source, name) maps to no known action, with their counts.</summary>
    public IReadOnlyDictionary<(string Source, string Name), long> Unmapped => _unmapped;

    public long NoActionEvents { get; private set; }

    /// <summary>
    /// Data events per (recipient account, IAM service prefix, day), failed ones included: they show that the
    /// account's trails record that service's data events (<see cref="DataEventCoverage"/>).
    /// </summary>
    public IReadOnlyDictionary<(string Account, string Service, DateOnly Day), long> DataEvents => _dataEvents;

    public long Duplicates { get; private set; }

    public RollupOutcome Add(CloudTrailEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        if (!_seen.Add(ev.Key))
        {
            Duplicates++;
            return RollupOutcome.Duplicate;
        }
        if (!_mappings.TryGetValue((ev.Source, ev.Name), out var mapping))
        {
            mapping = mapper.Map(ev.Source, ev.Name);
            if (_mappings.Count < MaxCachedMappings) { _mappings[(ev.Source, ev.Name)] = mapping; }
        }
        if (IsDataEvent(ev))
        {
            var service = mapping.Kind == EventMappingKind.Unknown || mapping.Actions.IsDefaultOrEmpty ? ServiceOf(ev.Source) : ServiceOf(mapping.Actions[0]);
            var key = (ev.RecipientAccountId, service, ev.Day);
            _dataEvents[key] = _dataEvents.GetValueOrDefault(key) + 1;
        }
        if (mapping.Kind == EventMappingKind.NoAction)
        {
            NoActionEvents++;
            return RollupOutcome.NoAction;
        }
        if (mapping.Kind == EventMappingKind.Unknown)
        {
            var key = (ev.Source, ev.Name);
            _unmapped[key] = _unmapped.GetValueOrDefault(key) + 1;
            return RollupOutcome.Unmapped;
        }
        var day = ev.Day;
        foreach (var action in mapping.Actions)
        {
            var any = true;
            var resources = ev.Resources.IsDefault ? [] : ev.Resources;
            var info = ActionInfo(action);
            for (var i = 0; i < resources.Length; i++)
            {
                if (resources[i].Arn is not { } arn || SeenBefore(resources, i, arn)) { continue; }
                // A record lists every resource the call touched (an S3 object event names the bucket too): count the
                // action only on resources of a type it applies to, and actions that take only `*` on `*`.
                if (info is not null && (info.ResourceTypes.IsEmpty || !info.ResourceTypesFor(arn).Any())) { continue; }
                any = false;
                Count(ev, action, arn, day);
            }
            if (any) { Count(ev, action, AnyResource, day); }
        }
        return ev.IsError ? RollupOutcome.Attempt : RollupOutcome.Usage;
    }

    /// <summary>One warning per unmapped (source, name), most frequent first, so that nothing is dropped silently.</summary>
    public IEnumerable<Diagnostic> UnmappedDiagnostics() =>
        _unmapped.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Source, StringComparer.Ordinal).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => Diagnostic.Warning(DiagnosticCodes.CloudTrailUnmappedEvent,
                $"{kv.Value} `{kv.Key.Source}` `{kv.Key.Name}` events map to no known IAM action; they are shown as unmapped, not as usage"));

    /// <summary>Adds another rollup's rows (for per-worker rollups); duplicates across the two are not detected.</summary>
    public void Merge(UsageRollup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, stats) in other._usage) { _usage[key] = _usage.TryGetValue(key, out var s) ? s.Merge(stats) : stats; }
        foreach (var (key, stats) in other._attempts) { _attempts[key] = _attempts.TryGetValue(key, out var s) ? s.Merge(stats) : stats; }
        foreach (var (key, count) in other._unmapped) { _unmapped[key] = _unmapped.GetValueOrDefault(key) + count; }
        foreach (var key in other._seen) { _seen.Add(key); }
        foreach (var (key, count) in other._dataEvents) { _dataEvents[key] = _dataEvents.GetValueOrDefault(key) + count; }
        NoActionEvents += other.NoActionEvents;
        Duplicates += other.Duplicates;
    }

    private void Count(CloudTrailEvent ev, string action, string resource, DateOnly day)
    {
        var usage = new UsageKey(ev.Principal.IdentityKey, ev.Principal.Person, action, resource, day);
        if (ev.ErrorCode is { } error) { Bump(_attempts, new AttemptKey(usage, error), ev.Time); }
        else { Bump(_usage, usage, ev.Time); }
    }

    private AwsAction? ActionInfo(string action)
    {
        if (!_actions.TryGetValue(action, out var info))
        {
            info = mapper.Catalog.TryGetAction(action, out var found) ? found : null;
            _actions[action] = info;
        }
        return info;
    }

    /// <summary>`eventCategory: Data`, or `managementEvent: false` in records older than `eventCategory`.</summary>
    private static bool IsDataEvent(CloudTrailEvent ev) =>
        ev.Category is { } category ? string.Equals(category, "Data", StringComparison.Ordinal) : ev.ManagementEvent == false;

    /// <summary>`s3:GetObject` → `s3`; `s3.amazonaws.com` → `s3`.</summary>
    private static string ServiceOf(string actionOrSource)
    {
        var colon = actionOrSource.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0) { return actionOrSource[..colon]; }
        var dot = actionOrSource.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? actionOrSource[..dot] : actionOrSource;
    }

    /// <summary>A resource listed twice in one event counts once.</summary>
    private static bool SeenBefore(ImmutableArray<EventResource> resources, int index, string arn)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(resources[j].Arn, arn, StringComparison.Ordinal)) { return true; }
        }
        return false;
    }

    private sealed class ReferencePairComparer : IEqualityComparer<(string Source, string Name)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((string Source, string Name) x, (string Source, string Name) y) =>
            ReferenceEquals(x.Source, y.Source) && ReferenceEquals(x.Name, y.Name);

        public int GetHashCode((string Source, string Name) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Source), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Name));
    }

    private static void Bump<TKey>(Dictionary<TKey, UsageStats> rows, TKey key, DateTimeOffset time) where TKey : notnull
    {
        ref var stats = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(rows, key, out var exists);
        stats = exists ? stats.Add(time) : new UsageStats(1, time, time);
    }
}
