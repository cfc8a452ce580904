using Microsoft.AspNetCore.Http;

namespace Ciem.Server.Security;

/// <summary>
/// The headers every answer carries: a Content-Security-Policy that allows only this origin's own scripts and styles
/// (no inline script or style, no framing), no MIME sniffing, no referrer, and no caching of pages that hold estate data.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task Apply(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var headers = context.Response.Headers;
        context.Response.OnStarting(() =>
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (!context.Request.Path.StartsWithSegments("/static")) { headers.CacheControl = "no-store"; }
            if (context.Request.IsHttps) { headers.StrictTransportSecurity = "max-age=31536000"; }
            return Task.CompletedTask;
        });
        return next();
    }
}
