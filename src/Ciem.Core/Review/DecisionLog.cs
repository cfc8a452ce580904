using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ciem.Core.Review;

/// <summary>
/// One row of the append-only decision log: who did what to which subject (a batch or an identity), when, why, with the
/// proposal's content hash, chained to the previous row by <see cref="PreviousHash"/>.
/// </summary>
public sealed record DecisionRecord(
    long Sequence,
    string Campaign,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    string? FromState,
    string? ToState,
    string Reason,
    string? ProposalHash,
    string PreviousHash,
    string Hash);

/// <summary>A row whose hash does not match its content or whose link to the previous row is broken.</summary>
public sealed record DecisionLogBreak(long Sequence, string Reason);

/// <summary>
/// The hash chain: <c>hash = SHA-256(previous hash ‖ canonical row)</c>, hex lowercase; the first row's previous hash is
/// 64 zeros. The canonical row is each field as its UTF-8 byte length, a colon and the bytes, in a fixed order, with
/// the time as UTC ticks — no separator or field can be confused with another, whatever the text holds.
/// </summary>
public static class DecisionLog
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>The next row after <paramref name="previous"/> (null for the first), its hash computed.</summary>
    public static DecisionRecord Next(DecisionRecord? previous, string campaign, DateTimeOffset at, string actor, string action,
        string subject, string? fromState, string? toState, string reason, string? proposalHash)
    {
        var row = new DecisionRecord((previous?.Sequence ?? 0) + 1, campaign, at.ToUniversalTime(), actor, action, subject, fromState,
            toState, reason, proposalHash, previous?.Hash ?? Genesis, "");
        return row with { Hash = HashOf(row) };
    }

    public static string HashOf(DecisionRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var canonical = new StringBuilder();
        foreach (var field in Fields(row))
        {
            var value = field ?? "\u0000null";
            canonical.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }
        var bytes = Encoding.UTF8.GetBytes(row.PreviousHash + canonical);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Every break in the chain, in order (empty: the log is intact).</summary>
    public static ImmutableArray<DecisionLogBreak> Verify(IEnumerable<DecisionRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var breaks = ImmutableArray.CreateBuilder<DecisionLogBreak>();
        string previous = Genesis;
        long expected = 1;
        foreach (var row in rows)
        {
            if (row.Sequence != expected)
            {
                breaks.Add(new(row.Sequence, $"row {row.Sequence} follows row {expected - 1}: a row is missing or was inserted"));
            }
            if (!string.Equals(row.PreviousHash, previous, StringComparison.Ordinal))
            {
                breaks.Add(new(row.Sequence, $"row {row.Sequence} does not link to the row before it"));
            }
            if (!string.Equals(HashOf(row), row.Hash, StringComparison.Ordinal))
            {
                breaks.Add(new(row.Sequence, $"row {row.Sequence} was changed after it was written (its hash does not match its content)"));
            }
            previous = row.Hash;
            expected = row.Sequence + 1;
        }
        return breaks.ToImmutable();
    }

    private static IEnumerable<string?> Fields(DecisionRecord r) =>
    [
        r.Sequence.ToString(CultureInfo.InvariantCulture), r.Campaign,
        r.At.UtcTicks.ToString(CultureInfo.InvariantCulture), r.Actor, r.Action, r.Subject, r.FromState, r.ToState, r.Reason,
        r.ProposalHash,
    ];
}
