using System.Globalization;
using System.Text.Json;

namespace Ciem.Demo;

internal enum EventFlavor : byte
{
    /// <summary>The actor's own call with its own credentials.</summary>
    Call,
    /// <summary>A call the identity is not allowed to make (`AccessDenied`).</summary>
    Denied,
    /// <summary>The AWS service assuming the workload's role (`userIdentity.type` = `AWSService`).</summary>
    ServiceAssume,
    /// <summary>GitHub Actions exchanging its OIDC token for the CI role (`WebIdentityUser`).</summary>
    WebIdentity,
}

internal readonly record struct RecordInput(Actor Actor, Slot Slot, ApiCall Call, EventFlavor Flavor, DemoAccount Recipient, string Region, AppResources Resources, long Ticks, ulong Seed);

/// <summary>
/// One CloudTrail record in the shape CloudTrail writes (field order as delivered), see
/// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html.
/// </summary>
internal static class CloudTrailRecord
{
    private const string GitHubProvider = "token.actions.githubusercontent.com";

    public static void Write(Utf8JsonWriter json, RecordInput input)
    {
        var rng = new StableRandom(input.Seed);
        var (actor, slot, call, flavor, recipient, region, resources, ticks, _) = input;
        var principal = slot.Principal;
        var time = new DateTime(ticks, DateTimeKind.Utc);
        json.WriteStartObject();
        json.WriteString("eventVersion", call.Data ? "1.10" : "1.09");
        WriteIdentity(json, input, time, rng);
        // Whole seconds in UTC: the writer prints `2026-11-20T08:01:12Z`, as CloudTrail does.
        json.WriteString("eventTime", time);
        json.WriteString("eventSource", call.Source);
        json.WriteString("eventName", call.Name);
        json.WriteString("awsRegion", region);
        var service = flavor == EventFlavor.ServiceAssume ? actor.InvokedBy : principal.Service;
        json.WriteString("sourceIPAddress", service ?? actor.SourceIp);
        json.WriteString("userAgent", service ?? actor.UserAgent);
        var denied = flavor == EventFlavor.Denied;
        if (denied)
        {
            var callerArn = principal.IsUser ? principal.Arn : slot.SessionArn;
            json.WriteString("errorCode", "AccessDenied");
            json.WriteString("errorMessage", $"User: {callerArn} is not authorized to perform: {call.Grant} on resource: {DeniedResource(call, resources)} because no identity-based policy allows the {call.Grant} action");
        }
        json.WritePropertyName("requestParameters");
        WriteRequest(json, input, time, rng);
        json.WritePropertyName("responseElements");
        if (!denied && call.Target == Target.AssumeRole) { WriteCredentials(json, input, time, rng); }
        else { json.WriteNullValue(); }
        if (call.Source == "s3.amazonaws.com") { json.WriteString("requestID", rng.Upper(16)); }
        else { json.WriteString("requestID", rng.NextGuid()); }
        json.WriteString("eventID", rng.NextGuid());
        json.WriteBoolean("readOnly", call.ReadOnly);
        WriteResources(json, input, time);
        json.WriteString("eventType", "AwsApiCall");
        json.WriteBoolean("managementEvent", !call.Data);
        json.WriteString("recipientAccountId", recipient.Id);
        if (flavor == EventFlavor.ServiceAssume || recipient != principal.Account) { json.WriteString("sharedEventID", rng.NextGuid()); }
        json.WriteString("eventCategory", call.Data ? "Data" : "Management");
        if (flavor != EventFlavor.ServiceAssume)
        {
            json.WriteStartObject("tlsDetails");
            json.WriteString("tlsVersion", "TLSv1.3");
            json.WriteString("cipherSuite", "TLS_AES_128_GCM_SHA256");
            json.WriteString("clientProvidedHostHeader", call.Global ? call.Source : call.RegionalHost(region));
            json.WriteEndObject();
        }
        if (actor.Human && actor.UserAgent.StartsWith("Mozilla", StringComparison.Ordinal)) { json.WriteString("sessionCredentialFromConsole", "true"); }
        json.WriteEndObject();
    }

    private static string DeniedResource(ApiCall call, AppResources resources) =>
        call.Target == Target.Role ? $"arn:aws:iam::{resources.Account.Id}:role/{resources.App}-role" : $"arn:aws:iam::{resources.Account.Id}:user/{resources.App}";

    /// <summary>The session's key: one per actor, identity and day (console and role sessions last hours, not weeks).</summary>
    private static string AccessKey(RecordInput input, string prefix) =>
        prefix + StableRandom.For(input.Actor.Index, input.Slot.Principal.Index, input.Ticks / TimeSpan.TicksPerDay).Upper(16);

    private static void WriteIdentity(Utf8JsonWriter json, RecordInput input, DateTime time, StableRandom rng)
    {
        var principal = input.Slot.Principal;
        var account = principal.Account.Id;
        json.WriteStartObject("userIdentity");
        switch (input.Flavor)
        {
            case EventFlavor.ServiceAssume:
                json.WriteString("type", "AWSService");
                json.WriteString("invokedBy", input.Actor.InvokedBy);
                break;
            case EventFlavor.WebIdentity:
                var repository = principal.Repository ?? "acme/unknown";
                var subject = $"repo:{repository}:ref:refs/heads/main";
                json.WriteString("type", "WebIdentityUser");
                json.WriteString("principalId", $"arn:aws:iam::{account}:oidc-provider/{GitHubProvider}:sts.amazonaws.com:{subject}");
                json.WriteString("userName", subject);
                json.WriteString("identityProvider", $"arn:aws:iam::{account}:oidc-provider/{GitHubProvider}");
                break;
            default:
                if (principal.IsUser)
                {
                    json.WriteString("type", "IAMUser");
                    json.WriteString("principalId", principal.Id);
                    json.WriteString("arn", principal.Arn);
                    json.WriteString("accountId", account);
                    json.WriteString("accessKeyId", input.Actor.Human ? AccessKey(input, "ASIA") : principal.AccessKeyId);
                    json.WriteString("userName", principal.Name);
                    if (input.Actor.Human)
                    {
                        json.WriteStartObject("sessionContext");
                        WriteSessionAttributes(json, time, mfa: true);
                        json.WriteEndObject();
                    }
                }
                else
                {
                    var session = input.Slot.SessionName;
                    json.WriteString("type", "AssumedRole");
                    json.WriteString("principalId", input.Slot.SessionPrincipalId);
                    json.WriteString("arn", input.Slot.SessionArn);
                    json.WriteString("accountId", account);
                    json.WriteString("accessKeyId", AccessKey(input, "ASIA"));
                    json.WriteStartObject("sessionContext");
                    json.WriteStartObject("sessionIssuer");
                    json.WriteString("type", "Role");
                    json.WriteString("principalId", principal.Id);
                    json.WriteString("arn", principal.Arn);
                    json.WriteString("accountId", account);
                    json.WriteString("userName", principal.Name);
                    json.WriteEndObject();
                    json.WriteStartObject("webIdFederationData");
                    if (principal.Archetype == Archetype.Ci)
                    {
                        json.WriteString("federatedProvider", $"arn:aws:iam::{account}:oidc-provider/{GitHubProvider}");
                        json.WriteStartObject("attributes");
                        json.WriteEndObject();
                    }
                    json.WriteEndObject();
                    WriteSessionAttributes(json, time, mfa: false);
                    if (principal.Archetype == Archetype.Ec2) { json.WriteString("ec2RoleDelivery", "2.0"); }
                    json.WriteEndObject();
                    if (principal.Service is not null) { json.WriteString("invokedBy", principal.Service); }
                }
                break;
        }
        _ = rng;
        json.WriteEndObject();
    }

    private static void WriteSessionAttributes(Utf8JsonWriter json, DateTime time, bool mfa)
    {
        json.WriteStartObject("attributes");
        var created = time.AddMinutes(-(time.Minute % 45)).AddSeconds(-time.Second);
        json.WriteString("creationDate", created);
        json.WriteString("mfaAuthenticated", mfa ? "true" : "false");
        json.WriteEndObject();
    }

    private static void WriteCredentials(Utf8JsonWriter json, RecordInput input, DateTime time, StableRandom rng)
    {
        var target = AssumedRole(input);
        var session = SessionName(input);
        json.WriteStartObject();
        json.WriteStartObject("credentials");
        json.WriteString("accessKeyId", "ASIA" + rng.Upper(16));
        json.WriteString("sessionToken", "IQoJb3JpZ2luX2VjE" + rng.Mixed(40));
        json.WriteString("expiration", time.AddHours(1).ToString("MMM d, yyyy, h:mm:ss tt", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteStartObject("assumedRoleUser");
        json.WriteString("assumedRoleId", $"{target.Id}:{session}");
        json.WriteString("arn", $"arn:aws:sts::{target.Account.Id}:assumed-role/{target.Name}/{session}");
        json.WriteEndObject();
        if (input.Flavor == EventFlavor.WebIdentity)
        {
            json.WriteString("subjectFromWebIdentityToken", $"repo:{input.Slot.Principal.Repository}:ref:refs/heads/main");
            json.WriteString("provider", $"arn:aws:iam::{target.Account.Id}:oidc-provider/{GitHubProvider}");
            json.WriteString("audience", "sts.amazonaws.com");
        }
        json.WriteEndObject();
    }

    /// <summary>The role an STS call assumes: the CI's deploy role in another account, or the caller's own role.</summary>
    private static Principal AssumedRole(RecordInput input) =>
        input.Flavor == EventFlavor.Call && input.Slot.AssumeTarget is { } target ? target : input.Slot.Principal;

    private static string SessionName(RecordInput input) => input.Flavor switch
    {
        EventFlavor.WebIdentity => "GitHubActions",
        EventFlavor.ServiceAssume => input.Slot.SessionName,
        _ => "terraform-" + input.Slot.SessionName.ToLowerInvariant(),
    };

    private static void WriteRequest(Utf8JsonWriter json, RecordInput input, DateTime time, StableRandom rng)
    {
        var r = input.Resources;
        var call = input.Call;
        if (call.Target == Target.None)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        switch (call.Target)
        {
            case Target.Bucket:
            case Target.Object:
                json.WriteString("bucketName", r.Bucket);
                json.WriteString("Host", $"{r.Bucket}.s3.{r.Region}.amazonaws.com");
                if (call.Target == Target.Object) { json.WriteString("key", ObjectKey(input, time)); }
                if (call.Name == "ListObjects") { json.WriteString("prefix", time.ToString("yyyy/MM/", CultureInfo.InvariantCulture)); json.WriteString("delimiter", "/"); }
                if (call.Name == "GetBucketPolicy") { json.WriteString("policy", ""); }
                if (call.Name == "GetBucketAcl") { json.WriteString("acl", ""); }
                break;
            case Target.Table:
                json.WriteString("tableName", r.Table);
                if (call.Name is "GetItem" or "PutItem" or "UpdateItem")
                {
                    json.WriteStartObject("key");
                    json.WriteString("pk", "HIDDEN_DUE_TO_SECURITY_REASONS");
                    json.WriteEndObject();
                }
                if (call.Name == "Query") { json.WriteString("keyConditionExpression", "pk = :pk"); }
                break;
            case Target.Queue:
                json.WriteString("queueUrl", r.QueueUrl);
                if (call.Name == "ReceiveMessage") { json.WriteNumber("maxNumberOfMessages", 10); json.WriteNumber("waitTimeSeconds", 20); }
                if (call.Name == "DeleteMessage") { json.WriteString("receiptHandle", "HIDDEN_DUE_TO_SECURITY_REASONS"); }
                break;
            case Target.Key:
                json.WriteString("keyId", r.KeyArn);
                if (call.Name == "Decrypt") { json.WriteString("encryptionAlgorithm", "SYMMETRIC_DEFAULT"); }
                if (call.Name == "GenerateDataKey") { json.WriteString("keySpec", "AES_256"); }
                break;
            case Target.Secret:
                json.WriteString("secretId", r.SecretArn);
                break;
            case Target.Parameter:
                if (call.Name == "GetParameters")
                {
                    json.WriteStartArray("names");
                    json.WriteStringValue(r.ParameterPath + "/config");
                    json.WriteStringValue(r.ParameterPath + "/feature-flags");
                    json.WriteEndArray();
                }
                else if (call.Name == "GetParametersByPath") { json.WriteString("path", r.ParameterPath); json.WriteBoolean("recursive", true); }
                else { json.WriteString("name", r.ParameterPath + "/config"); }
                json.WriteBoolean("withDecryption", true);
                break;
            case Target.Role:
                json.WriteString("roleName", $"{r.App}-role");
                if (call.Name == "PutRolePolicy") { json.WriteString("policyName", $"{r.App}-access"); json.WriteString("policyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"); }
                if (call.Name == "AttachRolePolicy") { json.WriteString("policyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"); }
                if (call.Name == "CreateRole") { json.WriteString("path", "/app/"); json.WriteString("assumeRolePolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"); }
                break;
            case Target.AssumeRole:
                var target = AssumedRole(input);
                json.WriteString("roleArn", target.Arn);
                json.WriteString("roleSessionName", SessionName(input));
                json.WriteNumber("durationSeconds", 3600);
                break;
            case Target.Stack:
                json.WriteString("stackName", r.Stack);
                if (call.Name is "CreateChangeSet" or "ExecuteChangeSet") { json.WriteString("changeSetName", "deploy-" + rng.Hex(7)); }
                break;
            case Target.Function:
                json.WriteString("functionName", r.FunctionArn);
                json.WriteString("invocationType", "RequestResponse");
                break;
            case Target.Instances:
                var instance = input.Slot.SessionName.StartsWith("i-", StringComparison.Ordinal) ? input.Slot.SessionName : "i-0" + rng.Hex(16);
                if (call.Source == "ssm.amazonaws.com")
                {
                    json.WriteString("instanceId", instance);
                    if (call.Name == "UpdateInstanceInformation") { json.WriteString("agentVersion", "3.3.987.0"); json.WriteString("agentStatus", "Active"); json.WriteString("platformType", "Linux"); json.WriteString("platformName", "Amazon Linux"); }
                }
                else if (call.Name == "RunInstances")
                {
                    json.WriteStartObject("instancesSet");
                    json.WriteStartArray("items");
                    json.WriteStartObject();
                    json.WriteString("imageId", "ami-0" + rng.Hex(16));
                    json.WriteNumber("minCount", 1);
                    json.WriteNumber("maxCount", 1);
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteString("instanceType", "t3.medium");
                }
                else
                {
                    json.WriteStartObject(call.Name == "CreateTags" ? "resourcesSet" : "instancesSet");
                    json.WriteStartArray("items");
                    json.WriteStartObject();
                    json.WriteString(call.Name == "CreateTags" ? "resourceId" : "instanceId", instance);
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                break;
            case Target.Cluster:
                json.WriteString("cluster", r.Cluster);
                if (call.Name == "UpdateService") { json.WriteString("service", r.App); json.WriteBoolean("forceNewDeployment", true); }
                else
                {
                    json.WriteStartArray("services");
                    json.WriteStringValue(r.App);
                    json.WriteEndArray();
                }
                break;
            case Target.Repository:
                json.WriteString("repositoryName", r.Repository);
                json.WriteString("registryId", r.Account.Id);
                if (call.Name == "PutImage") { json.WriteString("imageTag", rng.Hex(7)); }
                break;
            case Target.LogGroup:
                json.WriteString("logGroupName", r.LogGroup);
                if (call.Name == "CreateLogStream") { json.WriteString("logStreamName", $"{time:yyyy/MM/dd}/[$LATEST]{rng.Hex(32)}"); }
                if (call.Name == "StartQuery") { json.WriteString("queryString", "fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 100"); }
                break;
            case Target.DbInstance:
                json.WriteString("dBInstanceIdentifier", r.DbInstance);
                if (call.Name == "CreateDBSnapshot") { json.WriteString("dBSnapshotIdentifier", $"{r.DbInstance}-{time:yyyy-MM-dd}"); }
                break;
            case Target.GlueJob:
                json.WriteString("jobName", r.GlueJob);
                break;
            case Target.Query:
                if (call.Name == "StartQueryExecution")
                {
                    json.WriteString("queryString", $"SELECT status, count(*) FROM {r.App.Replace('-', '_')}.events WHERE dt = '{time:yyyy-MM-dd}' GROUP BY 1");
                    json.WriteString("workGroup", "primary");
                }
                else { json.WriteString("queryExecutionId", rng.Guid()); }
                break;
            default:
                break;
        }
        json.WriteEndObject();
    }

    private static string ObjectKey(RecordInput input, DateTime time) =>
        $"{input.Resources.App.Split('-')[0]}/{time:yyyy/MM/dd}/{(input.Seed % 100_000).ToString("D5", CultureInfo.InvariantCulture)}.json";

    private static void WriteResources(Utf8JsonWriter json, RecordInput input, DateTime time)
    {
        var r = input.Resources;
        var call = input.Call;
        var target = AssumedRole(input);
        (string? Account, string Type, string Arn)[] resources = call.Target switch
        {
            Target.Object => [(null, "AWS::S3::Object", $"{r.BucketArn}/{ObjectKey(input, time)}"), (r.Account.Id, "AWS::S3::Bucket", r.BucketArn)],
            Target.Bucket => [(r.Account.Id, "AWS::S3::Bucket", r.BucketArn)],
            Target.Table when call.Data => [(r.Account.Id, "AWS::DynamoDB::Table", r.TableArn)],
            Target.Queue when call.Data => [(r.Account.Id, "AWS::SQS::Queue", r.QueueArn)],
            Target.Key => [(r.Account.Id, "AWS::KMS::Key", r.KeyArn)],
            Target.Function => [(r.Account.Id, "AWS::Lambda::Function", r.FunctionArn)],
            Target.AssumeRole when input.Flavor != EventFlavor.Denied => [(target.Account.Id, "AWS::IAM::Role", target.Arn)],
            _ => [],
        };
        if (resources.Length == 0) { return; }
        json.WriteStartArray("resources");
        foreach (var (account, type, arn) in resources) { Resource(json, account, type, arn); }
        json.WriteEndArray();
    }

    private static void Resource(Utf8JsonWriter json, string? account, string type, string arn)
    {
        json.WriteStartObject();
        if (account is not null) { json.WriteString("accountId", account); }
        json.WriteString("type", type);
        json.WriteString("ARN", arn);
        json.WriteEndObject();
    }
}
