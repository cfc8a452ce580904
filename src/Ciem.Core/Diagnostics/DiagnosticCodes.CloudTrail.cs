namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Audit logs: CloudTrail (CIEM31xx)

    /// <summary>A log file is not JSON, or its JSON breaks off; events before the break were kept.</summary>
    public const string CloudTrailMalformedFile = "CIEM3101";

    /// <summary>A record is valid JSON but not a CloudTrail event (not an object, or missing a required field).</summary>
    public const string CloudTrailMalformedRecord = "CIEM3102";

    /// <summary>A file or folder given to the reader cannot be opened.</summary>
    public const string CloudTrailUnreadable = "CIEM3103";

    /// <summary>A file's shape is none of the supported CloudTrail layouts.</summary>
    public const string CloudTrailUnknownFormat = "CIEM3104";

    /// <summary>More problems in one file than are listed; the counts stay exact.</summary>
    public const string CloudTrailTooManyProblems = "CIEM3105";

    /// <summary>An event's source and name map to no known IAM action.</summary>
    public const string CloudTrailUnmappedEvent = "CIEM3110";
}
