using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ciem.Tests.Http;

/// <summary>One request as the server received it.</summary>
internal sealed record RecordedRequest(string Method, string RawPath, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A response the test chooses for a request.</summary>
internal sealed record ApiAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A real HTTP server on 127.0.0.1 (a random free port) that records every request and answers with the test's handler,
/// so the API clients are exercised over real sockets with real headers.
/// </summary>
internal sealed class RecordingApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, ApiAnswer> _handler;
    private readonly Task _loop;

    public RecordingApiServer(Func<RecordedRequest, ApiAnswer> handler)
    {
        _handler = handler;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "", headers, body);
            Requests.Enqueue(request);
            var answer = _handler(request);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            foreach (var (k, v) in answer.Headers ?? new Dictionary<string, string>()) { context.Response.Headers[k] = v; }
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        // Close alone: on Linux, Close after Stop re-binds the port to unregister it and fails when another test
        // took that port in between ("Address already in use").
        try { _listener.Close(); }
        catch (HttpListenerException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* the loop ends with the listener */ }
    }
}
