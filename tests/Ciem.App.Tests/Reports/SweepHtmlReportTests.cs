using System.Text;
using System.Text.RegularExpressions;
using Ciem.App.Reports;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

public sealed partial class SweepHtmlReportTests
{
    [Fact]
    public void Render_SmallSweep_ShowsHeadlineFiguresWithTheRightNumbers()
    {
        // Given a sweep of 8 identities (4 human incl. SSO, 3 service, 2 admins of which 1 unused, 2 inactive)
        var result = SweepFixture.Small();

        // When it is rendered as HTML
        var html = SweepHtmlReport.Render(result);

        // Then every headline figure carries its value
        Assert.Equal("8", Kpi(html, "identities"));
        Assert.Contains("4 human · 3 service · 1 other roles", html, StringComparison.Ordinal);
        Assert.Equal("2", Kpi(html, "administrators"));
        Assert.Equal("1", Kpi(html, "unused-administrators"));
        Assert.Equal("2", Kpi(html, "inactive"));
        Assert.Equal("31,386", Kpi(html, "granted"));
        Assert.Equal("74", Kpi(html, "used"));
        Assert.Equal("16,528", Kpi(html, "granted-after"));
        Assert.Equal("47.3%", Kpi(html, "reduction"));
        Assert.Equal("3", Kpi(html, "proposals"));
        Assert.Equal("1", Kpi(html, "failures"));
        Assert.Equal("86", Kpi(html, "days-with-events"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(5, SvgCount().Count(html));
        Assert.Contains("id=\"p-1\"", html, StringComparison.Ordinal);
        Assert.Contains("replay regression: `iam:PassRole`", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MaliciousIdentityName_IsEscapedEverywhere()
    {
        // Given an identity named `<script>alert(1)</script>` (in its name, ARN, proposal and policy name)
        var result = SweepFixture.Small();

        // When rendered
        var html = SweepHtmlReport.Render(result);

        // Then the text appears only escaped and the only script element is the report's own
        Assert.DoesNotContain(SweepFixture.MaliciousName, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Single(ScriptTag().Matches(html));
    }

    [Fact]
    public void Render_NoExternalAssets()
    {
        // Given / When the report of the small sweep
        var html = SweepHtmlReport.Render(SweepFixture.Small());

        // Then nothing is loaded from elsewhere: no src, no stylesheet link, no http(s) reference
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LargeEstate_StaysSmallAndSaysWhatItLeftOut()
    {
        // Given 3,400 identities, most with a proposal
        var result = SweepFixture.Large(3400);

        // When rendered with the default limits
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var html = SweepHtmlReport.Render(result);
        clock.Stop();

        // Then the file stays under 5 MB and each truncated table says how many rows it shows
        var size = Encoding.UTF8.GetByteCount(html);
        Assert.True(size < 5 * 1024 * 1024, $"report is {size:N0} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"rendering took {clock.Elapsed}");
        Assert.Contains("Showing 200 of 3,400 identities", html, StringComparison.Ordinal);
        Assert.Contains($"all {result.Proposals.Length:N0} are in <code>ciem sweep --format json</code>", html, StringComparison.Ordinal);
        Assert.Equal(100, DetailCount().Count(html));
    }

    [Fact]
    public void Render_CustomLimits_AreApplied()
    {
        // Given a small sweep and limits of two rows and one detail
        var options = new SweepReportOptions { MaxRowsPerTable = 2, MaxProposalDetails = 1 };

        // When rendered
        var html = SweepHtmlReport.Render(SweepFixture.Small(), options);

        // Then the gap table shows 2 of 8 and one proposal has details
        Assert.Contains("Showing 2 of 8 identities", html, StringComparison.Ordinal);
        Assert.Equal(1, DetailCount().Count(html));
    }

    [Fact]
    public void Render_ProposalRemovingManyServices_ListsTheLargestAndCountsTheRest()
    {
        // Given a small sweep whose largest proposal removes actions of more than one service, and a limit of one service
        var result = SweepFixture.Small();
        var top = result.Proposals[0];
        var services = top.RemovedActions.Select(a => a[..a.IndexOf(':', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).Count();
        Assert.True(services > 1, $"the fixture's first proposal removes actions of {services} service(s)");

        // When rendered with one service listed per proposal
        var html = SweepHtmlReport.Render(result, new SweepReportOptions { MaxProposalDetails = 1, MaxRemovedServices = 1 });

        // Then the other services are one line with their count, and the action total stays complete
        Assert.Contains($"+{services - 1:N0} more services, ", html, StringComparison.Ordinal);
        Assert.Contains($"Removed actions ({top.RemovedActions.Length:N0})", html, StringComparison.Ordinal);
    }

    internal static string Kpi(string html, string key) => HeadlessChromium.Kpi(html, key);

    [GeneratedRegex("<svg ")]
    private static partial Regex SvgCount();

    [GeneratedRegex("<script[ >]", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<details class=\"proposal\"")]
    private static partial Regex DetailCount();
}
