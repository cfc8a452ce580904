using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Notify;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Storage;

namespace Ciem.App.Metrics;

/// <summary>One alert sent (or not) on one channel.</summary>
public sealed record AlertDelivery(long AlertId, string Rule, string Channel, bool Delivered, string Detail);

/// <summary>
/// What an evaluation did: every condition firing now, the alerts opened by this run (sent), those already open
/// (not sent again), those resolved, and the deliveries.
/// </summary>
public sealed record AlertRunResult(
    DateOnly? Measured,
    ImmutableArray<FiringAlert> Firing,
    ImmutableArray<AlertRecord> Opened,
    int StillOpen,
    ImmutableArray<OpenAlert> Resolved,
    ImmutableArray<AlertDelivery> Deliveries)
{
    /// <summary>Whether a condition at or above the severity fires now (new or already open).</summary>
    public bool FiresAtOrAbove(FindingSeverity threshold) => Firing.Any(f => f.Severity >= threshold);
}

/// <summary>
/// Evaluates the alert rules on the stored measurements, applies the result to the alert ledger (new alerts open,
/// firing ones stay open and are not sent again, cleared ones resolve) and sends each new alert to its rule's
/// channels through the notification senders (<see cref="NotificationDispatcher"/>), recording every attempt.
/// </summary>
public static class AlertRun
{
    /// <param name="stateDirectory">where the senders keep their ledger and failed notices for retry.</param>
    /// <param name="environment">reads the SMTP password and webhook URLs named in the rules file.</param>
    public static async Task<AlertRunResult> EvaluateAsync(ICiemStore store, AlertConfig config, IacDeclarations iac, DateTimeOffset now,
        string stateDirectory, HttpClient http, Func<string, string?> environment, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(config);
        var measurements = store.LoadMeasurements();
        var firing = AlertEvaluator.Evaluate(config, measurements, iac);
        var open = store.LoadAlerts().Where(a => a.IsOpen).Select(a => new OpenAlert(a.Id, a.Rule, a.Key)).ToList();
        var reconciliation = AlertEvaluator.Reconcile(open, firing, config.Rules.Select(r => r.Id));
        var opened = store.RecordAlerts(now, reconciliation);
        var deliveries = ImmutableArray.CreateBuilder<AlertDelivery>();
        await RetryPendingAsync(store, config, stateDirectory, http, environment, time, now, deliveries, cancellationToken).ConfigureAwait(false);
        foreach (var alert in opened)
        {
            foreach (var name in alert.Channels)
            {
                var channel = config.Channels.First(c => c.Name == name);
                AlertDelivery delivery;
                try
                {
                    var dispatcher = Dispatcher(channel, config.Smtp, stateDirectory, http, environment, time);
                    var result = await dispatcher.SendAsync([Notice(alert, channel)], cancellationToken).ConfigureAwait(false);
                    var outcome = result.Outcomes.Single();
                    delivery = new AlertDelivery(alert.Id, alert.Rule, name, outcome.Status != DeliveryStatus.Failed,
                        outcome.Error ?? outcome.Detail ?? outcome.Status.ToString().ToLowerInvariant());
                }
                catch (AlertChannelException e)
                {
                    delivery = new AlertDelivery(alert.Id, alert.Rule, name, false, e.Message);
                }
                store.RecordAlertDelivery(alert.Id, now, name, delivery.Delivered, delivery.Detail);
                deliveries.Add(delivery);
            }
        }
        return new AlertRunResult(measurements.IsEmpty ? null : measurements[^1].Day, firing, opened, reconciliation.Continuing.Length,
            reconciliation.Resolved, deliveries.ToImmutable());
    }

    /// <summary>Sends again what failed on a channel in an earlier run (each channel keeps its own ledger and pending folder).</summary>
    private static async Task RetryPendingAsync(ICiemStore store, AlertConfig config, string stateDirectory, HttpClient http, Func<string, string?> environment,
        TimeProvider time, DateTimeOffset now, ImmutableArray<AlertDelivery>.Builder deliveries, CancellationToken cancellationToken)
    {
        foreach (var channel in config.Channels.Where(c => Directory.Exists(ChannelState(stateDirectory, c))))
        {
            NotificationDispatcher dispatcher;
            try { dispatcher = Dispatcher(channel, config.Smtp, stateDirectory, http, environment, time); }
            catch (AlertChannelException) { continue; }
            if (dispatcher.Pending().IsEmpty) { continue; }
            var retried = await dispatcher.RetryPendingAsync(cancellationToken).ConfigureAwait(false);
            foreach (var o in retried.Outcomes)
            {
                // Keys are `alert/ID/CHANNEL` (Notice).
                var parts = o.Key.Split('/');
                if (parts.Length < 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) { continue; }
                var delivery = new AlertDelivery(id, "", channel.Name, o.Status != DeliveryStatus.Failed, o.Error ?? o.Detail ?? "retried");
                store.RecordAlertDelivery(id, now, channel.Name, delivery.Delivered, delivery.Detail);
                deliveries.Add(delivery);
            }
        }
    }

    /// <summary>The ledger folder of one channel, named by a digest so a channel's name never becomes a path.</summary>
    public static string ChannelState(string stateDirectory, AlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Path.Combine(stateDirectory, "channel-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(channel.Name)))[..16]);
    }

    /// <summary>The notification of an alert: keyed by alert and channel, so no run sends it twice on a channel.</summary>
    public static Notification Notice(AlertRecord alert, AlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(channel);
        var severity = FindingSeverities.Name(alert.Severity);
        return new Notification($"alert/{alert.Id}/{channel.Name}", "alert", $"[{severity}] ciem alert `{alert.Rule}`: {Shorten(alert.Message)}",
            channel.Type == "email" ? channel.To : [],
            [new NotificationField("Rule", alert.Rule), new NotificationField("Severity", severity), new NotificationField("About", alert.Key),
                new NotificationField("Fired", alert.FiredAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))],
            [new ParagraphBlock(alert.Message), new ParagraphBlock("This alert is sent once; it resolves by itself when the condition clears (`ciem alerts list`).")]);
    }

    /// <summary>A dispatcher with the one channel an alert channel names (the outbox as the fallback).</summary>
    public static NotificationDispatcher Dispatcher(AlertChannel channel, AlertSmtp? smtp, string stateDirectory, HttpClient http,
        Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(environment);
        var outbox = new OutboxChannel(channel.Folder ?? Path.Combine(ChannelState(stateDirectory, channel), "outbox"), smtp?.From);
        INotificationChannel target = channel.Type switch
        {
            "email" when smtp is not null => new SmtpChannel(new SmtpSettings(smtp.Host, smtp.Port, smtp.From, Tls(smtp.Tls), smtp.User, smtp.PasswordVariable), environment),
            "slack" or "teams" or "webhook" => new WebhookChannel(new WebhookSettings(channel.Name, WebhookUrl(channel, environment),
                channel.Type switch { "slack" => WebhookFormat.Slack, "teams" => WebhookFormat.Teams, _ => WebhookFormat.Json }), http),
            "outbox" => outbox,
            _ => throw new AlertChannelException($"channel `{channel.Name}` of type `{channel.Type}` cannot send (an e-mail channel needs `smtp`)"),
        };
        return new NotificationDispatcher([target], outbox, ChannelState(stateDirectory, channel), new RetrySettings(3, TimeSpan.FromMilliseconds(500)), time);
    }

    private static Uri WebhookUrl(AlertChannel channel, Func<string, string?> environment)
    {
        var text = channel.Url ?? (channel.UrlVariable is { } v ? environment(v) : null);
        if (text is null) { throw new AlertChannelException($"channel `{channel.Name}`: the environment variable `{channel.UrlVariable}` is not set"); }
        // The URL is a secret: the message names the variable, never the value.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new AlertChannelException($"channel `{channel.Name}`: the webhook address is not an absolute http or https URL");
        }
        return uri;
    }

    private static SmtpTls Tls(string tls) => tls switch
    {
        "implicit" => SmtpTls.Implicit,
        "starttls-when-available" => SmtpTls.StartTlsWhenAvailable,
        "none" => SmtpTls.None,
        _ => SmtpTls.StartTls,
    };

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..119] + "…";
}

/// <summary>An alert channel that cannot be built (a missing variable, a bad address); the alert is recorded as not sent.</summary>
public sealed class AlertChannelException : Exception
{
    public AlertChannelException() { }

    public AlertChannelException(string message) : base(message) { }

    public AlertChannelException(string message, Exception inner) : base(message, inner) { }
}
