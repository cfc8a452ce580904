namespace Ciem.App.Notify;

/// <summary>
/// A way to deliver a notification. <see cref="SendAsync"/> throws <see cref="NotificationSendException"/> on
/// failure, telling whether a retry can help; the dispatcher retries, records and keeps what still fails.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The channel's name in the ledger and in reports (`smtp`, `webhook:NAME`, `outbox`): no secret.</summary>
    string Name { get; }

    /// <summary>Whether this channel can address the notification (e-mail needs a recipient).</summary>
    bool CanDeliver(Notification notification);

    /// <summary>Delivers once; returns where it went (a message id, a file path, an HTTP status).</summary>
    Task<string> SendAsync(Notification notification, CancellationToken cancellationToken);
}

/// <summary>A delivery failed; <see cref="Transient"/> says whether trying again soon can succeed.</summary>
public sealed class NotificationSendException : Exception
{
    public NotificationSendException() { }

    public NotificationSendException(string message) : base(message) { }

    public NotificationSendException(string message, Exception innerException) : base(message, innerException) { }

    public NotificationSendException(string message, bool transient, Exception? innerException = null)
        : base(message, innerException) => Transient = transient;

    public bool Transient { get; }
}
