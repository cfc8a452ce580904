using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App.Notify;
using MimeKit;

namespace Ciem.App.Tests.Notify;

public sealed class NotificationDispatcherTests
{
    private static readonly RetrySettings FastRetry = new(3, TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task SendAsync_SmtpServer_DeliversMultipartWithEscapedHtml()
    {
        // Given a real SMTP server on a loopback port and a notification with a hostile identity name
        await using var smtp = new LoopbackSmtpServer();
        using var temp = new TempFolder();
        var dispatcher = Dispatcher(temp, new SmtpSettings("127.0.0.1", smtp.Port, "ciem@example.test", SmtpTls.None));

        // When it is sent
        var result = await dispatcher.SendAsync([TestNotifications.Notice()]);

        // Then the server holds one message with both bodies, the HTML escaped and the unsafe link not clickable
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(DeliveryStatus.Sent, outcome.Status);
        Assert.Equal("smtp", outcome.Channel);
        Assert.Equal(1, outcome.Attempts);
        var message = Assert.Single(smtp.Messages);
        Assert.Equal("Permissions to be removed from 1 identity", message.Subject);
        Assert.Equal("owner.a@example.test", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("ciem@example.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(TestNotifications.Notice().KeyDigest + "@ciem.notify", message.MessageId);
        Assert.Contains("Identity: " + TestNotifications.HostileName, message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ciem.example.test/object?id=1\">Object</a>", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<pre>- s3:DeleteBucket\n+ s3:GetObject</pre>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SameKeyTwice_DeliversOnce()
    {
        // Given a notification already delivered
        await using var smtp = new LoopbackSmtpServer();
        using var temp = new TempFolder();
        var settings = new SmtpSettings("127.0.0.1", smtp.Port, "ciem@example.test", SmtpTls.None);
        await Dispatcher(temp, settings).SendAsync([TestNotifications.Notice()]);

        // When a new run (a new dispatcher over the same state folder) sends it and a second, different one
        var again = await Dispatcher(temp, settings).SendAsync([TestNotifications.Notice(), TestNotifications.Notice("review/c1/batch-1/owner-b")]);

        // Then the first is skipped as already sent and only the second reaches the server
        Assert.Equal([DeliveryStatus.AlreadySent, DeliveryStatus.Sent], again.Outcomes.Select(o => o.Status));
        Assert.Equal(2, smtp.Messages.Count);
    }

    [Fact]
    public async Task SendAsync_SmtpAuth_PasswordFromEnvironmentAndNeverPrinted()
    {
        // Given a server that requires a login, and the password in an environment variable
        const string Password = "s3cret-Pa55";
        await using var smtp = new LoopbackSmtpServer(credentials: ("ciem", Password));
        using var temp = new TempFolder();
        var settings = new SmtpSettings("127.0.0.1", smtp.Port, "ciem@example.test", SmtpTls.None, "ciem", "CIEM_SMTP_PASSWORD");
        var env = new Dictionary<string, string?> { ["CIEM_SMTP_PASSWORD"] = Password };
        var good = Dispatcher(temp, settings, env: env.GetValueOrDefault);

        // When sent with the right password, then with a wrong one (a fresh state folder)
        var ok = await good.SendAsync([TestNotifications.Notice()]);
        using var temp2 = new TempFolder();
        var bad = await Dispatcher(temp2, settings, env: _ => "wrong-password").SendAsync([TestNotifications.Notice()]);

        // Then the first is delivered, the second fails at once (not transient) without the password in any text
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(ok.Outcomes).Status);
        var failure = Assert.Single(bad.Outcomes);
        Assert.Equal(DeliveryStatus.Failed, failure.Status);
        Assert.Equal(1, failure.Attempts);
        Assert.Contains("authentication failed for `ciem`", failure.Error, StringComparison.Ordinal);
        var ledgerText = await File.ReadAllTextAsync(Path.Combine(temp2.Sub("state"), "ledger.jsonl"));
        Assert.DoesNotContain("wrong-password", ledgerText, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ledgerText, StringComparison.Ordinal);
        Assert.All(smtp.LoginAttempts, user => Assert.Equal("ciem", user));
    }

    [Fact]
    public async Task SendAsync_PasswordVariableUnset_FailsNamingTheVariable()
    {
        // Given a login with a password variable that is not set
        await using var smtp = new LoopbackSmtpServer(credentials: ("ciem", "x"));
        using var temp = new TempFolder();
        var settings = new SmtpSettings("127.0.0.1", smtp.Port, "ciem@example.test", SmtpTls.None, "ciem", "CIEM_SMTP_PASSWORD");

        // When sent
        var result = await Dispatcher(temp, settings, env: _ => null).SendAsync([TestNotifications.Notice()]);

        // Then it fails once, naming the variable
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal("the environment variable `CIEM_SMTP_PASSWORD` holding the smtp password is not set", outcome.Error);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task SendAsync_ServerDown_RetriesKeepsPendingAndRetryDelivers()
    {
        // Given no server listening on the configured port
        using var temp = new TempFolder();
        var port = TestNotifications.FreePort();
        var settings = new SmtpSettings("127.0.0.1", port, "ciem@example.test", SmtpTls.None);

        // When sent
        var down = await Dispatcher(temp, settings).SendAsync([TestNotifications.Notice()]);

        // Then every attempt is made, the failure is reported and the notification is kept
        var failure = Assert.Single(down.Outcomes);
        Assert.Equal(DeliveryStatus.Failed, failure.Status);
        Assert.Equal(3, failure.Attempts);
        Assert.StartsWith($"smtp `127.0.0.1:{port}` unreachable", failure.Error, StringComparison.Ordinal);
        Assert.Single(Dispatcher(temp, settings).Pending());

        // When the server comes up and pending notifications are retried
        await using var smtp = new LoopbackSmtpServer(port);
        var retried = await Dispatcher(temp, settings).RetryPendingAsync();

        // Then it is delivered once and nothing is pending
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(retried.Outcomes).Status);
        Assert.Single(smtp.Messages);
        Assert.Empty(Dispatcher(temp, settings).Pending());
        var again = await Dispatcher(temp, settings).SendAsync([TestNotifications.Notice()]);
        Assert.Equal(DeliveryStatus.AlreadySent, Assert.Single(again.Outcomes).Status);
    }

    [Fact]
    public async Task SendAsync_SmtpWithoutRecipient_FallsBackToOutbox()
    {
        // Given SMTP configured and a notification for an owner with no e-mail address
        await using var smtp = new LoopbackSmtpServer();
        using var temp = new TempFolder();
        var settings = new SmtpSettings("127.0.0.1", smtp.Port, "ciem@example.test", SmtpTls.None);

        // When sent
        var result = await Dispatcher(temp, settings).SendAsync([TestNotifications.Notice(recipient: "")]);

        // Then it lands in the outbox instead of being dropped
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal("outbox", outcome.Channel);
        Assert.Equal(DeliveryStatus.Sent, outcome.Status);
        Assert.Empty(smtp.Messages);
        Assert.True(File.Exists(outcome.Detail));
    }

    [Fact]
    public async Task SendAsync_NothingConfigured_WritesEmlAndJsonToOutbox()
    {
        // Given neither SMTP nor a webhook
        using var temp = new TempFolder();
        var settings = new NotificationSettings(temp.Sub("state"), temp.Sub("outbox"), Retry: FastRetry);
        var dispatcher = NotificationDispatcher.FromSettings(settings, new HttpClient(), TimeProvider.System);

        // When a notification is sent twice
        await dispatcher.SendAsync([TestNotifications.Notice()]);
        var second = await dispatcher.SendAsync([TestNotifications.Notice()]);

        // Then the outbox holds its e-mail and JSON once, the file named without the hostile characters
        Assert.Equal(DeliveryStatus.AlreadySent, Assert.Single(second.Outcomes).Status);
        var files = Directory.GetFiles(temp.Sub("outbox")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var stem = "review-notice-" + TestNotifications.Notice().KeyDigest;
        Assert.Equal([stem + ".eml", stem + ".json"], files);
        var eml = await MimeMessage.LoadAsync(Path.Combine(temp.Sub("outbox"), stem + ".eml"));
        Assert.Equal("Permissions to be removed from 1 identity", eml.Subject);
        Assert.DoesNotContain("<script>", eml.HtmlBody, StringComparison.Ordinal);
        var json = JsonSerializer.Deserialize<Notification>(
            await File.ReadAllBytesAsync(Path.Combine(temp.Sub("outbox"), stem + ".json")), NotificationJson.Options)!;
        Assert.Equal(TestNotifications.Notice().Key, json.Key);
        Assert.Equal(5, json.Blocks.Length);
        Assert.IsType<PreformattedBlock>(json.Blocks[2]);
    }

    [Fact]
    public async Task SendAsync_SlackWebhook_PostsExactPayload()
    {
        // Given a Slack-format webhook on a local listener
        using var hook = new LoopbackWebhook(200);
        using var temp = new TempFolder();
        var settings = new NotificationSettings(temp.Sub("state"), temp.Sub("outbox"),
            Webhooks: [new WebhookSettings("team-chat", hook.Url, WebhookFormat.Slack)], Retry: FastRetry);
        using var http = new HttpClient();

        // When a notification is sent
        var result = await NotificationDispatcher.FromSettings(settings, http, TimeProvider.System).SendAsync([TestNotifications.Notice()]);

        // Then the listener received exactly this Block Kit body, with mrkdwn control characters escaped
        Assert.Equal("webhook:team-chat", Assert.Single(result.Outcomes).Channel);
        var request = Assert.Single(hook.Requests);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal(TestNotifications.Notice().KeyDigest, request.Notification);
        const string H = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&lt;@channel&gt;*bold*[x](http://evil)";
        var expected = new JsonObject
        {
            ["text"] = "Permissions to be removed from 1 identity",
            ["blocks"] = new JsonArray
            {
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Permissions to be removed from 1 identity" } },
                new JsonObject
                {
                    ["type"] = "section",
                    ["fields"] = new JsonArray
                    {
                        new JsonObject { ["type"] = "mrkdwn", ["text"] = "*Batch*\n1" },
                        new JsonObject { ["type"] = "mrkdwn", ["text"] = "*Deadline*\n2026-12-14" },
                        new JsonObject { ["type"] = "mrkdwn", ["text"] = "*Identity*\n" + H },
                    },
                },
                Section("The permissions below have not been used in 90 days."),
                Section($"*role/{H}*\n• s3:DeleteBucket\n• iam:PassRole"),
                Section("*Diff*\n```- s3:DeleteBucket\n+ s3:GetObject```"),
                Section("<https://ciem.example.test/object?id=1|Object>"),
                Section("Script link: javascript:alert(1)"),
            },
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.Body)), request.Body);

        static JsonObject Section(string text) =>
            new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } };
    }

    [Fact]
    public async Task SendAsync_TeamsWebhook_PostsExactAdaptiveCard()
    {
        // Given a Teams-format webhook on a local listener
        using var hook = new LoopbackWebhook(202);
        using var temp = new TempFolder();
        var settings = new NotificationSettings(temp.Sub("state"), temp.Sub("outbox"),
            Webhooks: [new WebhookSettings("teams", hook.Url, WebhookFormat.Teams)], Retry: FastRetry);
        using var http = new HttpClient();
        var notice = TestNotifications.Notice() with { Blocks = [new ListBlock("role/a_b", ["s3:Get*"]), new LinkBlock("Object", "https://x.test/o")] };

        // When a notification is sent
        await NotificationDispatcher.FromSettings(settings, http, TimeProvider.System).SendAsync([notice]);

        // Then the listener received one message with one Adaptive Card, markdown punctuation escaped
        var body = JsonNode.Parse(Assert.Single(hook.Requests).Body)!;
        var expected = JsonNode.Parse("""
            {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,
             "content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4",
              "body":[
               {"type":"TextBlock","text":"Permissions to be removed from 1 identity","weight":"Bolder","size":"Medium","wrap":true},
               {"type":"FactSet","facts":[{"title":"Batch","value":"1"},{"title":"Deadline","value":"2026\\-12\\-14"},
                 {"title":"Identity","value":"\\<script\\>alert\\(1\\)\\</script\\>&\\<@channel\\>\\*bold\\*\\[x\\]\\(http://evil\\)"}]},
               {"type":"TextBlock","text":"role/a\\_b","wrap":true,"weight":"Bolder"},
               {"type":"TextBlock","text":"- s3:Get\\*","wrap":true},
               {"type":"TextBlock","text":"[Object](https://x.test/o)","wrap":true}]}}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString());
    }

    [Fact]
    public async Task SendAsync_WebhookBusyThenOk_RetriesTransientOnly()
    {
        // Given a JSON webhook answering 503 then 200, and another answering 400
        using var busy = new LoopbackWebhook(503, 200);
        using var refusing = new LoopbackWebhook(400);
        using var temp = new TempFolder();
        var settings = new NotificationSettings(temp.Sub("state"), temp.Sub("outbox"),
            Webhooks: [new WebhookSettings("busy", busy.Url, WebhookFormat.Json), new WebhookSettings("refusing", refusing.Url, WebhookFormat.Json)],
            Retry: FastRetry);
        using var http = new HttpClient();

        // When a notification is sent
        var result = await NotificationDispatcher.FromSettings(settings, http, TimeProvider.System).SendAsync([TestNotifications.Notice()]);

        // Then the busy one succeeds on the second attempt, the refusal is not retried and is kept with no URL in it
        Assert.Equal([(DeliveryStatus.Sent, 2), (DeliveryStatus.Failed, 1)], result.Outcomes.Select(o => (o.Status, o.Attempts)));
        Assert.Equal("webhook `refusing` answered http 400", result.Outcomes[1].Error);
        Assert.Equal(2, busy.Requests.Count);
        var plain = JsonNode.Parse(busy.Requests.Last().Body)!;
        Assert.Equal("review/c1/batch-1/owner-a", (string?)plain["key"]);
        Assert.Equal(TestNotifications.HostileName, (string?)plain["fields"]!["Identity"]);
        var pending = NotificationDispatcher.FromSettings(settings, http, TimeProvider.System).Pending();
        Assert.Single(pending);

        // When retried, only the channel that failed is tried again
        var retried = await NotificationDispatcher.FromSettings(settings, http, TimeProvider.System).RetryPendingAsync();
        Assert.Equal([DeliveryStatus.AlreadySent, DeliveryStatus.Failed], retried.Outcomes.Select(o => o.Status));
        Assert.Equal(2, busy.Requests.Count);
        Assert.Equal(2, refusing.Requests.Count);
    }

    private static NotificationDispatcher Dispatcher(TempFolder temp, SmtpSettings smtp, Func<string, string?>? env = null)
    {
        var settings = new NotificationSettings(temp.Sub("state"), temp.Sub("outbox"), smtp, Retry: FastRetry);
        return NotificationDispatcher.FromSettings(settings, new HttpClient(), TimeProvider.System, env ?? (_ => null));
    }
}
