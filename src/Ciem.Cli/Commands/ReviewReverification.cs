using System.Collections.Immutable;
using Ciem.App.Review;
using Ciem.Cli.Proposals;
using Ciem.Core.Review;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Commands;

/// <summary>Re-verifies one identity's proposal after an objection keeps some permissions (`ciem review object` and the server).</summary>
public static class ReviewReverification
{
    /// <summary>An objection's re-run: the identity's proposal as of the campaign's sweep, keeping <paramref name="kept"/> (also used by `ciem serve`).</summary>
    public static ReviewEntry? Reverify(CliHost host, string? db, ReviewCandidate candidate, ImmutableArray<string> kept, DateTimeOffset? asOf)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(candidate);
        var options = new SweepOptions();
        if (!ProposalSettings.TryApplyConfig(host, null, ref options)) { return null; }
        options = options with
        {
            Only = [candidate.IdentityId],
            Proposal = options.Proposal with { KeepActions = options.Proposal.KeepActions.Union(kept) },
        };
        var sweep = SweepHost.Estate(host, db, options, asOf ?? host.Clock.GetUtcNow(), quiet: true, [candidate.Provider]);
        return sweep is null ? null : ReviewEntries.FromSweep(sweep).FirstOrDefault(e => e.Candidate.IdentityId == candidate.IdentityId);
    }
}
