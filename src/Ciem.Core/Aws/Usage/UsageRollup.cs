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
    private static readonly ImmutableArray<string> AnyResource = ["*"];

    private readonly Dictionary<UsageKey, UsageStats> _usage = [];
    private readonly Dictionary<AttemptKey, UsageStats> _attempts = [];
    private readonly Dictionary<(string Source, string Name), long> _unmapped = [];
    private readonly HashSet<EventKey> _seen = [];

    public IReadOnlyDictionary<UsageKey, UsageStats> Usage => _usage;

    public IReadOnlyDictionary<AttemptKey, UsageStats> Attempts => _attempts;

    /// <summary>Events whose (source, name) maps to no known action, with their counts.</summary>
    public IReadOnlyDictionary<(string Source, string Name), long> Unmapped => _unmapped;

    public long NoActionEvents { get; private set; }

    public long Duplicates { get; private set; }

    public RollupOutcome Add(CloudTrailEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        if (!_seen.Add(ev.Key))
        {
            Duplicates++;
            return RollupOutcome.Duplicate;
        }
        var mapping = mapper.Map(ev.Source, ev.Name);
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
        var resources = ev.Resources.IsDefaultOrEmpty ? AnyResource : ResourceArns(ev.Resources);
        var day = ev.Day;
        foreach (var action in mapping.Actions)
        {
            foreach (var resource in resources)
            {
                var usage = new UsageKey(ev.Principal.IdentityKey, ev.Principal.Person, action, resource, day);
                if (ev.ErrorCode is { } error) { Bump(_attempts, new AttemptKey(usage, error), ev.Time); }
                else { Bump(_usage, usage, ev.Time); }
            }
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
        NoActionEvents += other.NoActionEvents;
        Duplicates += other.Duplicates;
    }

    private static ImmutableArray<string> ResourceArns(ImmutableArray<EventResource> resources)
    {
        var arns = resources.Where(r => r.Arn is not null).Select(r => r.Arn!).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return arns.IsEmpty ? AnyResource : arns;
    }

    private static void Bump<TKey>(Dictionary<TKey, UsageStats> rows, TKey key, DateTimeOffset time) where TKey : notnull
    {
        rows[key] = rows.TryGetValue(key, out var stats) ? stats.Add(time) : new UsageStats(1, time, time);
    }
}
