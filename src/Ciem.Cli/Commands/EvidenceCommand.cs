using System.CommandLine;
using System.Diagnostics;
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
    private static readonly string[] Browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

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
        List<string> files;
        // The bundle appears in `--out` whole or not at all (a full disk leaves no partial bundle).
        using (var bundle = Ciem.Storage.OutputFolder.Begin(output))
        {
            files = [.. EvidenceWriter.Write(report, bundle.Staging)];
            if (Pdf(host, bundle.Staging) is { } pdf) { files.Add(pdf); }
            EvidenceWriter.ManifestOf(bundle.Staging, files, now);
            bundle.Commit();
        }
        foreach (var w in report.Warnings) { host.Error.WriteLine($"warning {DiagnosticCodes.EvidenceChainBroken}: {w}"); }
        if (format == "json")
        {
            CliJson.Write(host, "evidence", new { folder = Path.GetFullPath(output), files = files.Append("manifest.json"), warnings = report.Warnings,
                controls = report.Controls.Select(c => new { framework = c.Control.Framework, id = c.Control.Id, evidenced = c.Evidenced }) });
        }
        else
        {
            host.Console.MarkupLineInterpolated($"{files.Count + 1} file(s) in [bold]{Path.GetFullPath(output)}[/]; {report.Controls.Count(c => c.Evidenced)} of {report.Controls.Length} control(s) with evidence in the period");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Prints the HTML to `evidence.pdf` with headless Chromium when it is installed; null (with a note) otherwise.</summary>
    private static string? Pdf(CliHost host, string folder)
    {
        var chromium = Browsers.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            host.Error.WriteLine($"note {DiagnosticCodes.EvidencePdfSkipped}: no headless Chromium found: the bundle has no PDF (print evidence.html instead)");
            return null;
        }
        var html = Path.GetFullPath(Path.Combine(folder, "evidence.html"));
        var pdf = Path.GetFullPath(Path.Combine(folder, "evidence.pdf"));
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(html).AbsoluteUri }) { start.ArgumentList.Add(a); }
        using var process = Process.Start(start)!;
        // Drained so a chatty browser never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(entireProcessTree: true); }
        if (process.HasExited && process.ExitCode == 0 && File.Exists(pdf)) { return "evidence.pdf"; }
        host.Error.WriteLine($"note {DiagnosticCodes.EvidencePdfSkipped}: headless Chromium did not print the PDF: the bundle has none");
        return null;
    }
}
