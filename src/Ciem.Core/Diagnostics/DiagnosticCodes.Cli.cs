namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // The command line (CIEM66xx): arguments, questions and outputs
    /// <summary>A command, option or argument value the command line does not accept (with the closest names).</summary>
    public const string CliArgument = "CIEM6601";
    /// <summary>An action, permission or service the shipped catalogs do not know (evaluated all the same).</summary>
    public const string CliUnknownPermission = "CIEM6602";
    /// <summary>A question whose answer depends on something it does not say (the resource's account, a context key).</summary>
    public const string CliIncompleteQuestion = "CIEM6603";
    /// <summary>An identity the store does not hold under any of its names.</summary>
    public const string CliUnknownIdentity = "CIEM6604";
    /// <summary>A command produced nothing (no proposal, no row) where the caller asked for something.</summary>
    public const string CliNothingProduced = "CIEM6605";
    /// <summary>A store holds data the command would destroy (`ciem demo --db` over a non-demo store).</summary>
    public const string CliStoreProtected = "CIEM6606";
    /// <summary>An output file or folder cannot be written (its folder is missing, or it is a folder).</summary>
    public const string CliOutputUnwritable = "CIEM6607";
    /// <summary>An unexpected failure: reported as one message (with `--verbose`, the details).</summary>
    public const string CliInternal = "CIEM6608";
    /// <summary>The configuration file (`ciem.yml`) or an environment override is invalid.</summary>
    public const string CliConfig = "CIEM6609";
}
