using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.Server.Security;
using Ciem.Storage;

namespace Ciem.Server.Tests.Oidc;

/// <summary>The test server configured for single sign-on against a real `oidc-provider` process (see <see cref="OpenIdProvider"/>).</summary>
public sealed class OidcServerFixture : ServerFixture
{
    public const string ClientId = "ciem-dashboard";
    public const string Disabled = "gone@example.test";

    public OpenIdProvider? Provider { get; private set; }

    /// <summary>Why the provider is absent (npm or the registry out of reach outside CI), or null.</summary>
    public bool Skipped => Provider is null;

    protected override async Task StartAsync(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        using (var store = location.Open())
        {
            var server = (IServerStore)store;
            Assert.Null(Accounts.Add(server, "gone", Disabled, Roles.Reviewer, null, null, T0).Error);
            server.UpdateUser(server.FindUser("gone")! with { Disabled = true });
        }
        if (OpenIdProvider.Install() is not { } folder)
        {
            await StartServerAsync(location, new ServerOptions());
            return;
        }
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        Provider = await OpenIdProvider.StartAsync(folder, ClientId, secret, async issuer =>
        {
            await StartServerAsync(location, new ServerOptions
            {
                Oidc = new OidcOptions(issuer.ToString().TrimEnd('/'), ClientId, secret, "Test IdP", ["openid", "profile", "email"], "email", RequireHttpsMetadata: false),
            });
            return new Uri(BaseAddress, "/signin-oidc");
        });
    }

    public override async Task DisposeAsync()
    {
        if (Provider is not null) { await Provider.DisposeAsync(); }
        await base.DisposeAsync();
    }
}

/// <summary>
/// Single sign-on end to end: the authorization-code flow with PKCE through `ciem serve` and a real OpenID provider
/// (discovery, authorize, the provider's sign-in form, the code exchange, the ID token's signature, userinfo), then
/// the near misses that must not give a session: an ID token for another audience or from another issuer (validly
/// signed), a tampered state, a callback delivered to another browser, an unverified e-mail, a user without an
/// account on the server, a disabled one.
/// </summary>
public sealed partial class OidcSignInTests(OidcServerFixture fixture) : IClassFixture<OidcServerFixture>
{
    [Fact]
    public async Task SignIn_MappedOwner_PkceCodeFlowGivesTheirRoleAndOnlyTheirIdentities()
    {
        if (fixture.Skipped) { return; }
        // Given a browser (its own cookies) starting single sign-on from the server
        using var browser = new Browser();

        // When the owner's user signs in at the provider
        var flow = await browser.SignInAsync(fixture, "owner@example.test");

        // Then the server asked for a code with an S256 PKCE challenge, and answered the callback with a session
        var asked = await fixture.Provider!.LastAuthorizationAsync();
        Assert.Equal("code", asked["response_type"]);
        Assert.Equal("S256", asked["code_challenge_method"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", asked["code_challenge"]);
        Assert.Equal(HttpStatusCode.Redirect, flow.Callback.StatusCode);
        Assert.Equal("/identities", flow.Callback.Headers.Location!.OriginalString);
        // And the session acts as the server's user `owner`: role owner, only bob's two identities
        var page = JsonDocument.Parse(await browser.GetStringAsync(fixture.BaseAddress, "/api/v1/identities")).RootElement;
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.All(page.GetProperty("identities").EnumerateArray(), i => Assert.Equal(ServerFixture.Bob, i.GetProperty("owner").GetString()));
        var evidence = await browser.GetAsync(fixture.BaseAddress, "/api/v1/evidence?from=2026-11-01&to=2026-12-01");
        Assert.Equal(HttpStatusCode.Forbidden, evidence.StatusCode);
    }

    [Fact]
    public async Task SignIn_EmailInAnotherCase_SameUser()
    {
        if (fixture.Skipped) { return; }
        // Given the reviewer's address as the provider spells it
        using var browser = new Browser();

        // When they sign in
        var flow = await browser.SignInAsync(fixture, "Reviewer@Example.TEST");

        // Then they are the server's `reviewer`, who sees every identity
        Assert.Equal(HttpStatusCode.Redirect, flow.Callback.StatusCode);
        var page = JsonDocument.Parse(await browser.GetStringAsync(fixture.BaseAddress, "/api/v1/identities")).RootElement;
        Assert.Equal(4, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("stranger@example.test", true, "`stranger@example.test` has no enabled account on this server")]
    [InlineData(OidcServerFixture.Disabled, true, "`gone@example.test` has no enabled account on this server")]
    [InlineData("owner@example.test", false, "the provider says `owner@example.test` is not verified")]
    public async Task SignIn_NoEnabledAccountOrUnverifiedEmail_RefusedWithoutSession(string email, bool verified, string reason)
    {
        if (fixture.Skipped) { return; }
        // Given a browser
        using var browser = new Browser();

        // When the provider vouches for a user the server has no (enabled) account for, or for an unverified address
        var flow = await browser.SignInAsync(fixture, email, verified);

        // Then the callback is refused with the reason, and the browser has no session
        Assert.Equal(HttpStatusCode.Forbidden, flow.Callback.StatusCode);
        Assert.Contains(reason, await flow.Callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNoSession(browser);
    }

    [Theory]
    [InlineData("aud", "another-client", "IDX10214")]
    [InlineData("iss", "http://127.0.0.1:9/not-the-issuer", "IDX10205")]
    public async Task SignIn_IdTokenForAnotherAudienceOrIssuer_Refused(string claim, string value, string code)
    {
        if (fixture.Skipped) { return; }
        // Given the provider will re-sign the next ID token (valid signature) for another audience or issuer
        using var browser = new Browser();
        await fixture.Provider!.TamperNextIdTokenAsync(new Dictionary<string, string> { [claim] = value });

        // When a mapped user signs in
        var flow = await browser.SignInAsync(fixture, "owner@example.test");

        // Then the token is refused (audience / issuer validation) and there is no session
        Assert.Equal(HttpStatusCode.Forbidden, flow.Callback.StatusCode);
        Assert.Contains(code, await flow.Callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNoSession(browser);
    }

    [Fact]
    public async Task SignIn_StateTampered_Refused()
    {
        if (fixture.Skipped) { return; }
        // Given a sign-in whose callback's `state` is altered on the way back
        using var browser = new Browser();

        // When the browser delivers it
        var flow = await browser.SignInAsync(fixture, "owner@example.test", rewrite: uri => Replace(uri, "state", s => s[..^4] + (s.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA")));

        // Then it is refused, and there is no session
        Assert.Equal(HttpStatusCode.Forbidden, flow.Callback.StatusCode);
        await AssertNoSession(browser);
    }

    [Fact]
    public async Task SignIn_CallbackDeliveredToAnotherBrowser_Refused()
    {
        if (fixture.Skipped) { return; }
        // Given a victim's browser that never started a sign-in, and an attacker's completed sign-in at the provider
        using var attacker = new Browser();
        using var victim = new Browser();
        Uri? stolen = null;
        await attacker.SignInAsync(fixture, "owner@example.test", rewrite: uri =>
        {
            stolen = uri;
            return new Uri(fixture.BaseAddress, "/healthz");
        });

        // When the attacker's callback (code and state) is delivered to the victim's browser (login CSRF)
        var answer = await victim.GetAsync(fixture.BaseAddress, stolen!.PathAndQuery);

        // Then it is refused (the state belongs to no sign-in this browser started): the victim has no session
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        await AssertNoSession(victim);
    }

    private async Task AssertNoSession(Browser browser)
    {
        var api = await browser.GetAsync(fixture.BaseAddress, "/api/v1/identities");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var page = await browser.GetAsync(fixture.BaseAddress, "/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var to = page.Headers.Location!;
        Assert.StartsWith("/login", to.IsAbsoluteUri ? to.PathAndQuery : to.OriginalString, StringComparison.Ordinal);
    }

    private static Uri Replace(Uri uri, string key, Func<string, string> change)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        var parts = query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Key == key ? change(p.Value.ToString()) : p.Value.ToString())}");
        return new UriBuilder(uri) { Query = string.Join("&", parts) }.Uri;
    }

    /// <summary>What one sign-in did: the server's answer to the provider's callback.</summary>
    private sealed record Flow(HttpResponseMessage Callback);

    /// <summary>
    /// A browser: cookies kept per site (every path: the correlation cookie's `/signin-oidc` path is one that
    /// System.Net's CookieContainer refuses to store from another path, where browsers keep it), redirects one at a time.
    /// </summary>
    private sealed partial class Browser : IDisposable
    {
        private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        private readonly Dictionary<string, Dictionary<string, string>> _jar = new(StringComparer.Ordinal);

        public Task<HttpResponseMessage> GetAsync(Uri site, string path) => SendAsync(HttpMethod.Get, new Uri(site, path), null);

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content)
        {
            using var request = new HttpRequestMessage(method, uri) { Content = content };
            if (_jar.TryGetValue(uri.Authority, out var cookies) && cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            }
            var response = await _http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                if (!_jar.TryGetValue(uri.Authority, out cookies)) { _jar[uri.Authority] = cookies = new(StringComparer.Ordinal); }
                foreach (var line in set)
                {
                    var pair = line.Split(';')[0];
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                    var expired = line.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                    if (value.Length == 0 || expired) { cookies.Remove(name); } else { cookies[name] = value; }
                }
            }
            return response;
        }

        public async Task<string> GetStringAsync(Uri site, string path)
        {
            var response = await GetAsync(site, path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return await response.Content.ReadAsStringAsync();
        }

        /// <summary>
        /// Starts at the server's `/login/oidc`, follows the redirects to the provider, fills its sign-in form and
        /// follows back until the redirect to the server's callback, which it delivers (after <paramref name="rewrite"/>).
        /// </summary>
        public async Task<Flow> SignInAsync(OidcServerFixture fixture, string email, bool verified = true, Func<Uri, Uri>? rewrite = null)
        {
            var response = await GetAsync(fixture.BaseAddress, "/login/oidc?returnUrl=/identities");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var authorize = response.Headers.Location!;
            Assert.Equal(fixture.Provider!.Issuer.Authority, authorize.Authority);
            var next = authorize;
            for (var hop = 0; hop < 10; hop++)
            {
                if (next.Authority == fixture.BaseAddress.Authority)
                {
                    var callback = await SendAsync(HttpMethod.Get, rewrite?.Invoke(next) ?? next, null);
                    return new Flow(callback);
                }
                response = await SendAsync(HttpMethod.Get, next, null);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    // The provider's sign-in form
                    var action = FormAction().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
                    Assert.False(string.IsNullOrEmpty(action), "the provider showed no sign-in form");
                    var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = email, ["verified"] = verified ? "true" : "false" });
                    response = await SendAsync(HttpMethod.Post, new Uri(next, action), form);
                }
                Assert.True((int)response.StatusCode is >= 300 and < 400, $"{next}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                next = new Uri(next, response.Headers.Location!);
            }
            throw new InvalidOperationException("the sign-in did not come back to the server in 10 redirects");
        }

        [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
        private static partial Regex FormAction();

        public void Dispose() => _http.Dispose();
    }
}
