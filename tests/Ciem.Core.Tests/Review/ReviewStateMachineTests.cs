using Ciem.Core.Diagnostics;
using Ciem.Core.Review;
using static Ciem.Core.Tests.Review.ReviewTestData;

namespace Ciem.Core.Tests.Review;

public sealed class ReviewStateMachineTests
{
    private static readonly DateTimeOffset Deadline = T0.AddDays(7);

    public static TheoryData<ReviewAction, ReviewState, ReviewState?> EveryPair()
    {
        // Every action from every state: the allowed ones and where they lead, the rest refused.
        var allowed = new Dictionary<(ReviewAction, ReviewState), ReviewState>
        {
            [(ReviewAction.Notice, ReviewState.Planned)] = ReviewState.Noticed,
            [(ReviewAction.Object, ReviewState.Noticed)] = ReviewState.Objected,
            [(ReviewAction.Object, ReviewState.Objected)] = ReviewState.Objected,
            [(ReviewAction.Approve, ReviewState.Noticed)] = ReviewState.Approved,
            [(ReviewAction.Approve, ReviewState.Objected)] = ReviewState.Approved,
            [(ReviewAction.Apply, ReviewState.Approved)] = ReviewState.Applied,
            [(ReviewAction.Verify, ReviewState.Applied)] = ReviewState.Verified,
            [(ReviewAction.Fail, ReviewState.Applied)] = ReviewState.Failed,
            [(ReviewAction.Fail, ReviewState.Verified)] = ReviewState.Failed,
            [(ReviewAction.Rollback, ReviewState.Applied)] = ReviewState.RolledBack,
            [(ReviewAction.Rollback, ReviewState.Verified)] = ReviewState.RolledBack,
            [(ReviewAction.Rollback, ReviewState.Failed)] = ReviewState.RolledBack,
            [(ReviewAction.Expire, ReviewState.Planned)] = ReviewState.Expired,
            [(ReviewAction.Expire, ReviewState.Noticed)] = ReviewState.Expired,
            [(ReviewAction.Expire, ReviewState.Objected)] = ReviewState.Expired,
        };
        var data = new TheoryData<ReviewAction, ReviewState, ReviewState?>();
        foreach (var action in Enum.GetValues<ReviewAction>())
        {
            foreach (var state in Enum.GetValues<ReviewState>())
            {
                data.Add(action, state, allowed.TryGetValue((action, state), out var to) ? to : null);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Decide_EveryActionFromEveryState_AllowsOnlyTheDiagram(ReviewAction action, ReviewState from, ReviewState? expected)
    {
        // Given an item in `from`, with an objection window still open for objections and passed for the rest
        var at = action == ReviewAction.Object ? T0.AddDays(1) : Deadline.AddDays(40);
        var item = new ReviewItemContext(from, "owner@example.test", Deadline, Deadline.AddDays(30));

        // When the action is asked for by someone other than the owner
        var result = ReviewStateMachine.Decide(item, new ReviewRequest(action, "admin@example.test", at), "role/app");

        // Then it leads where the diagram says, or is refused with the transition code and the item's state named
        Assert.Equal(expected, result.To);
        if (expected is null)
        {
            Assert.Equal(DiagnosticCodes.ReviewTransitionRefused, result.Error!.Code);
            Assert.Contains($"it is {ReviewNames.Of(from)}", result.Error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decide_ObjectionOneMinuteAfterDeadline_Refused()
    {
        // Given a noticed item whose window closes at the deadline
        var item = new ReviewItemContext(ReviewState.Noticed, "o@x.test", Deadline, null);

        // When the owner objects at the deadline, then one minute after it
        var onTime = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Object, "o@x.test", Deadline), "role/app");
        var late = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Object, "o@x.test", Deadline.AddMinutes(1)), "role/app");

        // Then the first is accepted, the second refused naming the deadline
        Assert.Equal(ReviewState.Objected, onTime.To);
        Assert.Equal(DiagnosticCodes.ReviewObjectionAfterDeadline, late.Error!.Code);
        Assert.Contains("`2026-12-08 09:00 UTC`", late.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ApproveBeforeDeadline_OnlyByOwner()
    {
        // Given a noticed item before its deadline
        var item = new ReviewItemContext(ReviewState.Noticed, "Owner@X.test", Deadline, null);
        var before = Deadline.AddHours(-1);

        // When someone else approves, then the owner (any case), then someone else after the deadline
        var other = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Approve, "admin@x.test", before), "role/app");
        var owner = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Approve, "owner@x.test", before), "role/app");
        var after = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Approve, "admin@x.test", Deadline.AddSeconds(1)), "role/app");

        // Then only the early approval by another person is refused
        Assert.Equal(DiagnosticCodes.ReviewBeforeDeadline, other.Error!.Code);
        Assert.Equal(ReviewState.Approved, owner.To);
        Assert.Equal(ReviewState.Approved, after.To);
    }

    [Fact]
    public void Decide_FourEyes_RefusesTheOwnerEvenAfterDeadline()
    {
        // Given four-eyes and an item past its deadline
        var item = new ReviewItemContext(ReviewState.Noticed, "o@x.test", Deadline, null);

        // When the owner approves, then another person
        var byOwner = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Approve, "o@x.test", Deadline.AddDays(1), FourEyes: true), "b1");
        var byOther = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Approve, "p@x.test", Deadline.AddDays(1), FourEyes: true), "b1");

        // Then the owner is refused by the four-eyes rule and the other approves
        Assert.Equal(DiagnosticCodes.ReviewFourEyes, byOwner.Error!.Code);
        Assert.Equal(ReviewState.Approved, byOther.To);
    }

    [Fact]
    public void Decide_ExpireBeforeExpiry_Refused()
    {
        // Given an item that expires 30 days after its deadline
        var item = new ReviewItemContext(ReviewState.Noticed, "o@x.test", Deadline, Deadline.AddDays(30));

        // When expiry is asked for a day early and a day late
        var early = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Expire, "ciem", Deadline.AddDays(29)), "b1");
        var late = ReviewStateMachine.Decide(item, new ReviewRequest(ReviewAction.Expire, "ciem", Deadline.AddDays(31)), "b1");

        // Then only the late one expires it
        Assert.False(early.Allowed);
        Assert.Equal(ReviewState.Expired, late.To);
    }
}
