using System.Collections.Immutable;

namespace Ciem.App.Review;

public sealed partial class ReviewProgramme
{
    /// <summary>The entry (candidate, proposal documents, change target) of every identity of the campaign, as stored; none for an unknown campaign.</summary>
    public ImmutableArray<ReviewEntry> Entries(string? campaignId)
    {
        var data = Load(campaignId, out _);
        return data is null ? [] : [.. data.Items.Select(i => ReviewEntry.FromJson(i.Candidate))];
    }

    /// <summary>
    /// The campaign's entries as stored, each read when asked for (null for an identity not in it, or an unknown campaign):
    /// a caller going through many identities for a few fields holds one entry at a time, not every identity's
    /// permission lists at once.
    /// </summary>
    public Func<string, ReviewEntry?> EntryReader(string? campaignId)
    {
        var stored = Load(campaignId, out _)?.Items.ToDictionary(i => i.Identity, i => i.Candidate, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        return identity => stored.TryGetValue(identity, out var json) ? ReviewEntry.FromJson(json) : null;
    }
}
