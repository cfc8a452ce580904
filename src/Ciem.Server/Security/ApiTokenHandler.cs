using System.Security.Claims;
using System.Text.Encodings.Web;
using Ciem.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciem.Server.Security;

/// <summary>`Authorization: Bearer ciem_…`: a live token of an enabled user signs the request in as that user.</summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) { return Task.FromResult(AuthenticateResult.NoResult()); }
        var store = Context.RequestServices.GetRequiredService<ServerStore>();
        var user = Accounts.Authenticate(store.Server, header["Bearer ".Length..].Trim(), clock.GetUtcNow());
        // The reason never echoes the token: it would reach logs.
        if (user is null) { return Task.FromResult(AuthenticateResult.Fail("the API token is unknown, revoked or expired")); }
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(Viewer.Identity(user, SchemeName)), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(ticket));
    }
}
