using Microsoft.Playwright;

namespace Ciem.Server.Tests;

/// <summary>
/// The dashboard in Debian chromium (headless) under its real Content-Security-Policy: sign in, filter identities
/// (htmx), open one, object and approve in the review queue, sign out, download evidence. With `CIEM_SCREENSHOTS=DIR`
/// the main pages are saved there (docs/screenshots holds the committed ones).
/// </summary>
public sealed class BrowserTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_InChromium_SignInFilterOpenObjectApproveAndDownloadEvidence()
    {
        Assert.True(File.Exists(Chromium), "the browser tests need Debian chromium (apt-get install chromium)");
        var shots = Environment.GetEnvironmentVariable("CIEM_SCREENSHOTS");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var context = await browser.NewContextAsync(new() { BaseURL = fixture.BaseAddress.ToString().TrimEnd('/'), AcceptDownloads = true,
            ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") { problems.Add(m.Text); } };
        page.PageError += (_, e) => problems.Add(e);
        async Task Shot(string name)
        {
            if (shots is not null) { await page.ScreenshotAsync(new() { Path = Path.Combine(shots, name + ".png"), FullPage = true }); }
        }

        // Given the owner bob signing in
        await page.GotoAsync("/");
        await page.FillAsync("input[name=name]", "owner");
        await page.FillAsync("input[name=password]", ServerFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/");
        Assert.Equal("Overview", await page.InnerTextAsync("h1"));
        await Shot("overview");

        // When he filters his identities to administrators (htmx swaps the table and keeps the filter in the URL)
        await page.GotoAsync("/identities");
        Assert.Equal(2, await page.Locator("#identity-results tbody tr").CountAsync());
        await page.CheckAsync("input[name=admin]");
        // (htmx pushes the URL after its swap: a same-document navigation, so no load event to wait for; a loaded
        // machine may take a while to answer)
        await page.WaitForURLAsync("**/identities?*admin=true*", new() { WaitUntil = WaitUntilState.Commit, Timeout = 90_000 });
        await page.Locator("#identity-results tbody tr").First.WaitForAsync();
        Assert.Equal(1, await page.Locator("#identity-results tbody tr").CountAsync());
        await Shot("identities");

        // And opens it
        await page.ClickAsync("#identity-results tbody tr a");
        Assert.Equal("etl", await page.InnerTextAsync("h1"));
        Assert.Contains("replace AmazonS3FullAccess with one policy", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await Shot("identity");

        // And objects to the proposal for `orders`, keeping one permission, then approves it
        await page.GotoAsync("/review");
        var orders = page.Locator("tr", new() { HasText = "orders" });
        await orders.Locator("summary").ClickAsync();
        await orders.Locator("textarea[name=keep]").FillAsync("sqs:DeleteQueue");
        await orders.Locator("input[name=reason]").FillAsync("the dead-letter cleanup deletes queues");
        await orders.Locator("button", new() { HasText = "object" }).ClickAsync();
        Assert.Contains("objection recorded for orders", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        await page.Locator("tr", new() { HasText = "orders" }).Locator("button", new() { HasText = "approve" }).ClickAsync();
        Assert.Contains("approved", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        Assert.Contains("approved", await page.Locator("tr", new() { HasText = "orders" }).InnerTextAsync(), StringComparison.Ordinal);
        await Shot("review");

        // And signs out; an auditor signs in and downloads the evidence bundle
        await page.ClickAsync("header button:has-text('sign out')");
        await page.WaitForURLAsync("**/login");
        await page.FillAsync("input[name=name]", "auditor");
        await page.FillAsync("input[name=password]", ServerFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.GotoAsync("/evidence");
        await Shot("evidence");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("main button[type=submit]"));

        // Then the decision log has the owner's two decisions, the bundle is a zip, and the browser reported no
        // Content-Security-Policy violation or script error along the way
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        using var store = fixture.OpenStore();
        var log = store.LoadDecisions(ServerFixture.Campaign);
        Assert.Equal(["objected", "approved"], log.TakeLast(2).Select(d => d.ToState ?? "").ToArray());
        Assert.All(log.TakeLast(2), d => Assert.Equal(ServerFixture.Bob, d.Actor));
    }
}
