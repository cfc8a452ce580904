namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Input files and bytes (CIEM13xx): what any reader may meet before its own format begins
    /// <summary>A path names something other than a regular file (a FIFO, a device, a socket): it is not read.</summary>
    public const string InputNotRegularFile = "CIEM1301";
    /// <summary>A folder walk met a symbolic link back to a folder it is already inside: the loop is not followed.</summary>
    public const string InputFolderLoop = "CIEM1302";
    /// <summary>The bytes are not valid UTF-8 (rejected, or replaced by U+FFFD and counted where records survive it).</summary>
    public const string InputInvalidUtf8 = "CIEM1303";
    /// <summary>A file was UTF-16 (Windows PowerShell's `&gt;`) and was read transcoded to UTF-8.</summary>
    public const string InputUtf16 = "CIEM1304";
    /// <summary>More diagnostics of one file than are listed: the rest are counted in one summary.</summary>
    public const string InputTooManyDiagnostics = "CIEM1305";
    /// <summary>An input is larger, or nested deeper, than the reader accepts.</summary>
    public const string InputTooLarge = "CIEM1306";
    /// <summary>A YAML document uses more aliases than the reader expands.</summary>
    public const string InputTooManyAliases = "CIEM1307";
    /// <summary>A policy document far above AWS's documented size limits: not evaluated, its decisions indeterminate.</summary>
    public const string InputPolicyOversized = "CIEM1308";
    /// <summary>A name outside its cloud's documented character set: the record is quarantined.</summary>
    public const string InputBadName = "CIEM1309";
    /// <summary>An HCL `file()` call that names a path outside the work tree, or not a regular file, or too large.</summary>
    public const string InputFileFunctionRefused = "CIEM1310";
}
