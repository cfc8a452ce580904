using Ciem.Server.Security;

namespace Ciem.Server.Components;

/// <summary>What every page needs around its content: who is asking, the antiforgery field for its forms, where it is.</summary>
public sealed record PageFrame(Viewer Viewer, string CsrfField, string CsrfToken, string Path, string? OidcName)
{
    public static string Number(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>`/identity?provider=…&amp;id=…` with both values escaped for a URL (the page escapes it again for HTML).</summary>
    public static string IdentityLink(string provider, string id) =>
        $"/identity?provider={Uri.EscapeDataString(provider)}&id={Uri.EscapeDataString(id)}";
}
