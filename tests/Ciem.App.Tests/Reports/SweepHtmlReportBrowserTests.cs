using System.Text.RegularExpressions;
using Ciem.App.Reports;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

/// <summary>The report in a real browser: headless Debian chromium loads the file and runs its script.</summary>
public sealed partial class SweepHtmlReportBrowserTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciem-report-");

    [ChromiumFact]
    public void Chromium_ReportWithSortFragment_ShowsKpisAndSortsTheGapTable()
    {
        // Given the small sweep's report written to a file
        // When chromium loads it with `#sort=gap` (ascending by unused actions) and dumps the DOM after scripts ran
        var dom = LoadSmallReport("#sort=gap");

        // Then the script ran, the KPIs are rendered, and the gap table starts with the smallest gap (ci-deploy, 1 unused)
        Assert.Contains("data-ready=\"1\"", dom, StringComparison.Ordinal);
        Assert.Equal("8", SweepHtmlReportTests.Kpi(dom, "identities"));
        Assert.Equal("1", SweepHtmlReportTests.Kpi(dom, "unused-administrators"));
        Assert.Equal("47.3%", SweepHtmlReportTests.Kpi(dom, "reduction"));
        Assert.Equal("31,386", SweepHtmlReportTests.Kpi(dom, "granted"));
        var gapTable = GapTable().Match(dom);
        Assert.True(gapTable.Success, "no gap table in the DOM");
        Assert.Contains("data-key=\"gap\" class=\"num\" aria-sort=\"ascending\"", gapTable.Value, StringComparison.Ordinal);
        var names = IdentityName().Matches(gapTable.Value).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal("ci-deploy", names[0]);
        Assert.Equal("alice", names[^1]);
        Assert.DoesNotContain("<script>alert(1)</script>", dom, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void Chromium_DetailAnchor_OpensTheProposal()
    {
        // Given the report / When loaded with the anchor of the first proposal
        var dom = LoadSmallReport("#p-1");

        // Then that proposal's details are open and the others closed
        Assert.Contains("<details class=\"proposal\" id=\"p-1\" open=\"\">", dom, StringComparison.Ordinal);
        Assert.Contains("<details class=\"proposal\" id=\"p-2\">", dom, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void Chromium_Screenshot_RendersTheSmallAndTheLargeReport()
    {
        // Given the small and the 3,400-identity reports
        foreach (var (name, result) in new[] { ("small", SweepFixture.Small()), ("large", SweepFixture.Large(3400)) })
        {
            var file = Path.Combine(_dir.FullName, $"sweep-{name}.html");
            File.WriteAllText(file, SweepHtmlReport.Render(result));

            // When chromium takes a screenshot
            var png = Path.Combine(_dir.FullName, $"sweep-{name}.png");
            HeadlessChromium.Screenshot(new Uri(file).AbsoluteUri, png, 1400, 2400);

            // Then a PNG is written (kept for review when CIEM_TEST_ARTIFACTS names a folder)
            Assert.True(new FileInfo(png).Length > 10_000, $"screenshot `{png}` is empty");
            if (Environment.GetEnvironmentVariable("CIEM_TEST_ARTIFACTS") is { Length: > 0 } artifacts)
            {
                Directory.CreateDirectory(artifacts);
                File.Copy(file, Path.Combine(artifacts, Path.GetFileName(file)), overwrite: true);
                File.Copy(png, Path.Combine(artifacts, Path.GetFileName(png)), overwrite: true);
            }
        }
    }

    private string LoadSmallReport(string fragment)
    {
        var file = Path.Combine(_dir.FullName, "report.html");
        File.WriteAllText(file, SweepHtmlReport.Render(SweepFixture.Small()));
        return HeadlessChromium.DumpDom(new Uri(file).AbsoluteUri + fragment);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [GeneratedRegex("<table class=\"sortable\" id=\"t-gaps\".*?</table>", RegexOptions.Singleline)]
    private static partial Regex GapTable();

    [GeneratedRegex("<span class=\"id\" title=\"[^\"]*\">([^<]*)</span>")]
    private static partial Regex IdentityName();
}
