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
        command.SetAction(p => Run(host, new GateCheckOptions(p.GetValue(plan), p.GetValue(template), p.GetValue(before), p.GetValue(after),
            p.GetValue(rules), p.GetValue(failOn), p.GetValue(format)!, p.GetValue(db))
        {
            Hcl = p.GetValue(hcl), BaseRef = p.GetValue(baseRef), Source = p.GetValue(source),
        }));
        return command;
    }

    public static int Run(CliHost host, GateCheckOptions o)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(o);
        o = GateCheck.Normalize(o, out var invalid);
        if (invalid is not null)
        {
            host.Error.WriteLine($"error: {invalid}");
            return ExitCodes.InvalidInput;
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = GateCheck.ReadInput(o, texts);
        var config = input.Value is null ? null : GateCheck.ReadRules(o.Rules, o.FailOn);
        foreach (var read in new[] { input.Diagnostics, config?.Diagnostics ?? [] }) { StoreAccess.WriteDiagnostics(host, read); }
        if ((input.Error ?? config?.Error) is { } error)
        {
            host.Error.WriteLine($"error: {error}");
            return ExitCodes.InvalidInput;
        }
        AwsEstate? estate = null;
        ICiemStore? store = null;
        if (o.Db is not null)
        {
            // A change of Azure or GCP resources only needs no AWS inventory in the store.
            var awsOnly = !input.Value!.Changes.IsEmpty || !input.Value.Clouds.ResourcePolicies.IsEmpty || !StoreAccess.Exists(host, o.Db);
            estate = awsOnly ? StoreAccess.LoadEstate(host, o.Db) : null;
            if (awsOnly && estate is null) { return ExitCodes.Failure; }
            store = StoreAccess.Open(host, o.Db);
        }
        var (report, diagnostics) = GateCheck.Run(o, input.Value!, config!.Value!, texts, store, estate, host.Clock.GetUtcNow());
        StoreAccess.WriteDiagnostics(host, diagnostics);
        var main = o.Plan ?? o.Template ?? o.After;
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
            "csv" => CheckRenderer.Csv(report),
            _ => CheckText.Text(report),
        });
        return report.Outcome.Fails(report.FailOn) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private static bool IsJson(string text) => text.TrimStart().StartsWith('{');
}
