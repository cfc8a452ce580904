namespace Ciem.Core.Diagnostics;

/// <summary>Azure codes (CIEM7xxx): 70xx import, 71xx ABAC conditions, 72xx evaluation and expansion.</summary>
public static partial class DiagnosticCodes
{
    // Import of az CLI / ARM REST output
    public const string AzureNotJson = "CIEM7001";
    public const string AzureUnknownFormat = "CIEM7002";
    public const string AzureMissingField = "CIEM7003";
    public const string AzureBadRecord = "CIEM7004";
    public const string AzureBadScope = "CIEM7005";
    public const string AzureDuplicate = "CIEM7006";
    public const string AzureBadDate = "CIEM7007";
    public const string AzureActivityBadRecord = "CIEM7008";

    // ABAC conditions
    public const string AzureConditionSyntax = "CIEM7101";
    public const string AzureConditionUnsupportedOperator = "CIEM7102";
    public const string AzureConditionMissingAttribute = "CIEM7103";
    public const string AzureConditionBadValue = "CIEM7104";
    public const string AzureConditionUnsupportedVersion = "CIEM7105";

    // Evaluation and expansion
    public const string AzureUnknownRoleDefinition = "CIEM7201";
    public const string AzurePatternMatchesNothing = "CIEM7202";
    public const string AzureConditionalGrant = "CIEM7203";
}
