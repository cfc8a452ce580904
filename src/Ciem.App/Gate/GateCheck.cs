using System.Collections.Immutable;
using Ciem.App.Iac;
using Ciem.App.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Import.Iac;
using Ciem.Storage;

namespace Ciem.App.Gate;

/// <summary>What `ciem check` is asked: one input (a plan, a template, a policy pair or a Terraform folder), the rules file, the
/// severity that fails, the output format and the store for context.</summary>
public sealed record GateCheckOptions(FileInfo? Plan, FileInfo? Template, FileInfo? Before, FileInfo? After, FileInfo? Rules,
    string? FailOn, string Format, string? Db)
{
    /// <summary>A Terraform module folder read as source (`--hcl`).</summary>
    public DirectoryInfo? Hcl { get; init; }

    /// <summary>With <see cref="Hcl"/>: the git ref whose version of the folder is the before side.</summary>
    public string? BaseRef { get; init; }

    /// <summary>With <see cref="Plan"/>: the Terraform folder whose `.tf` lines findings point at (`--source`, or `--hcl` alongside
    /// `--plan`).</summary>
    public DirectoryInfo? Source { get; init; }
}

/// <summary>A file the gate read: the value, or null with <see cref="Error"/>; the diagnostics to show first in either case.</summary>
public sealed record GateRead<T>(T? Value, ImmutableArray<Diagnostic> Diagnostics, string? Error) where T : class;

/// <summary>The gate's report of one change and every diagnostic of the input, the evaluation and the rules.</summary>
public sealed record GateCheckResult(CheckReport Report, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// `ciem check` as a workflow: the options checked, the input and the rules file read (every text kept, for locations), the
/// change evaluated (<see cref="GateEvaluator"/>), findings mapped to `.tf` lines, the rules' severities and exceptions applied.
/// </summary>
public static class GateCheck
{
    /// <summary>The options with `--hcl DIR` alongside `--plan` read as the plan's source; an error (without `error: `) when they do
    /// not name exactly one input.</summary>
    public static GateCheckOptions Normalize(GateCheckOptions o, out string? error)
    {
        ArgumentNullException.ThrowIfNull(o);
        // `--hcl DIR` alongside `--plan` names the source of the plan, not a second input.
        if (o.Plan is not null && o.Hcl is not null && o.Source is null && o.BaseRef is null) { o = o with { Hcl = null, Source = o.Hcl }; }
        error = null;
        if (o.Source is not null && (o.Plan is null || !o.Source.Exists))
        {
            error = o.Plan is null ? "--source goes with --plan PLAN.json" : $"no folder at `{o.Source.FullName}` (--source)";
        }
        else if (new object?[] { o.Plan, o.Template, o.After, o.Hcl }.Count(f => f is not null) != 1
            || (o.Before is not null && (o.Plan ?? (object?)o.Hcl) is not null) || (o.BaseRef is not null && o.Hcl is null))
        {
            error = "give one of --plan PLAN.json, --template TEMPLATE (with --before OLD-TEMPLATE), --after POLICY.json (with --before "
                + "POLICY.json) or --hcl DIR (with --base-ref REF)";
        }
        return o;
    }

    /// <summary>The change the options name; every file read is kept in <paramref name="texts"/> by its full path.</summary>
    public static GateRead<IacReadResult> ReadInput(GateCheckOptions o, Dictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(texts);
        if (o.Hcl is not null) { return ReadFolder(o.Hcl, o.BaseRef); }
        foreach (var f in new[] { o.Plan, o.Template, o.Before, o.After }.OfType<FileInfo>())
        {
            try { texts[f.FullName] = File.ReadAllText(f.FullName); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new(null, [], $"cannot read `{f.FullName}`: {ex.Message}");
            }
        }
        var before = o.Before is null ? null : texts[o.Before.FullName];
        var result = o.Plan is not null ? TerraformPlanReader.Read(texts[o.Plan.FullName], o.Plan.Name)
            : o.Template is not null ? CloudFormationReader.Read(before, o.Before?.Name, texts[o.Template.FullName], o.Template.Name)
            : PolicyFileReader.Read(before, o.Before?.Name, texts[o.After!.FullName], o.After.Name);
        return result.Changes.IsEmpty && result.Clouds.IsEmpty && result.HasErrors
            ? new(null, result.Diagnostics, "the input cannot be read")
            : new(result, [], null);
    }

    /// <summary>A Terraform module folder's changes (`--hcl DIR [--base-ref REF]`, the alert rules' IaC repositories).</summary>
    public static GateRead<IacReadResult> ReadFolder(DirectoryInfo dir, string? baseRef)
    {
        var read = TerraformFolder.Read(dir, baseRef);
        return read.Error is null ? new(read.Result, [], null) : new(null, read.Result?.Diagnostics ?? [], read.Error);
    }

    /// <summary>The rules file (`--rules`, else ./ciem-rules.yml when present, else the defaults), with `--fail-on` applied.</summary>
    public static GateRead<GateConfig> ReadRules(FileInfo? rules, string? failOn)
    {
        var file = rules ?? new FileInfo("ciem-rules.yml");
        if (!file.Exists)
        {
            return rules is null ? new(WithFailOn(GateConfig.Default, failOn), [], null)
                : new(null, [], $"no rules file at `{rules.FullName}`");
        }
        var result = GateRulesReader.Read(File.ReadAllText(file.FullName), file.Name);
        return result.HasErrors
            ? new(null, result.Diagnostics, $"the rules file `{file.Name}` is invalid")
            : new(WithFailOn(result.Config, failOn), result.Diagnostics, null);
    }

    private static GateConfig WithFailOn(GateConfig config, string? failOn) =>
        failOn is not null && FindingSeverities.TryParse(failOn, out var threshold) ? config with { FailOn = threshold } : config;

    /// <summary>The change evaluated (in the store's context when given), findings mapped to the plan's source folder, the rules
    /// applied as of <paramref name="now"/>.</summary>
    public static GateCheckResult Run(GateCheckOptions o, IacReadResult input, GateConfig config, IReadOnlyDictionary<string, string> texts,
        ICiemStore? store, AwsEstate? estate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(texts);
        var (deltas, clouds, found) = GateEvaluator.Evaluate(input, store, estate, now);
        var findings = found.ToList();
        if (o.Source is not null) { findings = TerraformFolder.SourceMap(o.Source).Map(findings, texts[o.Plan!.FullName], o.Plan.Name); }
        var outcome = config.Apply(findings, DateOnly.FromDateTime(now.UtcDateTime));
        var diagnostics = input.Diagnostics.Concat(deltas.SelectMany(d => d.Diagnostics)).Concat(clouds.Diagnostics)
            .Concat(outcome.Diagnostics).Distinct().ToImmutableArray();
        var report = new CheckReport(deltas, outcome, config.FailOn, input.IamResources + input.Clouds.Resources)
        {
            CloudDeltas = clouds.Deltas,
        };
        return new GateCheckResult(report, diagnostics);
    }
}
