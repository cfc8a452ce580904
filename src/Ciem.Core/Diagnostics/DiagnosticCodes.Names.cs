namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Azure and GCP names at import (CIEM1330–1349): the counterparts of CIEM1309 (IAM names)
    /// <summary>An Azure role definition's `roleName` or `name` outside Azure's documented limits: quarantined.</summary>
    public const string AzureBadName = "CIEM1330";
    /// <summary>A GCP role id, project id or service account e-mail outside Google's documented form: quarantined.</summary>
    public const string GcpBadName = "CIEM1331";
}
