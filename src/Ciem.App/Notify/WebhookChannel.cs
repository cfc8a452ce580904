using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ciem.App.Notify;

/// <summary>
/// Posts a notification to a webhook as Slack, Teams or plain JSON. The URL is the secret of an incoming webhook:
/// it never appears in a message, only the webhook's name does.
/// </summary>
public sealed class WebhookChannel : INotificationChannel
{
    private readonly WebhookSettings _settings;
    private readonly HttpClient _http;

    public WebhookChannel(WebhookSettings settings, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        _settings = settings;
        _http = http;
    }

    public string Name => "webhook:" + _settings.Name;

    public bool CanDeliver(Notification notification) => true;

    public async Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var json = WebhookPayloads.Build(notification, _settings.Format).ToJsonString(WebhookPayloads.WriteOptions);
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Url) { Content = content };
        request.Headers.Add("X-Ciem-Notification", notification.KeyDigest);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new NotificationSendException($"webhook `{_settings.Name}` unreachable: {e.HttpRequestError}", transient: true, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationSendException($"webhook `{_settings.Name}` timed out", transient: true, e);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) { return $"http {status}"; }
            // 408, 429 and 5xx can pass on a later try; any other refusal needs the settings or payload changed.
            var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
            throw new NotificationSendException($"webhook `{_settings.Name}` answered http {status}", transient);
        }
    }
}

/// <summary>
/// The webhook bodies. Slack: <c>text</c> (the notification's fallback) and Block Kit blocks, with <c>&amp;</c>,
/// <c>&lt;</c>, <c>&gt;</c> escaped in mrkdwn so no name becomes a link or a mention. Teams: one Adaptive Card whose
/// text has CommonMark punctuation backslash-escaped, so no name becomes a link or formatting.
/// </summary>
public static class WebhookPayloads
{
    // Slack's documented limits: header text 150 characters, section text 3,000, ten fields of 2,000 each.
    private const int SlackHeaderMax = 150;
    private const int SlackSectionMax = 3000;
    private const int SlackFieldMax = 2000;
    private const int SlackFieldsPerSection = 10;

    public static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false };

    public static JsonObject Build(Notification notification, WebhookFormat format)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return format switch
        {
            WebhookFormat.Slack => Slack(notification),
            WebhookFormat.Teams => Teams(notification),
            _ => Plain(notification),
        };
    }

    public static JsonObject Slack(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(notification.Subject, SlackHeaderMax) },
            },
        };
        foreach (var chunk in notification.Fields.Chunk(SlackFieldsPerSection))
        {
            var fields = new JsonArray();
            foreach (var field in chunk)
            {
                fields.Add(new JsonObject
                {
                    ["type"] = "mrkdwn",
                    ["text"] = Cut($"*{SlackEscape(field.Name)}*\n{SlackEscape(field.Value)}", SlackFieldMax),
                });
            }
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }
        foreach (var block in notification.Blocks)
        {
            var text = block switch
            {
                ParagraphBlock p => SlackEscape(p.Text),
                ListBlock l => $"*{SlackEscape(l.Heading)}*\n" + string.Join('\n', l.Items.Select(i => "• " + SlackEscape(i))),
                PreformattedBlock pre => $"*{SlackEscape(pre.Heading)}*\n```{SlackEscape(pre.Text).Replace("```", "ˋˋˋ", StringComparison.Ordinal)}```",
                LinkBlock link when link.IsSafe => $"<{SlackEscape(link.Url)}|{SlackEscape(link.Text).Replace("|", "¦", StringComparison.Ordinal)}>",
                LinkBlock link => $"{SlackEscape(link.Text)}: {SlackEscape(link.Url)}",
                _ => string.Empty,
            };
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(text, SlackSectionMax) },
            });
        }
        return new JsonObject { ["text"] = SlackEscape(notification.Subject), ["blocks"] = blocks };
    }

    public static JsonObject Teams(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock", ["text"] = MarkdownEscape(notification.Subject), ["weight"] = "Bolder",
                ["size"] = "Medium", ["wrap"] = true,
            },
        };
        if (!notification.Fields.IsEmpty)
        {
            var facts = new JsonArray();
            foreach (var field in notification.Fields)
            {
                facts.Add(new JsonObject { ["title"] = MarkdownEscape(field.Name), ["value"] = MarkdownEscape(field.Value) });
            }
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }
        foreach (var block in notification.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    body.Add(TextBlock(MarkdownEscape(p.Text)));
                    break;
                case ListBlock l:
                    body.Add(TextBlock(MarkdownEscape(l.Heading), bolder: true));
                    body.Add(TextBlock(string.Join('\r', l.Items.Select(i => "- " + MarkdownEscape(i)))));
                    break;
                case PreformattedBlock pre:
                    body.Add(TextBlock(MarkdownEscape(pre.Heading), bolder: true));
                    var code = TextBlock(pre.Text);
                    code["fontType"] = "Monospace";
                    // A monospace block still goes through the markdown subset: escape it too.
                    code["text"] = MarkdownEscape(pre.Text);
                    body.Add(code);
                    break;
                case LinkBlock link when link.IsSafe:
                    body.Add(TextBlock($"[{MarkdownEscape(link.Text)}]({link.Url.Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal)})"));
                    break;
                case LinkBlock link:
                    body.Add(TextBlock($"{MarkdownEscape(link.Text)}: {MarkdownEscape(link.Url)}"));
                    break;
            }
        }
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = card,
                },
            },
        };
    }

    public static JsonObject Plain(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var fields = new JsonObject();
        foreach (var field in notification.Fields) { fields[field.Name] = field.Value; }
        return new JsonObject
        {
            ["key"] = notification.Key,
            ["topic"] = notification.Topic,
            ["subject"] = notification.Subject,
            ["recipients"] = new JsonArray([.. notification.Recipients.Select(r => (JsonNode)JsonValue.Create(r))]),
            ["fields"] = fields,
            ["text"] = notification.Text,
        };
    }

    /// <summary>Slack's three control characters in mrkdwn (its documented escaping).</summary>
    public static string SlackEscape(string value) => (value ?? string.Empty)
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Backslash before every CommonMark punctuation character that can start markup, and the card's date braces.</summary>
    public static string MarkdownEscape(string value)
    {
        var sb = new StringBuilder((value ?? string.Empty).Length);
        foreach (var c in value ?? string.Empty)
        {
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '!' or '<' or '>' or '~' or '|')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static JsonObject TextBlock(string text, bool bolder = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (bolder) { block["weight"] = "Bolder"; }
        return block;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
