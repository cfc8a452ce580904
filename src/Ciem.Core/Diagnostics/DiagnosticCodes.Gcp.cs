namespace Ciem.Core.Diagnostics;

/// <summary>GCP codes (CIEM8xxx): 80xx import, 81xx conditions, 82xx evaluation.</summary>
public static partial class DiagnosticCodes
{
    // Import
    public const string GcpNotJson = "CIEM8001";
    public const string GcpUnknownRecord = "CIEM8002";
    public const string GcpMissingField = "CIEM8003";
    public const string GcpBadBinding = "CIEM8004";
    public const string GcpBadMember = "CIEM8005";
    public const string GcpBadDenyRule = "CIEM8006";
    public const string GcpBadRole = "CIEM8007";
    public const string GcpBadGroup = "CIEM8008";
    public const string GcpDuplicate = "CIEM8009";
    public const string GcpAuditBadRecord = "CIEM8010";
    public const string GcpBadServiceAccount = "CIEM8014";
    public const string GcpBadServiceAccountKey = "CIEM8015";

    /// <summary>An audit log file's JSON breaks off (e.g. a truncated export): the rest of the file is skipped.</summary>
    public const string GcpAuditBadFile = "CIEM8011";

    /// <summary>An audit log file cannot be read (I/O error, corrupt or truncated gzip).</summary>
    public const string GcpAuditUnreadable = "CIEM8012";

    /// <summary>More problems in one audit log file than are listed.</summary>
    public const string GcpAuditTooManyProblems = "CIEM8013";

    // Conditions
    public const string GcpConditionUnsupported = "CIEM8101";
    public const string GcpConditionAttributeMissing = "CIEM8102";

    // Evaluation and hierarchy
    public const string GcpUnknownRole = "CIEM8201";
    public const string GcpMemberUndecidable = "CIEM8202";
    public const string GcpBadPermission = "CIEM8203";
    public const string GcpHierarchyCycle = "CIEM8204";
    public const string GcpDanglingParent = "CIEM8205";
}
