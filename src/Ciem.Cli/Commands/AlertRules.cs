using System.Collections.Immutable;
using Ciem.App.Metrics;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Import;
using Ciem.Import.Config;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>The alert rules file read, evaluated and rendered for `ciem alerts evaluate` and `ciem sweep --alerts`.</summary>
public static class AlertRules
{
    /// <summary>Reads and validates the rules file; null after printing its located errors.</summary>
    public static AlertConfig? Read(CliHost host, string path)
    {
        ArgumentNullException.ThrowIfNull(host);
        string text;
        try { text = InputFiles.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.AlertBadRules}: cannot read the rules file `{path}`: {e.Message}");
            return null;
        }
        var result = AlertRulesReader.Read(text, path);
        StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        return result.HasErrors ? null : result.Config;
    }

    /// <summary>Evaluates the rules (after `ciem sweep` too); null after a message when an IaC folder cannot be read.</summary>
    public static AlertRunResult? Evaluate(CliHost host, AlertConfig config, string rulesPath, string? stateDirectory, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(config);
        var names = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        foreach (var repo in config.Rules.Select(r => r.IacRepository).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var iac = HclInput.Read(host, new DirectoryInfo(repo), null);
            if (iac is null) { return null; }
            names[repo] = [.. iac.Changes.Select(c => c.Name)];
        }
        var state = stateDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(rulesPath)) ?? ".", ".ciem-alerts");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return AlertRun.EvaluateAsync(StoreAccess.Open(host, db), config, new IacDeclarations(names.ToImmutable()), host.Clock.GetUtcNow(), state, http,
            host.Environment, host.Clock).GetAwaiter().GetResult();
    }

    public static void Render(CliHost host, AlertRunResult result)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Measured is null)
        {
            host.Console.WriteLine("no measurement yet: run `ciem sweep` or `ciem metrics backfill --from DATE`");
            return;
        }
        host.Console.MarkupLineInterpolated($"alerts on the measurement of {TrendTable.Day(result.Measured.Value)}: {result.Firing.Length} firing ({result.Opened.Length} new, {result.StillOpen} already open), {result.Resolved.Length} resolved");
        var opened = result.Opened.Select(o => (o.Rule, o.Key)).ToHashSet();
        foreach (var f in result.Firing)
        {
            var mark = opened.Contains((f.Rule, f.Key)) ? "new" : "open";
            host.Console.MarkupLineInterpolated($"  [bold]{FindingSeverities.Name(f.Severity)}[/] {mark} {f.Rule}: {f.Message}");
        }
        foreach (var r in result.Resolved) { host.Console.MarkupLineInterpolated($"  [green]resolved[/] {r.Rule}: {r.Key}"); }
        foreach (var d in result.Deliveries.Where(d => !d.Delivered))
        {
            host.Error.WriteLine($"warning {DiagnosticCodes.AlertDeliveryFailed}: alert {d.AlertId} not sent on `{d.Channel}`: {d.Detail} (kept for the next run)");
        }
    }
}
