using System.Collections.Immutable;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// A statement's Condition block, compiled once by <see cref="ConditionCompiler"/>. All entries are ANDed
/// (three-valued: any False → False, else any Indeterminate → Indeterminate, else True); an empty block is True.
/// Evaluation does not allocate except to expand policy variables and to parse IP addresses from the context.
/// </summary>
public sealed class CompiledConditionBlock
{
    public static readonly CompiledConditionBlock Empty = new([], []);

    private readonly ConditionClause[] _clauses;

    internal CompiledConditionBlock(ImmutableArray<ConditionEntry> entries, ConditionClause[] clauses)
    {
        Entries = entries;
        _clauses = clauses;
        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (seen.Add(entry.Key)) { keys.Add(entry.Key); }
        }
        Keys = keys;
    }

    public bool IsEmpty => _clauses.Length == 0;

    /// <summary>The condition keys referenced, first spelling kept, without case-insensitive duplicates.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The source entries, for reporting a conditional grant with its condition text.</summary>
    public ImmutableArray<ConditionEntry> Entries { get; }

    /// <summary>
    /// The entries that are Indeterminate for <paramref name="context"/>, each with the reason (a key not given, a
    /// variable that cannot be resolved, a value that cannot be read). Used only to explain, off the hot path.
    /// </summary>
    public IReadOnlyList<(ConditionEntry Entry, string Reason, bool UnknownKey)> Explain(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = new List<(ConditionEntry, string, bool)>();
        for (var i = 0; i < _clauses.Length; i++)
        {
            if (_clauses[i].WhyIndeterminate(context) is { } why)
            {
                var unknown = context.IsUnknown(_clauses[i].Key)
                    || (_clauses[i].UnresolvedVariable(context) is { } v && context.IsUnknown(v[2..^1]));
                result.Add((Entries[i], why, unknown));
            }
        }
        return result;
    }

    public ConditionOutcome Evaluate(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = ConditionOutcome.True;
        foreach (var clause in _clauses)
        {
            var outcome = clause.Evaluate(context);
            if (outcome == ConditionOutcome.False) { return outcome; }
            if (outcome == ConditionOutcome.Indeterminate) { result = outcome; }
        }
        return result;
    }
}
