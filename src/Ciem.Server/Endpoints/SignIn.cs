using System.Security.Claims;
using Ciem.Server.Components;
using Ciem.Server.Data;
using Ciem.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Ciem.Server.Endpoints;

/// <summary>Sign-in with a local account (rate limited per client address), with OpenID Connect when configured, and sign-out.</summary>
public static class SignIn
{
    public const string LoginRateLimit = "login";
    public const string OidcScheme = "oidc";

    public static void Map(IEndpointRouteBuilder app, bool oidc)
    {
        var group = app.MapGroup("").ExcludeFromDescription();
        group.MapGet("/login", (HttpContext c, string? returnUrl) =>
            Pages.Render<LoginPage>(c, new() { ["ReturnUrl"] = Local(returnUrl) })).AllowAnonymous();
        group.MapPost("/login", async (HttpContext c, ServerStore store, ILoggerFactory logs, [FromForm] string? name, [FromForm] string? password,
            [FromForm] string? returnUrl) =>
        {
            var user = name is { Length: <= 64 } && password is { Length: <= 1024 } ? Accounts.SignIn(store.Server, name, password) : null;
            if (user is null)
            {
                // The log names the account tried, never the password.
                logs.CreateLogger("Ciem.Server.SignIn").LogWarning("failed sign-in for `{Name}` from {Address}", name, c.Connection.RemoteIpAddress);
                return Pages.Render<LoginPage>(c, new()
                {
                    ["Error"] = $"error {ServerCodes.SignInFailed}: wrong user name or password, or the account is disabled",
                    ["Name"] = name,
                    ["ReturnUrl"] = Local(returnUrl),
                }, StatusCodes.Status401Unauthorized);
            }
            await c.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(Viewer.Identity(user, CookieAuthenticationDefaults.AuthenticationScheme)))
                .ConfigureAwait(false);
            return Results.LocalRedirect(Local(returnUrl));
        }).AllowAnonymous().RequireRateLimiting(LoginRateLimit);
        group.MapPost("/logout", async (HttpContext c) =>
        {
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        }).RequireAuthorization(Roles.ReadPolicy);
        if (oidc)
        {
            group.MapGet("/login/oidc", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = Local(returnUrl) }, [OidcScheme])).AllowAnonymous().RequireRateLimiting(LoginRateLimit);
        }
        group.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
    }

    /// <summary>Only a path on this site: anything else (another host, `//evil`, `/\evil`) becomes `/`.</summary>
    public static string Local(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
