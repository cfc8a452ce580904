using System.CommandLine;
using System.Text.Json;
using Ciem.App.Evidence;
using Ciem.Core.Diagnostics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem evidence --framework iso27001|nis2|dora|all --from DATE --to DATE --out DIR`: the audit bundle of a period
/// (HTML, PDF when headless Chromium is present, JSON, CSV tables and a manifest with the SHA-256 of every file).
/// Bad options are refused before anything is written.
/// </summary>
public static class EvidenceCommand
{
    public static Command Create(CliHost host)
    {
        var framework = new Option<string>("--framework") { Description = "iso27001, nis2, dora or all", Required = true };
        var from = new Option<string>("--from") { Description = "the first day of the period (yyyy-MM-dd)", Required = true };
        var to = new Option<string>("--to") { Description = "the last day of the period (yyyy-MM-dd)", Required = true };
        var output = new Option<string>("--out") { Description = "the folder to write the bundle to (created; files of the same name are replaced)", Required = true };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("evidence", "audit evidence of a period mapped to ISO/IEC 27001, NIS2 and DORA controls") { framework, from, to, output, db, format };
        command.SetAction(p => Run(host, p.GetValue(framework)!, p.GetValue(from)!, p.GetValue(to)!, p.GetValue(output)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string framework, string fromText, string toText, string output, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (framework != "all" && !ControlMapping.FrameworkKeys.Contains(framework))
        {
            host.Error.WriteLine($"error {DiagnosticCodes.EvidenceBadOption}: --framework `{framework}` is unknown: use iso27001, nis2, dora or all");
            return ExitCodes.InvalidInput;
        }
        if (CommonOptions.ParseDay(host, "--from", fromText) is not { } from || CommonOptions.ParseDay(host, "--to", toText) is not { } to) { return ExitCodes.InvalidInput; }
        if (from > to)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.EvidenceBadOption}: --from `{fromText}` is after --to `{toText}`: the dates are inverted");
            return ExitCodes.InvalidInput;
        }
        var mapping = ControlMapping.Default;
        if (mapping.Problems() is { IsEmpty: false } problems)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.EvidenceBadMapping}: the control mapping is not usable: {string.Join("; ", problems)}");
            return ExitCodes.Failure;
        }
        if (!StoreAccess.Exists(host, db))
        {
            host.Error.WriteLine($"error: no store at `{StoreAccess.PathFor(host, db)}`: nothing to evidence");
            return ExitCodes.Failure;
        }
        var now = host.Clock.GetUtcNow();
        var report = EvidenceBuilder.Build(StoreAccess.Open(host, db), mapping, framework, from, to, now);
        var written = EvidenceFolder.Write(report, output, now);
        foreach (var note in written.Notes) { host.Error.WriteLine(note); }
        foreach (var w in report.Warnings) { host.Error.WriteLine($"warning {DiagnosticCodes.EvidenceChainBroken}: {w}"); }
        if (format == "json")
        {
            CliJson.Write(host, "evidence", EvidenceFolder.Json(written, report));
        }
        else
        {
            var (files, folder) = (written.Files.Length, written.Folder);
            var (evidenced, controls) = (report.Controls.Count(c => c.Evidenced), report.Controls.Length);
            host.Console.MarkupLineInterpolated(
                $"{files} file(s) in [bold]{folder}[/]; {evidenced} of {controls} control(s) with evidence in the period");
        }
        return ExitCodes.Ok;
    }
}
