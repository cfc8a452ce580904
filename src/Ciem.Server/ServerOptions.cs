using System.Collections.Immutable;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.Server;

/// <summary>OpenID Connect sign-in (Entra ID, Okta, Google or any conforming provider); the secret comes from an environment variable.</summary>
public sealed record OidcOptions(string Authority, string ClientId, string? ClientSecret, string DisplayName, ImmutableArray<string> Scopes,
    string EmailClaim, bool RequireHttpsMetadata);

/// <summary>
/// How `ciem serve` runs, from `ciem-server.yml` (every key optional) and the command line (which wins):
/// <code>
/// db: postgres://ciem@db/ciem          # or a SQLite file; $CIEM_DB
/// urls: http://127.0.0.1:8080           # Kestrel's listen addresses, `;`-separated
/// secureCookies: true                   # false only for plain-HTTP trials on loopback
/// keys: /var/lib/ciem/keys              # where the cookie-protection keys persist (shared by every instance)
/// login: { permits: 5, windowSeconds: 60 }
/// oidc:
///   authority: https://login.microsoftonline.com/TENANT/v2.0
///   clientId: …
///   clientSecretEnv: CIEM_OIDC_SECRET
///   displayName: Microsoft Entra ID
/// </code>
/// </summary>
public sealed record ServerOptions
{
    public string? Db { get; init; }

    public string Urls { get; init; } = "http://127.0.0.1:8080";

    public bool SecureCookies { get; init; } = true;

    public string? KeysFolder { get; init; }

    public int LoginPermits { get; init; } = 5;

    public int LoginWindowSeconds { get; init; } = 60;

    public OidcOptions? Oidc { get; init; }

    private static readonly string[] TopKeys = ["db", "urls", "secureCookies", "keys", "login", "oidc", "jobs"];
    private static readonly string[] LoginKeys = ["permits", "windowSeconds"];
    private static readonly string[] OidcKeys = ["authority", "clientId", "clientSecretEnv", "displayName", "scopes", "emailClaim", "requireHttpsMetadata"];

    /// <summary>Reads `ciem-server.yml`; the errors name the file, the line and the key (nothing is half applied then).</summary>
    public static (ServerOptions? Options, ImmutableArray<string> Errors) Parse(string text, string file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var errors = ImmutableArray.CreateBuilder<string>();
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException ex) { return (null, [$"error {ServerCodes.BadConfig}: {file}, line {ex.Start.Line}: not valid yaml: {ex.Message.TrimEnd('.')}"]); }
        var options = new ServerOptions();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) { return (options, []); }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return (null, [$"error {ServerCodes.BadConfig}: {file}, line {stream.Documents[0].RootNode.Start.Line}: the top level must be a mapping of keys"]);
        }
        void Error(YamlNode node, string message) => errors.Add($"error {ServerCodes.BadConfig}: {file}, line {node.Start.Line}: {message}");
        string? Scalar(string path, YamlNode node)
        {
            if (node is YamlScalarNode s) { return s.Value; }
            Error(node, $"`{path}` must be a single value");
            return null;
        }
        bool? Bool(string path, YamlNode node) => Scalar(path, node) switch
        {
            "true" => true,
            "false" => false,
            null => null,
            var v => Fail<bool?>(() => Error(node, $"`{path}` `{v}` is not `true` or `false`")),
        };
        int? Positive(string path, YamlNode node)
        {
            var v = Scalar(path, node);
            if (v is null) { return null; }
            if (int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1) { return n; }
            Error(node, $"`{path}` `{v}` is not a whole number of 1 or more");
            return null;
        }
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "db": options = options with { Db = Scalar(key, value) }; break;
                case "urls": options = options with { Urls = Scalar(key, value) ?? options.Urls }; break;
                case "secureCookies": options = options with { SecureCookies = Bool(key, value) ?? true }; break;
                case "keys": options = options with { KeysFolder = Scalar(key, value) }; break;
                case "login" when value is YamlMappingNode login:
                    foreach (var (k, v) in login.Children)
                    {
                        var name = (k as YamlScalarNode)?.Value ?? "";
                        if (name == "permits") { options = options with { LoginPermits = Positive("login.permits", v) ?? options.LoginPermits }; }
                        else if (name == "windowSeconds") { options = options with { LoginWindowSeconds = Positive("login.windowSeconds", v) ?? options.LoginWindowSeconds }; }
                        else { Error(k, Unknown("login." + name, LoginKeys)); }
                    }
                    break;
                case "oidc" when value is YamlMappingNode oidc:
                    options = options with { Oidc = ReadOidc(oidc, Scalar, Bool, Error, environment) };
                    break;
                case "login" or "oidc": Error(value, $"`{key}` must be a mapping of keys"); break;
                // The scheduled jobs: read and validated by `JobsConfigReader` (Ciem.App.Jobs), which the host runs.
                case "jobs": break;
                default: Error(keyNode, Unknown(key, TopKeys)); break;
            }
        }
        return errors.Count > 0 ? (null, errors.ToImmutable()) : (options, []);
    }

    private static OidcOptions? ReadOidc(YamlMappingNode oidc, Func<string, YamlNode, string?> scalar, Func<string, YamlNode, bool?> flag,
        Action<YamlNode, string> error, Func<string, string?> environment)
    {
        string? authority = null, clientId = null, secretEnv = null, display = null, emailClaim = null;
        var scopes = ImmutableArray.Create("openid", "profile", "email");
        var requireHttps = true;
        foreach (var (k, v) in oidc.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            switch (name)
            {
                case "authority": authority = scalar("oidc.authority", v); break;
                case "clientId": clientId = scalar("oidc.clientId", v); break;
                case "clientSecretEnv": secretEnv = scalar("oidc.clientSecretEnv", v); break;
                case "displayName": display = scalar("oidc.displayName", v); break;
                case "emailClaim": emailClaim = scalar("oidc.emailClaim", v); break;
                case "requireHttpsMetadata": requireHttps = flag("oidc.requireHttpsMetadata", v) ?? true; break;
                case "scopes" when v is YamlSequenceNode list:
                    scopes = [.. list.Children.Select(c => scalar("oidc.scopes[]", c)).OfType<string>()];
                    break;
                default: error(k, Unknown("oidc." + name, OidcKeys)); break;
            }
        }
        if (authority is null || !Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            error(oidc, $"`oidc.authority` `{authority}` is not an absolute http(s) URL (the issuer, e.g. https://accounts.google.com)");
            return null;
        }
        if (string.IsNullOrWhiteSpace(clientId))
        {
            error(oidc, "`oidc.clientId` is missing: give the application (client) id registered with the provider");
            return null;
        }
        string? secret = null;
        if (secretEnv is not null)
        {
            secret = environment(secretEnv);
            if (string.IsNullOrEmpty(secret)) { error(oidc, $"`oidc.clientSecretEnv` names `{secretEnv}`, which is not set"); }
        }
        return new OidcOptions(authority, clientId, secret, display ?? "single sign-on", scopes, emailClaim ?? "email", requireHttps);
    }

    private static string Unknown(string key, string[] known) => $"unknown key `{key}`: use {string.Join(", ", known.Select(k => $"`{k}`"))}";

    private static T Fail<T>(Action report)
    {
        report();
        return default!;
    }
}
