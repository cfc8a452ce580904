using Ciem.App.Questions;
using Ciem.App.Tests.Notify;
using Ciem.Core.Aws.Evaluation;
using Ciem.Import.Simulation;

namespace Ciem.App.Tests.Questions;

/// <summary>`ciem aws simulate` as an App call: one JSON line per request after the header, invalid ones seen with diagnostics.</summary>
public sealed class SimulationRunTests
{
    private const string Good =
        """{"id":"good","request":{"principal":"arn:aws:iam::"""
        + """111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":"""
        + """[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}""";

    private const string Pattern =
        """{"id":"p","request":{"principal":"arn:aws:iam::"""
        + """111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/*"},"identityPolicies":"""
        + """[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}]}""";

    [Fact]
    public void Run_GoodAndBrokenRequests_HeaderThenOneLinePerRequest()
    {
        // Given a JSON Lines file with a good request and a broken one
        using var temp = new TempFolder();
        var file = temp.Sub("requests.jsonl");
        File.WriteAllLines(file, [Good, """{"id":"broken", "request": """]);
        using var output = new StringWriter();
        var seen = new List<SimulationOutput>();

        // When run with a header and an output
        var stats = SimulationRun.Run(file, "requests.jsonl", ResourcePatternMode.Refuse, "{\"type\":\"envelope\"}", output, seen.Add);

        // Then the header comes first, the good request is allowed, the broken one counted and seen with its diagnostics
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"type\":\"envelope\"}", lines[0]);
        Assert.Contains("\"good\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("Allow", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, stats.Requests);
        Assert.Equal(1, stats.Invalid);
        Assert.Equal(2, seen.Count);
        Assert.True(seen[1].IsInvalid);
        Assert.NotEmpty(seen[1].Diagnostics);
    }

    [Fact]
    public void Run_WildcardResourceRefusedVersusLiteral_InvalidOrAllowed()
    {
        // Given a request whose resource holds `*`
        using var temp = new TempFolder();
        var file = temp.Sub("pattern.json");
        File.WriteAllText(file, Pattern + "\n");
        var refused = new List<SimulationOutput>();
        var literal = new List<SimulationOutput>();

        // When run without output, refusing patterns and reading them literally
        SimulationRun.Run(file, "pattern.json", ResourcePatternMode.Refuse, null, null, refused.Add);
        SimulationRun.Run(file, "pattern.json", ResourcePatternMode.Literal, null, null, literal.Add);

        // Then the default refuses it, and the literal reading evaluates it as allowed
        Assert.True(Assert.Single(refused).IsInvalid);
        Assert.Equal(Core.Model.Decision.Allow, Assert.Single(literal).Result!.Decision);
    }
}
