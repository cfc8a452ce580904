using System.Diagnostics;

namespace Ciem.Tests;

/// <summary>Runs headless Debian chromium once per call, with a throw-away profile and no network chatter.</summary>
internal static class HeadlessChromium
{
    public static string DumpDom(string url) => Run(["--dump-dom", url]);

    /// <summary>The figure of the report's KPI <paramref name="key"/> (`data-kpi="key"`).</summary>
    public static string Kpi(string html, string key)
    {
        var m = System.Text.RegularExpressions.Regex.Match(html, $"data-kpi=\"{key}\">([^<]*)<");
        Assert.True(m.Success, $"no KPI `{key}`");
        return m.Groups[1].Value;
    }

    public static void Screenshot(string url, string png, int width, int height) => Run([$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", url]);

    private static string Run(string[] args)
    {
        Assert.True(File.Exists(ChromiumFactAttribute.Path), $"{ChromiumFactAttribute.Path} is missing: CI must install it (apt-get install -y chromium)");
        var profile = Directory.CreateTempSubdirectory("ciem-chromium-");
        try
        {
            var start = new ProcessStartInfo(ChromiumFactAttribute.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--no-default-browser-check", $"--user-data-dir={profile.FullName}", .. args])
            {
                start.ArgumentList.Add(a);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within 90 s: {stderr.Result}");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
