using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Collections.Specialized;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Ciem.Tests;

/// <summary>One request as the loopback server received it.</summary>
/// <param name="Segments">the path's segments that matched a route's `{}` placeholders, in order.</param>
public sealed record LoopbackRequest(string Method, Uri Url, NameValueCollection Headers, byte[] Body, ImmutableArray<string> Segments)
{
    public string Path => Url.AbsolutePath;

    public string RawUrl => Url.PathAndQuery;

    public NameValueCollection Query => System.Web.HttpUtility.ParseQueryString(Url.Query);

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The server's own origin (`http://127.0.0.1:PORT`), for the absolute links an API gives.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);
}

/// <summary>An answer a route gives; headers may repeat (Okta sends each `Link` in its own header).</summary>
public sealed record LoopbackAnswer(int Status, string Body, string ContentType = "application/json", ImmutableArray<(string Name, string Value)> Headers = default)
{
    public static LoopbackAnswer Json(JsonNode body, int status = 200) => new(status, body.ToJsonString());

    /// <summary>A 429 asking to wait <paramref name="retryAfterSeconds"/> (`Retry-After`), with the service's error body.</summary>
    public static LoopbackAnswer TooManyRequests(int retryAfterSeconds, string body = "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"rate limit exceeded\"}}") =>
        new LoopbackAnswer(429, body).With("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture));

    public LoopbackAnswer With(string name, string value) => this with { Headers = Headers.IsDefault ? [(name, value)] : Headers.Add((name, value)) };
}

/// <summary>
/// The one HTTP test peer: a real server on a free loopback port that logs every request and answers either with a
/// raw handler (full control, e.g. a forwarder in front of moto) or from scripted routes (`GET /subscriptions/{}`
/// → recorded JSON, lists served in pages, a number of throttled or failed answers first). A request no route
/// matches gets a 404 naming it, so a test sees the call it did not expect.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Route> _routes = [];
    private readonly List<Script> _scripts = [];
    private readonly Task _loop;

    /// <summary>A server answering from the routes and scripts added with <see cref="Map"/>, <see cref="Throttle"/> and <see cref="Fail"/>.</summary>
    public LoopbackHttpServer() : this(null) { }

    /// <summary>A server answering every request with <paramref name="handler"/>; the response is closed after it.</summary>
    public LoopbackHttpServer(Func<HttpListenerContext, CancellationToken, Task>? handler)
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                _ = Task.Run(async () =>
                {
                    try { await (handler ?? Scripted)(context, _stop.Token).ConfigureAwait(false); }
                    catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or IOException) { }
                    finally
                    {
                        try { context.Response.Close(); }
                        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
                    }
                });
            }
        });
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Every request a scripted server received, in order of arrival.</summary>
    public ConcurrentQueue<LoopbackRequest> Requests { get; } = new();

    /// <summary>
    /// Answers <paramref name="method"/> on paths matching <paramref name="pattern"/> (`/a/{}/b`: `{}` is any one
    /// segment, compared without case as ARM does); the last route added wins over earlier ones.
    /// </summary>
    public LoopbackHttpServer Map(string method, string pattern, Func<LoopbackRequest, LoopbackAnswer> answer)
    {
        lock (_routes) { _routes.Insert(0, new Route(method, Split(pattern), answer)); }
        return this;
    }

    public LoopbackHttpServer Map(string method, string pattern, JsonNode body) => Map(method, pattern, _ => LoopbackAnswer.Json(body));

    /// <summary>
    /// Serves <paramref name="items"/> in pages of <paramref name="pageSize"/>: the page is chosen by the
    /// <paramref name="cursor"/> query parameter (an item offset), and <paramref name="render"/> shapes one page from
    /// its items and the absolute link to the next page (null on the last), as the API documents its paging.
    /// </summary>
    public LoopbackHttpServer MapPages(string pattern, Func<LoopbackRequest, JsonArray> items, int pageSize, string cursor,
        Func<JsonArray, string?, LoopbackAnswer> render)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(render);
        return Map("GET", pattern, request =>
        {
            var all = items(request);
            var start = int.TryParse(request.Query[cursor], NumberStyles.Integer, CultureInfo.InvariantCulture, out var at) ? at : 0;
            var page = new JsonArray([.. all.Skip(start).Take(pageSize).Select(i => i?.DeepClone())]);
            string? next = null;
            if (start + pageSize < all.Count)
            {
                var query = request.Query;
                query[cursor] = (start + pageSize).ToString(CultureInfo.InvariantCulture);
                next = $"{request.Origin}{request.Path}?{query}";
            }
            return render(page, next);
        });
    }

    /// <summary>The next <paramref name="times"/> requests whose path matches <paramref name="pattern"/> (any when null) get <paramref name="answer"/> instead.</summary>
    public LoopbackHttpServer Fail(LoopbackAnswer answer, int times = int.MaxValue, string? pattern = null)
    {
        lock (_scripts) { _scripts.Add(new Script(pattern is null ? null : Split(pattern), answer, times)); }
        return this;
    }

    /// <summary>The next <paramref name="times"/> matching requests are throttled: 429 with `Retry-After`.</summary>
    public LoopbackHttpServer Throttle(int times, int retryAfterSeconds = 1, string? pattern = null) =>
        Fail(LoopbackAnswer.TooManyRequests(retryAfterSeconds), times, pattern);

    /// <summary>How many logged requests went to a path matching <paramref name="pattern"/>.</summary>
    public int Count(string pattern) => Requests.Count(r => Matches(Split(pattern), r.Path, out _));

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Writes one answer on a raw handler's context.</summary>
    public static async Task Answer(HttpListenerContext context, int status, string body, string contentType = "text/xml", params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(headers);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        foreach (var (name, value) in headers) { context.Response.Headers.Add(name, value); }
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    public static async Task<string> Body(HttpListenerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reader = new StreamReader(context.Request.InputStream);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Cancel();
        // Close alone: on Linux, Close after Stop re-binds the port to unregister it and fails when another test
        // took that port in between ("Address already in use").
        try { _listener.Close(); }
        catch (HttpListenerException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        _stop.Dispose();
    }

    private async Task Scripted(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        var url = context.Request.Url!;
        var request = new LoopbackRequest(context.Request.HttpMethod, url, context.Request.Headers, body.ToArray(), []);
        Requests.Enqueue(request);
        var answer = Scripted(request);
        await Answer(context, answer.Status, answer.Body, answer.ContentType, answer.Headers.IsDefault ? [] : [.. answer.Headers]).ConfigureAwait(false);
    }

    private LoopbackAnswer Scripted(LoopbackRequest request)
    {
        lock (_scripts)
        {
            if (_scripts.FirstOrDefault(s => s.Times > 0 && (s.Pattern is null || Matches(s.Pattern, request.Path, out _))) is { } script)
            {
                script.Times--;
                return script.Answer;
            }
        }
        Route[] routes;
        lock (_routes) { routes = [.. _routes]; }
        foreach (var route in routes)
        {
            if (string.Equals(route.Method, request.Method, StringComparison.OrdinalIgnoreCase) && Matches(route.Pattern, request.Path, out var segments))
            {
                return route.Answer(request with { Segments = segments });
            }
        }
        return new LoopbackAnswer(404, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = $"no route for {request.Method} {request.Path}" },
        }.ToJsonString());
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool Matches(string[] pattern, string path, out ImmutableArray<string> segments)
    {
        var parts = Split(path).Select(Uri.UnescapeDataString).ToArray();
        segments = [];
        if (parts.Length != pattern.Length) { return false; }
        var captured = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (pattern[i] == "{}") { captured.Add(parts[i]); }
            else if (!string.Equals(pattern[i], parts[i], StringComparison.OrdinalIgnoreCase)) { return false; }
        }
        segments = captured.ToImmutable();
        return true;
    }

    private sealed record Route(string Method, string[] Pattern, Func<LoopbackRequest, LoopbackAnswer> Answer);

    private sealed class Script(string[]? pattern, LoopbackAnswer answer, int times)
    {
        public string[]? Pattern { get; } = pattern;

        public LoopbackAnswer Answer { get; } = answer;

        public int Times { get; set; } = times;
    }
}
