using System.Security.Claims;
using System.Threading.RateLimiting;
using Ciem.Server.Data;
using Ciem.Server.Endpoints;
using Ciem.Server.Security;
using Ciem.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ciem.Server;

/// <summary>
/// `ciem serve`: one ASP.NET Core process on Kestrel over one store (SQLite or PostgreSQL). Pages and `/api/v1` share
/// the same queries; sign-in is a local account (cookie) or OpenID Connect, and API calls may carry a token instead.
/// Every endpoint names an authorization policy or is explicitly anonymous: building refuses one that does neither.
/// </summary>
public static class CiemServer
{
    private const string SmartScheme = "ciem";
    private const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Builds the server; <paramref name="configure"/> lets a host add services (e.g. scheduled jobs as hosted services).</summary>
    public static WebApplication Build(ServerOptions options, StoreLocation location, TimeProvider clock, IProposalReverifier? reverifier = null,
        Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(clock);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(CiemServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls([.. options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Forms and API bodies are small; the import upload raises its own limit (UploadImport.MaxBytes).
            k.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var secure = options.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        var services = builder.Services;
        services.AddSingleton(location);
        services.AddSingleton(clock);
        services.AddScoped(_ => new ServerStore(location));
        services.AddSingleton(_ => new EstateCache(location));
        services.AddSingleton<EstateWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<EstateWarmUp>());
        services.AddSingleton<OverviewCache>();
        if (reverifier is not null) { services.AddSingleton(reverifier); }
        services.AddScoped(sp => new ServerQueries(sp.GetRequiredService<ServerStore>(), sp.GetRequiredService<EstateCache>(),
            sp.GetRequiredService<OverviewCache>(), clock, sp.GetService<IProposalReverifier>()));
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ciem-csrf";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__csrf";
        });
        var protection = services.AddDataProtection().SetApplicationName("ciem-server");
        if (options.KeysFolder is { } keys) { protection.PersistKeysToFileSystem(new DirectoryInfo(keys)); }
        services.AddProblemDetails();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "OpenCIEM API";
                document.Info.Description = "The data and actions of `ciem serve`: sign in with a browser session or send `Authorization: Bearer ciem_…` (an API token).";
                return Task.CompletedTask;
            });
        });
        AddAuthentication(services, options, secure);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ReadPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
            .AddPolicy(Roles.ReviewPolicy, p => p.RequireRole(Roles.Admin, Roles.Reviewer, Roles.Owner))
            .AddPolicy(Roles.EvidencePolicy, p => p.RequireRole(Roles.Admin, Roles.Auditor))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
            // An endpoint without a policy is refused at build (below); should one slip through, nobody may call it.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build());
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, token) => new ValueTask(context.HttpContext.Response.WriteAsync(
                $"error {ServerCodes.SignInFailed}: too many sign-in attempts from this address: wait {options.LoginWindowSeconds} seconds", token));
            o.AddPolicy(SignIn.LoginRateLimit, c => RateLimitPartition.GetFixedWindowLimiter(c.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginPermits, Window = TimeSpan.FromSeconds(options.LoginWindowSeconds), QueueLimit = 0 }));
        });
        configure?.Invoke(services);

        var app = builder.Build();
        app.UseExceptionHandler(handler => handler.Run(WriteError));
        app.Use(SecurityHeaders.Apply);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Use(RefuseForgedForms);
        StaticAssets.Map(app);
        SignIn.Map(app, options.Oidc is not null);
        Pages.Map(app);
        Api.Map(app);
        app.MapOpenApi("/api/v1/openapi.json").RequireAuthorization(Roles.ReadPolicy);
        // Any other path (a browser's /favicon.ico, a mistyped link) is a plain 404 for everyone, not a sign-in prompt.
        app.MapFallback("{*path}", () => Results.Text($"error {ServerCodes.NotFound}: no such page", statusCode: StatusCodes.Status404NotFound))
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous().ExcludeFromDescription();
        var open = Unguarded(app);
        if (open.Count > 0)
        {
            throw new InvalidOperationException($"endpoint(s) without an authorization policy: {string.Join(", ", open)}: add RequireAuthorization or AllowAnonymous");
        }
        return app;
    }

    /// <summary>
    /// Builds the server on a free loopback port with plain-HTTP cookies and starts it: the start-up the tests and the load
    /// benchmark share. The caller stops and disposes the application.
    /// </summary>
    public static async Task<(WebApplication App, Uri Address)> StartOnLoopbackAsync(ServerOptions options, StoreLocation location,
        TimeProvider clock, IProposalReverifier? reverifier = null, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = Build(options with { Urls = "http://127.0.0.1:0", SecureCookies = false }, location, clock, reverifier, configure);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>Every endpoint that names neither a policy nor anonymous access (the build refuses them; the tests list them).</summary>
    public static List<string> Unguarded(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.DisplayName ?? e.RoutePattern.RawText ?? "?")];
    }

    /// <summary>Runs until <paramref name="stopping"/>; the store's migrations are applied (or a newer schema refused) before listening.</summary>
    public static async Task RunAsync(WebApplication app, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(app);
        using (app.Services.GetRequiredService<StoreLocation>().Open()) { }
        await app.StartAsync(stopping).ConfigureAwait(false);
        await app.WaitForShutdownAsync(stopping).ConfigureAwait(false);
    }

    private static void AddAuthentication(IServiceCollection services, ServerOptions options, CookieSecurePolicy secure)
    {
        var auth = services.AddAuthentication(o =>
        {
            o.DefaultScheme = SmartScheme;
            o.DefaultChallengeScheme = SmartScheme;
            o.DefaultForbidScheme = SmartScheme;
        })
        .AddPolicyScheme(SmartScheme, "session or API token", o => o.ForwardDefaultSelector = c =>
            c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ApiTokenHandler.SchemeName : Cookie)
        .AddCookie(Cookie, o =>
        {
            o.Cookie.Name = "ciem-session";
            o.Cookie.HttpOnly = true;
            // Lax, not Strict: the OpenID provider's redirect back must carry it; forms are covered by antiforgery tokens.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnRedirectToLogin = c =>
            {
                if (IsApi(c.Request)) { c.Response.StatusCode = StatusCodes.Status401Unauthorized; }
                else { c.Response.Redirect(c.RedirectUri); }
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = c => Deny(c.HttpContext);
            o.Events.OnValidatePrincipal = Revalidate;
        })
        .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null);
        if (options.Oidc is { } oidc)
        {
            services.AddSingleton(oidc);
            auth.AddOpenIdConnect(SignIn.OidcScheme, oidc.DisplayName, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = "code";
                // The code comes back on a top-level GET, so the correlation cookies can stay SameSite=Lax.
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var s in oidc.Scopes) { o.Scope.Add(s); }
                o.SignInScheme = Cookie;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = secure;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = secure;
                // The provider's userinfo answer may carry the e-mail (and whether it is verified) instead of the ID token.
                o.ClaimActions.MapUniqueJsonKey(oidc.EmailClaim, oidc.EmailClaim);
                o.ClaimActions.MapUniqueJsonKey(EmailVerified, EmailVerified);
                // After the ID token and userinfo are validated and merged: the only place every claim is present.
                o.Events.OnTicketReceived = c => MapOidcUser(c, oidc);
                o.Events.OnRemoteFailure = c =>
                {
                    c.HandleResponse();
                    return RefuseSignIn(c.HttpContext, c.Failure?.Message ?? "the provider's answer was refused");
                };
            });
        }
    }

    private const string EmailVerified = "email_verified";

    /// <summary>
    /// An OpenID Connect user is let in only when the provider vouches for an e-mail (not one it marks unverified) that an
    /// enabled local user has; they take that user's role. Anyone else is refused before a session exists.
    /// </summary>
    private static Task MapOidcUser(TicketReceivedContext context, OidcOptions oidc)
    {
        var email = context.Principal?.FindFirstValue(oidc.EmailClaim);
        string? refusal = null;
        if (string.IsNullOrWhiteSpace(email))
        {
            refusal = $"the provider's answer has no `{oidc.EmailClaim}` claim: ask for the `email` scope or set `oidc.emailClaim`";
        }
        else if (string.Equals(context.Principal!.FindFirstValue(EmailVerified), "false", StringComparison.OrdinalIgnoreCase))
        {
            refusal = $"the provider says `{email}` is not verified";
        }
        else if (context.HttpContext.RequestServices.GetRequiredService<ServerStore>().Server.FindUserByEmail(email) is { Disabled: false } user)
        {
            context.Principal = new ClaimsPrincipal(Viewer.Identity(user, Cookie));
            return Task.CompletedTask;
        }
        else
        {
            refusal = $"`{email}` has no enabled account on this server: an admin adds it with `ciem users add NAME --email {email} --role ROLE`";
        }
        context.HandleResponse();
        return RefuseSignIn(context.HttpContext, refusal);
    }

    private static Task RefuseSignIn(HttpContext context, string reason)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ciem.Server.SignIn")
            .LogWarning("single sign-on refused from {Address}: {Reason}", context.Connection.RemoteIpAddress, reason);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Text(context, $"error {ServerCodes.SignInFailed}: single sign-on refused: {reason}");
    }

    /// <summary>Each request re-reads the user: a disabled or deleted account is signed out at once, a changed role applies at once.</summary>
    private static Task Revalidate(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var store = context.HttpContext.RequestServices.GetRequiredService<ServerStore>();
        var user = name is null ? null : store.Server.FindUser(name);
        if (user is not { Disabled: false })
        {
            context.RejectPrincipal();
            return context.HttpContext.SignOutAsync(Cookie);
        }
        var viewer = Viewer.Of(context.Principal!);
        if (viewer.Role != user.Role || viewer.Owner != user.Owner)
        {
            context.ReplacePrincipal(new ClaimsPrincipal(Viewer.Identity(user, Cookie)));
            context.ShouldRenew = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>A form whose antiforgery token is missing or wrong is refused here, with the reason, before its endpoint runs.</summary>
    private static async Task RefuseForgedForms(HttpContext context, Func<Task> next)
    {
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await Text(context, $"error {ServerCodes.BadForm}: the form's anti-forgery token is missing or invalid: reload the page and submit it again")
                .ConfigureAwait(false);
            return;
        }
        await next().ConfigureAwait(false);
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task Deny(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var viewer = Viewer.Of(context.User);
        var message = $"error {ServerCodes.Forbidden}: the role `{viewer.Role}` may not use `{context.Request.Path}`";
        return IsApi(context.Request) ? Results.Problem(detail: message, statusCode: 403).ExecuteAsync(context) : Text(context, message);
    }

    private static async Task WriteError(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message) = error is BadHttpRequestException bad
            ? (bad.StatusCode, $"error {(context.Request.HasFormContentType ? ServerCodes.BadForm : ServerCodes.BadBody)}: {bad.Message.TrimEnd('.')}")
            : (StatusCodes.Status500InternalServerError, "internal error: the server's log has the details");
        context.Response.StatusCode = status;
        if (IsApi(context.Request)) { await Results.Problem(detail: message, statusCode: status).ExecuteAsync(context).ConfigureAwait(false); }
        else { await Text(context, message).ConfigureAwait(false); }
    }

    private static Task Text(HttpContext context, string message)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }
}
