using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ciem.Server.Endpoints;

/// <summary>The page's stylesheet and htmx, embedded in this assembly and served from `/static/NAME` (nothing from a CDN).</summary>
public static class StaticAssets
{
    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    private static readonly FrozenDictionary<string, Asset> Files = new Dictionary<string, Asset>(StringComparer.Ordinal)
    {
        ["app.css"] = Load("app.css", "text/css; charset=utf-8"),
        ["htmx.min.js"] = Load("htmx.min.js", "text/javascript; charset=utf-8"),
        ["htmx.LICENSE.txt"] = Load("htmx.LICENSE.txt", "text/plain; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{name}", (string name, HttpContext context) =>
        {
            if (!Files.TryGetValue(name, out var asset)) { return Results.NotFound(); }
            context.Response.Headers.CacheControl = "public, max-age=3600";
            if (context.Request.Headers.IfNoneMatch == asset.ETag) { return Results.StatusCode(StatusCodes.Status304NotModified); }
            context.Response.Headers.ETag = asset.ETag;
            return Results.Bytes(asset.Bytes, asset.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream("Ciem.Server.Assets." + name)
            ?? throw new InvalidOperationException($"the asset `{name}` is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new Asset(bytes, contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
    }
}
