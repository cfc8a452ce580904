using System.Collections.Immutable;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Usage;

namespace Ciem.Demo;

/// <summary>What one generated role holds and did: the truth its proposal is measured against.</summary>
public sealed record GroundTruthRole(
    string Arn,
    string Name,
    ImmutableArray<string> Granted,
    ImmutableArray<string> Used,
    ImmutableArray<string> Seasonal,
    ImmutableArray<string> Denied);

/// <summary>The generated account: its roles' truth, the files written and the window's end.</summary>
public sealed record GroundTruthResult(
    string AccountId,
    DateTimeOffset AsOf,
    ImmutableArray<GroundTruthRole> Roles,
    string InventoryFile,
    string CloudTrailFolder,
    string ManifestFile,
    long Events);

/// <summary>
/// A generated AWS account whose truth is known: every role's granted, used (in the 90-day window), seasonal (used
/// only 150–330 days back) and denied (attempted, not granted) actions. Grants are explicit lists of actions CloudTrail
/// records (management or data events) whose CloudTrail `eventName` maps back to exactly that action, so "used" is
/// fully observable; the trail records data events for every service it grants (one AWS-service data event per
/// service and day), so unseen data actions are unused. Writes `authorization-details.json` (the `aws iam
/// get-account-authorization-details` shape), a CloudTrail S3 tree and `ground-truth.json`. Deterministic per seed.
/// </summary>
public static class GroundTruthEstate
{
    public const string AccountId = "444455556666";
    public const string Region = "eu-west-1";
    private static readonly JsonSerializerOptions ManifestOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly string[] Services = ["s3", "dynamodb", "sqs", "sns", "lambda", "ec2", "logs", "secretsmanager", "kms", "cloudwatch"];

    public static GroundTruthResult Generate(string folder, DateTimeOffset asOf, int roles = 12, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var catalog = AwsActionCatalog.Default;
        var coverage = CloudTrailCoverage.Default;
        var mapper = EventActionMapper.Default;
        // Per service: the actions whose events map back to exactly themselves and that CloudTrail records.
        var eligible = Services.ToDictionary(s => s, s => catalog.Actions
            .Where(a => a.Service == s && coverage.IsRecorded(a) != CloudTrailRecording.NotRecorded)
            .Where(a => mapper.Map(SourceOf(s), a.Name) is { Kind: EventMappingKind.Catalog or EventMappingKind.Override } m && m.Actions.Length == 1 && m.Actions[0] == a.FullName)
            .Select(a => a.FullName).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var truth = ImmutableArray.CreateBuilder<GroundTruthRole>();
        for (var r = 0; r < roles; r++)
        {
            var random = StableRandom.For(seed, r);
            var services = Services.Where(s => eligible[s].Length >= 8).OrderBy(_ => random.Next(1000)).Take(2 + random.Next(3)).Order(StringComparer.Ordinal).ToList();
            var granted = new List<string>();
            var denied = new List<string>();
            foreach (var s in services)
            {
                var pool = eligible[s].OrderBy(_ => random.Next(1_000_000)).ToList();
                var take = Math.Min(pool.Count - 2, 10 + random.Next(25));
                granted.AddRange(pool.Take(take));
                denied.AddRange(pool.Skip(take).Take(1));
            }
            granted.Sort(StringComparer.Ordinal);
            var shuffled = granted.OrderBy(_ => random.Next(1_000_000)).ToList();
            var used = shuffled.Take(Math.Max(1, granted.Count / 5)).Order(StringComparer.Ordinal).ToImmutableArray();
            var seasonal = shuffled.Skip(used.Length).Take(Math.Max(1, granted.Count / 10)).Order(StringComparer.Ordinal).ToImmutableArray();
            var name = $"gt-role-{r + 1:00}";
            truth.Add(new GroundTruthRole($"arn:aws:iam::{AccountId}:role/{name}", name, [.. granted], used, seasonal, [.. denied.Order(StringComparer.Ordinal)]));
        }
        Directory.CreateDirectory(folder);
        var inventory = Path.Combine(folder, "authorization-details.json");
        WriteInventory(inventory, truth, asOf);
        var trail = Path.Combine(folder, "cloudtrail");
        var events = WriteTrail(trail, truth, asOf, seed, [.. truth.SelectMany(t => t.Granted).Select(a => a[..a.IndexOf(':', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal)
            .Where(s => eligible[s].Any(a => coverage.IsRecorded(a) == CloudTrailRecording.DataEvent)).Order(StringComparer.Ordinal)]);
        var manifest = Path.Combine(folder, "ground-truth.json");
        File.WriteAllText(manifest, JsonSerializer.Serialize(new { accountId = AccountId, asOf, roles = truth }, ManifestOptions));
        return new GroundTruthResult(AccountId, asOf, truth.ToImmutable(), inventory, Path.Combine(trail, "AWSLogs"), manifest, events);
    }

    private static string SourceOf(string service) => service == "cloudwatch" ? "monitoring.amazonaws.com" : $"{service}.amazonaws.com";

    private static void WriteInventory(string path, IEnumerable<GroundTruthRole> roles, DateTimeOffset asOf)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartArray("UserDetailList");
        w.WriteEndArray();
        w.WriteStartArray("GroupDetailList");
        w.WriteEndArray();
        w.WriteStartArray("RoleDetailList");
        foreach (var role in roles)
        {
            w.WriteStartObject();
            w.WriteString("Path", "/");
            w.WriteString("RoleName", role.Name);
            w.WriteString("RoleId", "AROAGROUNDTRUTH" + role.Name[^2..]);
            w.WriteString("Arn", role.Arn);
            w.WriteString("CreateDate", Date(asOf.AddYears(-2)));
            w.WriteStartObject("AssumeRolePolicyDocument");
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteStartObject("Principal");
            w.WriteString("Service", "ecs-tasks.amazonaws.com");
            w.WriteEndObject();
            w.WriteString("Action", "sts:AssumeRole");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("InstanceProfileList");
            w.WriteEndArray();
            w.WriteStartArray("RolePolicyList");
            w.WriteStartObject();
            w.WriteString("PolicyName", "granted");
            w.WriteStartObject("PolicyDocument");
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteStartArray("Action");
            foreach (var a in role.Granted) { w.WriteStringValue(a); }
            w.WriteEndArray();
            w.WriteString("Resource", "*");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("AttachedManagedPolicies");
            w.WriteEndArray();
            w.WriteStartArray("Tags");
            w.WriteEndArray();
            w.WriteStartObject("RoleLastUsed");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("Policies");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private sealed record Call(DateTimeOffset Time, GroundTruthRole? Role, string Action, string? Error, bool Data);

    private static long WriteTrail(string root, IReadOnlyList<GroundTruthRole> roles, DateTimeOffset asOf, int seed, IReadOnlyList<string> dataServices)
    {
        var coverage = CloudTrailCoverage.Default;
        var calls = new List<Call>();
        foreach (var (role, index) in roles.Select((r, i) => (r, i)))
        {
            var random = StableRandom.For(seed, 1000 + index);
            foreach (var a in role.Used)
            {
                for (var n = 1 + random.Next(4); n > 0; n--) { calls.Add(new(asOf.AddDays(-1 - random.Next(85)).AddMinutes(random.Next(1440)), role, a, null, IsData(coverage, a))); }
            }
            foreach (var a in role.Seasonal) { calls.Add(new(asOf.AddDays(-150 - random.Next(180)).AddMinutes(random.Next(1440)), role, a, null, IsData(coverage, a))); }
            foreach (var a in role.Denied) { calls.Add(new(asOf.AddDays(-1 - random.Next(85)).AddMinutes(random.Next(1440)), role, a, "AccessDenied", IsData(coverage, a))); }
        }
        // The trail records data events of every service granted: an AWS service's own data event each day shows it.
        var dataActions = dataServices.ToDictionary(s => s, s => AwsActionCatalog.Default.Actions.First(a => a.Service == s && coverage.IsRecorded(a) == CloudTrailRecording.DataEvent
            && EventActionMapper.Default.Map(SourceOf(s), a.Name).Actions is [var only] && only == a.FullName).FullName, StringComparer.Ordinal);
        for (var day = 1; day <= 90; day++)
        {
            foreach (var s in dataServices) { calls.Add(new(asOf.AddDays(-day).AddHours(3), null, dataActions[s], null, true)); }
        }
        var n2 = 0;
        foreach (var byDay in calls.GroupBy(c => DateOnly.FromDateTime(c.Time.UtcDateTime)).OrderBy(g => g.Key))
        {
            var day = byDay.Key;
            var dir = Path.Combine(root, "AWSLogs", AccountId, "CloudTrail", Region, day.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            using var file = File.Create(Path.Combine(dir, $"{AccountId}_CloudTrail_{Region}_{day:yyyyMMdd}T0000Z_gt.json.gz"));
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            using var w = new Utf8JsonWriter(gz);
            w.WriteStartObject();
            w.WriteStartArray("Records");
            foreach (var c in byDay.OrderBy(c => c.Time))
            {
                WriteRecord(w, c, ++n2);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return n2;
    }

    private static bool IsData(CloudTrailCoverage coverage, string action) => coverage.IsRecorded(action) == CloudTrailRecording.DataEvent;

    private static void WriteRecord(Utf8JsonWriter w, Call c, int n)
    {
        var colon = c.Action.IndexOf(':', StringComparison.Ordinal);
        var service = c.Action[..colon];
        w.WriteStartObject();
        w.WriteString("eventVersion", "1.09");
        w.WriteStartObject("userIdentity");
        if (c.Role is { } role)
        {
            w.WriteString("type", "AssumedRole");
            w.WriteString("principalId", $"AROAGROUNDTRUTH{role.Name[^2..]}:task");
            w.WriteString("arn", $"arn:aws:sts::{AccountId}:assumed-role/{role.Name}/task");
            w.WriteString("accountId", AccountId);
            w.WriteStartObject("sessionContext");
            w.WriteStartObject("sessionIssuer");
            w.WriteString("type", "Role");
            w.WriteString("principalId", $"AROAGROUNDTRUTH{role.Name[^2..]}");
            w.WriteString("arn", role.Arn);
            w.WriteString("accountId", AccountId);
            w.WriteString("userName", role.Name);
            w.WriteEndObject();
            w.WriteStartObject("attributes");
            w.WriteString("creationDate", c.Time.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteString("mfaAuthenticated", "false");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("type", "AWSService");
            w.WriteString("invokedBy", "backup.amazonaws.com");
        }
        w.WriteEndObject();
        w.WriteString("eventTime", c.Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.WriteString("eventSource", SourceOf(service));
        w.WriteString("eventName", c.Action[(colon + 1)..]);
        w.WriteString("awsRegion", Region);
        w.WriteString("sourceIPAddress", c.Role is null ? "backup.amazonaws.com" : "10.0.1.17");
        w.WriteString("userAgent", "aws-sdk-go-v2/1.30.3");
        if (c.Error is { } error)
        {
            w.WriteString("errorCode", error);
            w.WriteString("errorMessage", $"User is not authorized to perform: {c.Action}");
        }
        w.WriteNull("requestParameters");
        w.WriteNull("responseElements");
        w.WriteString("requestID", $"gt-{n:000000}");
        w.WriteString("eventID", $"00000000-0000-4000-8000-{n:000000000000}");
        w.WriteBoolean("readOnly", false);
        w.WriteString("eventType", c.Role is null ? "AwsServiceEvent" : "AwsApiCall");
        w.WriteBoolean("managementEvent", !c.Data);
        w.WriteString("recipientAccountId", AccountId);
        w.WriteString("eventCategory", c.Data ? "Data" : "Management");
        w.WriteEndObject();
    }

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
}
