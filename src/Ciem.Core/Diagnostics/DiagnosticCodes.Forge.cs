namespace Ciem.Core.Diagnostics;

public static partial class DiagnosticCodes
{
    // Tokens and forges (CIEM131x): what keeps a push or pull-request token where it belongs
    /// <summary>A forge API answered with a redirect; it is not followed, so the token is not sent on.</summary>
    public const string PullRequestRedirected = "CIEM1311";

    /// <summary>A token or credentials would travel over plain http (API base or push remote) without the override.</summary>
    public const string ForgeInsecureHttp = "CIEM1312";

    /// <summary>A token that cannot be sent as a bearer token (empty, whitespace, a newline, foreign characters).</summary>
    public const string ForgeTokenInvalid = "CIEM1313";

    /// <summary>`ciem review apply|rollback` pushed its branch but could not open the pull request.</summary>
    public const string ReviewPullRequestFailed = "CIEM1314";
}
