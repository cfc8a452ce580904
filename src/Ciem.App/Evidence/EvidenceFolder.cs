using System.Collections.Immutable;
using System.Diagnostics;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.App.Evidence;

/// <summary>The bundle as written: its files (the manifest last) and the notes of what it lacks (no PDF, and why).</summary>
public sealed record EvidenceFolderResult(string Folder, ImmutableArray<string> Files, ImmutableArray<string> Notes);

/// <summary>
/// Writes an <see cref="EvidenceReport"/> as the audit bundle of `ciem evidence --out DIR`: HTML, JSON, CSV tables, a PDF
/// printed by headless Chromium when it is installed, and `manifest.json` with the SHA-256 of every file. The bundle
/// appears in the folder whole or not at all (a full disk leaves no partial bundle).
/// </summary>
public static class EvidenceFolder
{
    private static readonly string[] Browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>The `evidence` document of `ciem evidence`: the folder and files written, the warnings, each control and whether
    /// the period holds evidence for it.</summary>
    public static object Json(EvidenceFolderResult written, EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            folder = written.Folder, files = written.Files, warnings = report.Warnings,
            controls = report.Controls.Select(c => new { framework = c.Control.Framework, id = c.Control.Id, evidenced = c.Evidenced }),
        };
    }

    public static EvidenceFolderResult Write(EvidenceReport report, string output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var notes = new List<string>();
        List<string> files;
        using (var bundle = OutputFolder.Begin(output))
        {
            files = [.. EvidenceWriter.Write(report, bundle.Staging)];
            if (Pdf(bundle.Staging, notes) is { } pdf) { files.Add(pdf); }
            EvidenceWriter.ManifestOf(bundle.Staging, files, now);
            bundle.Commit();
        }
        return new(Path.GetFullPath(output), [.. files, "manifest.json"], [.. notes]);
    }

    /// <summary>Prints the HTML to `evidence.pdf` with headless Chromium when it is installed; null (with a note) otherwise.</summary>
    private static string? Pdf(string folder, List<string> notes)
    {
        var chromium = Browsers.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            notes.Add($"note {DiagnosticCodes.EvidencePdfSkipped}: no headless Chromium found: "
                + "the bundle has no PDF (print evidence.html instead)");
            return null;
        }
        var html = Path.GetFullPath(Path.Combine(folder, "evidence.html"));
        var pdf = Path.GetFullPath(Path.Combine(folder, "evidence.pdf"));
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments =
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(html).AbsoluteUri];
        foreach (var a in arguments) { start.ArgumentList.Add(a); }
        using var process = Process.Start(start)!;
        // Drained so a chatty browser never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(entireProcessTree: true); }
        if (process.HasExited && process.ExitCode == 0 && File.Exists(pdf)) { return "evidence.pdf"; }
        notes.Add($"note {DiagnosticCodes.EvidencePdfSkipped}: headless Chromium did not print the PDF: the bundle has none");
        return null;
    }
}
