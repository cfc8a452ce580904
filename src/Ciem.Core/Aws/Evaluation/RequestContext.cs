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
/// </summary>
public sealed class RequestContext
{
    public static readonly RequestContext Empty = new(FrozenDictionary<string, ContextValue>.Empty);

    private readonly FrozenDictionary<string, ContextValue> _values;

    private RequestContext(FrozenDictionary<string, ContextValue> values) => _values = values;

    public static RequestContext Create(IEnumerable<KeyValuePair<string, ContextValue>> values)
    {
        var dict = new Dictionary<string, ContextValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in values) { dict[k] = v; }
        return new RequestContext(dict.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    public IEnumerable<KeyValuePair<string, ContextValue>> Entries => _values;

    public int Count => _values.Count;

    public bool TryGet(string key, out ContextValue value) => _values.TryGetValue(key, out value);

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>A copy with the given keys added or replaced.</summary>
    public RequestContext With(IEnumerable<KeyValuePair<string, ContextValue>> values)
    {
        var dict = new Dictionary<string, ContextValue>(_values, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in values) { dict[k] = v; }
        return new RequestContext(dict.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    public RequestContext With(string key, ContextValue value) => With([new KeyValuePair<string, ContextValue>(key, value)]);
}
