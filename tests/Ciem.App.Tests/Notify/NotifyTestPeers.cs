using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ciem.App.Notify;
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

/// <summary>An HTTP listener on a loopback port answering each POST with the next status code of a script.</summary>
internal sealed class LoopbackWebhook : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<int> _statuses;
    private readonly Task _loop;

    public LoopbackWebhook(params int[] statuses)
    {
        _statuses = new Queue<int>(statuses);
        Port = TestNotifications.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/T000/B000/secret");

    public ConcurrentQueue<(string Body, string? ContentType, string? Notification)> Requests { get; } = new();

    public void Dispose()
    {
        // Close alone: on Linux, Close after Stop re-binds the port to unregister it and fails when another test
        // took that port in between ("Address already in use").
        try { _listener.Close(); }
        catch (HttpListenerException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue((body, context.Request.ContentType, context.Request.Headers["X-Ciem-Notification"]));
            int status;
            lock (_statuses) { status = _statuses.Count > 1 ? _statuses.Dequeue() : _statuses.Count == 1 ? _statuses.Peek() : 200; }
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
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
