namespace Ciem.App.Reports;

/// <summary>
/// Limits that keep the HTML report fast to open and small to send for large estates (thousands of identities):
/// each table and the detail section show the most significant rows first and say how many were left out.
/// </summary>
public sealed record SweepReportOptions
{
    /// <summary>Rows per table (largest gap, unused administrators, inactive identities, proposals, failures).</summary>
    public int MaxRowsPerTable { get; init; } = 200;

    /// <summary>Proposals with a detail section (evidence, policy JSON, removed actions), most actions removed first.</summary>
    public int MaxProposalDetails { get; init; } = 100;

    /// <summary>Evidence rows per proposal detail.</summary>
    public int MaxEvidenceRows { get; init; } = 60;

    /// <summary>Removed action names listed per service in a proposal detail (the count is always complete).</summary>
    public int MaxRemovedActionsPerService { get; init; } = 24;

    /// <summary>Services listed by name under a proposal's removed actions (most removed first); the rest are one line with their totals.</summary>
    public int MaxRemovedServices { get; init; } = 20;

    /// <summary>Bars in the per-identity and per-proposal charts.</summary>
    public int MaxChartBars { get; init; } = 20;

    public string Title { get; init; } = "Least-privilege sweep";

    /// <summary>The gap metric's measurements, oldest first, for the trend section (none: no section).</summary>
    public IReadOnlyList<Ciem.Core.Metrics.Measurement> Trend { get; init; } = [];

    /// <summary>The review campaign whose state the report shows (none: no section).</summary>
    public Ciem.App.Review.ReviewCampaignStatus? Campaign { get; init; }

    public static SweepReportOptions Default { get; } = new();
}
