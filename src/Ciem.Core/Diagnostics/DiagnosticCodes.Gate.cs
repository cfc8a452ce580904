namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // CI gate (`ciem check`): infrastructure-as-code inputs and the rules file (CIEM64xx, within CLI input)
    public const string GateUnknownPolicy = "CIEM6401";
    public const string GateNotAPlan = "CIEM6402";
    public const string GateBadPolicyValue = "CIEM6403";
    public const string GateUnresolvedReference = "CIEM6404";
    public const string GateBadRules = "CIEM6410";
    public const string GateExpiredException = "CIEM6411";
}
