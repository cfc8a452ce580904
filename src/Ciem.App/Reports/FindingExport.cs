using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciem.Core.Gate;

namespace Ciem.App.Reports;

/// <summary>
/// `ciem check --format ocsf|asff`: the gate's findings in the formats security teams ingest. OCSF 1.3 Detection
/// Finding (class 2004, one JSON array of events; https://schema.ocsf.io/1.3.0/classes/detection_finding) and the AWS
/// Security Finding Format (ASFF 2018-10-08, `{"Findings": […]}` as `aws securityhub batch-import-findings` takes it;
/// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html). Ids are stable hashes of
/// rule, principal and message, so a re-run updates a finding instead of duplicating it. ASFF's limits are kept and
/// what they cut is said: Title (256) and Description (1024) end in a marker, Resources stop at 32 with the number left
/// out in ProductFields, and control characters (which ASFF's `.*\S.*` patterns refuse) become visible replacements.
/// Both schemas are checked in tests/Ciem.App.Tests/Reports/Schemas.
/// </summary>
public static class FindingExport
{
    public const string OcsfVersion = "1.3.0";

    public const int AsffTitleMax = 256;
    public const int AsffDescriptionMax = 1024;
    public const int AsffResourcesMax = 32;
    public const int AsffProductFieldValueMax = 2048;

    /// <summary>ProductFields key of how many resources the 32-resource limit left out.</summary>
    public const string ResourcesLeftOutField = "openciem/resources_left_out";

    public static string Ocsf(CheckReport report, DateTimeOffset now, string productVersion)
    {
        ArgumentNullException.ThrowIfNull(report);
        var events = report.Ordered.Select(f => OcsfEvent(f, now, productVersion));
        return JsonSerializer.Serialize(events, ReportJson.Options) + "\n";
    }

    private static Dictionary<string, object?> OcsfEvent(GateFinding f, DateTimeOffset now, string productVersion)
    {
        var e = new Dictionary<string, object?>
        {
            ["activity_id"] = 1,
            ["activity_name"] = "Create",
            ["category_uid"] = 2,
            ["category_name"] = "Findings",
            ["class_uid"] = 2004,
            ["class_name"] = "Detection Finding",
            ["type_uid"] = 200401,
            ["type_name"] = "Detection Finding: Create",
            ["severity_id"] = OcsfSeverity(f.Severity),
            ["severity"] = OcsfSeverityCaption(f.Severity),
            ["status_id"] = 1,
            ["status"] = "New",
            // Indeterminate: content known only after apply could change the finding.
            ["confidence_id"] = f.Indeterminate ? 1 : 3,
            ["confidence"] = f.Indeterminate ? "Low" : "High",
            ["time"] = now.ToUnixTimeMilliseconds(),
            ["message"] = Text(f.Message, keepLines: true),
            ["metadata"] = new Dictionary<string, object?>
            {
                ["version"] = OcsfVersion,
                ["product"] = new Dictionary<string, object?>
                {
                    ["name"] = "OpenCIEM", ["vendor_name"] = "OpenCIEM", ["version"] = productVersion,
                },
            },
            ["finding_info"] = new Dictionary<string, object?>
            {
                ["uid"] = Uid(f),
                ["title"] = Text(Title(f), keepLines: false),
                ["desc"] = Text(f.Message, keepLines: true),
                ["types"] = new[] { f.RuleId },
                ["analytic"] = new Dictionary<string, object?>
                {
                    ["uid"] = f.RuleId, ["name"] = f.RuleId, ["type_id"] = 1, ["type"] = "Rule",
                },
            },
            ["resources"] = new[]
            {
                new Dictionary<string, object?> { ["uid"] = Text(f.Principal, keepLines: false), ["type"] = "principal" },
            },
        };
        // No `evidences` at all rather than null: OCSF's evidences is an array of objects, and null is neither.
        if (!f.Evidence.IsEmpty)
        {
            var data = new Dictionary<string, object?> { ["evidence"] = f.Evidence };
            e["evidences"] = new[] { new Dictionary<string, object?> { ["data"] = data } };
        }
        return e;
    }

    /// <summary>The ASFF document, and how many findings were left out (no AWS account: Azure and GCP principals).</summary>
    public static (string Json, int LeftOut) Asff(CheckReport report, DateTimeOffset now, string region, string productAccount)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var aws = report.Ordered.Select(f => (Finding: f, Account: AccountOf(f.Principal))).ToList();
        var findings = aws.Where(a => a.Account is not null)
            .Select(a => AsffFinding(a.Finding, a.Account!, stamp, region, productAccount));
        var json = JsonSerializer.Serialize(new Dictionary<string, object?> { ["Findings"] = findings }, ReportJson.Options) + "\n";
        return (json, aws.Count(a => a.Account is null));
    }

    private static Dictionary<string, object?> AsffFinding(
        GateFinding f, string account, string stamp, string region, string productAccount)
    {
        var rule = Classifier(f.RuleId);
        // The principal, then the other ARNs its evidence names (trusted principals, roles it can pass).
        var involved = f.Evidence.Where(e => e.StartsWith("arn:", StringComparison.Ordinal) && e != f.Principal)
            .Distinct(StringComparer.Ordinal).Prepend(f.Principal).ToList();
        var fields = new Dictionary<string, string> { ["openciem/rule"] = rule };
        if (f.Indeterminate) { fields["openciem/indeterminate"] = "true"; }
        if (involved.Count > AsffResourcesMax)
        {
            fields[ResourcesLeftOutField] = (involved.Count - AsffResourcesMax).ToString(CultureInfo.InvariantCulture);
        }
        if (!f.Evidence.IsEmpty)
        {
            fields["openciem/evidence"] = Cut(Text(string.Join(", ", f.Evidence), keepLines: false), AsffProductFieldValueMax, "…");
        }
        var description = (f.Indeterminate ? "Indeterminate: content known only after apply could change this finding. " : "")
            + f.Message;
        return new Dictionary<string, object?>
        {
            ["SchemaVersion"] = "2018-10-08",
            ["Id"] = Uid(f),
            ["ProductArn"] = $"arn:aws:securityhub:{region}:{productAccount}:product/{productAccount}/default",
            ["GeneratorId"] = "openciem/" + rule,
            ["AwsAccountId"] = account,
            ["Types"] = new[] { "Software and Configuration Checks/AWS Security Best Practices/" + rule },
            ["CreatedAt"] = stamp,
            ["UpdatedAt"] = stamp,
            ["Severity"] = new Dictionary<string, object?>
            {
                ["Label"] = FindingSeverities.Name(f.Severity).ToUpperInvariant(), ["Original"] = FindingSeverities.Name(f.Severity),
            },
            ["Title"] = Cut(NonBlank(Text(Title(f), keepLines: false), rule), AsffTitleMax, "…"),
            ["Description"] = Describe(NonBlank(Text(description, keepLines: false), rule)),
            ["Resources"] = involved.Take(AsffResourcesMax).Select(AsffResource).ToList(),
            ["RecordState"] = "ACTIVE",
            ["ProductFields"] = fields,
        };
    }

    private static Dictionary<string, object?> AsffResource(string id)
    {
        var partition = id.Split(':', 3) is [_, var p, _] && p is "aws" or "aws-cn" or "aws-us-gov" ? p : null;
        var resource = new Dictionary<string, object?>
        {
            ["Type"] = ResourceType(id), ["Id"] = NonBlank(Text(id, keepLines: false), "unknown"),
        };
        if (partition is not null) { resource["Partition"] = partition; }
        return resource;
    }

    private static int OcsfSeverity(FindingSeverity s) => s switch
    {
        FindingSeverity.Low => 2,
        FindingSeverity.Medium => 3,
        FindingSeverity.High => 4,
        _ => 5,
    };

    /// <summary>OCSF's `severity` is the caption of `severity_id` (Low, Medium, High, Critical).</summary>
    private static string OcsfSeverityCaption(FindingSeverity s) => s switch
    {
        FindingSeverity.Low => "Low",
        FindingSeverity.Medium => "Medium",
        FindingSeverity.High => "High",
        _ => "Critical",
    };

    private static string Title(GateFinding f) => $"{f.RuleId}: {f.Principal}";

    private static string Uid(GateFinding f) =>
        "openciem-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{f.RuleId}\n{f.Principal}\n{f.Message}")))[..32];

    /// <summary>A rule id as an ASFF type classifier: no `/` (it separates namespace, category and classifier).</summary>
    private static string Classifier(string ruleId) => NonBlank(Text(ruleId, keepLines: false).Replace('/', '-'), "unknown");

    /// <summary>A Description within 1024 characters; a cut one says how long the whole was.</summary>
    private static string Describe(string text)
    {
        if (text.Length <= AsffDescriptionMax) { return text; }
        var marker = $" … (cut: {text.Length.ToString(CultureInfo.InvariantCulture)} characters in all)";
        return Cut(text, AsffDescriptionMax, marker);
    }

    /// <summary>The account of an IAM ARN (`arn:aws:iam::111111111111:role/x`), else null.</summary>
    private static string? AccountOf(string principal)
    {
        var parts = principal.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[4].Length == 12 && parts[4].All(char.IsAsciiDigit) ? parts[4] : null;
    }

    private static string ResourceType(string arn) => arn.Contains(":role/", StringComparison.Ordinal) ? "AwsIamRole"
        : arn.Contains(":user/", StringComparison.Ordinal) ? "AwsIamUser"
        : arn.Contains(":group/", StringComparison.Ordinal) ? "AwsIamGroup"
        : arn.Contains(":policy/", StringComparison.Ordinal) ? "AwsIamPolicy" : "Other";

    private static string NonBlank(string text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text;

    /// <summary>
    /// Text a consumer can show: line breaks and tabs become spaces (unless <paramref name="keepLines"/>), other control
    /// characters and lone surrogates become U+FFFD, so nothing reaches a console or a `.*\S.*` pattern unseen.
    /// </summary>
    private static string Text(string text, bool keepLines)
    {
        var b = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c)) { b.Append('\uFFFD'); }
            else if (c is '\n' or '\r' or '\t') { b.Append(keepLines ? c : ' '); }
            else { b.Append(char.IsControl(c) ? '\uFFFD' : c); }
        }
        return b.ToString();
    }

    /// <summary>At most <paramref name="max"/> UTF-16 units ending in <paramref name="marker"/>, never half a surrogate pair.</summary>
    private static string Cut(string text, int max, string marker)
    {
        if (text.Length <= max) { return text; }
        var keep = max - marker.Length;
        if (char.IsHighSurrogate(text[keep - 1])) { keep--; }
        return text[..keep] + marker;
    }
}
