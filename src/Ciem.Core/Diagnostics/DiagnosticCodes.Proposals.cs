namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Proposals a reviewer can trust: the `ciem.yml` configuration and the proposal files (CIEM65xx)
    public const string ConfigNotYaml = "CIEM6500";
    public const string ConfigUnknownKey = "CIEM6501";
    public const string ConfigBadValue = "CIEM6502";
    public const string ConfigNotFound = "CIEM6503";
    public const string ProposalFileCollision = "CIEM6510";
}
