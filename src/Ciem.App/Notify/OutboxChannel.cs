using System.Text;
using System.Text.Json;
using MimeKit;
using Ciem.Storage;

namespace Ciem.App.Notify;

/// <summary>
/// Writes each notification to a folder: the e-mail it would be (<c>.eml</c>, openable in any mail program) and its
/// JSON (<c>.json</c>) side by side, named by topic and key digest, written whole or not at all.
/// </summary>
public sealed class OutboxChannel : INotificationChannel
{
    public const string DefaultFrom = "ciem@localhost";

    private readonly string _directory;
    private readonly string _from;

    public OutboxChannel(string directory, string? from = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
        _from = from ?? DefaultFrom;
    }

    public string Name => "outbox";

    public bool CanDeliver(Notification notification) => true;

    public Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        try
        {
            OwnerOnly.CreateFolder(_directory);
            var stem = Path.Combine(_directory, FileStem(notification));
            var recipients = notification.Recipients.IsDefaultOrEmpty
                ? []
                : notification.Recipients.Where(r => MailboxAddress.TryParse(r, out _)).ToList();
            var message = NotificationMessage.Build(notification, _from, recipients);
            using (var eml = new MemoryStream())
            {
                message.WriteTo(eml, cancellationToken);
                WriteAtomically(stem + ".eml", eml.ToArray());
            }
            WriteAtomically(stem + ".json", JsonSerializer.SerializeToUtf8Bytes(notification, NotificationJson.Options));
            return Task.FromResult(stem + ".eml");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotificationSendException($"cannot write to the outbox `{_directory}`: {e.Message}", transient: true, e);
        }
    }

    /// <summary>`topic-digest`, with the topic reduced to letters, digits and dashes (keys hold untrusted names).</summary>
    public static string FileStem(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var topic = new StringBuilder();
        foreach (var c in notification.Topic)
        {
            topic.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
            if (topic.Length == 40) { break; }
        }
        return $"{topic}-{notification.KeyDigest}";
    }

    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        OwnerOnly.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
