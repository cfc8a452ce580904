using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect.Aws;

/// <summary>
/// The credentials, region, endpoints and clients of one run: the SDK's standard credential chain (or a named
/// profile), the STS and S3 SDK clients pointed at the configured endpoints, and an <see cref="AwsCaller"/> for
/// the calls signed here. One HTTP connection pool for the whole run.
/// </summary>
internal sealed class AwsConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<(AWSCredentials, string), IAmazonS3> _s3 = new();
    private readonly List<IDisposable> _owned = [];
    private readonly AwsCollectOptions _options;

    private AwsConnection(AwsCollectOptions options, AWSCredentials credentials, string region, AwsEndpoints endpoints)
    {
        _options = options;
        Credentials = credentials;
        Region = region;
        Endpoints = endpoints;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            { Timeout = Timeout.InfiniteTimeSpan };
        Caller = new AwsCaller(_http, endpoints, credentials, region, null, options.Call);
        Sts = new AmazonSecurityTokenServiceClient(credentials, Config(new AmazonSecurityTokenServiceConfig(), AwsService.Sts, region));
    }

    public AWSCredentials Credentials { get; }

    public string Region { get; }

    public AwsEndpoints Endpoints { get; }

    public AwsCaller Caller { get; }

    public IAmazonSecurityTokenService Sts { get; }

    /// <summary>Resolves the credentials (profile, else the standard chain), the region and the endpoints.</summary>
    public static AwsConnection Open(AwsCollectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chain = new CredentialProfileStoreChain();
        CredentialProfile? profile = null;
        var profileName = options.Profile ?? options.Environment("AWS_PROFILE");
        if (profileName is not null && !chain.TryGetProfile(profileName, out profile) && options.Profile is not null)
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"aws profile `{profileName}` is not in the shared config or credentials file");
        }
        if (profile is null && profileName is null) { chain.TryGetProfile("default", out profile); }
        var region = options.Region ?? options.Environment("AWS_REGION") ?? options.Environment("AWS_DEFAULT_REGION")
            ?? profile?.Region?.SystemName ?? "us-east-1";
        AWSCredentials credentials;
        try
        {
            credentials = options.Credentials
                ?? (options.Profile is not null && profile is not null ? profile.GetAWSCredentials(chain)
                    : DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
        }
        catch (AmazonClientException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"no aws credentials found (environment, shared profiles, sso, container and instance metadata were "
                    + $"tried): {OneLine(ex.Message)}", ex);
        }
        return new AwsConnection(options, credentials, region, new AwsEndpoints(options.Environment, profile));
    }

    /// <summary>The account and ARN of the credentials (`sts:GetCallerIdentity`).</summary>
    public async Task<(string Account, string Arn)> WhoAmIAsync(CancellationToken cancellationToken)
    {
        var identity = await Sdk("sts:GetCallerIdentity", null, ()
            => Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).ConfigureAwait(false);
        return (identity.Account, identity.Arn);
    }

    /// <summary>Short-lived credentials of <paramref name="roleArn"/> (`sts:AssumeRole`), for reading a member account.</summary>
    public async Task<AWSCredentials> AssumeAsync(string roleArn, string account, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "openciem-collect", DurationSeconds = 3600,
            ExternalId = _options.ExternalId };
        var answer = await Sdk("sts:AssumeRole", account, () => Sts.AssumeRoleAsync(request, cancellationToken)).ConfigureAwait(false);
        var c = answer.Credentials ?? throw new CollectException(DiagnosticCodes.CollectCallFailed,
            $"`sts:AssumeRole` of `{roleArn}` answered without credentials");
        return new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
    }

    /// <summary>An S3 client for <paramref name="credentials"/> in <paramref name="region"/>.</summary>
    public IAmazonS3 S3(AWSCredentials credentials, string region) =>
        _s3.GetOrAdd((credentials, region), key =>
        {
            var config = Config(new AmazonS3Config(), AwsService.S3, key.Item2);
            config.ForcePathStyle = Endpoints.Configured(AwsService.S3) is not null;
            var client = new AmazonS3Client(key.Item1, config);
            lock (_owned) { _owned.Add(client); }
            return client;
        });

    /// <summary>Runs an SDK call, turning its failures into <see cref="CollectException"/>s that name the call.</summary>
    public static async Task<T> Sdk<T>(string call, string? account, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var where = account is null ? $"`{call}`" : $"`{call}` for account `{account}`";
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            var code = ex.ErrorCode is "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken" or "ExpiredTokenException"
                or "InvalidAccessKeyId"
                ? DiagnosticCodes.CollectCredentials : DiagnosticCodes.CollectCallFailed;
            throw new CollectException(code,
                $"{where} was refused with "
                + $"`{ex.ErrorCode ?? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}`: {ex.Message}", ex)
            {
                ServiceCode = ex.ErrorCode,
                Status = (int)ex.StatusCode,
            };
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException or HttpRequestException or AmazonClientException)
        {
            var timedOut = ex is TaskCanceledException or TimeoutException || ex.InnerException is TaskCanceledException
                or TimeoutException;
            throw new CollectException(timedOut ? DiagnosticCodes.CollectTimedOut : DiagnosticCodes.CollectCallFailed,
                timedOut ? $"{where} did not answer in time" : $"{where} failed: {ex.Message}", ex);
        }
    }

    /// <summary>The SDK's multi-line explanation on one line, for a one-line message.</summary>
    private static string OneLine(string text) =>
        string.Join("; ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private T Config<T>(T config, AwsService service, string region)
        where T : ClientConfig
    {
        config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        if (Endpoints.Configured(service) is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        config.Timeout = _options.Call.Timeout;
        config.MaxErrorRetry = _options.Call.MaxRetries;
        config.RetryMode = RequestRetryMode.Standard;
        return config;
    }

    public void Dispose()
    {
        Sts.Dispose();
        foreach (var client in _owned) { client.Dispose(); }
        _http.Dispose();
    }
}
