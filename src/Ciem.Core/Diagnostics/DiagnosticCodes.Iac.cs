namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Terraform source (`ciem propose --iac-repo`): where identities' permissions are defined (CIEM642x, within CLI input)
    public const string IacUnbalancedBlock = "CIEM6420";
    public const string IacUnresolvedRole = "CIEM6421";
    public const string IacUnsupportedPolicyValue = "CIEM6422";
    public const string IacSharedPolicy = "CIEM6423";
    public const string IacDrift = "CIEM6424";

    // Terraform source read by `ciem check --hcl` (CIEM643x)
    public const string HclUnknownPolicy = "CIEM6430";
    public const string HclBaseRef = "CIEM6431";
}
