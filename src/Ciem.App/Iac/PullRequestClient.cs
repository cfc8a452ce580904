using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.Diagnostics;

namespace Ciem.App.Iac;

/// <summary>The code-hosting service a branch is proposed to.</summary>
public enum Forge
{
    GitHub,
    GitLab,
}

/// <summary>Where to open the pull (merge) request: the service, its REST API base, the repository (`owner/name` or a GitLab project path).</summary>
public sealed record PullRequestTarget(Forge Forge, Uri ApiBase, string Repository, string TokenVariable);

/// <summary>What to open: the pushed branch (head/source), the branch to merge into (base/target), title and description.</summary>
public sealed record PullRequestRequest(string Head, string Base, string Title, string Body);

/// <summary>The pull request opened, or the open one for the branch that was updated instead.</summary>
public sealed record PullRequestResult(long Number, string Url, bool Updated);

/// <summary>The API refused the request or could not be reached; the message says what to check (never the token).</summary>
public sealed class PullRequestException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Opens a pull request through a forge's REST API with a token, or updates the open one for the same branch. Rate
/// limiting (429, or 403 with the limit exhausted) is retried after `Retry-After` / the reset time when that is within
/// <see cref="MaxWait"/>; every other failure is a <see cref="PullRequestException"/> whose message names what to check.
/// </summary>
public abstract class PullRequestClient
{
    private readonly HttpClient _http;
    private readonly string _token;
    private readonly TimeProvider _clock;

    protected PullRequestClient(HttpClient http, PullRequestTarget target, string token, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(target);
        if (ForgeSecurity.TokenProblem(token) is { } problem) { throw new ArgumentException($"the token cannot be sent: {problem}", nameof(token)); }
        _http = http;
        Target = target;
        _token = token;
        _clock = clock;
    }

    public PullRequestTarget Target { get; }

    /// <summary>The API base as printed: without any user part.</summary>
    private string Api => ForgeSecurity.Redact(Target.ApiBase.AbsoluteUri);

    /// <summary>The longest wait for a rate limit to reset before giving up.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per request when rate limited.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>"pull request" or "merge request".</summary>
    public abstract string Noun { get; }

    protected abstract string ServiceName { get; }

    /// <summary>What the token needs, for the 403 message.</summary>
    protected abstract string TokenScopes { get; }

    public static PullRequestClient Create(HttpClient http, PullRequestTarget target, string token, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Forge == Forge.GitHub ? new GitHubPullRequests(http, target, token, clock) : new GitLabMergeRequests(http, target, token, clock);
    }

    /// <summary>Opens the pull request, or updates the open one whose head is <see cref="PullRequestRequest.Head"/>.</summary>
    public abstract Task<PullRequestResult> OpenAsync(PullRequestRequest request, CancellationToken cancellationToken = default);

    protected abstract void Authorize(HttpRequestMessage message, string token);

    /// <summary>One API call; <paramref name="tolerated"/> statuses are returned to the caller instead of becoming errors.</summary>
    protected async Task<ApiResponse> SendAsync(HttpMethod method, string relativePath, object? body, PullRequestRequest context, CancellationToken cancellationToken, params HttpStatusCode[] tolerated)
    {
        ArgumentNullException.ThrowIfNull(context);
        var uri = new Uri(Target.ApiBase.AbsoluteUri.TrimEnd('/') + "/" + relativePath);
        for (var attempt = 1; ; attempt++)
        {
            using var message = new HttpRequestMessage(method, uri);
            message.Headers.UserAgent.Add(new ProductInfoHeaderValue("OpenCIEM", "1.0"));
            Authorize(message, _token);
            if (body is not null) { message.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"); }
            HttpResponseMessage response;
            string text;
            try
            {
                response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                throw new PullRequestException(DiagnosticCodes.PullRequestUnreachable,
                    $"cannot reach the {ServiceName} API at `{Api}`: {(e is TaskCanceledException ? "the request timed out" : ForgeSecurity.Redact(e.Message))}");
            }
            using (response)
            {
                var status = response.StatusCode;
                if ((int)status is >= 300 and < 400)
                {
                    // The handler follows no redirect (ForgeSecurity.CreateHttpClient): the token stays with the API base.
                    var to = response.Headers.Location is { } l ? ForgeSecurity.Redact(new Uri(uri, l).AbsoluteUri) : "nowhere";
                    throw new PullRequestException(DiagnosticCodes.PullRequestRedirected,
                        $"the {ServiceName} API at `{Api}` answered {(int)status} {response.ReasonPhrase}, a redirect to `{to}`: "
                        + "not followed, so the token is not sent there; give --api-url the address that answers itself");
                }
                var json = Parse(text);
                if (response.IsSuccessStatusCode || tolerated.Contains(status)) { return new ApiResponse(status, json); }
                if (RateLimitWait(response) is { } wait)
                {
                    if (attempt < MaxAttempts && wait <= MaxWait)
                    {
                        await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _clock, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    throw new PullRequestException(DiagnosticCodes.PullRequestRateLimited,
                        $"the {ServiceName} API is rate limiting this token ({(int)status} {response.ReasonPhrase}{Detail(json)}): retry after {(_clock.GetUtcNow() + wait).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
                }
                throw new PullRequestException(DiagnosticCodes.PullRequestRejected, Explain(status, response.ReasonPhrase, json, context));
            }
        }
    }

    private string Explain(HttpStatusCode status, string? reason, JsonNode? json, PullRequestRequest request)
    {
        var what = $"({(int)status} {reason}{Detail(json)})";
        return status switch
        {
            HttpStatusCode.Unauthorized => $"the {ServiceName} API at `{Api}` rejected the token in `${Target.TokenVariable}` {what}: check that it holds a valid token that has not expired or been revoked",
            HttpStatusCode.Forbidden => $"the token in `${Target.TokenVariable}` may not open a {Noun} on `{Target.Repository}` {what}: check its scopes ({TokenScopes}) and that its owner may push to the repository",
            HttpStatusCode.NotFound => $"`{Target.Repository}` was not found at `{Api}` {what}: check --repository (or the push remote's URL), --api-url, and that the token can see the repository",
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.Conflict =>
                $"{ServiceName} refused the {Noun} from `{request.Head}` into `{request.Base}` {what}: check that `{request.Base}` exists on the remote and that `{request.Head}` has commits it does not have",
            _ => $"the {ServiceName} API at `{Api}` answered {what}: try again later, or open the {Noun} by hand",
        };
    }

    /// <summary>How long to wait when the response says the rate limit is exhausted; null when it is another failure.</summary>
    private TimeSpan? RateLimitWait(HttpResponseMessage response)
    {
        var limited = response.StatusCode == HttpStatusCode.TooManyRequests
            || (response.StatusCode == HttpStatusCode.Forbidden && (Header(response, "x-ratelimit-remaining") == "0" || response.Headers.RetryAfter is not null));
        if (!limited) { return null; }
        var now = _clock.GetUtcNow();
        if (response.Headers.RetryAfter is { } retry)
        {
            return retry.Delta ?? (retry.Date is { } date ? date - now : TimeSpan.FromSeconds(60));
        }
        foreach (var name in new[] { "x-ratelimit-reset", "ratelimit-reset" })
        {
            if (long.TryParse(Header(response, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
            {
                return DateTimeOffset.FromUnixTimeSeconds(epoch) - now;
            }
        }
        // GitHub's secondary limits without a header: wait at least a minute.
        return TimeSpan.FromSeconds(60);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static JsonNode? Parse(string text)
    {
        try { return text.Length == 0 ? null : JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    /// <summary>The API's own explanation (GitHub `message` and `errors[]`, GitLab `message` or `error`), short.</summary>
    private static string Detail(JsonNode? json)
    {
        if (json is not JsonObject o) { return ""; }
        var parts = new List<string>();
        Collect(o["message"] ?? o["error"], parts);
        if (o["errors"] is JsonArray errors)
        {
            foreach (var e in errors)
            {
                if (e is JsonObject eo && eo["message"] is null) { parts.Add(string.Join(" ", new[] { eo["resource"], eo["field"], eo["code"] }.OfType<JsonNode>().Select(n => n.ToString()))); }
                else { Collect(e is JsonObject x ? x["message"] : e, parts); }
            }
        }
        var text = string.Join("; ", parts.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal));
        if (text.Length > 300) { text = text[..300] + "…"; }
        return text.Length == 0 ? "" : ": " + text;
    }

    private static void Collect(JsonNode? node, List<string> parts)
    {
        switch (node)
        {
            case null: return;
            case JsonArray a: foreach (var x in a) { Collect(x, parts); } return;
            case JsonObject o: foreach (var (k, v) in o) { parts.Add($"{k} {string.Join(", ", v is JsonArray va ? va.Select(x => x?.ToString()) : [v?.ToString()])}"); } return;
            default: parts.Add(node.ToString()); return;
        }
    }

    protected sealed record ApiResponse(HttpStatusCode Status, JsonNode? Json);
}

/// <summary>GitHub (and GitHub Enterprise Server): `POST /repos/{owner}/{repo}/pulls`, the open one found by `head=owner:branch`.</summary>
internal sealed class GitHubPullRequests(HttpClient http, PullRequestTarget target, string token, TimeProvider clock)
    : PullRequestClient(http, target, token, clock)
{
    /// <summary>GitHub's limit on a pull request's body.</summary>
    public const int MaxBody = 65536;

    public override string Noun => "pull request";

    protected override string ServiceName => "GitHub";

    protected override string TokenScopes => "classic: `repo`; fine-grained: `Pull requests: write` and `Contents: read`";

    public override async Task<PullRequestResult> OpenAsync(PullRequestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = Truncate(request.Body);
        var repo = string.Join('/', Target.Repository.Split('/').Select(Uri.EscapeDataString));
        var owner = Target.Repository.Split('/')[0];
        if (await FindOpenAsync(repo, owner, request, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return await UpdateAsync(repo, existing, request, body, cancellationToken).ConfigureAwait(false);
        }
        var created = await SendAsync(HttpMethod.Post, $"repos/{repo}/pulls", new { title = request.Title, head = request.Head, @base = request.Base, body }, request, cancellationToken, HttpStatusCode.UnprocessableEntity).ConfigureAwait(false);
        if (created.Status == HttpStatusCode.UnprocessableEntity)
        {
            // Opened by someone else between the search and the create: update that one.
            if (created.Json?.ToJsonString().Contains("already exists", StringComparison.OrdinalIgnoreCase) == true
                && await FindOpenAsync(repo, owner, request, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return await UpdateAsync(repo, raced, request, body, cancellationToken).ConfigureAwait(false);
            }
            await SendAsync(HttpMethod.Post, $"repos/{repo}/pulls", new { title = request.Title, head = request.Head, @base = request.Base, body }, request, cancellationToken).ConfigureAwait(false);
        }
        return Result(created.Json, updated: false);
    }

    protected override void Authorize(HttpRequestMessage message, string token)
    {
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        message.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<long?> FindOpenAsync(string repo, string owner, PullRequestRequest request, CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, $"repos/{repo}/pulls?state=open&head={Uri.EscapeDataString(owner + ":" + request.Head)}", null, request, cancellationToken).ConfigureAwait(false);
        return list.Json is JsonArray { Count: > 0 } a && a[0]?["number"] is JsonValue n ? n.GetValue<long>() : null;
    }

    private async Task<PullRequestResult> UpdateAsync(string repo, long number, PullRequestRequest request, string body, CancellationToken cancellationToken)
    {
        var updated = await SendAsync(HttpMethod.Patch, $"repos/{repo}/pulls/{number}", new { title = request.Title, body, @base = request.Base }, request, cancellationToken).ConfigureAwait(false);
        return Result(updated.Json, updated: true);
    }

    private static PullRequestResult Result(JsonNode? json, bool updated) =>
        new(json?["number"]?.GetValue<long>() ?? 0, json?["html_url"]?.GetValue<string>() ?? "", updated);

    private static string Truncate(string body)
    {
        const string Note = "\n\n… truncated: the full description is in PR.md beside the proposals.\n";
        return body.Length <= MaxBody ? body : body[..(MaxBody - Note.Length)] + Note;
    }
}

/// <summary>GitLab (and self-managed): `POST /projects/:id/merge_requests` with the URL-encoded project path, a bearer token.</summary>
internal sealed class GitLabMergeRequests(HttpClient http, PullRequestTarget target, string token, TimeProvider clock)
    : PullRequestClient(http, target, token, clock)
{
    public override string Noun => "merge request";

    protected override string ServiceName => "GitLab";

    protected override string TokenScopes => "`api`, role Developer or above";

    public override async Task<PullRequestResult> OpenAsync(PullRequestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var project = Uri.EscapeDataString(Target.Repository);
        if (await FindOpenAsync(project, request, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return await UpdateAsync(project, existing, request, cancellationToken).ConfigureAwait(false);
        }
        var payload = new { source_branch = request.Head, target_branch = request.Base, title = request.Title, description = request.Body };
        var created = await SendAsync(HttpMethod.Post, $"projects/{project}/merge_requests", payload, request, cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
        if (created.Status == HttpStatusCode.Conflict)
        {
            // 409: another open merge request already exists for this source branch.
            if (await FindOpenAsync(project, request, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                return await UpdateAsync(project, raced, request, cancellationToken).ConfigureAwait(false);
            }
            await SendAsync(HttpMethod.Post, $"projects/{project}/merge_requests", payload, request, cancellationToken).ConfigureAwait(false);
        }
        return Result(created.Json, updated: false);
    }

    protected override void Authorize(HttpRequestMessage message, string token)
    {
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // GitLab takes personal, project and group access tokens as OAuth-compliant bearer tokens too: one standard
        // header that every HTTP stack knows to keep off redirects and out of logs.
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<long?> FindOpenAsync(string project, PullRequestRequest request, CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, $"projects/{project}/merge_requests?state=opened&source_branch={Uri.EscapeDataString(request.Head)}", null, request, cancellationToken).ConfigureAwait(false);
        return list.Json is JsonArray { Count: > 0 } a && a[0]?["iid"] is JsonValue n ? n.GetValue<long>() : null;
    }

    private async Task<PullRequestResult> UpdateAsync(string project, long iid, PullRequestRequest request, CancellationToken cancellationToken)
    {
        var updated = await SendAsync(HttpMethod.Put, $"projects/{project}/merge_requests/{iid}", new { title = request.Title, description = request.Body, target_branch = request.Base }, request, cancellationToken).ConfigureAwait(false);
        return Result(updated.Json, updated: true);
    }

    private static PullRequestResult Result(JsonNode? json, bool updated) =>
        new(json?["iid"]?.GetValue<long>() ?? 0, json?["web_url"]?.GetValue<string>() ?? "", updated);
}
