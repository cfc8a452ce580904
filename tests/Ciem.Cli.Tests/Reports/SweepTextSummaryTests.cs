using Ciem.Cli.Reports;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Reports;

public sealed class SweepTextSummaryTests
{
    [Fact]
    public void Render_SmallSweep_MatchesSnapshot()
    {
        // Given the small sweep and a non-interactive console 160 columns wide (as CliHost builds it for pipes)
        var output = new StringWriter();
        var host = new CliHost(output, TextWriter.Null, TimeProvider.System, _ => null);

        // When the summary is rendered
        SweepTextSummary.Render(host.Console, SweepFixture.Small());

        // Then it matches the reviewed snapshot
        Snapshot.Match(output.ToString(), "sweep-summary-small", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Render_NameWithConsoleMarkup_IsPrintedLiterally()
    {
        // Given the identity with the most unused actions named like unclosed console markup
        var result = SweepFixture.Small();
        var gap = result.Gaps[0];
        result = result with { Gaps = result.Gaps.SetItem(0, gap with { Identity = gap.Identity with { Name = "[red]alice" } }) };
        var output = new StringWriter();
        var host = new CliHost(output, TextWriter.Null, TimeProvider.System, _ => null);

        // When rendered
        SweepTextSummary.Render(host.Console, result);

        // Then the name is printed as is, brackets included
        Assert.Contains("[red]alice", output.ToString(), StringComparison.Ordinal);
    }
}
