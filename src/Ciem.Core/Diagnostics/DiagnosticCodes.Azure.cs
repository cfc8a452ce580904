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

    /// <summary>An Activity Log file's JSON breaks off (e.g. a truncated blob): the rest of the file is skipped.</summary>
    public const string AzureActivityBadFile = "CIEM7009";

    /// <summary>An Activity Log file cannot be read (I/O error, corrupt or truncated gzip).</summary>
    public const string AzureActivityUnreadable = "CIEM7010";

    /// <summary>More problems in one Activity Log file than are listed.</summary>
    public const string AzureActivityTooManyProblems = "CIEM7011";

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
    /// <summary>Info: an assignment's built-in role definition was not imported and was resolved from the shipped catalog.</summary>
    public const string AzureBuiltInRoleFromCatalog = "CIEM7204";
}
