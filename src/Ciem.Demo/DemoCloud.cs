using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ciem.Demo;

/// <summary>
/// What a review change script does to one AWS role or user (ReviewScripts' `apply.sh`): put each new inline policy,
/// detach or delete the policies the proposal replaces; guardrails, boundaries and group memberships stay.
/// </summary>
/// <param name="Documents">the new inline policies: their names (`ciem-least-privilege-1`, …) and JSON documents.</param>
public sealed record DemoPolicyChange(
    string Account, bool IsRole, string Name, IReadOnlyList<string> Replaced, IReadOnlyList<(string Name, string Json)> Documents)
{
    /// <summary>
    /// For a role as a merged Terraform change defines it (`terraform apply`): the ARNs attached, all others detached;
    /// its inline policies are then exactly <see cref="Documents"/> (<see cref="Replaced"/> only says what went).
    /// Null for a change script, which changes only what it names.
    /// </summary>
    public IReadOnlyList<string>? Attached { get; init; }
}

/// <summary>
/// The demo's simulated AWS organisation over the weeks of its review campaign (docs/review.md, "the demo"): each weekly
/// export is the first week's export with the changes made since — the change scripts run, rolled back, and permissions
/// granted again by hand — and the CloudTrail files of what the change broke. Nothing here touches a real cloud.
/// </summary>
public static partial class DemoCloud
{
    // The generator's own layout and escaping: an AWS managed policy in a rewritten file must read as the same text
    // as in the files left alone, or the import reports it as changed.
    private static readonly JsonSerializerOptions Layout = new()
    {
        WriteIndented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes into <paramref name="target"/> a copy of the AWS export folder <paramref name="source"/> (the
    /// `get-account-authorization-details` files, the organisation and the resource policies) with
    /// <paramref name="changes"/> made in order, then <paramref name="regrown"/>: the original attachments and inline
    /// policies of each named identity put back beside its new policies (someone granting the old rights again).
    /// </summary>
    public static void WriteWeek(string source, string target, IReadOnlyList<DemoPolicyChange> changes, IReadOnlyList<(string Account, bool IsRole, string Name)> regrown)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(regrown);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var account = name.StartsWith("authorization-details-", StringComparison.Ordinal) ? name["authorization-details-".Length..^".json".Length] : null;
            var mine = changes.Where(c => c.Account == account).ToList();
            var again = regrown.Where(r => r.Account == account).ToList();
            if (mine.Count == 0 && again.Count == 0)
            {
                File.Copy(file, Path.Combine(target, name), overwrite: true);
                continue;
            }
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var original = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            foreach (var change in mine) { Apply(Find(root, change.IsRole, change.Name), change); }
            foreach (var (_, isRole, principal) in again) { Regrow(Find(root, isRole, principal), Find(original, isRole, principal)); }
            File.WriteAllText(Path.Combine(target, name), root.ToJsonString(Layout));
        }
    }

    /// <summary>
    /// Writes one CloudTrail file (as an organization trail delivers it) of <paramref name="count"/> calls of
    /// <paramref name="action"/> by the role, each refused with `AccessDenied`, from <paramref name="from"/> an hour apart.
    /// </summary>
    public static string WriteDenied(string root, string organizationId, string account, string roleArn, string action, DateTimeOffset from, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleArn);
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        ArgumentException.ThrowIfNullOrEmpty(action);
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        var (service, operation) = (action[..colon], action[(colon + 1)..]);
        var region = "us-east-1";
        var day = from.UtcDateTime;
        var folder = Path.Combine(root, "AWSLogs", organizationId, account, "CloudTrail", region,
            day.ToString("yyyy", CultureInfo.InvariantCulture), day.ToString("MM", CultureInfo.InvariantCulture), day.ToString("dd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{account}_CloudTrail_{region}_{day:yyyyMMdd'T'HHmm'Z'}_denied{roleName.Length:x4}.json.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var json = new Utf8JsonWriter(gzip);
        json.WriteStartObject();
        json.WriteStartArray("Records");
        for (var i = 0; i < count; i++)
        {
            var time = from.AddHours(i).UtcDateTime;
            var session = $"arn:aws:sts::{account}:assumed-role/{roleName}/job-{time:yyyyMMddHH}";
            json.WriteStartObject();
            json.WriteString("eventVersion", "1.09");
            json.WriteStartObject("userIdentity");
            json.WriteString("type", "AssumedRole");
            json.WriteString("principalId", $"AROADEMODENIED{i:D6}:job-{time:yyyyMMddHH}");
            json.WriteString("arn", session);
            json.WriteString("accountId", account);
            json.WriteString("accessKeyId", $"ASIADEMODENIED{i:D6}");
            json.WriteStartObject("sessionContext");
            json.WriteStartObject("sessionIssuer");
            json.WriteString("type", "Role");
            json.WriteString("principalId", "AROADEMODENIED");
            json.WriteString("arn", roleArn);
            json.WriteString("accountId", account);
            json.WriteString("userName", roleName);
            json.WriteEndObject();
            json.WriteStartObject("attributes");
            json.WriteString("creationDate", time.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("mfaAuthenticated", "false");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("eventTime", time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("eventSource", $"{service}.amazonaws.com");
            json.WriteString("eventName", operation);
            json.WriteString("awsRegion", region);
            json.WriteString("sourceIPAddress", "10.20.30.40");
            json.WriteString("userAgent", "aws-sdk-java/2.25.0");
            json.WriteString("errorCode", "AccessDenied");
            json.WriteString("errorMessage", $"User: {session} is not authorized to perform: {action} because no identity-based policy allows the {action} action");
            json.WriteNull("requestParameters");
            json.WriteNull("responseElements");
            json.WriteString("requestID", $"{i:D8}-0000-4000-8000-{roleName.Length:D12}");
            json.WriteString("eventID", $"{i:D8}-1111-4000-8000-{roleName.Length:D12}");
            json.WriteBoolean("readOnly", false);
            json.WriteString("eventType", "AwsApiCall");
            json.WriteBoolean("managementEvent", true);
            json.WriteString("recipientAccountId", account);
            json.WriteString("eventCategory", "Management");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return path;
    }

    private static JsonObject Find(JsonObject root, bool isRole, string name)
    {
        var (list, key) = isRole ? ("RoleDetailList", "RoleName") : ("UserDetailList", "UserName");
        return root[list]?.AsArray().OfType<JsonObject>().FirstOrDefault(e => (string?)e[key] == name)
            ?? throw new InvalidOperationException($"the demo export has no {(isRole ? "role" : "user")} `{name}`");
    }

    private static void Apply(JsonObject principal, DemoPolicyChange change)
    {
        var inlineKey = change.IsRole ? "RolePolicyList" : "UserPolicyList";
        // The proposal names each policy by its id: a managed policy's ARN, or `PRINCIPAL-ARN#NAME` for an inline one;
        // a group's policies are not the identity's to change (the script leaves them too).
        var own = (string?)principal["Arn"] + "#";
        var inline = principal[inlineKey] as JsonArray ?? [];
        var inlineNames = change.Attached is null
            ? change.Replaced.Where(r => r.StartsWith(own, StringComparison.Ordinal)).Select(r => r[own.Length..]).ToHashSet(StringComparer.Ordinal)
            : inline.OfType<JsonObject>().Select(p => (string?)p["PolicyName"] ?? "").ToHashSet(StringComparer.Ordinal);
        var managed = change.Attached is null
            ? change.Replaced.Where(r => !r.Contains('#', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal)
            : (principal["AttachedManagedPolicies"] as JsonArray ?? []).OfType<JsonObject>().Select(p => (string?)p["PolicyArn"] ?? "")
                .Except(change.Attached, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in inline.OfType<JsonObject>().Where(p => inlineNames.Contains((string?)p["PolicyName"] ?? "")).ToList()) { inline.Remove(gone); }
        foreach (var (name, json) in change.Documents)
        {
            foreach (var same in inline.OfType<JsonObject>().Where(p => (string?)p["PolicyName"] == name).ToList()) { inline.Remove(same); }
            inline.Add(new JsonObject { ["PolicyName"] = name, ["PolicyDocument"] = JsonNode.Parse(json) });
        }
        principal[inlineKey] = inline;
        if (principal["AttachedManagedPolicies"] is JsonArray attached)
        {
            foreach (var gone in attached.OfType<JsonObject>().Where(p => managed.Contains((string?)p["PolicyArn"] ?? "")).ToList()) { attached.Remove(gone); }
        }
    }

    /// <summary>The original attachments and inline policies back beside whatever the identity holds now.</summary>
    private static void Regrow(JsonObject now, JsonObject original)
    {
        foreach (var key in new[] { "AttachedManagedPolicies", "RolePolicyList", "UserPolicyList" })
        {
            if (original[key] is not JsonArray before) { continue; }
            var list = now[key] as JsonArray ?? [];
            var names = list.OfType<JsonObject>().Select(p => (string?)p["PolicyName"]).ToHashSet(StringComparer.Ordinal);
            foreach (var policy in before.OfType<JsonObject>().Where(p => !names.Contains((string?)p["PolicyName"]))) { list.Add(policy.DeepClone()); }
            now[key] = list;
        }
    }
}
