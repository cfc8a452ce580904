using Ciem.Core.Diagnostics;

namespace Ciem.Core.Review;

/// <summary>What an item needs to know to judge a transition.</summary>
/// <param name="State">the item's state now.</param>
/// <param name="Owner">the item's owner.</param>
/// <param name="Deadline">the end of the objection window (null before notice).</param>
/// <param name="ExpiresAt">after this an item never approved expires (null: never).</param>
public sealed record ReviewItemContext(ReviewState State, string Owner, DateTimeOffset? Deadline, DateTimeOffset? ExpiresAt);

/// <summary>A transition asked for: the action, who asks, when (the host's clock) and whether four-eyes applies.</summary>
public sealed record ReviewRequest(ReviewAction Action, string Actor, DateTimeOffset At, bool FourEyes = false);

/// <summary>The outcome: the new state, or the error that refused it (the item is unchanged).</summary>
public sealed record ReviewTransition(ReviewState From, ReviewState? To, Diagnostic? Error)
{
    public bool Allowed => To is not null;
}

/// <summary>
/// The campaign's state machine (docs/review.md): planned → noticed → objected | approved → applied → verified, or
/// failed / rolled back / expired. Every transition is checked against the state, the deadline and, for approvals,
/// the owner and the four-eyes rule. Pure: the time comes in with the request.
/// </summary>
public static class ReviewStateMachine
{
    /// <summary>The states each action may start from.</summary>
    public static IReadOnlyList<ReviewState> From(ReviewAction action) => action switch
    {
        ReviewAction.Notice => [ReviewState.Planned],
        ReviewAction.Object => [ReviewState.Noticed, ReviewState.Objected],
        ReviewAction.Approve => [ReviewState.Noticed, ReviewState.Objected],
        ReviewAction.Apply => [ReviewState.Approved],
        ReviewAction.Verify => [ReviewState.Applied],
        ReviewAction.Fail => [ReviewState.Applied, ReviewState.Verified],
        ReviewAction.Rollback => [ReviewState.Applied, ReviewState.Verified, ReviewState.Failed],
        ReviewAction.Expire => [ReviewState.Planned, ReviewState.Noticed, ReviewState.Objected],
        _ => [],
    };

    /// <summary>The state an allowed action leads to.</summary>
    public static ReviewState To(ReviewAction action) => action switch
    {
        ReviewAction.Notice => ReviewState.Noticed,
        ReviewAction.Object => ReviewState.Objected,
        ReviewAction.Approve => ReviewState.Approved,
        ReviewAction.Apply => ReviewState.Applied,
        ReviewAction.Verify => ReviewState.Verified,
        ReviewAction.Fail => ReviewState.Failed,
        ReviewAction.Rollback => ReviewState.RolledBack,
        _ => ReviewState.Expired,
    };

    public static ReviewTransition Decide(ReviewItemContext item, ReviewRequest request, string subject)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(request);
        var action = ReviewNames.Of(request.Action);
        if (!From(request.Action).Contains(item.State))
        {
            return Refuse(item, DiagnosticCodes.ReviewTransitionRefused,
                $"cannot {action} `{subject}`: it is {ReviewNames.Of(item.State)} (allowed from {string.Join(", ", From(request.Action).Select(ReviewNames.Of))})");
        }
        switch (request.Action)
        {
            case ReviewAction.Object when item.Deadline is { } deadline && request.At > deadline:
                return Refuse(item, DiagnosticCodes.ReviewObjectionAfterDeadline,
                    $"the objection window of `{subject}` closed at `{Stamp(deadline)}`: ask the programme admin for an exclusion instead");
            case ReviewAction.Approve:
                var byOwner = string.Equals(request.Actor, item.Owner, StringComparison.OrdinalIgnoreCase);
                if (request.FourEyes && byOwner)
                {
                    return Refuse(item, DiagnosticCodes.ReviewFourEyes,
                        $"four-eyes rule: `{request.Actor}` owns `{subject}` and cannot approve it");
                }
                if (item.Deadline is { } due && request.At <= due && !byOwner)
                {
                    return Refuse(item, DiagnosticCodes.ReviewBeforeDeadline,
                        $"`{subject}` can be approved after `{Stamp(due)}`, or earlier by its owner `{item.Owner}`");
                }
                break;
            case ReviewAction.Expire when item.ExpiresAt is not { } expires || request.At <= expires:
                return Refuse(item, DiagnosticCodes.ReviewTransitionRefused,
                    item.ExpiresAt is { } e ? $"`{subject}` expires after `{Stamp(e)}`" : $"`{subject}` does not expire");
        }
        return new ReviewTransition(item.State, To(request.Action), null);
    }

    private static ReviewTransition Refuse(ReviewItemContext item, string code, string message) =>
        new(item.State, null, Diagnostic.Error(code, message));

    private static string Stamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
