using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;
using Amazon.SecurityToken;
using Ciem.Core.Diagnostics;
using Polly;
using Polly.Timeout;

namespace Ciem.Collect.Aws;

/// <summary>
/// Calls AWS APIs whose SDK packages this build does not carry (IAM, Organizations, KMS, SQS, SNS, Lambda, Secrets
/// Manager, ECR, CloudTrail) over <see cref="HttpClient"/>, each request signed by the SDK's own SigV4 signer
/// (<see cref="AWS4Signer"/>) with one account's credentials: the Query protocol (form body, XML answer), the JSON
/// protocol (`X-Amz-Target`) and REST-JSON GETs. Throttling, 5xx answers and time-outs are retried with jittered
/// exponential backoff (Retry-After honoured); any other error becomes a <see cref="CollectException"/> naming the
/// call and the account. Only read operations are ever passed in (see docs/collectors.md).
/// </summary>
public sealed class AwsCaller
{
    private static readonly AWS4Signer Signer = new();
    private static readonly AmazonSecurityTokenServiceConfig SignerConfig = new();

    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "EC2ThrottledException",
    };

    private static readonly HashSet<string> CredentialErrors = new(StringComparer.Ordinal)
    {
        "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException",
        "InvalidAccessKeyId", "AuthFailure", "RequestExpired", "InvalidSignatureException", "IncompleteSignature",
            "MissingAuthenticationToken",
    };

    private readonly HttpClient _http;
    private readonly ResiliencePipeline<AwsAnswer> _pipeline;

    /// <param name="account">the account these credentials read, for messages (null until known).</param>
    public AwsCaller(HttpClient http, AwsEndpoints endpoints, AWSCredentials credentials, string region, string? account, CallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
        Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        Region = region ?? throw new ArgumentNullException(nameof(region));
        Account = account;
        Policy = policy;
        _pipeline = Build(policy);
    }

    public AwsEndpoints Endpoints { get; }

    public AWSCredentials Credentials { get; }

    public string Region { get; }

    public string? Account { get; }

    public CallPolicy Policy { get; }

    /// <summary>The same connection for another account's credentials.</summary>
    public AwsCaller For(AWSCredentials credentials, string account) => new(_http, Endpoints, credentials, Region, account, Policy);

    /// <summary>A Query-protocol call (form POST); the `…Result` element of the answer.</summary>
    public async Task<XElement> QueryAsync(AwsService service, string action, string version,
        IEnumerable<KeyValuePair<string, string>>? parameters,
        CancellationToken cancellationToken, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var form = new StringBuilder($"Action={Uri.EscapeDataString(action)}&Version={Uri.EscapeDataString(version)}");
        foreach (var (key, value) in parameters ?? [])
        {
            form.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        var body = Encoding.UTF8.GetBytes(form.ToString());
        var answer = await SendAsync(service, action, region, "POST", "/", null, body, "application/x-www-form-urlencoded; charset=utf-8",
            null, cancellationToken)
            .ConfigureAwait(false);
        var document = ParseXml(answer, service, action);
        return document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == $"{action}Result")
            ?? new XElement($"{action}Result");
    }

    /// <summary>A JSON-protocol call (`X-Amz-Target: prefix.Action`); the answer's JSON (an empty object when the body is empty).</summary>
    public async Task<JsonElement> JsonAsync(AwsService service, string targetPrefix, string action, object request,
        CancellationToken cancellationToken,
        string? region = null, string jsonVersion = "1.1")
    {
        ArgumentNullException.ThrowIfNull(service);
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        var answer = await SendAsync(service, action, region, "POST", "/", null, body, $"application/x-amz-json-{jsonVersion}",
            $"{targetPrefix}.{action}", cancellationToken).ConfigureAwait(false);
        return ParseJson(answer, service, action);
    }

    /// <summary>A REST-JSON GET; the answer's JSON.</summary>
    public async Task<JsonElement> RestGetAsync(AwsService service, string action, string path,
        IReadOnlyList<KeyValuePair<string, string>>? query,
        CancellationToken cancellationToken, string? region = null)
    {
        var answer = await SendAsync(service, action, region, "GET", path, query, [], null, null, cancellationToken).ConfigureAwait(false);
        return ParseJson(answer, service, action);
    }

    private async Task<AwsAnswer> SendAsync(AwsService service, string action, string? region, string method, string path,
        IReadOnlyList<KeyValuePair<string, string>>? query, byte[] body, string? contentType, string? target,
            CancellationToken cancellationToken)
    {
        var callRegion = region ?? Region;
        var endpoint = Endpoints.For(service, callRegion);
        AwsAnswer answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(async token =>
            {
                // Signed anew on every attempt: the signature covers the time.
                using var message = await SignAsync(service, callRegion, endpoint, method, path, query, body, contentType, target)
                    .ConfigureAwait(false);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                var retryAfter = response.Headers.RetryAfter is { } header
                    ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                    : null;
                var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.FirstOrDefault() : null;
                return new AwsAnswer((int)response.StatusCode, bytes, retryAfter, errorType);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectTimedOut,
                $"{Describe(service, action)} did not answer within {Policy.Timeout.TotalSeconds:0.#} s ({Policy.MaxRetries + 1} attempts) "
                    + $"at `{endpoint.GetLeftPart(UriPartial.Authority)}`", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"{Describe(service, action)} could not reach `{endpoint.GetLeftPart(UriPartial.Authority)}`: {ex.Message}", ex);
        }
        catch (AmazonClientException ex)
        {
            // The credentials are resolved (or refreshed: SSO, web identity, instance metadata) as the call is signed.
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"{Describe(service, action)} could not be signed: the credentials could not be obtained: {ex.Message}", ex);
        }
        if (answer.Status is >= 200 and < 300) { return answer; }
        throw Failure(answer, service, action);
    }

    private async Task<HttpRequestMessage> SignAsync(AwsService service, string region, Uri endpoint, string method, string path,
        IReadOnlyList<KeyValuePair<string, string>>? query, byte[] body, string? contentType, string? target)
    {
        var credentials = await Credentials.GetCredentialsAsync().ConfigureAwait(false);
        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        var request = new DefaultRequest(new ReadRequest(), service.SigningName)
        {
            HttpMethod = method,
            Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Authority)),
            ResourcePath = basePath + path,
            AuthenticationRegion = service.RegionFor(region),
            OverrideSigningServiceName = service.SigningName,
            Content = body.Length > 0 ? body : null,
            UseQueryString = query is { Count: > 0 },
        };
        foreach (var (key, value) in query ?? []) { request.Parameters[key] = value; }
        if (contentType is not null) { request.Headers["Content-Type"] = contentType; }
        if (target is not null) { request.Headers["X-Amz-Target"] = target; }
        if (credentials.UseToken) { request.Headers["X-Amz-Security-Token"] = credentials.Token; }
        Signer.Sign(request, SignerConfig, new RequestMetrics(), Credentials);

        var uri = new UriBuilder(request.Endpoint) { Path = request.ResourcePath };
        if (query is { Count: > 0 })
        {
            uri.Query = string.Join('&', query.OrderBy(q => q.Key, StringComparer.Ordinal)
                .Select(q => $"{Amazon.Util.AWSSDKUtils.UrlEncode(q.Key, false)}={Amazon.Util.AWSSDKUtils.UrlEncode(q.Value, false)}"));
        }
        var message = new HttpRequestMessage(new HttpMethod(method), uri.Uri);
        if (body.Length > 0) { message.Content = new ByteArrayContent(body); }
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return message;
    }

    private static ResiliencePipeline<AwsAnswer> Build(CallPolicy policy)
        => policy.Pipeline<AwsAnswer>(IsRetryable, answer => answer.RetryAfter);

    private static bool IsRetryable(AwsAnswer answer) =>
        answer.Status is 429 or 500 or 502 or 503 or 504 || (answer.Status == 400 && ErrorOf(answer).Code is { } code
            && Throttling.Contains(code));

    private CollectException Failure(AwsAnswer answer, AwsService service, string action)
    {
        var (code, text) = ErrorOf(answer);
        var what = Describe(service, action);
        var said = code is null ? $"http {answer.Status}" : $"`{code}`";
        var detail = string.IsNullOrWhiteSpace(text) ? "" : $": {Clip(text)}";
        var diagnostic = code is not null && CredentialErrors.Contains(code) ? DiagnosticCodes.CollectCredentials
            : DiagnosticCodes.CollectCallFailed;
        return new CollectException(diagnostic, $"{what} was refused with {said}{detail}") { ServiceCode = code, Status = answer.Status };
    }

    /// <summary>The error code and message of a failed answer, in any of the protocols' shapes.</summary>
    internal static (string? Code, string? Message) ErrorOf(AwsAnswer answer)
    {
        var code = answer.ErrorType?.Split(':')[0];
        var text = Encoding.UTF8.GetString(answer.Body).Trim();
        if (text.StartsWith('<'))
        {
            try
            {
                var xml = XDocument.Parse(text);
                var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error") ?? xml.Root;
                return (code ?? Child(error, "Code"), Child(error, "Message"));
            }
            catch (System.Xml.XmlException)
            {
                return (code, null);
            }
        }
        if (text.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                var type = Str(root, "__type") ?? Str(root, "code") ?? Str(root, "Code") ?? Str(root, "Type");
                code ??= type?.Split('#')[^1];
                return (code, Str(root, "message") ?? Str(root, "Message"));
            }
            catch (JsonException)
            {
                return (code, null);
            }
        }
        return (code, null);
    }

    private static string? Child(XElement? element, string name) => element?.Elements()
        .FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string? Str(JsonElement element, string name) => JsonAnswer.Str(element, name);

    private string Describe(AwsService service, string action) =>
        Account is null ? $"`{service.SigningName}:{action}`" : $"`{service.SigningName}:{action}` in account `{Account}`";

    /// <summary>A service message on one line and of bounded length (it reaches a terminal).</summary>
    private static string Clip(string text)
    {
        var line = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    private static XDocument ParseXml(AwsAnswer answer, AwsService service, string action)
    {
        try
        {
            return XDocument.Parse(Encoding.UTF8.GetString(answer.Body));
        }
        catch (System.Xml.XmlException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"`{service.SigningName}:{action}` answered with xml that cannot be read: {ex.Message}", ex);
        }
    }

    private static JsonElement ParseJson(AwsAnswer answer, AwsService service, string action)
    {
        if (answer.Body.Length == 0) { return JsonDocument.Parse("{}").RootElement.Clone(); }
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            return json.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"`{service.SigningName}:{action}` answered with json that cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>The request object the SDK's request type needs; the call itself is described by the request's fields.</summary>
    private sealed class ReadRequest : AmazonWebServiceRequest;
}

/// <summary>One HTTP answer: status, body, the Retry-After it asked for, and `x-amzn-ErrorType`.</summary>
internal sealed record AwsAnswer(int Status, byte[] Body, TimeSpan? RetryAfter, string? ErrorType);
