using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Ciem.Core.Gcp.Conditions;

/// <summary>Three-valued logic: a condition is true, false, or cannot be decided with what is known.</summary>
public enum Truth
{
    False,
    True,
    Unknown,
}

/// <summary>
/// The outcome of one condition. <see cref="Truth.Unknown"/> carries <see cref="Reason"/>: an attribute the request
/// did not provide (<see cref="Unsupported"/> false), or syntax or a function outside the supported subset, a type
/// error, or a malformed literal (<see cref="Unsupported"/> true).
/// </summary>
public sealed record ConditionResult(Truth Truth, string? Reason = null, bool Unsupported = false)
{
    public static readonly ConditionResult True = new(Truth.True);

    public static readonly ConditionResult False = new(Truth.False);
}

/// <summary>
/// What IAM conditions can ask about a request. Null means "not known": a condition that needs it is
/// <see cref="Truth.Unknown"/>. <see cref="Tags"/> maps namespaced tag keys (`123456789012/env`, `my-project/env`) to
/// short value names (`prod`); <see cref="TagIds"/> maps `tagKeys/…` to `tagValues/…`. Tags include inherited ones.
/// </summary>
public sealed record ConditionAttributes(
    string? ResourceName = null,
    string? ResourceType = null,
    string? ResourceService = null,
    DateTimeOffset? RequestTime = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    IReadOnlyDictionary<string, string>? TagIds = null)
{
    public static readonly ConditionAttributes None = new();

    public static IReadOnlyDictionary<string, string> TagMap(IEnumerable<KeyValuePair<string, string>> tags) =>
        tags.ToFrozenDictionary(StringComparer.Ordinal);

    internal static readonly ImmutableArray<string> Supported = ["resource.name", "resource.type", "resource.service", "request.time"];
}
