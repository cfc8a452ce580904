using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.Diagnostics;
using Polly;
using Polly.Timeout;

namespace Ciem.Collect;

/// <summary>A list's pages as the API gave them, each the response body's bytes, with where each came from.</summary>
public sealed record RestPage(string Source, byte[] Body);

/// <summary>
/// Read-only `GET`s against one JSON REST API with a bearer token (ARM, Microsoft Graph, Google APIs): retried by
/// the <see cref="CallPolicy"/> on 429 and 5xx (honouring `Retry-After`), lists followed page by page through the
/// link the body carries (`nextLink`, `@odata.nextLink`) and only on the API's own origin (the token goes with
/// it), errors named by the service's `error.code` and `error.message`. Counts its calls.
/// </summary>
public sealed class RestJsonClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;
    private readonly string _api;
    private readonly Func<CancellationToken, ValueTask<string>> _token;
    private readonly CallPolicy _call;
    private readonly ResiliencePipeline<Answer> _pipeline;
    private int _calls;

    /// <param name="api">how the API is named in messages (`arm`, `graph`).</param>
    /// <param name="token">gives a bearer token (cached and renewed by the credential).</param>
    public RestJsonClient(HttpClient http, Uri root, string api, Func<CancellationToken, ValueTask<string>> token, CallPolicy call)
    {
        ArgumentNullException.ThrowIfNull(call);
        _http = http;
        _root = root;
        _api = api;
        _token = token;
        _call = call;
        _pipeline = call.Pipeline<Answer>(a => a.Status is 429 or >= 500, a => a.Wait);
    }

    public int Calls => _calls;

    public Uri Root => _root;

    /// <summary>One object (`GET` of a single resource).</summary>
    public async Task<RestPage> GetAsync(string relative, CancellationToken cancellationToken)
    {
        var uri = new Uri(_root, relative);
        return new RestPage(Source(uri), await SendAsync(uri, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Every page of a list, following <paramref name="nextMember"/> of each body while it stays on the API's origin.</summary>
    public async Task<List<RestPage>> PagesAsync(string relative, string nextMember, CancellationToken cancellationToken)
    {
        var pages = new List<RestPage>();
        await EachPageAsync(relative, nextMember, page =>
        {
            pages.Add(page);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return pages;
    }

    /// <summary>
    /// Hands every page of a list to <paramref name="onPage"/> as it arrives (a long log is not held in memory),
    /// following <paramref name="nextMember"/> as <see cref="PagesAsync"/> does; the number of pages.
    /// </summary>
    public async Task<int> EachPageAsync(string relative, string nextMember, Func<RestPage, Task> onPage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onPage);
        var count = 0;
        Uri? next = new(_root, relative);
        while (next is not null)
        {
            var body = await SendAsync(next, cancellationToken).ConfigureAwait(false);
            var source = count == 0 ? Source(next) : $"{Source(new Uri(_root, relative))}#{count + 1}";
            count++;
            await onPage(new RestPage(source, body)).ConfigureAwait(false);
            next = NextLink(body, nextMember, next);
        }
        return count;
    }

    /// <summary>
    /// Every page of a list that pages by token (Google APIs): each next request is the first with
    /// <paramref name="parameter"/> set to the body's <paramref name="tokenMember"/>, until a page has none.
    /// </summary>
    public async Task<List<RestPage>> TokenPagesAsync(string relative, CancellationToken cancellationToken,
        string tokenMember = "nextPageToken", string parameter = "pageToken")
    {
        var pages = new List<RestPage>();
        var first = new Uri(_root, relative);
        var next = first;
        while (true)
        {
            var body = await SendAsync(next, cancellationToken).ConfigureAwait(false);
            pages.Add(new RestPage(pages.Count == 0 ? Source(first) : $"{Source(first)}#{pages.Count + 1}", body));
            var token = Member(body, tokenMember, first);
            if (string.IsNullOrEmpty(token)) { return pages; }
            next = new Uri($"{first}{(first.Query.Length > 0 ? "&" : "?")}{parameter}={Uri.EscapeDataString(token)}");
        }
    }

    /// <summary>
    /// Hands every page of a list read by `POST` with a JSON body (Cloud Logging's `entries:list`, a read despite its
    /// verb) to <paramref name="onPage"/>: each next request is the same body with `pageToken` set to the previous
    /// page's `nextPageToken`. The number of pages.
    /// </summary>
    public async Task<int> PostEachPageAsync(string relative, JsonObject body, Func<RestPage, Task> onPage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(onPage);
        var count = 0;
        var uri = new Uri(_root, relative);
        var request = (JsonObject)body.DeepClone();
        while (true)
        {
            var answer = await SendAsync(uri, cancellationToken, HttpMethod.Post, request.ToJsonString()).ConfigureAwait(false);
            count++;
            await onPage(new RestPage(count == 1 ? Source(uri) : $"{Source(uri)}#{count}", answer)).ConfigureAwait(false);
            var token = Member(answer, "nextPageToken", uri);
            if (string.IsNullOrEmpty(token)) { return count; }
            request["pageToken"] = token;
        }
    }

    /// <summary>The items (`value`, or <paramref name="member"/>) of every page.</summary>
    public static IEnumerable<JsonElement> Items(IEnumerable<RestPage> pages, string member = "value")
    {
        ArgumentNullException.ThrowIfNull(pages);
        foreach (var page in pages)
        {
            using var json = JsonDocument.Parse(page.Body);
            foreach (var item in JsonAnswer.Items(json.RootElement, member)) { yield return item.Clone(); }
        }
    }

    private string Source(Uri uri) => $"{_api}-api://{uri.Authority}{uri.AbsolutePath}";

    /// <summary>A string member of an answer's body (the next link, the next page token).</summary>
    private string? Member(byte[] body, string member, Uri current)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return JsonAnswer.Str(json.RootElement, member);
        }
        catch (JsonException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"{_api} `{current.AbsolutePath}` answered with json that cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>An API root the token may be sent to: https, or http on a loopback address (local test servers); ends with `/`.</summary>
    /// <exception cref="CollectException">anything else (`CIEM6909`).</exception>
    public static Uri CheckedRoot(Uri uri, string what)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"{what} `{uri}` is not an https url (http is accepted on loopback only)");
        }
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    /// <summary>The first line of a library's message, bounded: enough to say why, never a wall of text.</summary>
    public static string FirstLine(string message)
    {
        var first = (message ?? "").Split('\n', 2)[0].Trim();
        return first[..Math.Min(first.Length, 300)];
    }

    private Uri? NextLink(byte[] body, string member, Uri current)
    {
        var link = Member(body, member, current);
        if (string.IsNullOrEmpty(link)) { return null; }
        if (!Uri.TryCreate(current, link, out var next) || next.Scheme != _root.Scheme
            || !string.Equals(next.Authority, _root.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"{_api} `GET {current.AbsolutePath}` gave a next page outside `{_root.GetLeftPart(UriPartial.Authority)}`; "
                    + "the token is not sent there");
        }
        return next;
    }

    private async Task<byte[]> SendAsync(Uri uri, CancellationToken cancellationToken, HttpMethod? method = null, string? json = null)
    {
        method ??= HttpMethod.Get;
        Answer answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(async token =>
            {
                var bearer = await _token(token).ConfigureAwait(false);
                Interlocked.Increment(ref _calls);
                using var request = new HttpRequestMessage(method, uri);
                if (json is not null) { request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"); }
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                return new Answer((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } at ? at - DateTimeOffset.UtcNow : null));
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectTimedOut,
                $"{_api} `{method} {uri.AbsolutePath}` did not answer within {_call.Timeout.TotalSeconds:0.#} s " +
                $"({_call.MaxRetries + 1} attempts)", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"{_api} `{method} {uri.AbsolutePath}` could not reach `{uri.Authority}`: {ex.Message}", ex);
        }
        if (answer.Status is >= 200 and < 300) { return answer.Body; }
        var (code, message) = Error(answer.Body);
        var said = code is null ? $"http {answer.Status}" : $"`{code}` (http {answer.Status})";
        throw new CollectException(answer.Status == 401 ? DiagnosticCodes.CollectCredentials : DiagnosticCodes.CollectCallFailed,
            $"{_api} `{method} {uri.AbsolutePath}` was refused with {said}{(message is null ? "" : $": {message}")}")
        {
            ServiceCode = code,
            Status = answer.Status,
        };
    }

    /// <summary>`{"error": {"code", "message"}}` (ARM, Graph; Google's `status` when its code is a number), control characters blanked,
    /// bounded.</summary>
    private static (string? Code, string? Message) Error(byte[] body)
    {
        try
        {
            var error = JsonNode.Parse(body)?["error"] as JsonObject;
            var code = error?["code"] is JsonValue c && c.TryGetValue<string>(out var text) ? text
                : error?["status"]?.GetValueKind() == JsonValueKind.String ? error["status"]!.GetValue<string>() : null;
            var message = error?["message"]?.GetValueKind() == JsonValueKind.String ? error["message"]!.GetValue<string>() : null;
            return (code, message is null ? null : new string([.. message.Take(300).Select(ch => char.IsControl(ch) ? ' ' : ch)]));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private sealed record Answer(int Status, byte[] Body, TimeSpan? Wait);
}
