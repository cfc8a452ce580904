using System.Collections.Immutable;
using Polly;
using Polly.Retry;

namespace Ciem.App.Notify;

/// <summary>What happened to one notification on one channel in a run.</summary>
public sealed record DeliveryOutcome(
    string Key,
    string Topic,
    string Subject,
    string Channel,
    DeliveryStatus Status,
    int Attempts,
    string? Detail,
    string? Error);

/// <summary>A run's deliveries; <see cref="Unreadable"/> lists pending files that could not be read back.</summary>
public sealed record NotifyResult(ImmutableArray<DeliveryOutcome> Outcomes, ImmutableArray<string> Unreadable)
{
    public int Sent => Outcomes.Count(o => o.Status == DeliveryStatus.Sent);

    public int AlreadySent => Outcomes.Count(o => o.Status == DeliveryStatus.AlreadySent);

    public int Failed => Outcomes.Count(o => o.Status == DeliveryStatus.Failed);
}

/// <summary>
/// Sends notifications through every configured channel once: the ledger skips a key a channel already delivered,
/// transient failures are retried with exponential backoff (Polly), and what still fails is recorded, reported and
/// kept in the pending folder for <see cref="RetryPendingAsync"/>. A notification no configured channel can
/// address (e-mail only, no recipient) goes to the outbox, so none is lost.
/// </summary>
public sealed class NotificationDispatcher
{
    private readonly ImmutableArray<INotificationChannel> _channels;
    private readonly INotificationChannel _fallback;
    private readonly string _stateDirectory;
    private readonly RetrySettings _retry;
    private readonly TimeProvider _time;

    public NotificationDispatcher(
        IEnumerable<INotificationChannel> channels,
        INotificationChannel fallback,
        string stateDirectory,
        RetrySettings? retry = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        _channels = [.. channels];
        _fallback = fallback;
        _stateDirectory = stateDirectory;
        _retry = retry ?? new RetrySettings();
        _time = time ?? TimeProvider.System;
        if (_retry.MaxAttempts < 1) { throw new ArgumentOutOfRangeException(nameof(retry), "at least one attempt"); }
    }

    /// <summary>The channels the settings name (SMTP, webhooks; the outbox when neither), plus the outbox fallback.</summary>
    public static NotificationDispatcher FromSettings(
        NotificationSettings settings,
        HttpClient http,
        TimeProvider time,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var outbox = new OutboxChannel(settings.OutboxDirectory, settings.Smtp?.From);
        var channels = new List<INotificationChannel>();
        if (settings.Smtp is { } smtp) { channels.Add(new SmtpChannel(smtp, environment)); }
        channels.AddRange(settings.WebhooksOrEmpty.Select(w => (INotificationChannel)new WebhookChannel(w, http)));
        if (channels.Count == 0) { channels.Add(outbox); }
        return new NotificationDispatcher(channels, outbox, settings.StateDirectory, settings.RetryOrDefault, time);
    }

    public IReadOnlyList<string> ChannelNames => [.. _channels.Select(c => c.Name)];

    public async Task<NotifyResult> SendAsync(IEnumerable<Notification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        using var ledger = NotificationLedger.Open(_stateDirectory);
        var outcomes = ImmutableArray.CreateBuilder<DeliveryOutcome>();
        foreach (var notification in notifications)
        {
            await DeliverAsync(ledger, notification, outcomes, cancellationToken).ConfigureAwait(false);
        }
        return new NotifyResult(outcomes.ToImmutable(), []);
    }

    /// <summary>Sends again every notification kept after a failure (on the channels that have not delivered it).</summary>
    public async Task<NotifyResult> RetryPendingAsync(CancellationToken cancellationToken = default)
    {
        using var ledger = NotificationLedger.Open(_stateDirectory);
        var (pending, unreadable) = ledger.Pending();
        var outcomes = ImmutableArray.CreateBuilder<DeliveryOutcome>();
        foreach (var notification in pending)
        {
            await DeliverAsync(ledger, notification, outcomes, cancellationToken).ConfigureAwait(false);
        }
        return new NotifyResult(outcomes.ToImmutable(), unreadable);
    }

    /// <summary>The notifications waiting for a retry.</summary>
    public ImmutableArray<Notification> Pending()
    {
        using var ledger = NotificationLedger.Open(_stateDirectory);
        return ledger.Pending().Notifications;
    }

    private async Task DeliverAsync(
        NotificationLedger ledger,
        Notification notification,
        ImmutableArray<DeliveryOutcome>.Builder outcomes,
        CancellationToken cancellationToken)
    {
        var targets = _channels.Where(c => c.CanDeliver(notification)).ToList();
        if (targets.Count == 0) { targets.Add(_fallback); }
        var failed = false;
        foreach (var channel in targets)
        {
            if (ledger.WasSent(notification.Key, channel.Name))
            {
                outcomes.Add(Outcome(notification, channel, DeliveryStatus.AlreadySent, 0, null, null));
                continue;
            }
            var attempts = 0;
            string? detail = null;
            string? error = null;
            try
            {
                detail = await Pipeline().ExecuteAsync(
                    async token =>
                    {
                        attempts++;
                        return await channel.SendAsync(notification, token).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (NotificationSendException e)
            {
                error = e.Message;
            }
            var status = error is null ? DeliveryStatus.Sent : DeliveryStatus.Failed;
            failed |= status == DeliveryStatus.Failed;
            ledger.Record(new LedgerEntry(notification.Key, notification.KeyDigest, notification.Topic, channel.Name, status,
                attempts, _time.GetUtcNow(), detail, error));
            outcomes.Add(Outcome(notification, channel, status, attempts, detail, error));
        }
        if (failed) { ledger.KeepPending(notification); }
        else { ledger.ClearPending(notification); }
    }

    private ResiliencePipeline<string> Pipeline()
    {
        var builder = new ResiliencePipelineBuilder<string> { TimeProvider = _time };
        if (_retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<string>
            {
                MaxRetryAttempts = _retry.MaxAttempts - 1,
                Delay = _retry.FirstDelayOrDefault,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<string>().Handle<NotificationSendException>(e => e.Transient),
            });
        }
        return builder.Build();
    }

    private static DeliveryOutcome Outcome(
        Notification n, INotificationChannel channel, DeliveryStatus status, int attempts, string? detail, string? error) =>
        new(n.Key, n.Topic, n.Subject, channel.Name, status, attempts, detail, error);
}
