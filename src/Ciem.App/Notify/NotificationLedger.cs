using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.Storage;

namespace Ciem.App.Notify;

/// <summary>The JSON shape of notifications and ledger entries (files in the state and outbox folders).</summary>
public static class NotificationJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    internal static readonly JsonSerializerOptions Line = new(Options) { WriteIndented = false };
}

public enum DeliveryStatus
{
    /// <summary>Delivered in this run.</summary>
    Sent,

    /// <summary>The ledger shows an earlier delivery of this key on this channel: not sent again.</summary>
    AlreadySent,

    /// <summary>Every attempt failed: recorded and kept in the pending folder for the next retry.</summary>
    Failed,
}

/// <summary>One line of the ledger: what happened to one notification on one channel.</summary>
public sealed record LedgerEntry(
    string Key,
    string Digest,
    string Topic,
    string Channel,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset At,
    string? Detail,
    string? Error);

/// <summary>
/// The send ledger: an append-only JSON-lines file of deliveries (<c>ledger.jsonl</c>) and a folder of the
/// notifications that still have a failed channel (<c>pending/DIGEST.json</c>). Opening takes an exclusive lock file,
/// so two runs never send the same notification at once.
/// </summary>
public sealed class NotificationLedger : IDisposable
{
    private readonly string _directory;
    private readonly FileStream _lock;
    private readonly Dictionary<(string Key, string Channel), LedgerEntry> _latest = [];

    private NotificationLedger(string directory, FileStream lockFile)
    {
        _directory = directory;
        _lock = lockFile;
    }

    public string LedgerPath => Path.Combine(_directory, "ledger.jsonl");

    public string PendingDirectory => Path.Combine(_directory, "pending");

    /// <summary>Opens (creating) the ledger in <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">another run holds the ledger.</exception>
    public static NotificationLedger Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        OwnerOnly.CreateFolder(directory);
        FileStream lockFile;
        try
        {
            lockFile = OwnerOnly.Open(Path.Combine(directory, "ledger.lock"), FileMode.OpenOrCreate);
        }
        catch (IOException e)
        {
            throw new IOException($"the notification ledger `{directory}` is in use by another run", e);
        }
        var ledger = new NotificationLedger(directory, lockFile);
        ledger.Load();
        return ledger;
    }

    /// <summary>Every entry, oldest first, as the file holds them.</summary>
    public IReadOnlyList<LedgerEntry> Entries()
    {
        if (!File.Exists(LedgerPath)) { return []; }
        var entries = new List<LedgerEntry>();
        foreach (var line in File.ReadLines(LedgerPath, Encoding.UTF8))
        {
            if (line.Length == 0) { continue; }
            try
            {
                if (JsonSerializer.Deserialize<LedgerEntry>(line, NotificationJson.Line) is { } entry) { entries.Add(entry); }
            }
            catch (JsonException)
            {
                // A torn last line (a crash mid-write) is ignored: the notification it stood for is still pending.
            }
        }
        return entries;
    }

    public bool WasSent(string key, string channel) =>
        _latest.TryGetValue((key, channel), out var entry) && entry.Status == DeliveryStatus.Sent;

    public void Record(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = JsonSerializer.Serialize(entry, NotificationJson.Line) + "\n";
        using (var stream = OwnerOnly.Open(LedgerPath, FileMode.Append, FileShare.Read))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        _latest[(entry.Key, entry.Channel)] = entry;
    }

    /// <summary>Keeps a notification for retry (its channels that failed are in the ledger).</summary>
    public void KeepPending(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        OwnerOnly.CreateFolder(PendingDirectory);
        OutboxChannel.WriteAtomically(PendingPath(notification),
            JsonSerializer.SerializeToUtf8Bytes(notification, NotificationJson.Options));
    }

    public void ClearPending(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var path = PendingPath(notification);
        if (File.Exists(path)) { File.Delete(path); }
    }

    /// <summary>The notifications kept for retry, with any file that does not read back listed as unreadable.</summary>
    public (ImmutableArray<Notification> Notifications, ImmutableArray<string> Unreadable) Pending()
    {
        if (!Directory.Exists(PendingDirectory)) { return ([], []); }
        var notifications = ImmutableArray.CreateBuilder<Notification>();
        var unreadable = ImmutableArray.CreateBuilder<string>();
        foreach (var file in Directory.EnumerateFiles(PendingDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                if (JsonSerializer.Deserialize<Notification>(File.ReadAllBytes(file), NotificationJson.Options) is { } n)
                {
                    notifications.Add(n);
                    continue;
                }
            }
            catch (JsonException)
            {
                // Reported below, and the file stays for a person to look at.
            }
            unreadable.Add(file);
        }
        return (notifications.ToImmutable(), unreadable.ToImmutable());
    }

    public void Dispose() => _lock.Dispose();

    private string PendingPath(Notification notification) => Path.Combine(PendingDirectory, notification.KeyDigest + ".json");

    private void Load()
    {
        foreach (var entry in Entries()) { _latest[(entry.Key, entry.Channel)] = entry; }
    }
}
