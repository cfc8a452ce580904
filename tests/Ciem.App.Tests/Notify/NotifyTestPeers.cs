using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Ciem.App.Notify;
using Ciem.Tests;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Ciem.App.Tests.Notify;

/// <summary>Test notifications with hostile names in every place a value can go.</summary>
internal static class TestNotifications
{
    public const string HostileName = "<script>alert(1)</script>&<@channel>*bold*[x](http://evil)";

    public static Notification Notice(string key = "review/c1/batch-1/owner-a", string recipient = "owner.a@example.test") => new(
        key,
        "review-notice",
        "Permissions to be removed from 1 identity",
        string.IsNullOrEmpty(recipient) ? [] : [recipient],
        [new NotificationField("Batch", "1"), new NotificationField("Deadline", "2026-12-14"), new NotificationField("Identity", HostileName)],
        [
            new ParagraphBlock("The permissions below have not been used in 90 days."),
            new ListBlock("role/" + HostileName, ["s3:DeleteBucket", "iam:PassRole"]),
            new PreformattedBlock("Diff", "- s3:DeleteBucket\n+ s3:GetObject"),
            new LinkBlock("Object", "https://ciem.example.test/object?id=1"),
            new LinkBlock("Script link", "javascript:alert(1)"),
        ]);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A real SMTP server (the SmtpServer package) on a loopback port, keeping every message it accepts.</summary>
internal sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;

    public LoopbackSmtpServer(int? port = null, (string User, string Password)? credentials = null)
    {
        Port = port ?? TestNotifications.FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port));
                if (credentials is not null) { e.AuthenticationRequired().AllowUnsecureAuthentication(); }
            })
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(Messages));
        if (credentials is { } c) { services.Add(new Authenticator(c.User, c.Password, LoginAttempts)); }
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public ConcurrentQueue<string> LoginAttempts { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(string user, string password, ConcurrentQueue<string> attempts) : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken)
        {
            attempts.Enqueue(user1);
            return Task.FromResult(user1 == user && password1 == password);
        }
    }
}

/// <summary>A webhook on the shared loopback server answering each POST with the next status code of a script (the last one repeats).</summary>
internal sealed class LoopbackWebhook : IDisposable
{
    private const string HookPath = "hooks/T000/B000/secret";
    private readonly LoopbackHttpServer _server = new();
    private readonly Queue<int> _statuses;

    public LoopbackWebhook(params int[] statuses)
    {
        _statuses = new Queue<int>(statuses);
        _server.Map("POST", "/" + HookPath, request =>
        {
            Requests.Enqueue((request.Text, request.Headers["Content-Type"], request.Headers["X-Ciem-Notification"]));
            int status;
            lock (_statuses) { status = _statuses.Count > 1 ? _statuses.Dequeue() : _statuses.Count == 1 ? _statuses.Peek() : 200; }
            return new LoopbackAnswer(status, "", "text/plain");
        });
    }

    public int Port => _server.Port;

    public Uri Url => new(_server.Url, HookPath);

    public ConcurrentQueue<(string Body, string? ContentType, string? Notification)> Requests { get; } = new();

    public void Dispose() => _server.Dispose();
}

/// <summary>A temporary folder removed at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ciem-test-" + Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
