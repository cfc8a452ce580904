using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Text;

namespace Ciem.App.Reports;

/// <summary>What `ciem check` found: every principal's delta, the findings kept and accepted, the threshold.</summary>
public sealed record CheckReport(ImmutableArray<PermissionDelta> Deltas, GateOutcome Outcome, FindingSeverity FailOn, int IamResources)
{
    public bool Failed => Outcome.Fails(FailOn);

    /// <summary>Azure and GCP principals the change touches (AWS ones are in <see cref="Deltas"/>).</summary>
    public ImmutableArray<CloudPrincipalDelta> CloudDeltas { get; init; } = [];

    public IEnumerable<GateFinding> Ordered => Outcome.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Principal, StringComparer.Ordinal).ThenBy(f => f.RuleId, StringComparer.Ordinal);
}

/// <summary>Renders a <see cref="CheckReport"/> as JSON, SARIF 2.1.0 or Markdown (files and pull-request comments; the terminal text is the CLI's).</summary>
public static class CheckRenderer
{
    private static readonly string[] RuleTags = ["security", "iam"];

    /// <summary>
    /// `--format csv`: one row per finding in the order the other formats list them, then one per finding an exception
    /// accepted (`status` `accepted`, with the exception's reason and expiry); cells through <see cref="CsvTable"/>.
    /// </summary>
    public static string Csv(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string?[] Row(GateFinding f, string status, string? reason, DateOnly? expires) =>
        [
            FindingSeverities.Name(f.Severity), f.RuleId, f.Principal, f.Message, string.Join("; ", f.Evidence), f.Location?.ToString(),
            f.Indeterminate ? "true" : "false", status, reason,
            expires?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ];
        var output = new StringWriter();
        string[] header = ["severity", "rule", "principal", "message", "evidence", "location", "indeterminate", "status", "exceptionReason",
            "exceptionExpires"];
        CsvTable.Write(output, header,
            report.Ordered.Select(f => Row(f, "open", null, null))
                .Concat(report.Outcome.Accepted.Select(a => Row(a.Finding, "accepted", a.Exception.Reason, a.Exception.Expires))));
        return output.ToString();
    }

    public static string Markdown(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"### OpenCIEM check: {(report.Failed ? "**failed**" : "passed")}\n\n{Verdict(report)}\n\n");
        if (!report.Outcome.Findings.IsEmpty)
        {
            sb.Append("| severity | rule | principal | finding | where |\n|---|---|---|---|---|\n");
            foreach (var f in report.Ordered)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {FindingSeverities.Name(f.Severity)} | `{f.RuleId}` | {MarkdownText.Code(f.Principal, inTable: true)} | {Cell(f.Message)}{(f.Indeterminate ? " *(indeterminate)*" : "")} | {Cell(f.Location?.ToString() ?? "")} |\n");
            }
            sb.Append('\n');
        }
        if (!report.Outcome.Accepted.IsEmpty)
        {
            sb.Append("<details><summary>accepted by exceptions</summary>\n\n");
            foreach (var (f, e) in report.Outcome.Accepted) { sb.Append(CultureInfo.InvariantCulture, $"- `{f.RuleId}` on {MarkdownText.Code(f.Principal)}: {Cell(e.Reason)} (until {e.Expires:yyyy-MM-dd})\n"); }
            sb.Append("\n</details>\n\n");
        }
        sb.Append("<details><summary>effective permissions by principal</summary>\n\n| principal | added | removed | admin before → after |\n|---|---:|---:|---|\n");
        foreach (var d in report.Deltas) { sb.Append(CultureInfo.InvariantCulture, $"| {MarkdownText.Code(d.Change.Id, inTable: true)} | {d.Added.Count} | {d.Removed.Count} | {YesNo(d.Before.IsAdministrator)} → {YesNo(d.After.IsAdministrator)} |\n"); }
        foreach (var d in report.CloudDeltas) { sb.Append(CultureInfo.InvariantCulture, $"| {MarkdownText.Code(d.Id, inTable: true)} | {d.Added.Length} | {d.Removed.Length} | {YesNo(d.Before.IsAdministrator)} → {YesNo(d.After.IsAdministrator)} |\n"); }
        sb.Append("\n</details>\n");
        return sb.ToString();
    }

    public static string Json(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(new
        {
            failOn = FindingSeverities.Name(report.FailOn),
            failed = report.Failed,
            iamResources = report.IamResources,
            findings = report.Ordered.Select(FindingJson),
            accepted = report.Outcome.Accepted.Select(a => new { finding = FindingJson(a.Finding), reason = a.Exception.Reason, expires = a.Exception.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
            principals = report.Deltas.Select(d => (object)new
            {
                id = d.Change.Id,
                kind = d.Change.KindName,
                inInventory = d.InInventory,
                added = d.Added.Select(a => a.FullName),
                removed = d.Removed.Select(a => a.FullName),
                adminBefore = d.Before.IsAdministrator,
                adminAfter = d.After.IsAdministrator,
                indeterminate = d.After.Indeterminate.Count,
            }).Concat(report.CloudDeltas.Select(d => (object)new
            {
                id = d.Id,
                kind = d.Provider,
                inInventory = d.InInventory,
                added = d.Added,
                removed = d.Removed,
                adminBefore = d.Before.IsAdministrator,
                adminAfter = d.After.IsAdministrator,
                indeterminate = d.After.Indeterminate.Length,
            })),
            diagnostics = report.Outcome.Diagnostics.Select(d => d.ToString()),
        }, ReportJson.Options) + "\n";
    }

    /// <param name="lineOf">the line of a location in its file, when it can be found (JSON paths are resolved by the caller).</param>
    public static string Sarif(CheckReport report, Func<SourceLocation, long?> lineOf)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(lineOf);
        var rules = GateRules.All;
        var sarif = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[]
            {
                new
                {
                    tool = new
                    {
                        driver = new
                        {
                            name = "OpenCIEM",
                            informationUri = "https://github.com/openciem/openciem",
                            rules = rules.Select(r => new
                            {
                                id = r.Id,
                                name = r.Title,
                                shortDescription = new { text = r.Title },
                                fullDescription = new { text = r.Description },
                                defaultConfiguration = new { level = Level(r.DefaultSeverity) },
                                properties = new Dictionary<string, object> { ["security-severity"] = SecuritySeverity(r.DefaultSeverity), ["tags"] = RuleTags },
                            }),
                        },
                    },
                    results = report.Ordered.Select(f => new
                    {
                        ruleId = f.RuleId,
                        ruleIndex = rules.IndexOf(GateRules.Find(f.RuleId)),
                        level = Level(f.Severity),
                        message = new { text = f.Message + (f.Evidence.IsEmpty ? "" : ": " + string.Join("; ", f.Evidence.Take(10))) },
                        locations = new[] { Location(f.Location, lineOf) },
                        properties = new { principal = f.Principal, severity = FindingSeverities.Name(f.Severity), indeterminate = f.Indeterminate },
                    }),
                },
            },
        };
        return JsonSerializer.Serialize(sarif, ReportJson.Options) + "\n";
    }

    private static object Location(SourceLocation? l, Func<SourceLocation, long?> lineOf)
    {
        var uri = l?.File ?? "plan.json";
        // Code scanning shows a result only with a region (GitHub requires startLine): the file's first line when no better one is known.
        var line = (l is null ? null : l.Line ?? lineOf(l)) ?? 1;
        var physical = new { artifactLocation = new { uri }, region = new { startLine = line } };
        return l?.JsonPath is { } path
            ? new { physicalLocation = physical, logicalLocations = new[] { new { fullyQualifiedName = path, kind = "member" } } }
            : new { physicalLocation = physical };
    }

    private static object FindingJson(GateFinding f) => new
    {
        rule = f.RuleId,
        severity = FindingSeverities.Name(f.Severity),
        principal = f.Principal,
        message = f.Message,
        evidence = f.Evidence,
        location = f.Location?.ToString(),
        indeterminate = f.Indeterminate,
    };

    /// <summary>The one-line verdict every rendering ends with.</summary>
    public static string Verdict(CheckReport r)
    {
        var at = r.Outcome.Findings.Count(f => f.Severity >= r.FailOn);
        var accepted = r.Outcome.Accepted.IsEmpty ? "" : $", {r.Outcome.Accepted.Length} accepted by exceptions";
        return $"{r.Outcome.Findings.Length} finding(s), {at} at or above `{FindingSeverities.Name(r.FailOn)}`{accepted}";
    }

    private static string Level(FindingSeverity s) => s switch
    {
        FindingSeverity.Critical or FindingSeverity.High => "error",
        FindingSeverity.Medium => "warning",
        _ => "note",
    };

    private static string SecuritySeverity(FindingSeverity s) => s switch
    {
        FindingSeverity.Critical => "9.5",
        FindingSeverity.High => "7.5",
        FindingSeverity.Medium => "5.0",
        _ => "2.0",
    };

    private static string YesNo(bool b) => b ? "yes" : "no";

    /// <summary>Our message quoting untrusted values, for a Markdown cell or line (MarkdownText, the one escaper).</summary>
    private static string Cell(string s) => MarkdownText.Message(s);
}
