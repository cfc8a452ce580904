using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect.Aws;

/// <summary>
/// Reads one account with its credentials: every page of IAM `GetAccountAuthorizationDetails` (as the CLI's JSON),
/// the IAM credential report, and the resource policies of the services the engine evaluates in the regions asked
/// for. Each answer is kept as the input a file reader takes, named by the call that produced it.
/// </summary>
internal sealed class AwsAccountReader(AwsCaller caller, Func<string, IAmazonS3> s3ForRegion, AwsCollectOptions options)
{
    private const string IamVersion = "2010-05-08";

    public async Task<AccountRead> ReadAsync(string account, CancellationToken cancellationToken)
    {
        var read = new AccountRead(account);
        read.AuthorizationPages.AddRange(await AuthorizationDetailsAsync(account, cancellationToken).ConfigureAwait(false));
        if (options.CredentialReport)
        {
            try
            {
                read.CredentialReport = await CredentialReportAsync(account, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                read.Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectCredentialReport,
                    $"the credential report of account `{account}` was not read: {ex.Message}"));
            }
        }
        if (options.ResourcePolicies.Count > 0)
        {
            await ResourcePoliciesAsync(read, cancellationToken).ConfigureAwait(false);
        }
        return read;
    }

    private async Task<List<(string Name, byte[] Json)>> AuthorizationDetailsAsync(string account, CancellationToken cancellationToken)
    {
        var pages = new List<(string, byte[])>();
        string? marker = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>>
                { new("MaxItems", options.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            if (marker is not null) { parameters.Add(new("Marker", marker)); }
            var result = await caller.QueryAsync(AwsService.Iam, "GetAccountAuthorizationDetails", IamVersion, parameters,
                cancellationToken).ConfigureAwait(false);
            pages.Add(($"aws-api://iam/{account}/GetAccountAuthorizationDetails#{pages.Count + 1}", QueryXml.ToJson(result)));
            var truncated = Child(result, "IsTruncated") == "true";
            marker = truncated ? Child(result, "Marker") : null;
            if (truncated && marker is null)
            {
                throw new CollectException(DiagnosticCodes.CollectCallFailed,
                    $"`iam:GetAccountAuthorizationDetails` in account `{account}` said `IsTruncated` without a `Marker`; the "
                        + "later pages cannot be read");
            }
        }
        while (marker is not null);
        return pages;
    }

    /// <summary>
    /// The credential report: generated when there is none or it is older than four hours (IAM's own rule), polled
    /// until complete within the collector's bound.
    /// </summary>
    private async Task<(string Name, byte[] Json)> CredentialReportAsync(string account, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(0.5);
        var deadline = DateTimeOffset.UtcNow + options.CredentialReportWait;
        while (true)
        {
            var generated = await caller.QueryAsync(AwsService.Iam, "GenerateCredentialReport", IamVersion, null, cancellationToken)
                .ConfigureAwait(false);
            if (Child(generated, "State") == "COMPLETE") { break; }
            if (DateTimeOffset.UtcNow + delay > deadline)
            {
                throw new CollectException(DiagnosticCodes.CollectCredentialReport,
                    $"iam did not complete the credential report within {options.CredentialReportWait.TotalSeconds:0} s");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
        var report = await caller.QueryAsync(AwsService.Iam, "GetCredentialReport", IamVersion, null, cancellationToken)
            .ConfigureAwait(false);
        return ($"aws-api://iam/{account}/GetCredentialReport", QueryXml.ToJson(report));
    }

    internal async Task ResourcePoliciesAsync(AccountRead read, CancellationToken cancellationToken)
    {
        var readers = new (string Service, Func<string?, CancellationToken, Task> Read)[]
        {
            ("s3", (_, ct) => S3Async(read, ct)),
            ("kms", (region, ct) => KmsAsync(read, region!, ct)),
            ("sqs", (region, ct) => SqsAsync(read, region!, ct)),
            ("sns", (region, ct) => SnsAsync(read, region!, ct)),
            ("lambda", (region, ct) => LambdaAsync(read, region!, ct)),
            ("secretsmanager", (region, ct) => SecretsAsync(read, region!, ct)),
            ("ecr", (region, ct) => EcrAsync(read, region!, ct)),
        };
        foreach (var (service, readService) in readers.Where(r => options.ResourcePolicies.Contains(r.Service)))
        {
            foreach (var region in service == "s3" ? [null] : options.Regions.Select(r => (string?)r))
            {
                try
                {
                    await readService(region, cancellationToken).ConfigureAwait(false);
                }
                catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
                {
                    read.ResourcePoliciesComplete = false;
                    read.Diagnostics.Add(Diagnostic.Warning(ex.Code,
                        $"{service} resource policies{(region is null ? "" : $" in `{region}`")}: {ex.Message}"));
                }
            }
        }
    }

    private async Task S3Async(AccountRead read, CancellationToken cancellationToken)
    {
        var s3 = s3ForRegion(caller.Region);
        string? token = null;
        var buckets = new List<S3Bucket>();
        do
        {
            var page = await AwsConnection.Sdk("s3:ListBuckets", read.Account, ()
                => s3.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = token }, cancellationToken))
                .ConfigureAwait(false);
            buckets.AddRange(page.Buckets ?? []);
            token = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(token));
        foreach (var bucket in buckets)
        {
            var region = bucket.BucketRegion;
            if (string.IsNullOrEmpty(region))
            {
                var location = await AwsConnection.Sdk("s3:GetBucketLocation", read.Account,
                    () => s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket.BucketName }, cancellationToken))
                        .ConfigureAwait(false);
                region = string.IsNullOrEmpty(location.Location?.Value) ? "us-east-1" : location.Location.Value == "EU" ? "eu-west-1"
                    : location.Location.Value;
            }
            try
            {
                var policy = await AwsConnection.Sdk("s3:GetBucketPolicy", read.Account,
                    () => s3ForRegion(region).GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket.BucketName },
                        cancellationToken)).ConfigureAwait(false);
                // The SDK hands a 404 (`NoSuchBucketPolicy`) back as a response, its error body in `Policy`: no policy.
                if (policy.HttpStatusCode != System.Net.HttpStatusCode.NotFound && !string.IsNullOrEmpty(policy.Policy))
                {
                    read.Add($"arn:aws:s3:::{bucket.BucketName}", new JsonObject { ["Policy"] = policy.Policy });
                }
            }
            catch (CollectException ex) when (ex.ServiceCode == "NoSuchBucketPolicy")
            {
                // A bucket without a policy: nothing to add.
            }
        }
    }

    private async Task KmsAsync(AccountRead read, string region, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var request = new JsonObject { ["Limit"] = 1000 };
            if (marker is not null) { request["Marker"] = marker; }
            var page = await caller.JsonAsync(AwsService.Kms, "TrentService", "ListKeys", request, cancellationToken, region)
                .ConfigureAwait(false);
            foreach (var key in Items(page, "Keys"))
            {
                var id = Str(key, "KeyId");
                var arn = Str(key, "KeyArn");
                if (id is null || arn is null) { continue; }
                var policy = await caller.JsonAsync(AwsService.Kms, "TrentService", "GetKeyPolicy",
                    new JsonObject { ["KeyId"] = id, ["PolicyName"] = "default" }, cancellationToken, region).ConfigureAwait(false);
                if (Str(policy, "Policy") is { } text) { read.Add(arn, new JsonObject { ["Policy"] = text }); }
            }
            marker = page.TryGetProperty("Truncated", out var t) && t.ValueKind == JsonValueKind.True ? Str(page, "NextMarker") : null;
        }
        while (marker is not null);
    }

    private async Task SqsAsync(AccountRead read, string region, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new JsonObject { ["MaxResults"] = 1000 };
            if (token is not null) { request["NextToken"] = token; }
            var page = await caller.JsonAsync(AwsService.Sqs, "AmazonSQS", "ListQueues", request, cancellationToken, region, "1.0")
                .ConfigureAwait(false);
            foreach (var url in Items(page, "QueueUrls").Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!))
            {
                var attributes = await caller.JsonAsync(AwsService.Sqs, "AmazonSQS", "GetQueueAttributes",
                    new JsonObject { ["QueueUrl"] = url, ["AttributeNames"] = new JsonArray("Policy", "QueueArn") }, cancellationToken,
                        region, "1.0").ConfigureAwait(false);
                if (attributes.TryGetProperty("Attributes", out var a) && Str(a, "Policy") is { } policy && Str(a, "QueueArn") is { } arn)
                {
                    read.Add(arn, new JsonObject { ["Attributes"] = new JsonObject { ["Policy"] = policy } });
                }
            }
            token = Str(page, "NextToken");
        }
        while (token is not null);
    }

    private async Task SnsAsync(AccountRead read, string region, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await caller.QueryAsync(AwsService.Sns, "ListTopics", "2010-03-31", token is null ? null : [new("NextToken", token)],
                cancellationToken, region).ConfigureAwait(false);
            foreach (var arn in page.Descendants().Where(e => e.Name.LocalName == "TopicArn").Select(e => e.Value).ToList())
            {
                var attributes = await caller.QueryAsync(AwsService.Sns, "GetTopicAttributes", "2010-03-31", [new("TopicArn", arn)],
                    cancellationToken, region).ConfigureAwait(false);
                var policy = attributes.Descendants().Where(e => e.Name.LocalName == "entry")
                    .FirstOrDefault(e => Child(e, "key") == "Policy") is { } entry ? Child(entry, "value") : null;
                if (!string.IsNullOrEmpty(policy)) { read.Add(arn, new JsonObject
                    { ["Attributes"] = new JsonObject { ["Policy"] = policy } }); }
            }
            token = Child(page, "NextToken") is { Length: > 0 } next ? next : null;
        }
        while (token is not null);
    }

    private async Task LambdaAsync(AccountRead read, string region, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await caller.RestGetAsync(AwsService.Lambda, "ListFunctions", "/2015-03-31/functions/",
                marker is null ? null : [new("Marker", marker)], cancellationToken, region).ConfigureAwait(false);
            foreach (var function in Items(page, "Functions"))
            {
                if (Str(function, "FunctionArn") is not { } arn || Str(function, "FunctionName") is not { } name) { continue; }
                try
                {
                    var policy = await caller.RestGetAsync(AwsService.Lambda, "GetPolicy",
                        $"/2015-03-31/functions/{Uri.EscapeDataString(name)}/policy", null,
                        cancellationToken, region).ConfigureAwait(false);
                    if (Str(policy, "Policy") is { } text) { read.Add(arn, new JsonObject { ["Policy"] = text }); }
                }
                catch (CollectException ex) when (ex.ServiceCode == "ResourceNotFoundException")
                {
                    // A function without a resource policy.
                }
            }
            marker = Str(page, "NextMarker");
        }
        while (marker is not null);
    }

    private async Task SecretsAsync(AccountRead read, string region, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new JsonObject { ["MaxResults"] = 100 };
            if (token is not null) { request["NextToken"] = token; }
            var page = await caller.JsonAsync(AwsService.SecretsManager, "secretsmanager", "ListSecrets", request, cancellationToken,
                region).ConfigureAwait(false);
            foreach (var secret in Items(page, "SecretList"))
            {
                if (Str(secret, "ARN") is not { } arn) { continue; }
                // Reads the resource policy only: the secret's value is never asked for.
                var policy = await caller.JsonAsync(AwsService.SecretsManager, "secretsmanager", "GetResourcePolicy",
                    new JsonObject { ["SecretId"] = arn }, cancellationToken, region).ConfigureAwait(false);
                if (Str(policy, "ResourcePolicy") is { Length: > 0 } text) { read.Add(arn, new JsonObject { ["ResourcePolicy"] = text }); }
            }
            token = Str(page, "NextToken");
        }
        while (token is not null);
    }

    private async Task EcrAsync(AccountRead read, string region, CancellationToken cancellationToken)
    {
        const string target = "AmazonEC2ContainerRegistry_V20150921";
        string? token = null;
        do
        {
            var request = new JsonObject { ["maxResults"] = 1000 };
            if (token is not null) { request["nextToken"] = token; }
            var page = await caller.JsonAsync(AwsService.Ecr, target, "DescribeRepositories", request, cancellationToken, region)
                .ConfigureAwait(false);
            foreach (var repository in Items(page, "repositories"))
            {
                if (Str(repository, "repositoryArn") is not { } arn || Str(repository, "repositoryName") is not { } name) { continue; }
                try
                {
                    var policy = await caller.JsonAsync(AwsService.Ecr, target, "GetRepositoryPolicy", new JsonObject
                        { ["repositoryName"] = name },
                        cancellationToken, region).ConfigureAwait(false);
                    if (Str(policy, "policyText") is { } text) { read.Add(arn, new JsonObject { ["policyText"] = text }); }
                }
                catch (CollectException ex) when (ex.ServiceCode == "RepositoryPolicyNotFoundException")
                {
                    // A repository without a policy.
                }
            }
            token = Str(page, "nextToken");
        }
        while (token is not null);
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) => JsonAnswer.Items(element, name);

    private static string? Str(JsonElement element, string name) => JsonAnswer.Str(element, name);

    internal static string? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}

/// <summary>What was read from one account, as the readers' inputs.</summary>
internal sealed class AccountRead(string account)
{
    public string Account { get; } = account;

    public List<(string Name, byte[] Json)> AuthorizationPages { get; } = [];

    public (string Name, byte[] Json)? CredentialReport { get; set; }

    /// <summary>Resource policies keyed by ARN, each as the service's CLI output (`{"Policy": …}` and the like).</summary>
    public SortedDictionary<string, JsonNode> ResourcePolicies { get; } = new(StringComparer.Ordinal);

    public bool ResourcePoliciesComplete { get; set; } = true;

    public List<Diagnostic> Diagnostics { get; } = [];

    public void Add(string arn, JsonNode value)
    {
        lock (ResourcePolicies) { ResourcePolicies[arn] = value; }
    }
}
