using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Ciem.App.Notify;

/// <summary>E-mail over SMTP with MailKit: one connection per message, TLS as configured, password from the environment.</summary>
public sealed class SmtpChannel : INotificationChannel
{
    private readonly SmtpSettings _settings;
    private readonly Func<string, string?> _environment;

    public SmtpChannel(SmtpSettings settings, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public string Name => "smtp";

    public bool CanDeliver(Notification notification) => Recipients(notification).Count > 0;

    public async Task<string> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var recipients = Recipients(notification);
        if (recipients.Count == 0) { throw new NotificationSendException("no e-mail recipient and no default recipient", transient: false); }
        var message = NotificationMessage.Build(notification, _settings.From, recipients);
        using var client = new SmtpClient();
        client.Timeout = (int)(_settings.Timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        try
        {
            await client.ConnectAsync(_settings.Host, _settings.Port, SocketOptions(_settings.Tls), cancellationToken).ConfigureAwait(false);
            if (_settings.UserName is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, Password(), cancellationToken).ConfigureAwait(false);
            }
            var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return $"{message.MessageId} ({response.Trim()})";
        }
        catch (SmtpCommandException e)
        {
            // 4xx replies are temporary by definition (RFC 5321 §4.2.1); 5xx are permanent.
            var code = (int)e.StatusCode;
            throw new NotificationSendException($"the smtp server refused ({code}): {e.Message}", code is >= 400 and < 500, e);
        }
        catch (AuthenticationException e)
        {
            throw new NotificationSendException($"smtp authentication failed for `{_settings.UserName}`", transient: false, e);
        }
        catch (SslHandshakeException e)
        {
            throw new NotificationSendException($"tls with `{_settings.Host}:{_settings.Port}` failed: {e.Message}", transient: false, e);
        }
        catch (NotSupportedException e)
        {
            throw new NotificationSendException($"the smtp server cannot do what the settings ask: {e.Message}", transient: false, e);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or TimeoutException
            or ServiceNotConnectedException)
        {
            throw new NotificationSendException($"smtp `{_settings.Host}:{_settings.Port}` unreachable: {e.Message}", transient: true, e);
        }
    }

    private List<string> Recipients(Notification notification)
    {
        var all = notification.Recipients.IsDefaultOrEmpty ? _settings.DefaultRecipientsOrEmpty : notification.Recipients;
        return [.. all.Where(r => MailboxAddress.TryParse(r, out _))];
    }

    private string Password()
    {
        if (_settings.PasswordVariable is not { Length: > 0 } variable)
        {
            throw new NotificationSendException("smtp user set without a password variable", transient: false);
        }
        return _environment(variable) is { Length: > 0 } password
            ? password
            : throw new NotificationSendException($"the environment variable `{variable}` holding the smtp password is not set", transient: false);
    }

    private static SecureSocketOptions SocketOptions(SmtpTls tls) => tls switch
    {
        SmtpTls.Implicit => SecureSocketOptions.SslOnConnect,
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        _ => SecureSocketOptions.None,
    };
}

/// <summary>The MIME message for a notification: the same bytes go to SMTP and to the outbox.</summary>
public static class NotificationMessage
{
    public static MimeMessage Build(Notification notification, string from, IReadOnlyList<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(recipients);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in recipients) { message.To.Add(MailboxAddress.Parse(recipient)); }
        message.Subject = notification.Subject;
        // A Message-ID derived from the key lets a receiving system drop a duplicate too.
        message.MessageId = $"{notification.KeyDigest}@ciem.notify";
        message.Headers.Add("X-Ciem-Topic", notification.Topic);
        message.Headers.Add("X-Ciem-Notification", notification.KeyDigest);
        var body = new BodyBuilder { TextBody = notification.Text, HtmlBody = notification.Html };
        message.Body = body.ToMessageBody();
        return message;
    }
}
