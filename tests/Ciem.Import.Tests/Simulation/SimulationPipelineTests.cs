using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Diagnostics;
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

    private const string Scp = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}},{"Effect":"Deny","NotAction":["s3:*","sts:*"],"Resource":"*"}]}""";
    private const string Bucket = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""";

    /// <summary>Lines of every shape the byte reader takes or hands to the full reader, each with what it exercises.</summary>
    public static TheoryData<string> Shapes() => new(
        // plain: levels with and without a target, a resource policy, flags, a numeric id, a context of every kind
        $$$"""{"id":7,"request":{"principal":"arn:aws:sts::111111111111:assumed-role/R/s","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"aws:RequestedRegion":"us-east-1","aws:SourceIp":["10.0.0.1"],"aws:MultiFactorAuthPresent":true,"aws:EpochTime":1767225600}},"identityPolicies":[{{{Policy}}}],"scps":[{"target":"r-root","policies":[{{{Scp}}}]},{"policies":[{{{Scp}}}]}],"rcps":null,"resourcePolicy":{{{Bucket}}},"sessionPolicy":null,"vpcEndpointPolicies":[],"isManagementAccount":false,"principalIsServiceLinkedRole":true}""",
        // a session policy and a request that reads always-sent keys as unknown
        $$$"""{"id":"s","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","alwaysSentKeys":"unknown"},"identityPolicies":[{{{Policy}}}],"sessionPolicy":{{{Policy}}},"permissionBoundaries":[{{{Scp}}}]}""",
        // a policy that is not an object, and a malformed policy document
        """{"id":"p","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":["text",{"Statement":{"Effect":"Allow"}}]}""",
        // request errors: a duplicate request property, a bad context value, a bad principal
        """{"id":"d","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","action":"s3:PutObject"}}""",
        """{"id":"c","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"k":{"nested":1}}}}""",
        """{"id":"q","request":{"principal":"nobody","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}""",
        // handed to the full reader: unknown and duplicate root properties, an escaped name, odd levels and lists
        """{"id":"u","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"extra":1}""",
        """{"id":"a","id":"b","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}""",
        """{"\u0069d":"e","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}""",
        $$$"""{"id":"l","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"scps":[{"target":"t","policies":[{{{Scp}}}],"note":"x"},7]}""",
        """{"id":"m","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":{}}""",
        """{"id":null,"request":"no"}""",
        "7",
        """{"id":"x","request":{"principal":"arn:aws:iam::111111111111:user/u","action":"s3:GetObject"}} trailing""");

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Run_AnyShape_SameOutputAsTheFullReader(string line)
    {
        // Given one line (line 2 of the file), and what the full reader (a parsed document per request) makes of it
        var location = new SourceLocation(File: "requests.jsonl", Line: 2);
        string expected;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var read = SimulationReader.Read(doc.RootElement, location, out var diags, new SimulationReadOptions(new CompiledPolicyCache()));
            expected = read is null
                ? "refused: " + string.Join(" | ", diags)
                : Write(read.Id, AwsAuthorizer.Evaluate(read.Request, read.Policies), diags);
        }
        catch (JsonException)
        {
            expected = "not JSON";
        }

        // When the pipeline evaluates it after a good line (the byte reader, falling back to the full reader)
        var output = Run(Request(0) + "\n" + line + "\n", out _)[1];

        // Then the result line is byte for byte the full reader's, or both refuse the line with the same diagnostics
        var actual = !output.IsInvalid ? Encoding.UTF8.GetString(output.Json.Span)
            : output.Diagnostics is [{ Code: DiagnosticCodes.CliBadInputLine } d] && d.Message.StartsWith("line is not valid JSON", StringComparison.Ordinal) ? "not JSON"
            : "refused: " + string.Join(" | ", output.Diagnostics);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Run_ManyRequestsSharingPolicies_SameBytesAsOneRequestAtATime()
    {
        // Given 300 requests over three principals, two actions and a shared SCP chain and bucket policy
        var lines = Enumerable.Range(0, 300).Select(i =>
            $$$"""{"id":"r{{{i}}}","request":{"principal":"arn:aws:iam::111111111111:user/u{{{i % 3}}}","action":"{{{(i % 2 == 0 ? "s3:GetObject" : "s3:PutObject")}}}","resource":"arn:aws:s3:::b/k{{{i}}}","context":{"aws:RequestedRegion":"{{{(i % 5 == 0 ? "us-east-1" : "eu-west-1")}}}"}},"identityPolicies":[{{{Policy}}}],"scps":[{"target":"r","policies":[{{{Scp}}}]}],"resourcePolicy":{{{Bucket}}}}""").ToList();

        // When the pipeline evaluates them in parallel blocks, and each is evaluated alone through the full reader
        var outputs = Run(string.Join('\n', lines), out var stats, blockSize: 37, parallelism: 3);
        var alone = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var read = SimulationReader.Read(doc.RootElement, new SourceLocation(File: "requests.jsonl", Line: 1), out var diags)!;
            return Write(read.Id, AwsAuthorizer.Evaluate(read.Request, read.Policies), diags);
        }).ToList();

        // Then every line is the same bytes, with decisions of each kind among them, and each document compiled once
        Assert.Equal(alone, outputs.Select(o => Encoding.UTF8.GetString(o.Json.Span)));
        Assert.Contains(outputs, o => o.Result!.Decision == Decision.Allow);
        Assert.Contains(outputs, o => o.Result!.Decision == Decision.ExplicitDeny);
        Assert.Contains(outputs, o => o.Result!.Decision == Decision.ImplicitDeny);
        Assert.Equal(3, stats.PolicyCacheMisses);
    }

    private static string Write(string? id, EvaluationResult result, IEnumerable<Diagnostic> diags)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) { SimulationWriter.Write(w, id, result, diags); }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
