using System.Collections.Immutable;
using System.CommandLine;
using Ciem.App.Reports;
using Ciem.App.Gate;
using Ciem.Cli.Reports;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Sweep;
using Ciem.Import.Iac;
using Ciem.Import.Json;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem check`: the CI gate. Reads a Terraform plan or a before/after pair of policies, computes each touched
/// principal's effective access before and after (in the imported inventory's context with `--db`), applies the rules
/// and `ciem-rules.yml`, and exits 0, 2 (findings at or above the threshold) or 3 (unreadable input).
/// </summary>
public static class CheckCommand
{
    public static Command Create(CliHost host)
    {
        var plan = new Option<FileInfo?>("--plan") { Description = "a Terraform plan as JSON (`terraform show -json plan.out > plan.json`)" };
        var template = new Option<FileInfo?>("--template") { Description = "a CloudFormation template (JSON or YAML); with --before, the previous version" };
        var before = new Option<FileInfo?>("--before") { Description = "the policy file or template before the change (with --after or --template)" };
        var after = new Option<FileInfo?>("--after") { Description = "a policy file after the change; alone, a new policy" };
        var hcl = new Option<DirectoryInfo?>("--hcl") { Description = "a Terraform module folder read as source, without a plan (its `.tf` files)" };
        var baseRef = new Option<string?>("--base-ref") { Description = "with --hcl: the git ref of the folder before the change (e.g. origin/main)" };
        var source = new Option<DirectoryInfo?>("--source") { Description = "with --plan: the Terraform folder the plan was made from, so findings point at `.tf` lines (--hcl DIR with --plan does the same)" };
        var rules = new Option<FileInfo?>("--rules") { Description = "the rules file (default: ./ciem-rules.yml when present)" };
        var failOn = new Option<string?>("--fail-on") { Description = "fail (exit 2) on findings at or above this severity: low, medium, high, critical (default: the rules file's, else high)" };
        failOn.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var format = new Option<string>("--format", "-f") { Description = "output format: text, json, sarif (code scanning), markdown (a pull-request comment), "
            + "ocsf (OCSF 1.3 Detection Findings), asff (AWS Security Hub; region from $AWS_REGION) or csv (one row per finding)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif", "markdown", "ocsf", "asff", "csv");
        var db = new Option<string?>("--db") { Description = "the store with the imported inventory and usage: SCPs, boundaries and untouched policies apply, used permissions are known" };
        var command = new Command("check", "the CI gate: report what an IaC change adds to or removes from effective permissions") { plan, template, before, after, hcl, baseRef, source, rules, failOn, format, db };
        command.SetAction(p => Run(host, new CheckOptions(p.GetValue(plan), p.GetValue(template), p.GetValue(before), p.GetValue(after), p.GetValue(rules), p.GetValue(failOn), p.GetValue(format)!, p.GetValue(db)) { Hcl = p.GetValue(hcl), BaseRef = p.GetValue(baseRef), Source = p.GetValue(source) }));
        return command;
    }

    public sealed record CheckOptions(FileInfo? Plan, FileInfo? Template, FileInfo? Before, FileInfo? After, FileInfo? Rules, string? FailOn, string Format, string? Db)
    {
        /// <summary>A Terraform module folder read as source (`--hcl`).</summary>
        public DirectoryInfo? Hcl { get; init; }

        /// <summary>With <see cref="Hcl"/>: the git ref whose version of the folder is the before side.</summary>
        public string? BaseRef { get; init; }

        /// <summary>With <see cref="Plan"/>: the Terraform folder whose `.tf` lines findings point at (`--source`, or `--hcl` alongside `--plan`).</summary>
        public DirectoryInfo? Source { get; init; }
    }

    public static int Run(CliHost host, CheckOptions o)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(o);
        // `--hcl DIR` alongside `--plan` names the source of the plan, not a second input.
        if (o.Plan is not null && o.Hcl is not null && o.Source is null && o.BaseRef is null) { o = o with { Hcl = null, Source = o.Hcl }; }
        if (o.Source is not null && (o.Plan is null || !o.Source.Exists))
        {
            host.Error.WriteLine(o.Plan is null ? "error: --source goes with --plan PLAN.json" : $"error: no folder at `{o.Source.FullName}` (--source)");
            return ExitCodes.InvalidInput;
        }
        if (new object?[] { o.Plan, o.Template, o.After, o.Hcl }.Count(f => f is not null) != 1 || (o.Before is not null && (o.Plan ?? (object?)o.Hcl) is not null) || (o.BaseRef is not null && o.Hcl is null))
        {
            host.Error.WriteLine("error: give one of --plan PLAN.json, --template TEMPLATE (with --before OLD-TEMPLATE), --after POLICY.json (with --before POLICY.json) or --hcl DIR (with --base-ref REF)");
            return ExitCodes.InvalidInput;
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = o.Hcl is null ? ReadInput(host, o, texts) : HclInput.Read(host, o.Hcl, o.BaseRef);
        if (input is null) { return ExitCodes.InvalidInput; }
        var config = ReadRules(host, o.Rules);
        if (config is null) { return ExitCodes.InvalidInput; }
        if (o.FailOn is not null && FindingSeverities.TryParse(o.FailOn, out var threshold)) { config = config with { FailOn = threshold }; }

        AwsEstate? estate = null;
        ICiemStore? store = null;
        if (o.Db is not null)
        {
            // A change of Azure or GCP resources only needs no AWS inventory in the store.
            var awsOnly = !input.Changes.IsEmpty || !input.Clouds.ResourcePolicies.IsEmpty || !StoreAccess.Exists(host, o.Db);
            estate = awsOnly ? StoreAccess.LoadEstate(host, o.Db) : null;
            if (awsOnly && estate is null) { return ExitCodes.Failure; }
            store = StoreAccess.Open(host, o.Db);
        }
        var (deltas, clouds, found) = GateEvaluator.Evaluate(input, store, estate, host.Clock.GetUtcNow());
        var findings = found.ToList();
        if (o.Source is not null) { findings = Ciem.App.Iac.TerraformFolder.SourceMap(o.Source).Map(findings, texts[o.Plan!.FullName], o.Plan.Name); }
        var outcome = config.Apply(findings, DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime));
        var diagnostics = input.Diagnostics.Concat(deltas.SelectMany(d => d.Diagnostics)).Concat(clouds.Diagnostics).Concat(outcome.Diagnostics).Distinct().ToImmutableArray();
        StoreAccess.WriteDiagnostics(host, diagnostics);
        var main = o.Plan ?? o.Template ?? o.After;
        var report = new CheckReport(deltas, outcome, config.FailOn, input.IamResources + input.Clouds.Resources) { CloudDeltas = clouds.Deltas };
        var version = typeof(CheckCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var (asff, leftOut) = o.Format == "asff" ? FindingExport.Asff(report, host.Clock.GetUtcNow(), host.Environment("AWS_REGION") is { Length: > 0 } r ? r : "us-east-1",
            report.Ordered.Select(f => f.Principal.Split(':')).FirstOrDefault(p => p.Length > 4 && p[4].Length == 12)?[4] ?? "000000000000") : ("", 0);
        if (leftOut > 0) { host.Error.WriteLine($"note: {leftOut} finding(s) of Azure or GCP principals left out of ASFF (it needs an AWS account); `--format ocsf` holds them"); }
        host.Out.Write(o.Format switch
        {
            "ocsf" => FindingExport.Ocsf(report, host.Clock.GetUtcNow(), version),
            "asff" => asff,
            "json" => CliJson.Envelope(host, "check").Wrap(System.Text.Json.Nodes.JsonNode.Parse(CheckRenderer.Json(report))).ToJsonString(CliJson.Options) + "\n",
            "sarif" => CheckRenderer.Sarif(report, l => main is not null && l.File is { } f && l.JsonPath is { } path && main.Name == f && IsJson(texts[main.FullName]) ? JsonLineLocator.LineOfClosest(texts[main.FullName], path) : null),
            "markdown" => CheckRenderer.Markdown(report),
            "csv" => Csv(report),
            _ => CheckText.Text(report),
        });
        return outcome.Fails(config.FailOn) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>
    /// `--format csv`: one row per finding in the order the other formats list them, then one per finding an exception
    /// accepted (`status` `accepted`, with the exception's reason and expiry); cells through <see cref="CsvOutput"/>.
    /// </summary>
    private static string Csv(CheckReport report)
    {
        static string?[] Row(GateFinding f, string status, string? reason, DateOnly? expires) =>
        [
            FindingSeverities.Name(f.Severity), f.RuleId, f.Principal, f.Message, string.Join("; ", f.Evidence), f.Location?.ToString(),
            f.Indeterminate ? "true" : "false", status, reason,
            expires?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ];
        var output = new StringWriter();
        string[] header = ["severity", "rule", "principal", "message", "evidence", "location", "indeterminate", "status", "exceptionReason",
            "exceptionExpires"];
        CsvOutput.Write(output, header,
            report.Ordered.Select(f => Row(f, "open", null, null))
                .Concat(report.Outcome.Accepted.Select(a => Row(a.Finding, "accepted", a.Exception.Reason, a.Exception.Expires))));
        return output.ToString();
    }

    private static IacReadResult? ReadInput(CliHost host, CheckOptions o, Dictionary<string, string> texts)
    {
        foreach (var f in new[] { o.Plan, o.Template, o.Before, o.After }.OfType<FileInfo>())
        {
            try { texts[f.FullName] = File.ReadAllText(f.FullName); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                host.Error.WriteLine($"error: cannot read `{f.FullName}`: {ex.Message}");
                return null;
            }
        }
        var before = o.Before is null ? null : texts[o.Before.FullName];
        var result = o.Plan is not null ? TerraformPlanReader.Read(texts[o.Plan.FullName], o.Plan.Name)
            : o.Template is not null ? CloudFormationReader.Read(before, o.Before?.Name, texts[o.Template.FullName], o.Template.Name)
            : PolicyFileReader.Read(before, o.Before?.Name, texts[o.After!.FullName], o.After.Name);
        if (result.Changes.IsEmpty && result.Clouds.IsEmpty && result.HasErrors)
        {
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
            host.Error.WriteLine("error: the input cannot be read");
            return null;
        }
        return result;
    }

    private static bool IsJson(string text) => text.TrimStart().StartsWith('{');

    private static GateConfig? ReadRules(CliHost host, FileInfo? rules)
    {
        var file = rules ?? new FileInfo("ciem-rules.yml");
        if (!file.Exists)
        {
            if (rules is null) { return GateConfig.Default; }
            host.Error.WriteLine($"error: no rules file at `{rules.FullName}`");
            return null;
        }
        var result = GateRulesReader.Read(File.ReadAllText(file.FullName), file.Name);
        if (result.HasErrors)
        {
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
            host.Error.WriteLine($"error: the rules file `{file.Name}` is invalid");
            return null;
        }
        StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        return result.Config;
    }
}
