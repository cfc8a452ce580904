using System.Text;
using System.Text.Json;
using Ciem.App.Reports;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

public sealed class SweepJsonTests
{
    [Fact]
    public void Write_SmallSweep_HasTheDocumentedShape()
    {
        // Given the small sweep
        var result = SweepFixture.Small();

        // When written as JSON to a stream
        using var stream = new MemoryStream();
        SweepJson.Write(stream, result);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;

        // Then the top-level fields, the summary and the nested shapes use the documented camelCase names
        Assert.Equal(["schema", "asOf", "windowStart", "windowDays", "lookbackDays", "summary", "coverage", "slices", "identities", "proposals", "failures", "excluded"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(SweepJson.Schema, root.GetProperty("schema").GetString());
        var summary = root.GetProperty("summary");
        Assert.Equal(8, summary.GetProperty("identities").GetInt32());
        Assert.Equal(4, summary.GetProperty("humans").GetInt32());
        Assert.Equal(3, summary.GetProperty("serviceIdentities").GetInt32());
        Assert.Equal(1, summary.GetProperty("unusedAdministrators").GetInt32());
        Assert.Equal(31386, summary.GetProperty("granted").GetInt64());
        Assert.Equal(16528, summary.GetProperty("grantedAfter").GetInt64());
        Assert.Equal(47.3, summary.GetProperty("projectedReductionPercent").GetDouble());
        Assert.Equal("2026-08-31", root.GetProperty("coverage").GetProperty("firstDay").GetString());
        var alice = root.GetProperty("identities").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "alice");
        Assert.Equal("human", alice.GetProperty("kind").GetString());
        Assert.True(alice.GetProperty("administrator").GetBoolean());
        Assert.False(alice.GetProperty("adminActionUsed").GetBoolean());
        var proposal = root.GetProperty("proposals")[0];
        Assert.Equal("arn:aws:iam::111111111111:user/alice", proposal.GetProperty("identity").GetString());
        Assert.True(proposal.GetProperty("verification").GetProperty("passed").GetBoolean());
        Assert.Equal("2012-10-17", proposal.GetProperty("policies")[0].GetProperty("document").GetProperty("Version").GetString());
        Assert.Equal(["used", "seasonal", "exception"], proposal.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("reason").GetString()));
        Assert.Equal("iam:PassRole", root.GetProperty("failures")[0].GetProperty("regressions")[0].GetProperty("action").GetString());
    }

    [Fact]
    public void Write_ReadBackAndWrittenAgain_IsIdentical()
    {
        // Given the small sweep written to a text writer
        var writer = new StringWriter();
        SweepJson.Write(writer, SweepFixture.Small());
        var first = writer.ToString().TrimEnd();

        // When read back into the documented records and written again
        var document = JsonSerializer.Deserialize<SweepJson.Document>(first, ReportJson.Options)!;
        var second = JsonSerializer.Serialize(document, ReportJson.Options);

        // Then nothing is lost or renamed
        Assert.Equal(first, second);
        Assert.Equal(8, document.Identities.Count);
        Assert.Equal(Encoding.UTF8.GetByteCount(first), Encoding.UTF8.GetByteCount(SweepJson.Serialize(SweepFixture.Small())));
    }
}
