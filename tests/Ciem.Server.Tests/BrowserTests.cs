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
        // (htmx swaps the table, then pushes the URL: a same-document navigation, so both are polled rather than awaited
        // as a navigation, which a pushState landing before the wait starts would never satisfy; a loaded machine may
        // take a while to answer)
        await Assertions.Expect(page.Locator("#identity-results tbody tr")).ToHaveCountAsync(1, new() { Timeout = 90_000 });
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/identities\\?.*admin=true"), new() { Timeout = 90_000 });
        await Shot("identities");

        // And opens it
        await page.ClickAsync("#identity-results tbody tr a");
        Assert.Equal("etl", await page.InnerTextAsync("h1"));
        Assert.Contains("replace AmazonS3FullAccess with one policy", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        // And reads what its proposal changes: per service, the removed permissions struck through, the kept ones
        Assert.Equal(["DeleteBucket", "PutBucketPolicy", "DeleteQueue"], (await page.Locator("table.diff del").AllInnerTextsAsync()).ToArray());
        Assert.Equal(["GetObject"], (await page.Locator("table.diff .kept").AllInnerTextsAsync()).ToArray());
        await Shot("identity");

        // And objects to the proposal for `orders`, keeping one permission, then approves it
        await page.GotoAsync("/review");
        await page.Locator("tr", new() { HasText = "orders" }).Locator("details.what summary").ClickAsync();
        Assert.Contains("DeleteQueue", await page.Locator("tr", new() { HasText = "orders" }).Locator("details.what table.diff").InnerTextAsync(), StringComparison.Ordinal);
        var orders = page.Locator("tr", new() { HasText = "orders" });
        await orders.Locator("details.object summary").ClickAsync();
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

    [Fact]
    public async Task Imports_InChromium_MalformedUploadRefusedThenValidUploadImported()
    {
        Assert.True(File.Exists(Chromium), "the browser tests need Debian chromium (apt-get install chromium)");
        var shots = Environment.GetEnvironmentVariable("CIEM_SCREENSHOTS");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var context = await browser.NewContextAsync(new() { BaseURL = fixture.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") { problems.Add(m.Text); } };
        page.PageError += (_, e) => problems.Add(e);
        var exports = Path.Combine(Ciem.Tests.TestPaths.RepoRoot, "samples", "aws");

        // Given an admin on the imports page
        await page.GotoAsync("/imports");
        await page.FillAsync("input[name=name]", "admin");
        await page.FillAsync("input[name=password]", ServerFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/imports");
        var snapshots = await page.Locator("main table").First.Locator("tbody tr").CountAsync();

        // When they choose a valid export and a truncated one, and import
        await page.SetInputFilesAsync("form[action='/imports/upload'] input[type=file]", [
            new FilePayload { Name = "organization.json", MimeType = "application/json", Buffer = File.ReadAllBytes(Path.Combine(exports, "organization.json")) },
            new FilePayload { Name = "gaad-truncated.json", MimeType = "application/json", Buffer = "{\"RoleDetailList\": [ {\"RoleName\": "u8.ToArray() },
        ]);
        await page.ClickAsync("form[action='/imports/upload'] button[type=submit]");

        // Then the page names the file and the problem, and no snapshot was added
        var alert = await page.InnerTextAsync("[role=alert]");
        Assert.Contains("nothing was imported", alert, StringComparison.Ordinal);
        Assert.Contains("(gaad-truncated.json:1)", alert, StringComparison.Ordinal);
        Assert.Equal(snapshots, await page.Locator("main table").First.Locator("tbody tr").CountAsync());
        // (the refused upload's answer is a 400, which the browser reports as a failed load: expected here)
        Assert.All(problems, p => Assert.Contains("status of 400", p, StringComparison.Ordinal));
        problems.Clear();

        // When they import the valid files alone
        await page.SetInputFilesAsync("form[action='/imports/upload'] input[type=file]",
            [Path.Combine(exports, "organization.json"), Path.Combine(exports, "authorization-details.json")]);
        await page.ClickAsync("form[action='/imports/upload'] button[type=submit]");

        // Then the page confirms it and lists the new snapshots, with no script or policy error in the browser
        Assert.Contains("imported organization.json, authorization-details.json", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        Assert.True(await page.Locator("main table").First.Locator("tbody tr").CountAsync() > snapshots);
        if (shots is not null) { await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "imports.png"), FullPage = true }); }

        // When they upload Azure `az` outputs through the Azure form
        var azure = Path.Combine(Ciem.Tests.TestPaths.RepoRoot, "samples", "azure");
        await page.SetInputFilesAsync("form[action='/imports/upload/azure'] input[type=file]",
            [Path.Combine(azure, "role-definitions.json"), Path.Combine(azure, "role-assignments.json")]);
        await page.ClickAsync("form[action='/imports/upload/azure'] button[type=submit]");

        // Then the page confirms the Azure import too, with no script or policy error in the browser
        var status = await page.InnerTextAsync("[role=status]");
        Assert.Contains("imported role-definitions.json, role-assignments.json", status, StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
