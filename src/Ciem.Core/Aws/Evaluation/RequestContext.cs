using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>A context key's value: one or more strings; <see cref="IsMultiValued"/> for array-typed keys.</summary>
public readonly record struct ContextValue(ImmutableArray<string> Values, bool IsMultiValued)
{
    public static ContextValue Single(string value) => new([value], false);

    public static ContextValue Multi(IEnumerable<string> values) => new([.. values], true);
}

/// <summary>
/// The request context: condition keys (case-insensitive names, as AWS documents) to values.
/// Immutable; build with <see cref="Create"/> or <see cref="With"/>.
/// A key that is not given is absent, unless the context declares it unknown (<see cref="WithUnknown"/>, or every
/// key with <see cref="AsOpenWorld"/>): conditions on an unknown key are Indeterminate, never evaluated as absent.
/// </summary>
public sealed class RequestContext
{
    public static readonly RequestContext Empty = new(new Dictionary<string, ContextValue>(StringComparer.OrdinalIgnoreCase), null, false);

    // A plain dictionary, never changed after construction: a context lives for one request, so building a frozen
    // dictionary (which analyses its keys) costs more than the lookups it would save.
    private readonly Dictionary<string, ContextValue> _values;
    private readonly FrozenSet<string>? _unknown;
    private readonly bool _openWorld;

    private RequestContext(Dictionary<string, ContextValue> values, FrozenSet<string>? unknown, bool openWorld)
    {
        _values = values;
        _unknown = unknown;
        _openWorld = openWorld;
    }

    /// <summary>Whether <paramref name="key"/> is not given and its value is unknown (not absent).</summary>
    public bool IsUnknown(string key) => !_values.ContainsKey(key) && (_openWorld || (_unknown?.Contains(key) ?? false));

    /// <summary>Whether any key can be unknown in this context.</summary>
    public bool HasUnknownKeys => _openWorld || _unknown is { Count: > 0 };

    /// <summary>A copy in which <paramref name="keys"/>, where not given, are unknown rather than absent.</summary>
    public RequestContext WithUnknown(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (_unknown is null && keys is FrozenSet<string> frozen && frozen.Comparer == StringComparer.OrdinalIgnoreCase)
        {
            // The common case (the always-sent keys on a fresh context) shares the set instead of building one.
            return new RequestContext(_values, frozen, _openWorld);
        }
        var set = new HashSet<string>(_unknown ?? Enumerable.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        set.UnionWith(keys);
        return new RequestContext(_values, set.ToFrozenSet(StringComparer.OrdinalIgnoreCase), _openWorld);
    }

    /// <summary>A copy in which every key that is not given is unknown (the estate's view of an identity).</summary>
    public RequestContext AsOpenWorld() => new(_values, _unknown, true);

    public static RequestContext Create(IEnumerable<KeyValuePair<string, ContextValue>> values)
    {
        // Sized once: a request file builds a context per line, and growing the table is most of the cost.
        var dict = new Dictionary<string, ContextValue>(values.TryGetNonEnumeratedCount(out var n) ? n : 0, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in values) { dict[k] = v; }
        return new RequestContext(dict, null, false);
    }

    public IEnumerable<KeyValuePair<string, ContextValue>> Entries => _values;

    public int Count => _values.Count;

    public bool TryGet(string key, out ContextValue value) => _values.TryGetValue(key, out value);

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>A copy with the given keys added or replaced.</summary>
    public RequestContext With(IEnumerable<KeyValuePair<string, ContextValue>> values)
    {
        var dict = new Dictionary<string, ContextValue>(_values.Count + (values.TryGetNonEnumeratedCount(out var n) ? n : 0), StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in _values) { dict[k] = v; }
        foreach (var (k, v) in values) { dict[k] = v; }
        return new RequestContext(dict, _unknown, _openWorld);
    }

    /// <summary>A copy without <paramref name="key"/>.</summary>
    public RequestContext Remove(string key)
    {
        if (!_values.ContainsKey(key)) { return this; }
        var dict = new Dictionary<string, ContextValue>(_values, StringComparer.OrdinalIgnoreCase);
        dict.Remove(key);
        return new RequestContext(dict, _unknown, _openWorld);
    }

    public RequestContext With(string key, ContextValue value) => With([new KeyValuePair<string, ContextValue>(key, value)]);
}
