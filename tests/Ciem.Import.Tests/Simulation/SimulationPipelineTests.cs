using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;
using Ciem.Import.Simulation;

namespace Ciem.Import.Tests.Simulation;

public sealed class SimulationPipelineTests
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""";

    private static string Request(int i, string action = "s3:GetObject") =>
        $$"""{"id":"r{{i}}","request":{"principal":"arn:aws:iam::111111111111:user/u{{i % 7}}","action":"{{action}}","resource":"arn:aws:s3:::b/k{{i}}"},"identityPolicies":[{{Policy}}]}""";

    private static List<SimulationOutput> Run(string text, out SimulationStats stats, int blockSize = 64, int parallelism = 4)
    {
        var outputs = new List<SimulationOutput>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        stats = new SimulationPipeline(blockSize: blockSize, parallelism: parallelism).Run(stream, "requests.jsonl", outputs.Add);
        return outputs;
    }

    [Fact]
    public void Run_ManyBlocksInParallel_ResultsInInputOrder()
    {
        // Given 1,000 JSON Lines requests, every third one for an action the policy does not allow
        var text = string.Join('\n', Enumerable.Range(0, 1000).Select(i => Request(i, i % 3 == 0 ? "s3:PutObject" : "s3:GetObject")));

        // When evaluated in blocks of 64 on 4 threads
        var outputs = Run(text, out var stats);

        // Then every result comes back in input order with its line and the right decision
        Assert.Equal(1000, outputs.Count);
        for (var i = 0; i < outputs.Count; i++)
        {
            Assert.Equal(i + 1, outputs[i].Line);
            Assert.Equal($"r{i}", outputs[i].Id);
            Assert.Equal(i % 3 == 0 ? Decision.ImplicitDeny : Decision.Allow, outputs[i].Result!.Decision);
            using var json = JsonDocument.Parse(outputs[i].Json);
            Assert.Equal($"r{i}", json.RootElement.GetProperty("id").GetString());
        }
        Assert.Equal(1000, stats.Requests);
        Assert.Equal(0, stats.Invalid);
    }

    [Fact]
    public void Run_RepeatedPolicy_CompiledOnce()
    {
        // Given 500 requests that all carry the same identity policy
        var text = string.Join('\n', Enumerable.Range(0, 500).Select(i => Request(i)));

        // When evaluated
        Run(text, out var stats, blockSize: 500, parallelism: 1);

        // Then the document was parsed and compiled once and taken from the cache 499 times
        Assert.Equal(1, stats.PolicyCacheMisses);
        Assert.Equal(499, stats.PolicyCacheHits);
    }

    [Fact]
    public void Run_BrokenAndBlankLines_LocatedAndOthersEvaluated()
    {
        // Given a good line, a broken line, a blank line and a CRLF-terminated good line
        var text = Request(0) + "\n{\"id\": \n\n" + Request(3) + "\r\n";

        // When evaluated
        var outputs = Run(text, out var stats);

        // Then the broken line is an error at line 2 and the good ones are answered with their own lines
        Assert.Equal([1L, 2L, 4L], outputs.Select(o => o.Line));
        Assert.True(outputs[1].IsInvalid);
        Assert.Contains("requests.jsonl:2", outputs[1].Diagnostics.Single().ToString(), StringComparison.Ordinal);
        Assert.Equal(Decision.Allow, outputs[2].Result!.Decision);
        Assert.Equal(1, stats.Invalid);
    }

    [Fact]
    public void Run_JsonArray_EvaluatedInOrder()
    {
        // Given the same requests as one JSON array spread over several lines
        var text = "[\n" + string.Join(",\n", Enumerable.Range(0, 200).Select(i => Request(i))) + "\n]";

        // When evaluated
        var outputs = Run(text, out _);

        // Then each element is answered in order
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"r{i}"), outputs.Select(o => o.Id));
    }

    [Fact]
    public void Run_CachedPolicyWithDiagnostic_ReportedAtEachRequestLine()
    {
        // Given two requests whose policy repeats `Effect`
        const string bad = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Effect":"Deny"}]}""";
        var line = """{"id":"x","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[BAD]}""".Replace("BAD", bad, StringComparison.Ordinal);

        // When evaluated
        var outputs = Run(line + "\n" + line, out var stats, parallelism: 1);

        // Then both are Indeterminate and each reports the duplicate at its own line, though compiled once
        Assert.All(outputs, o => Assert.Equal(Decision.Indeterminate, o.Result!.Decision));
        Assert.Contains(outputs[0].Diagnostics, d => d.Code == "CIEM1201" && d.Location!.Line == 1 && d.Location.JsonPath == "$.identityPolicies[0].Statement[0].Effect");
        Assert.Contains(outputs[1].Diagnostics, d => d.Code == "CIEM1201" && d.Location!.Line == 2);
        Assert.Equal(1, stats.PolicyCacheMisses);
    }
}
