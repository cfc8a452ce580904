namespace Ciem.Core.Diagnostics;

/// <summary>
/// Stable diagnostic codes. Ranges: CIEM1xxx policy documents, CIEM2xxx evaluation, CIEM3xxx import,
/// CIEM4xxx store, CIEM5xxx catalog, CIEM6xxx CLI input, CIEM31xx audit logs (CloudTrail), CIEM7xxx Azure,
/// CIEM8xxx GCP, CIEM9xxx directories. Each area keeps its codes in its own partial file
/// (`DiagnosticCodes.<Area>.cs`). A code, once published, keeps its meaning.
/// </summary>
public static partial class DiagnosticCodes
{
    // Policy documents (parse)
    public const string PolicyNotJson = "CIEM1001";
    public const string PolicyNotObject = "CIEM1002";
    public const string PolicyUnknownElement = "CIEM1003";
    public const string PolicyBadVersion = "CIEM1004";
    public const string PolicyMissingStatement = "CIEM1005";
    public const string StatementNotObject = "CIEM1010";
    public const string StatementBadEffect = "CIEM1011";
    public const string StatementActionConflict = "CIEM1012";
    public const string StatementMissingAction = "CIEM1013";
    public const string StatementResourceConflict = "CIEM1014";
    public const string StatementPrincipalConflict = "CIEM1015";
    public const string StatementBadValue = "CIEM1016";
    public const string StatementBadPrincipal = "CIEM1017";
    public const string StatementBadCondition = "CIEM1018";
    public const string StatementDuplicateSid = "CIEM1019";
    public const string StatementMissingResource = "CIEM1020";
    public const string StatementUnexpectedPrincipal = "CIEM1021";
    public const string StatementMissingPrincipal = "CIEM1022";
    public const string ActionMalformed = "CIEM1030";
    public const string ActionUnknown = "CIEM1031";
    public const string ResourceMalformed = "CIEM1032";

    // Conditions
    public const string ConditionUnknownOperator = "CIEM1101";
    public const string ConditionBadValue = "CIEM1102";
    public const string ConditionUnsupportedVariable = "CIEM1103";
    public const string ConditionOperatorCase = "CIEM1104";

    // Evaluation
    public const string EvaluationIndeterminate = "CIEM2001";
    public const string EvaluationBadRequest = "CIEM2002";
    public const string EvaluationUnknownPrincipal = "CIEM2003";

    // Import
    public const string ImportNotJson = "CIEM3001";
    public const string ImportBadRecord = "CIEM3002";
    public const string ImportMissingField = "CIEM3003";
    public const string ImportBadPolicy = "CIEM3004";
    public const string ImportDanglingReference = "CIEM3005";
    public const string ImportUnknownFormat = "CIEM3006";
    public const string ImportDuplicate = "CIEM3007";
    public const string ImportBadArn = "CIEM3008";
    public const string ImportIncomplete = "CIEM3009";

    /// <summary>A question answered from an estate whose import quarantined records: what they held is not in the answer.</summary>
    public const string ImportQuarantinedNotInEstate = "CIEM3010";

    // Store
    public const string StoreSchemaMismatch = "CIEM4001";
    public const string StoreSnapshotUnchanged = "CIEM4002";
    public const string StoreLocationInvalid = "CIEM4101";
    public const string StoreUnavailable = "CIEM4102";

    // Catalog
    public const string CatalogCorrupt = "CIEM5001";

    // CLI input
    public const string CliBadArgument = "CIEM6001";
    public const string CliBadInputLine = "CIEM6002";
}
