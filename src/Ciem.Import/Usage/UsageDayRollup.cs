namespace Ciem.Import.Usage;

/// <summary>
/// Usage events summed per (identity, person, action, resource, UTC day) — failed calls apart, per error code — so that
/// an ingest holds one entry per distinct key, not one per event. Not thread-safe: one per worker thread, then
/// <see cref="Merge"/>d.
/// </summary>
public sealed class UsageDayRollup
{
    /// <summary>The key of a day of use.</summary>
    public readonly record struct Key(string Identity, string Person, string Action, string Resource, DateOnly Day);

    /// <summary>A count with the first and last time seen.</summary>
    public sealed class Tally
    {
        public long Count { get; private set; }

        public DateTimeOffset FirstSeen { get; private set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset LastSeen { get; private set; } = DateTimeOffset.MinValue;

        internal void Add(long count, DateTimeOffset first, DateTimeOffset last)
        {
            Count += count;
            if (first < FirstSeen) { FirstSeen = first; }
            if (last > LastSeen) { LastSeen = last; }
        }
    }

    private readonly Dictionary<Key, Tally> _usage = [];
    private readonly Dictionary<(Key Usage, string ErrorCode), Tally> _attempts = [];

    public IReadOnlyDictionary<Key, Tally> Usage => _usage;

    public IReadOnlyDictionary<(Key Usage, string ErrorCode), Tally> Attempts => _attempts;

    public void Add(UsageEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var key = new Key(e.Identity, e.Person, e.Action, e.Resource, DateOnly.FromDateTime(e.Time.UtcDateTime));
        if (e.ErrorCode is null) { Get(_usage, key).Add(1, e.Time, e.Time); }
        else { Get(_attempts, (key, e.ErrorCode)).Add(1, e.Time, e.Time); }
    }

    public void Merge(UsageDayRollup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, t) in other._usage) { Get(_usage, key).Add(t.Count, t.FirstSeen, t.LastSeen); }
        foreach (var (key, t) in other._attempts) { Get(_attempts, key).Add(t.Count, t.FirstSeen, t.LastSeen); }
    }

    private static Tally Get<TKey>(Dictionary<TKey, Tally> map, TKey key) where TKey : notnull
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        return slot ??= new Tally();
    }
}
