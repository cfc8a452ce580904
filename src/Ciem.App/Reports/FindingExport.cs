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
/// https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html). Ids are stable hashes of
/// rule, principal and message, so a re-run updates a finding instead of duplicating it.
/// </summary>
public static class FindingExport
{
    public const string OcsfVersion = "1.3.0";

    public static string Ocsf(CheckReport report, DateTimeOffset now, string productVersion)
    {
        ArgumentNullException.ThrowIfNull(report);
        var events = report.Ordered.Select(f => new Dictionary<string, object?>
        {
            ["activity_id"] = 1,
            ["activity_name"] = "Create",
            ["category_uid"] = 2,
            ["category_name"] = "Findings",
            ["class_uid"] = 2004,
            ["class_name"] = "Detection Finding",
            ["type_uid"] = 200401,
            ["severity_id"] = OcsfSeverity(f.Severity),
            ["severity"] = FindingSeverities.Name(f.Severity),
            ["status_id"] = 1,
            ["time"] = now.ToUnixTimeMilliseconds(),
            ["message"] = f.Message,
            ["metadata"] = new Dictionary<string, object?>
            {
                ["version"] = OcsfVersion,
                ["product"] = new Dictionary<string, object?> { ["name"] = "OpenCIEM", ["vendor_name"] = "OpenCIEM", ["version"] = productVersion },
            },
            ["finding_info"] = new Dictionary<string, object?>
            {
                ["uid"] = Uid(f),
                ["title"] = Title(f),
                ["desc"] = f.Message,
                ["types"] = new[] { f.RuleId },
                ["analytic"] = new Dictionary<string, object?> { ["uid"] = f.RuleId, ["name"] = f.RuleId, ["type_id"] = 1, ["type"] = "Rule" },
            },
            ["resources"] = new[] { new Dictionary<string, object?> { ["uid"] = f.Principal, ["type"] = "principal" } },
            ["evidences"] = f.Evidence.IsEmpty ? null : new[] { new Dictionary<string, object?> { ["data"] = new Dictionary<string, object?> { ["evidence"] = f.Evidence } } },
        });
        return JsonSerializer.Serialize(events, ReportJson.Options) + "\n";
    }

    /// <summary>The ASFF document, and how many findings were left out (no AWS account: Azure and GCP principals).</summary>
    public static (string Json, int LeftOut) Asff(CheckReport report, DateTimeOffset now, string region, string productAccount)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var aws = report.Ordered.Select(f => (Finding: f, Account: AccountOf(f.Principal))).ToList();
        var findings = aws.Where(a => a.Account is not null).Select(a => new Dictionary<string, object?>
        {
            ["SchemaVersion"] = "2018-10-08",
            ["Id"] = Uid(a.Finding),
            ["ProductArn"] = $"arn:aws:securityhub:{region}:{productAccount}:product/{productAccount}/default",
            ["GeneratorId"] = "openciem/" + a.Finding.RuleId,
            ["AwsAccountId"] = a.Account,
            ["Types"] = new[] { "Software and Configuration Checks/AWS Security Best Practices/" + a.Finding.RuleId },
            ["CreatedAt"] = stamp,
            ["UpdatedAt"] = stamp,
            ["Severity"] = new Dictionary<string, object?> { ["Label"] = FindingSeverities.Name(a.Finding.Severity).ToUpperInvariant(), ["Original"] = FindingSeverities.Name(a.Finding.Severity) },
            ["Title"] = Cut(Title(a.Finding), 256),
            ["Description"] = Cut(a.Finding.Message, 1024),
            ["Resources"] = new[] { new Dictionary<string, object?> { ["Type"] = ResourceType(a.Finding.Principal), ["Id"] = a.Finding.Principal } },
        });
        return (JsonSerializer.Serialize(new Dictionary<string, object?> { ["Findings"] = findings }, ReportJson.Options) + "\n", aws.Count(a => a.Account is null));
    }

    private static int OcsfSeverity(FindingSeverity s) => s switch
    {
        FindingSeverity.Low => 2,
        FindingSeverity.Medium => 3,
        FindingSeverity.High => 4,
        _ => 5,
    };

    private static string Title(GateFinding f) => $"{f.RuleId}: {f.Principal}";

    private static string Uid(GateFinding f) =>
        "openciem-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{f.RuleId}\n{f.Principal}\n{f.Message}")))[..32];

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

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
