using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>What <see cref="SimulationRequestGenerator.Generate"/> wrote.</summary>
/// <param name="Requests">Request lines written.</param>
/// <param name="Roles">Roles of the export that made them (those with at least one identity policy of at most 8 KB).</param>
public sealed record SimulationRequestsResult(int Requests, int Roles);

/// <summary>
/// Writes a `ciem aws simulate` request file (JSON Lines) from an IAM authorization-details export, for the simulate
/// benchmark and tests (docs/benchmarks.md, "`ciem aws simulate` on 122,000 requests"). Each request is made by a session
/// of one role of the export and carries, as real simulate files do, every policy that bears on it: the role's inline
/// policies and the default version of each attached managed policy (documents over 8 KB left out), a three-level SCP
/// chain (root `FullAWSAccess`; OU a region guard; account guardrails), one RCP level (a data perimeter), a permissions
/// boundary, the resource's own policy for 11 of the 16 actions, and eight context keys. Roles are visited in order, each
/// making a request from a fixed pool of actions, until the count is written. Deterministic: the same export and count
/// give the same bytes — the bytes the earlier Python generator wrote (compact JSON, ASCII only; <see cref="AsciiJson"/>).
/// </summary>
public static class SimulationRequestGenerator
{
    /// <summary>The largest identity policy document carried, in bytes of compact JSON.</summary>
    public const int MaxDocumentBytes = 8 * 1024;

    private const string Org = "o-a1b2c3d4e5";

    private static readonly (string Action, string Resource, string? Kind)[] Pool =
    [
        ("s3:GetObject", "arn:aws:s3:::data-{acct}/reports/2026/q{n}.csv", "s3"),
        ("s3:PutObject", "arn:aws:s3:::data-{acct}/uploads/{n}.json", "s3"),
        ("s3:DeleteObject", "arn:aws:s3:::data-{acct}/tmp/{n}.bin", "s3"),
        ("s3:ListBucket", "arn:aws:s3:::data-{acct}", "s3"),
        ("sqs:SendMessage", "arn:aws:sqs:eu-west-1:{acct}:orders-{n}", "sqs"),
        ("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:{acct}:orders-{n}", "sqs"),
        ("kms:Decrypt", "arn:aws:kms:eu-west-1:{acct}:key/1234abcd-12ab-34cd-56ef-12345678900{n}", "kms"),
        ("kms:Encrypt", "arn:aws:kms:eu-west-1:{acct}:key/1234abcd-12ab-34cd-56ef-12345678900{n}", "kms"),
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:{acct}:secret:app/db-{n}-AbCdEf", "secretsmanager"),
        ("sns:Publish", "arn:aws:sns:eu-west-1:{acct}:alerts-{n}", "sns"),
        ("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:{acct}:function:worker-{n}", "lambda"),
        ("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:{acct}:table/orders-{n}", null),
        ("ec2:TerminateInstances", "arn:aws:ec2:eu-west-1:{acct}:instance/i-0abc{n}def", null),
        ("iam:PassRole", "arn:aws:iam::{acct}:role/app-role-{n}", null),
        ("logs:PutLogEvents", "arn:aws:logs:eu-west-1:{acct}:log-group:/app/{n}:log-stream:main", null),
        ("cloudtrail:StopLogging", "arn:aws:cloudtrail:eu-west-1:{acct}:trail/org-trail", null),
    ];

    private static readonly string[] Teams = ["payments", "search", "platform"];

    private static readonly string Full = Compact("""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        """);

    private static readonly string RegionGuard = Compact("""
        {"Version": "2012-10-17", "Statement": [{
          "Sid": "DenyOutsideApprovedRegions", "Effect": "Deny",
          "NotAction": ["iam:*", "sts:*", "organizations:*", "cloudfront:*", "route53:*", "support:*"], "Resource": "*",
          "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}
        """);

    private static readonly string Guardrails = Compact("""
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "ProtectAuditTrail", "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*"},
          {"Sid": "StayInOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
          {"Sid": "RequireTls", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        """);

    private static readonly string Perimeter = Compact("""
        {"Version": "2012-10-17", "Statement": [{
          "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*",
          "Action": ["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:AssumeRole"], "Resource": "*",
          "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}
        """);

    private static readonly string Boundary = Compact("""
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Workloads", "Effect": "Allow", "NotAction": ["iam:*User*", "iam:*AccessKey*", "organizations:*", "account:*"],
           "Resource": "*"},
          {"Sid": "PassOnlyAppRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/app-*"}]}
        """);

    /// <summary>Resource policies by kind; `{acct}` stands for the (escaped) account id.</summary>
    private static readonly Dictionary<string, string> ResourcePolicies = new(StringComparer.Ordinal)
    {
        ["s3"] = Compact("""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
               "Resource": ["arn:aws:s3:::data-{acct}", "arn:aws:s3:::data-{acct}/*"],
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
              {"Sid": "OrgRead", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "s3:ListBucket"],
               "Resource": ["arn:aws:s3:::data-{acct}", "arn:aws:s3:::data-{acct}/*"],
               "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
            """),
        ["kms"] = Compact("""
            {"Version": "2012-10-17", "Statement": [{"Sid": "EnableIamPolicies", "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::{acct}:root"}, "Action": "kms:*", "Resource": "*"}]}
            """),
        ["sqs"] = AccountPolicy("sqs:*"),
        ["secretsmanager"] = AccountPolicy("secretsmanager:GetSecretValue"),
        ["sns"] = AccountPolicy("sns:Publish"),
        ["lambda"] = AccountPolicy("lambda:InvokeFunction"),
    };

    /// <summary>
    /// Reads the export from <paramref name="authorizationDetails"/> (named <paramref name="name"/> in errors) and writes
    /// <paramref name="count"/> request lines to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The export is not JSON, lacks `RoleDetailList` or a role's `Arn`,
    /// `RoleName` or `RoleId`, or no role has an identity policy; the message says where.</exception>
    public static SimulationRequestsResult Generate(Stream authorizationDetails, string name, int count, Stream output)
    {
        ArgumentNullException.ThrowIfNull(authorizationDetails);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(authorizationDetails, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"`{name}` is not JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        using (document)
        {
            var roles = Roles(document.RootElement, name);
            if (roles.Count == 0) { throw new InvalidDataException($"no role with identity policies in `{name}` ($.RoleDetailList)"); }
            var written = 0;
            var line = new StringBuilder(4096);
            var bytes = new byte[64 * 1024];
            while (written < count)
            {
                for (var i = 0; i < roles.Count && written < count; i++)
                {
                    line.Clear();
                    Request(roles[i], i, written, line);
                    line.Append('\n');
                    if (bytes.Length < line.Length) { bytes = new byte[line.Length * 2]; }
                    var length = Encoding.ASCII.GetBytes(line.ToString(), bytes);
                    output.Write(bytes, 0, length);
                    written++;
                }
            }
            output.Flush();
            return new SimulationRequestsResult(written, roles.Count);
        }
    }

    /// <summary>A role of the export, its fields escaped once and its identity policies as one compact array.</summary>
    private sealed record Role(string Account, string RoleName, string RoleId, string IdentityPolicies);

    private static List<Role> Roles(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object) { throw new InvalidDataException($"`{name}` is not a JSON object ($)"); }
        var managed = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (root.TryGetProperty("Policies", out var policies) && policies.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var policy in policies.EnumerateArray())
            {
                managed[Text(policy, "Arn", name, $"$.Policies[{index}]")] = DefaultDocument(policy);
                index++;
            }
        }
        if (!root.TryGetProperty("RoleDetailList", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"`{name}` has no `RoleDetailList` array ($.RoleDetailList)");
        }
        var roles = new List<Role>();
        var r = 0;
        foreach (var role in list.EnumerateArray())
        {
            var at = $"$.RoleDetailList[{r++}]";
            var documents = new List<string>();
            if (role.TryGetProperty("RolePolicyList", out var inline) && inline.ValueKind == JsonValueKind.Array)
            {
                documents.AddRange(inline.EnumerateArray().Select(p => p.TryGetProperty("PolicyDocument", out var d)
                    ? AsciiJson.Write(d) : throw new InvalidDataException($"a role policy has no `PolicyDocument` in `{name}` ({at})")));
            }
            if (role.TryGetProperty("AttachedManagedPolicies", out var attached) && attached.ValueKind == JsonValueKind.Array)
            {
                var a = 0;
                foreach (var attachment in attached.EnumerateArray())
                {
                    var arn = Text(attachment, "PolicyArn", name, $"{at}.AttachedManagedPolicies[{a++}]");
                    if (managed.TryGetValue(arn, out var document) && document is not null) { documents.Add(document); }
                }
            }
            documents.RemoveAll(d => d == "null" || d.Length > MaxDocumentBytes);
            if (documents.Count == 0) { continue; }
            var arnParts = Text(role, "Arn", name, at).Split(':');
            if (arnParts.Length < 5) { throw new InvalidDataException($"role ARN has no account field in `{name}` ({at}.Arn)"); }
            roles.Add(new Role(AsciiJson.Escape(arnParts[4]), AsciiJson.Escape(Text(role, "RoleName", name, at)),
                AsciiJson.Escape(Text(role, "RoleId", name, at)), "[" + string.Join(',', documents) + "]"));
        }
        return roles;
    }

    /// <summary>The compact JSON of the policy's default version's document, or null when it has none.</summary>
    private static string? DefaultDocument(JsonElement policy)
    {
        if (!policy.TryGetProperty("PolicyVersionList", out var versions) || versions.ValueKind != JsonValueKind.Array) { return null; }
        foreach (var version in versions.EnumerateArray())
        {
            if (version.TryGetProperty("IsDefaultVersion", out var isDefault) && Truthy(isDefault))
            {
                return version.TryGetProperty("Document", out var document) ? AsciiJson.Write(document) : null;
            }
        }
        return null;
    }

    /// <summary>Python's truth value of a JSON value (the Python generator tested `if v.get("IsDefaultVersion")`).</summary>
    private static bool Truthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        _ => false,
    };

    private static string Text(JsonElement element, string property, string name, string at) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"`{property}` is missing or not a string in `{name}` ({at}.{property})");

    private static void Request(Role role, int i, int written, StringBuilder line)
    {
        var (action, template, kind) = Pool[(int)(((long)written * 7 + i) % Pool.Length)];
        var n = (written % 5).ToString(CultureInfo.InvariantCulture);
        var resource = AsciiJson.Escape(template.Replace("{n}", n, StringComparison.Ordinal))
            .Replace("{acct}", role.Account, StringComparison.Ordinal);
        var session = "session-" + (written % 97).ToString(CultureInfo.InvariantCulture);
        var ip = FormattableString.Invariant($"10.{(written >> 8) % 256}.{written % 256}.{i % 250 + 1}");
        var region = written % 11 != 0 ? "eu-west-1" : "us-east-1";
        var time = FormattableString.Invariant($"2026-06-{1 + written % 28:00}T{written % 24:00}:00:00Z");
        line.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"r{written}\",\"request\":{{")
            .Append(CultureInfo.InvariantCulture, $"\"principal\":\"arn:aws:sts::{role.Account}:assumed-role/{role.RoleName}/{session}\",")
            .Append(CultureInfo.InvariantCulture, $"\"action\":\"{action}\",\"resource\":\"{resource}\",\"context\":{{")
            .Append(CultureInfo.InvariantCulture, $"\"aws:SourceIp\":\"{ip}\",\"aws:RequestedRegion\":\"{region}\",")
            .Append(CultureInfo.InvariantCulture, $"\"aws:CurrentTime\":\"{time}\",")
            .Append(CultureInfo.InvariantCulture, $"\"aws:SecureTransport\":\"{(written % 13 != 0 ? "true" : "false")}\",")
            .Append(CultureInfo.InvariantCulture, $"\"aws:MultiFactorAuthPresent\":\"{(written % 3 != 0 ? "true" : "false")}\",")
            .Append(CultureInfo.InvariantCulture, $"\"aws:PrincipalOrgID\":\"{Org}\",\"aws:PrincipalTag/team\":\"{Teams[written % 3]}\",")
            .Append(CultureInfo.InvariantCulture, $"\"aws:userid\":\"{role.RoleId}:{session}\"}}}},")
            .Append("\"identityPolicies\":").Append(role.IdentityPolicies)
            .Append(",\"permissionBoundaries\":[").Append(Boundary).Append("],\"scps\":[")
            .Append("{\"target\":\"r-a1b2\",\"policies\":[").Append(Full).Append("]},")
            .Append("{\"target\":\"ou-a1b2-workloads\",\"policies\":[").Append(Full).Append(',').Append(RegionGuard).Append("]},")
            .Append("{\"target\":\"").Append(role.Account).Append("\",\"policies\":[").Append(Full).Append(',').Append(Guardrails)
            .Append("]}],\"rcps\":[{\"target\":\"r-a1b2\",\"policies\":[").Append(Perimeter).Append("]}]");
        if (kind is not null)
        {
            line.Append(",\"resourcePolicy\":").Append(ResourcePolicies[kind].Replace("{acct}", role.Account, StringComparison.Ordinal));
        }
        line.Append('}');
    }

    private static string AccountPolicy(string action) => Compact($$"""
        {"Version": "2012-10-17", "Statement": [{"Sid": "Account", "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::{acct}:root"}, "Action": "{{action}}", "Resource": "*"}]}
        """);

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AsciiJson.Write(document.RootElement);
    }
}
