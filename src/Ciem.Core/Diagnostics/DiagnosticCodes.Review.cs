namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // The review programme (`ciem review`, ciem-review.yml) (CIEM67xx)
    public const string ReviewConfigUnknownKey = "CIEM6701";
    public const string ReviewConfigBadValue = "CIEM6702";
    public const string ReviewConfigBadSelector = "CIEM6703";
    public const string ReviewConfigNotYaml = "CIEM6704";
    public const string ReviewUnknownIdentity = "CIEM6710";
    public const string ReviewUnknownBatch = "CIEM6711";
    public const string ReviewTransitionRefused = "CIEM6712";
    public const string ReviewObjectionAfterDeadline = "CIEM6713";
    public const string ReviewPermissionNotHeld = "CIEM6714";
    public const string ReviewFourEyes = "CIEM6715";
    public const string ReviewBeforeDeadline = "CIEM6716";
    public const string ReviewNoCampaign = "CIEM6717";
    public const string ReviewLogTampered = "CIEM6720";
    public const string ReviewUnowned = "CIEM6730";
    public const string ReviewUnverified = "CIEM6731";
    public const string ReviewNotBefore = "CIEM6732";
    public const string ReviewIacFailed = "CIEM6740";
    public const string ReviewIacNeeded = "CIEM6741";
    public const string ReviewIacNotFound = "CIEM6742";
    public const string ReviewIacNotAws = "CIEM6743";
}
