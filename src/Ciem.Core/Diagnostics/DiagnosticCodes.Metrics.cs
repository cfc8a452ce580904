namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // The gap metric, its alerts and audit evidence (`ciem metrics`, `ciem trend`, `ciem alerts`, `ciem evidence`) (CIEM68xx)
    public const string MetricsBadOption = "CIEM6801";
    public const string MetricsNoMeasurement = "CIEM6802";
    public const string MetricsBackfillSkipped = "CIEM6803";
    public const string AlertBadRules = "CIEM6810";
    public const string AlertFired = "CIEM6811";
    public const string AlertResolved = "CIEM6812";
    public const string AlertDeliveryFailed = "CIEM6813";
    public const string EvidenceBadOption = "CIEM6820";
    public const string EvidenceBadMapping = "CIEM6821";
    public const string EvidenceChainBroken = "CIEM6822";
    public const string EvidencePdfSkipped = "CIEM6823";
}
