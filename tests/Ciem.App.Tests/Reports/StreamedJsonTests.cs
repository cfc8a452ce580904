using System.Text;
using System.Text.Json;
using Ciem.App.Reports;
using Ciem.Core.Sweep;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

/// <summary>Issue #19: `sweep --format json|jsonl` written an identity at a time, the bytes those of the whole document.</summary>
public sealed class StreamedJsonTests
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    private static EstateSweepResult Estate(int identities) =>
        EstateSweep.Combine(SweepFixture.AsOf, new SweepOptions(), SweepFixture.Large(identities), _ => ResolvedEnvironment.Other, null, null);

    [Fact]
    public void EstateWrite_Streamed_SameBytesAsTheWholeDocumentFlushedPerIdentity()
    {
        // Given an estate of 300 identities and a stream that records its length at every flush
        var result = Estate(300);
        var envelope = JsonEnvelope.For("sweep", 2, "1.2.3", GeneratedAt);
        using var stream = new FlushRecordingStream();

        // When the sweep document is written to it
        EstateSweepJson.Write(stream, result, envelope);

        // Then the bytes are those of the document serialised whole (the documented shape, envelope first)
        var whole = EstateSweepJson.ToDocument(result) with { Schema = envelope.Schema, Version = envelope.Version, GeneratedAt = envelope.GeneratedAt };
        Assert.Equal(JsonSerializer.Serialize(whole, ReportJson.Options), Encoding.UTF8.GetString(stream.ToArray()));
        // And the output grew at a flush per row: each identity twice (the estate's rows, the AWS detail), each proposal twice
        var rows = 2 * (result.Rows.Length + result.ProposalCount);
        Assert.True(stream.Flushes.Count >= rows, $"{stream.Flushes.Count} flushes for {rows} rows");
        // And no flush carried the bulk of the document (the estate is never buffered whole)
        var largest = stream.Flushes.Zip(stream.Flushes.Skip(1), (a, b) => b - a).Max();
        Assert.True(largest < stream.Length / 4, $"largest flush {largest} of {stream.Length} bytes");
    }

    [Fact]
    public void AwsWrite_Streamed_SameBytesAsSerialize()
    {
        // Given the small AWS sweep
        var result = SweepFixture.Small();
        using var stream = new FlushRecordingStream();

        // When written to a stream
        SweepJson.Write(stream, result);

        // Then the bytes are the serialised document's, flushed once per identity at least
        Assert.Equal(SweepJson.Serialize(result), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.True(stream.Flushes.Count >= result.Gaps.Length);
    }

    [Fact]
    public void WriteLines_OneLinePerRow_TypeFirstThenTheRowsFields()
    {
        // Given an estate of 40 identities
        var result = Estate(40);
        var output = new StringWriter();

        // When written as JSON Lines with the envelope
        EstateSweepJson.WriteLines(output, result, JsonEnvelope.For("sweep-lines", 2, "1.2.3", GeneratedAt));

        // Then the envelope, the summary, one line per identity and per proposal, each a complete object with `type` first
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + result.Rows.Length + result.ProposalCount, lines.Length);
        var types = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return doc.RootElement.EnumerateObject().First().Value.GetString();
        }).ToList();
        Assert.Equal(["envelope", "summary"], types.Take(2));
        Assert.Equal(result.Rows.Length, types.Count(t => t == "identity"));
        Assert.Equal(result.ProposalCount, types.Count(t => t == "proposal"));
        using var summary = JsonDocument.Parse(lines[1]);
        Assert.Equal("ciem.sweep/2-lines", summary.RootElement.GetProperty("schema").GetString());
        Assert.Equal(40, summary.RootElement.GetProperty("summary").GetProperty("identities").GetInt32());
        using var first = JsonDocument.Parse(lines[2]);
        Assert.Equal(result.Rows[0].Id, first.RootElement.GetProperty("id").GetString());
    }

    /// <summary>A memory stream that records its length each time it is flushed.</summary>
    private sealed class FlushRecordingStream : MemoryStream
    {
        public List<long> Flushes { get; } = [];

        public override void Flush()
        {
            Flushes.Add(Length);
            base.Flush();
        }
    }
}
