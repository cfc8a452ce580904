namespace Ciem.Demo;

/// <summary>
/// The demo's simulated time: the review programme, the imports and the measurements read it as they read the host's
/// clock, so three weeks of a campaign pass in a minute. It only moves forward.
/// </summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the time to <paramref name="when"/>, which must not be earlier than now.</summary>
    public void MoveTo(DateTimeOffset when)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(when, _now);
        _now = when;
    }
}
