using Ciem.App.Evidence;
using Ciem.App.Tests.Notify;
using Ciem.Core.Metrics;
using Ciem.Storage;
using Microsoft.Playwright;
using static Ciem.App.Tests.Metrics.AlertRunTests;

namespace Ciem.App.Tests.Evidence;

/// <summary>The evidence HTML in a real browser: headless Debian chromium through Playwright.</summary>
public sealed class EvidenceBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EvidenceHtml_InChromium_ChartsDrawnAndControlsListedOffline()
    {
        Assert.True(File.Exists(Chromium), "the browser tests need Debian chromium (apt-get install chromium)");

        // Given a bundle over three measurements where the gap shrinks
        using var store = SqliteStore.Open(_temp.Sub("ciem.db"));
        var t0 = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        foreach (var (day, granted) in new[] { (2, 300L), (9, 200L), (16, 120L) })
        {
            store.RecordMeasurement(Day(new DateOnly(2026, 11, day), Id("a", admin: true) with { Granted = granted, Unused = granted - 15 }), t0);
        }
        var report = EvidenceBuilder.Build(store, ControlMapping.Default, "all", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), t0.AddDays(30));
        var folder = _temp.Sub("bundle");
        EvidenceWriter.Write(report, folder);

        // When chromium opens it with the network cut off
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var context = await browser.NewContextAsync(new() { Offline = true });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync(new Uri(Path.Combine(folder, "evidence.html")).AbsoluteUri);

        // Then the three trend charts are drawn with a point per measurement, every control is listed, and nothing was fetched
        var charts = page.Locator("svg.trend-chart");
        Assert.Equal(3, await charts.CountAsync());
        Assert.Equal(3, await page.Locator("#evidence-trend-gap polyline").CountAsync());
        Assert.Equal(9, await page.Locator("#evidence-trend-gap circle").CountAsync());
        Assert.Equal("unused", await page.Locator("#evidence-trend-gap polyline").First.GetAttributeAsync("data-series"));
        var box = await charts.First.BoundingBoxAsync();
        Assert.True(box is { Width: > 300, Height: > 50 });
        Assert.Equal(11, await page.Locator("h2#controls + table tbody tr").CountAsync());
        Assert.Contains("Access control", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.All(requests, u => Assert.StartsWith("file://", u, StringComparison.Ordinal));
    }
}
