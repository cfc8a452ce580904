using System.Text.RegularExpressions;

namespace Ciem.App.Iac;

/// <summary>
/// What keeps a forge token where it belongs: its format checked before anything happens, https only (unless the
/// operator explicitly allows plain http), no redirect followed, and no credential in any URL that is printed.
/// </summary>
public static partial class ForgeSecurity
{
    /// <summary>The longest token accepted; GitHub and GitLab tokens are well under 300 characters.</summary>
    public const int MaxTokenLength = 4096;

    /// <summary>
    /// Why <paramref name="token"/> cannot be sent as a bearer token, or null when it can: RFC 6750's `b64token` syntax
    /// (letters, digits, `-._~+/`, then `=` padding). A trailing newline (a token file read whole) or a space is named.
    /// </summary>
    public static string? TokenProblem(string? token)
    {
        if (string.IsNullOrEmpty(token)) { return "it is empty"; }
        if (token.Length > MaxTokenLength) { return $"it is {token.Length} characters long (at most {MaxTokenLength})"; }
        if (token.Any(char.IsWhiteSpace))
        {
            return token.AsSpan().Trim().Length != token.Length
                ? "it begins or ends with whitespace (a newline from a file?)"
                : "it contains whitespace";
        }
        if (!BearerToken().IsMatch(token))
        {
            return "it has characters a token cannot have (allowed: letters, digits, `-._~+/` and trailing `=`)";
        }
        return null;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9\-._~+/]+=*\z")]
    private static partial Regex BearerToken();

    /// <summary>Hides the user part of every URL in a text (`https://TOKEN@host/…`, `https://user:TOKEN@host/…`).</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UserInfo().Replace(text, "://***@");
    }

    [GeneratedRegex(@"://[^/@\s]+@")]
    private static partial Regex UserInfo();

    /// <summary>Whether a remote or API URL carries credentials (a user part).</summary>
    public static bool HasUserInfo(string url) => UserInfo().IsMatch(url ?? "");

    /// <summary>
    /// Refuses an API base that would send the token in clear (`http://`) unless <paramref name="allowInsecureHttp"/>,
    /// and one with a user part (the token goes in a header, never in the URL). Null when it is fine.
    /// </summary>
    public static string? ApiProblem(Uri api, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (api.UserInfo.Length > 0) { return $"`{Redact(api.AbsoluteUri)}` carries credentials: give the token through --token-env"; }
        if (api.Scheme == Uri.UriSchemeHttps || (api.Scheme == Uri.UriSchemeHttp && allowInsecureHttp)) { return null; }
        return api.Scheme == Uri.UriSchemeHttp
            ? $"`{api.AbsoluteUri}` is plain http: the token would travel in clear (use https, or --allow-insecure-http)"
            : $"`{api.AbsoluteUri}` is not an http(s) URL";
    }

    /// <summary>
    /// Throws unless <paramref name="remote"/> is a remote of the clone whose URL, if it carries credentials, uses
    /// https (or http with <paramref name="allowInsecureHttp"/>): a push would otherwise send them in clear.
    /// </summary>
    public static void RequireSafeRemote(GitRepository git, string remote, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(remote);
        var (code, url, _) = git.TryRun("remote", "get-url", "--", remote);
        if (code != 0) { throw new ArgumentException($"`{remote}` is not a remote of `{git.Path}`"); }
        url = url.Trim();
        if (HasUserInfo(url) && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !allowInsecureHttp)
        {
            throw new ArgumentException(
                $"the remote `{remote}` (`{Redact(url)}`) carries credentials over plain http: they would travel in clear "
                + "(use https, or --allow-insecure-http)");
        }
    }

    /// <summary>
    /// An HttpClient for forge APIs that follows no redirect: a 3xx comes back to the caller, so the token is never
    /// sent on to the address a response names.
    /// </summary>
    public static HttpClient CreateHttpClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = timeout };
}
