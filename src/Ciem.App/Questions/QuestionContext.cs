using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Aws.Evaluation;

namespace Ciem.App.Questions;

/// <summary>
/// The request context a question gives as `KEY=VALUE` pairs (a repeated key collects its values), read per provider:
/// AWS condition keys, Azure ABAC attributes, and for GCP only `request.time` (the time conditions see).
/// </summary>
public static class QuestionContext
{
    /// <summary>The pairs by key (case ignored), or null with the first pair that is not `KEY=VALUE`.</summary>
    public static Dictionary<string, ImmutableArray<string>>? Pairs(IEnumerable<string> pairs, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var values = new Dictionary<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                problem = $"context `{pair}` is not KEY=VALUE";
                return null;
            }
            var key = pair[..eq];
            values[key] = values.TryGetValue(key, out var list) ? list.Add(pair[(eq + 1)..]) : [pair[(eq + 1)..]];
        }
        problem = null;
        return values;
    }

    /// <summary>An AWS request context: one value is a single-valued key, unless it is a `…TagKeys` key (always multi-valued).</summary>
    public static RequestContext? Aws(IEnumerable<string> pairs, out string? problem)
    {
        var values = Pairs(pairs, out problem);
        return values is null ? null : RequestContext.Create(values.Select(kv => new KeyValuePair<string, ContextValue>(kv.Key,
            kv.Value.Length == 1 && !kv.Key.Contains("TagKeys", StringComparison.OrdinalIgnoreCase)
                ? ContextValue.Single(kv.Value[0]) : ContextValue.Multi(kv.Value))));
    }

    /// <summary>`request.time=2026-12-01T00:00:00Z` sets the time GCP conditions see (else <paramref name="now"/>); no other key.</summary>
    public static DateTimeOffset? GcpTime(IEnumerable<string> pairs, DateTimeOffset now, out string? problem)
    {
        var values = Pairs(pairs, out problem);
        if (values is null) { return null; }
        var at = now;
        foreach (var (key, given) in values)
        {
            if (key != "request.time" || given.Length != 1
                || !DateTimeOffset.TryParse(given[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            {
                problem = $"context `{key}` is not used for gcp: give `request.time=` with one ISO 8601 time";
                return null;
            }
        }
        return at;
    }
}
