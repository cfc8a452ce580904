using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Ciem.App.Notify;

/// <summary>
/// One message to people: a stable <see cref="Key"/> (the same notification re-sent carries the same key, so the
/// send ledger delivers it once), a subject, the recipients' addresses (e-mail; may be empty for webhook-only
/// notices), structured fields and a body of blocks. The plain text and the HTML are rendered from the blocks, so
/// every value — names from cloud exports, owners' reasons — is escaped once, here, never by the caller.
/// </summary>
public sealed record Notification(
    string Key,
    string Topic,
    string Subject,
    ImmutableArray<string> Recipients,
    ImmutableArray<NotificationField> Fields,
    ImmutableArray<NotificationBlock> Blocks)
{
    /// <summary>A short, file- and header-safe digest of <see cref="Key"/> (hex SHA-256, 24 characters).</summary>
    public string KeyDigest => Digest(Key);

    /// <summary>The body as plain text: fields first (one `name: value` line each), then the blocks.</summary>
    public string Text => NotificationRenderer.Text(this);

    /// <summary>The body as an HTML document with every value escaped.</summary>
    public string Html => NotificationRenderer.Html(this);

    internal static string Digest(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..24];
}

/// <summary>A named value shown as a table row in HTML, a `name: value` line in text, a fact in Slack and Teams.</summary>
public sealed record NotificationField(string Name, string Value);

/// <summary>A part of a notification's body.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ParagraphBlock), "paragraph")]
[JsonDerivedType(typeof(ListBlock), "list")]
[JsonDerivedType(typeof(PreformattedBlock), "preformatted")]
[JsonDerivedType(typeof(LinkBlock), "link")]
public abstract record NotificationBlock;

/// <summary>Running text.</summary>
public sealed record ParagraphBlock(string Text) : NotificationBlock;

/// <summary>A heading over a bulleted list (an identity and what is removed from it, say).</summary>
public sealed record ListBlock(string Heading, ImmutableArray<string> Items) : NotificationBlock;

/// <summary>Text whose layout matters (a diff, a command): monospaced, never wrapped or interpreted.</summary>
public sealed record PreformattedBlock(string Heading, string Text) : NotificationBlock;

/// <summary>A link; only <c>http</c>, <c>https</c> and <c>mailto</c> addresses become clickable, others are shown as text.</summary>
public sealed record LinkBlock(string Text, string Url) : NotificationBlock
{
    public bool IsSafe => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto";
}

/// <summary>Renders a notification as plain text and as HTML (the one place that escapes for HTML).</summary>
public static class NotificationRenderer
{
    public static string Text(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var sb = new StringBuilder();
        foreach (var field in notification.Fields) { sb.Append(field.Name).Append(": ").Append(field.Value).Append('\n'); }
        foreach (var block in notification.Blocks)
        {
            if (sb.Length > 0) { sb.Append('\n'); }
            switch (block)
            {
                case ParagraphBlock p:
                    sb.Append(p.Text).Append('\n');
                    break;
                case ListBlock l:
                    sb.Append(l.Heading).Append('\n');
                    foreach (var item in l.Items) { sb.Append("  - ").Append(item).Append('\n'); }
                    break;
                case PreformattedBlock pre:
                    sb.Append(pre.Heading).Append('\n');
                    foreach (var line in pre.Text.Split('\n')) { sb.Append("    ").Append(line.TrimEnd('\r')).Append('\n'); }
                    break;
                case LinkBlock link:
                    sb.Append(link.Text).Append(": ").Append(link.Url).Append('\n');
                    break;
            }
        }
        return sb.ToString();
    }

    public static string Html(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(Escape(notification.Subject))
            .Append("</title></head>\n<body style=\"font-family:sans-serif\">\n<h2>").Append(Escape(notification.Subject))
            .Append("</h2>\n");
        if (!notification.Fields.IsEmpty)
        {
            sb.Append("<table>\n");
            foreach (var field in notification.Fields)
            {
                sb.Append("<tr><th align=\"left\">").Append(Escape(field.Name)).Append("</th><td>")
                    .Append(Escape(field.Value)).Append("</td></tr>\n");
            }
            sb.Append("</table>\n");
        }
        foreach (var block in notification.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    sb.Append("<p>").Append(Escape(p.Text).Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
                    break;
                case ListBlock l:
                    sb.Append("<h3>").Append(Escape(l.Heading)).Append("</h3>\n<ul>\n");
                    foreach (var item in l.Items) { sb.Append("<li>").Append(Escape(item)).Append("</li>\n"); }
                    sb.Append("</ul>\n");
                    break;
                case PreformattedBlock pre:
                    sb.Append("<h3>").Append(Escape(pre.Heading)).Append("</h3>\n<pre>").Append(Escape(pre.Text)).Append("</pre>\n");
                    break;
                case LinkBlock link when link.IsSafe:
                    sb.Append("<p><a href=\"").Append(Escape(link.Url)).Append("\">").Append(Escape(link.Text)).Append("</a></p>\n");
                    break;
                case LinkBlock link:
                    sb.Append("<p>").Append(Escape(link.Text)).Append(": ").Append(Escape(link.Url)).Append("</p>\n");
                    break;
            }
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>HTML-escapes text for element content and double-quoted attributes.</summary>
    public static string Escape(string value) => WebUtility.HtmlEncode(value ?? string.Empty);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
