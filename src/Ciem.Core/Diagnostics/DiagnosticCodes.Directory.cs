namespace Ciem.Core.Diagnostics;

/// <summary>Directory codes (CIEM9xxx): 90xx import of directory exports.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>The file is not a bundle of the expected directory (its marker member is missing), or a member is unknown.</summary>
    public const string DirectoryUnknownFormat = "CIEM9001";

    /// <summary>A record lacks a required field (an id); it was quarantined.</summary>
    public const string DirectoryMissingField = "CIEM9002";

    /// <summary>A membership, assignment or owner refers to something the export does not hold.</summary>
    public const string DirectoryDanglingReference = "CIEM9003";

    /// <summary>The same id appears twice; the later record was skipped.</summary>
    public const string DirectoryDuplicate = "CIEM9004";

    /// <summary>A permission set's inline policy is not a JSON policy document; it was quarantined.</summary>
    public const string DirectoryBadPolicy = "CIEM9005";

    /// <summary>A credential's `startDateTime` or `endDateTime` is not a date: the credential is kept without it.</summary>
    public const string DirectoryBadCredentialDate = "CIEM9006";
}
