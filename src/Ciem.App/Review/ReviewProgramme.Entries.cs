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
}
