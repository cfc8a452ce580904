using System.Collections.Immutable;

namespace Ciem.App.Notify;

/// <summary>How the SMTP connection is secured (MailKit's <c>SecureSocketOptions</c>, named for a config file).</summary>
public enum SmtpTls
{
    /// <summary>TLS on connect (port 465, "SMTPS").</summary>
    Implicit,

    /// <summary>Plain connect, then STARTTLS, which must be offered (port 587): refuses to send in clear.</summary>
    StartTls,

    /// <summary>STARTTLS when the server offers it, otherwise clear text: for trusted relays only.</summary>
    StartTlsWhenAvailable,

    /// <summary>No TLS: a loopback relay or a test server.</summary>
    None,
}

/// <summary>
/// An SMTP relay. The password is never in the settings: <see cref="PasswordVariable"/> names the environment
/// variable that holds it, read when sending and never printed.
/// </summary>
public sealed record SmtpSettings(
    string Host,
    int Port,
    string From,
    SmtpTls Tls = SmtpTls.StartTls,
    string? UserName = null,
    string? PasswordVariable = null,
    ImmutableArray<string> DefaultRecipients = default,
    TimeSpan? Timeout = null)
{
    public ImmutableArray<string> DefaultRecipientsOrEmpty => DefaultRecipients.IsDefault ? [] : DefaultRecipients;
}

/// <summary>The JSON a webhook receives.</summary>
public enum WebhookFormat
{
    /// <summary>A Slack incoming webhook: <c>text</c> plus Block Kit blocks.</summary>
    Slack,

    /// <summary>A Microsoft Teams workflow webhook: a message with one Adaptive Card attachment.</summary>
    Teams,

    /// <summary>The notification as plain JSON (key, topic, subject, text, fields) for any other receiver.</summary>
    Json,
}

/// <summary>A webhook: its name (for the ledger and reports; the URL holds a secret and is never printed).</summary>
public sealed record WebhookSettings(string Name, Uri Url, WebhookFormat Format);

/// <summary>Retries per channel: attempts in all, and the first delay, doubled after each failure (with jitter).</summary>
public sealed record RetrySettings(int MaxAttempts = 4, TimeSpan? FirstDelay = null)
{
    public TimeSpan FirstDelayOrDefault => FirstDelay ?? TimeSpan.FromSeconds(2);
}

/// <summary>
/// Where notifications go: SMTP and/or webhooks; with neither, the outbox folder. <see cref="StateDirectory"/>
/// holds the send ledger and the failed notifications kept for retry.
/// </summary>
public sealed record NotificationSettings(
    string StateDirectory,
    string OutboxDirectory,
    SmtpSettings? Smtp = null,
    ImmutableArray<WebhookSettings> Webhooks = default,
    RetrySettings? Retry = null)
{
    public ImmutableArray<WebhookSettings> WebhooksOrEmpty => Webhooks.IsDefault ? [] : Webhooks;

    public RetrySettings RetryOrDefault => Retry ?? new RetrySettings();

    /// <summary>Whether the outbox is the channel: neither SMTP nor a webhook is configured.</summary>
    public bool UsesOutbox => Smtp is null && WebhooksOrEmpty.IsEmpty;
}
