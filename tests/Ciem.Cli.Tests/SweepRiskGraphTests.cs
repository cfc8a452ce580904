using System.Text.RegularExpressions;
using Ciem.App.Reports;
using Ciem.Tests;
using Microsoft.Playwright;

namespace Ciem.Cli.Tests;

/// <summary>
/// The risk section's graph of paths (issue #17) in headless Debian chromium through Playwright, offline: Cytoscape.js,
/// inlined in the report, draws the sample's two paths — GCP admin's `gcp-set-iam-policy` (certain, solid) and Azure carol's
/// `azure-pim-activation` (indeterminate, dashed) — with a name that tries to close the data's script element kept as text,
/// the inline SVG in `noscript` when scripts are off, and no library in a report without paths.
/// </summary>
public sealed partial class SweepRiskGraphTests
{
    private const string Evil = "</script><script>window.__pwned=1</script>";

    /// <summary>The report of a sweep over the Azure and GCP samples; with <paramref name="carol"/>, Azure carol's name.</summary>
    private static string Report(CliRunner cli, string? carol = null)
    {
        var azure = TestPaths.Repo("samples", "azure");
        if (carol is not null)
        {
            azure = Directory.CreateDirectory(Path.Combine(cli.Home, "azure")).FullName;
            foreach (var f in Directory.GetFiles(TestPaths.Repo("samples", "azure")))
            {
                File.WriteAllText(Path.Combine(azure, Path.GetFileName(f)), File.ReadAllText(f).Replace("carol@contoso.example", carol,
                    StringComparison.Ordinal));
            }
        }
        Assert.Equal(0, cli.Run("import", "azure", azure, "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);
        var report = Path.Combine(cli.Home, "report.html");
        var (code, _, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--report", report, "--format", "json");
        Assert.True(code == 0, error);
        return report;
    }

    private static async Task<T> InChromium<T>(string report, bool scripts, Func<IPage, Task<T>> look)
    {
        Assert.True(File.Exists(ChromiumFactAttribute.Path), $"{ChromiumFactAttribute.Path} is missing (apt-get install -y chromium)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Path, Headless = true, Args = ["--no-sandbox"],
        });
        await using var context = await browser.NewContextAsync(new() { Offline = true, JavaScriptEnabled = scripts,
            ViewportSize = new() { Width = 1300, Height = 1000 } });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        var complaints = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        page.Console += (_, m) => { if (m.Type is "error" or "warning") { complaints.Add(m.Text); } };
        page.PageError += (_, e) => complaints.Add(e);
        await page.GotoAsync(new Uri(report).AbsoluteUri);
        var result = await look(page);

        // (nothing fetched, and neither the library nor our scripts complained: no invalid style, no script error)
        Assert.All(requests, u => Assert.StartsWith("file://", u, StringComparison.Ordinal));
        Assert.Empty(complaints);
        return result;
    }

    [ChromiumFact]
    public async Task Chromium_ReportWithPaths_CytoscapeDrawsTheGraph()
    {
        // Given the report of a sweep over the Azure and GCP samples
        using var cli = new CliRunner();
        var report = Report(cli);

        // When chromium opens it offline and the graph's script has run
        var seen = await InChromium(report, scripts: true, async page =>
        {
            await page.WaitForSelectorAsync("#c-risk-paths[data-nodes]", new() { State = WaitForSelectorState.Attached });
            return new
            {
                Counts = await page.EvaluateAsync<int[]>("() => [ciemRiskGraph.nodes().length, ciemRiskGraph.edges().length]"),
                Attributes = await page.EvaluateAsync<string[]>("() => ['data-nodes','data-edges','data-dashed']"
                    + ".map(a => document.getElementById('c-risk-paths').getAttribute(a))"),
                Dashed = await page.EvaluateAsync<string[]>(
                    "() => ciemRiskGraph.edges().filter(e => e.style('line-style') === 'dashed').map(e => e.data('technique'))"),
                Solid = await page.EvaluateAsync<string[]>(
                    "() => ciemRiskGraph.edges().filter(e => e.style('line-style') === 'solid').map(e => e.data('technique'))"),
                Goals = await page.EvaluateAsync<string[]>("() => ciemRiskGraph.nodes('.goal')"
                    + ".map(n => n.style('background-color')).concat(String(ciemRiskGraph.nodes('.goal').length))"),
                Sources = await page.EvaluateAsync<string[]>(
                    "() => ciemRiskGraph.nodes('.source').map(n => n.data('name') + ' ' + n.style('background-color')).sort()"),
                LeftToRight = await page.EvaluateAsync<bool>(
                    "() => ciemRiskGraph.edges().every(e => e.source().position('x') + 100 < e.target().position('x'))"),
                Canvases = await page.Locator("#c-risk-paths canvas").CountAsync(),
                Box = await page.Locator("#c-risk-paths").BoundingBoxAsync(),
                Info = await Tap(page, "ciemRiskGraph.edges('.uncertain')[0]"),
                Panned = await page.EvaluateAsync<bool>("() => ciemRiskGraph.userPanningEnabled() && ciemRiskGraph.userZoomingEnabled()"),
                Fallback = await page.Locator("#c-risk-paths-svg").CountAsync(),
                Ready = await page.Locator("html[data-ready='1']").CountAsync(),
            };
        });

        // Then every node and edge is drawn on a canvas: two identities (blue), two administrator goals (red), two techniques
        Assert.Equal([4, 2], seen.Counts);
        Assert.Equal(["4", "2", "1"], seen.Attributes);
        Assert.True(seen.Canvases >= 1, "no canvas in the graph's container");
        Assert.True(seen.Box is { Width: > 600, Height: >= 200 }, $"the graph's container is {seen.Box?.Width}×{seen.Box?.Height}");
        Assert.Equal(["rgb(254,226,226)", "rgb(254,226,226)", "2"], seen.Goals);
        Assert.Equal(["carol@contoso.example rgb(224,231,255)", "user:admin@acme.example rgb(224,231,255)"], seen.Sources);

        // And carol's indeterminate PIM activation is dashed while admin's certain step, its twin, is solid, each left to right
        Assert.Equal(["azure-pim-activation"], seen.Dashed);
        Assert.Equal(["gcp-set-iam-policy"], seen.Solid);
        Assert.True(seen.LeftToRight, "an edge does not go from left to right");

        // And a tap on the dashed edge writes its full names, technique and certainty in the side line; pan and zoom are on
        Assert.Equal("carol@contoso.example → administrator of `/subscriptions/22222222-2222-4222-8222-222222222222`: "
            + "azure-pim-activation (indeterminate)", seen.Info);
        Assert.True(seen.Panned);

        // And with scripts on, the inline-SVG fallback stays unparsed inside noscript, and the page's own script still ran
        Assert.Equal(0, seen.Fallback);
        Assert.Equal(1, seen.Ready);
    }

    private static async Task<string> Tap(IPage page, string element)
    {
        await page.EvaluateAsync($"() => {element}.emit('tap')");
        return await page.Locator("#c-risk-paths-info").TextContentAsync() ?? "";
    }

    [ChromiumFact]
    public async Task Chromium_DemoReport_EightPathsThroughSharedRolesWithoutOverlap()
    {
        // Given the demo's report: 200 identities in three clouds, whose eight riskiest paths share an intermediate role
        using var cli = new CliRunner();
        var report = Path.Combine(cli.Home, "demo.html");
        var (code, _, error) = cli.Run("demo", "--identities", "200", "--days", "14", "--as-of", "2026-11-01", "--db", cli.Db,
            "--report", report, "--format", "json");
        Assert.True(code == 0, error);

        // When chromium draws it
        var seen = await InChromium(report, scripts: true, async page =>
        {
            await page.WaitForSelectorAsync("#c-risk-paths[data-nodes]", new() { State = WaitForSelectorState.Attached });
            return new
            {
                Sources = await page.EvaluateAsync<int>("() => ciemRiskGraph.nodes('.source').length"),
                Shared = await page.EvaluateAsync<int>("() => ciemRiskGraph.nodes().filter(n => n.indegree() > 1).length"),
                Overlaps = await page.EvaluateAsync<string[]>("""
                    () => { const ns = ciemRiskGraph.nodes(), out = [];
                      for (let i = 0; i < ns.length; i++) for (let j = i + 1; j < ns.length; j++) {
                        const a = ns[i].boundingBox({ includeLabels: false }), b = ns[j].boundingBox({ includeLabels: false });
                        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2)
                          out.push(ns[i].data('label') + ' / ' + ns[j].data('label'));
                      }
                      return out; }
                    """),
            };
        });

        // Then the eight identities are drawn with the roles they share once, and no two boxes overlap
        Assert.Equal(8, seen.Sources);
        Assert.True(seen.Shared >= 1, "no node is shared between paths");
        Assert.Empty(seen.Overlaps);
    }

    [ChromiumFact]
    public async Task Chromium_IdentityNamedLikeAScriptEnd_StaysTextAndNoScriptRuns()
    {
        // Given an Azure principal whose name closes a script element and opens another (Azure allows any display name)
        using var cli = new CliRunner();
        var report = Report(cli, Evil);
        var html = File.ReadAllText(report);

        // Then the graph's JSON holds it with every `<`, `>` escaped, and the file nowhere holds it raw
        var data = RiskData().Match(html);
        Assert.True(data.Success, "no risk-paths-data script");
        Assert.Contains("\"name\":\"\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e\"", data.Value,
            StringComparison.Ordinal);
        Assert.DoesNotContain(Evil, html, StringComparison.Ordinal);

        // When chromium runs the report
        var seen = await InChromium(report, scripts: true, async page =>
        {
            await page.WaitForSelectorAsync("#c-risk-paths[data-nodes]", new() { State = WaitForSelectorState.Attached });
            return new
            {
                Pwned = await page.EvaluateAsync<bool>("() => window.__pwned === undefined"),
                Names = await page.EvaluateAsync<string[]>("() => ciemRiskGraph.nodes('.source').map(n => n.data('name')).sort()"),
                Nodes = await page.GetAttributeAsync("#c-risk-paths", "data-nodes"),
                Info = await Tap(page, "ciemRiskGraph.nodes('.source').filter(n => n.data('name').startsWith('<'))[0]"),
                Scripts = await page.Locator("script").CountAsync(),
            };
        });

        // Then no injected script ran, the name is the node's text, and the side line shows it as text
        Assert.True(seen.Pwned, "an injected script ran");
        Assert.Equal([Evil, "user:admin@acme.example"], seen.Names);
        Assert.Equal("4", seen.Nodes);
        Assert.Equal(Evil, seen.Info);
        Assert.Equal(4, seen.Scripts);
    }

    [ChromiumFact]
    public async Task Chromium_ScriptsOff_TheSvgFallbackShowsThePaths()
    {
        // Given the report / When chromium opens it with JavaScript disabled
        using var cli = new CliRunner();
        var report = Report(cli);
        var seen = await InChromium(report, scripts: false, async page => new
        {
            Svg = await page.Locator("#c-risk-paths-svg").IsVisibleAsync(),
            Boxes = await page.Locator("#c-risk-paths-svg rect").CountAsync(),
            Dashed = await page.Locator("#c-risk-paths-svg line[stroke-dasharray]").CountAsync(),
            Lines = await page.Locator("#c-risk-paths-svg line").CountAsync(),
            Text = await page.Locator("#c-risk-paths-svg").TextContentAsync(),
            Graph = await page.Locator("#c-risk-paths").IsVisibleAsync(),
            Caption = await page.Locator("#risk figcaption").First.TextContentAsync(),
        });

        // Then the inline SVG draws the same four boxes and two arrows (one dashed), and the empty graph container stays hidden
        Assert.True(seen.Svg, "the no-script SVG is not shown");
        Assert.Equal((4, 2, 1), (seen.Boxes, seen.Lines, seen.Dashed));
        Assert.Contains("carol@contoso.example", seen.Text, StringComparison.Ordinal);
        Assert.Contains("azure-pim-activation", seen.Text, StringComparison.Ordinal);
        Assert.False(seen.Graph);
        Assert.StartsWith("Each box is an identity (blue) or an administrator goal (red)", seen.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_WithoutPaths_LeavesTheLibraryOut()
    {
        // Given the Azure and GCP samples (two paths), and the AWS samples, where no identity has a path to administrator
        using var paths = new CliRunner();
        var withPaths = File.ReadAllText(Report(paths));
        using var none = new CliRunner();
        none.ImportSamples();
        var file = Path.Combine(none.Home, "report.html");

        // When the AWS samples are swept to a report
        var (code, _, error) = none.Run("sweep", "--db", none.Db, "--as-of", "2026-11-28", "--report", file, "--format", "json");
        var withoutPaths = File.ReadAllText(file);

        // Then the report with paths inlines the library once; the one without carries neither it, nor the graph's data
        Assert.True(code == 0, error);
        Assert.Equal(1, Regex.Count(withPaths, "cf\\.version=\"3\\.35\\.0\""));
        Assert.Equal(1, Regex.Count(withPaths, "id=\"risk-paths-data\""));
        Assert.Contains("<section id=\"risk\"", withoutPaths, StringComparison.Ordinal);
        Assert.DoesNotContain("Cytoscape", withoutPaths, StringComparison.Ordinal);
        Assert.DoesNotContain("risk-paths-data", withoutPaths, StringComparison.Ordinal);
        Assert.True(withoutPaths.Length < ReportAssets.Cytoscape.Length / 2,
            $"the report without paths is {withoutPaths.Length:N0} characters, the library {ReportAssets.Cytoscape.Length:N0}");
        Assert.True(withPaths.Length > ReportAssets.Cytoscape.Length, $"the report with paths is {withPaths.Length:N0} characters");
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"risk-paths-data\">[^<]*</script>")]
    private static partial Regex RiskData();
}
