namespace Ciem.Core.Model;

/// <summary>How a granted permission stands against the usage logs of a window.</summary>
public enum PermissionUse
{
    /// <summary>Seen used in the window.</summary>
    Used,
    /// <summary>Not seen, and the log that would have recorded a use was there: unused.</summary>
    Unused,
    /// <summary>Not seen, but no log in the window would have recorded a use: unknown, never counted as unused.</summary>
    Unknown,
}

/// <summary>Whether the logs of a window would record a use of a permission, and why (for reports and proposals).</summary>
public readonly record struct UsageRecording(bool Recorded, string Why)
{
    /// <summary>Used wins; otherwise unused when recorded, unknown when not.</summary>
    public PermissionUse Classify(bool used) => used ? PermissionUse.Used : Recorded ? PermissionUse.Unused : PermissionUse.Unknown;
}

/// <summary>
/// How much to trust a least-privilege proposal: a score (0–1), a level (`high` ≥ 0.7, `medium` ≥ 0.4, else `low`) and
/// the reason — the share of the window the logs cover (days with usage of the provider / window days), the volume of
/// calls observed (saturating around a few hundred), and the share of kept permissions that are unknown (not recorded).
/// The same formula as AWS proposals (docs/least-privilege.md).
/// </summary>
public sealed record ProposalConfidence(double Score, string Level, string Reason)
{
    public static double ScoreOf(int windowDays, int observedDays, long calls, int unknownKept, int kept)
    {
        var coverage = windowDays <= 0 ? 0 : Math.Min(1.0, (double)observedDays / windowDays);
        var volume = 1 - Math.Exp(-calls / 100.0);
        var blind = kept == 0 ? 0 : 0.3 * unknownKept / kept;
        return Math.Round(coverage * (0.5 + 0.5 * volume) * (1 - blind), 2);
    }

    /// <summary>The highest score a proposal no observed call could be replayed against can have (`low`).</summary>
    public const double UnverifiedCap = 0.3;

    /// <summary>An unverified proposal's score: nothing showed it keeps what is used, so at most <see cref="UnverifiedCap"/>.</summary>
    public static double Unverified(double score) => Math.Min(score, UnverifiedCap);

    public static ProposalConfidence Compute(int windowDays, int observedDays, long calls, int unknownKept, int kept)
    {
        var score = ScoreOf(windowDays, observedDays, calls, unknownKept, kept);
        var level = score >= 0.7 ? "high" : score >= 0.4 ? "medium" : "low";
        var reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"usage logged on {observedDays} of {windowDays} days, {calls} calls observed; {unknownKept} of {kept} kept permissions are unknown (not recorded by the logs)");
        return new ProposalConfidence(score, level, reason);
    }
}
