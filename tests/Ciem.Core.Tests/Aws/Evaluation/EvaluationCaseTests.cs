using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Tests;

namespace Ciem.Core.Tests.Aws.Evaluation;

/// <summary>Runs every golden case in `Cases/**/*.json` (format in Cases/README.md) through the authorizer.</summary>
public sealed class EvaluationCaseTests
{
    private static readonly string CaseRoot = TestPaths.Repo("tests", "Ciem.Core.Tests", "Aws", "Evaluation", "Cases");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(CaseRoot, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var c in doc.RootElement.EnumerateArray())
            {
                data.Add(Path.GetRelativePath(CaseRoot, file), c.GetProperty("name").GetString()!);
            }
        }
        return data;
    }

    /// <summary>The cases in `Cases/` today: a file that stops being read, or a case lost, fails here.</summary>
    private const int CaseCount = 377;

    [Fact]
    public void Cases_AllFiles_HaveUniqueNamesAndTheRealCount()
    {
        // Given every case file / When names are collected
        var names = Cases().Select(row => (string)row[0] + "/" + (string)row[1]).ToList();

        // Then none repeats, and every case on disk is there (a case added or removed updates CaseCount)
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CaseCount, names.Count);
        Assert.DoesNotContain(Directory.EnumerateFiles(CaseRoot, "*", SearchOption.AllDirectories),
            f => Path.GetExtension(f) is not (".json" or ".md"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_GoldenCase_MatchesExpected(string file, string name)
    {
        // Given the case from its file
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(CaseRoot, file)));
        var c = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var expected = c.GetProperty("expected");

        // When it is read and evaluated
        var simulation = SimulationReader.Read(c.GetProperty("input"), new SourceLocation(File: file), out var diags);
        if (expected.GetProperty("decision").GetString() == "Error")
        {
            // Then a request the reader must refuse is refused with the documented code
            Assert.True(simulation is null, $"{name}: expected the request to be refused");
            Assert.Contains(diags, d => d.Code == expected.GetProperty("code").GetString());
            return;
        }
        Assert.True(simulation is not null, $"input unreadable: {string.Join("; ", diags)}");
        var result = AwsAuthorizer.Evaluate(simulation.Request, simulation.Policies);

        // Then decision, blocking layer and deciding statements are the documented ones
        var why = $"{name}: got {result.Decision}/{(result.BlockedBy is { } bb ? SimulationWriter.LayerName(bb) : "null")} [{string.Join(", ", result.Statements.Select(s => $"{s.Policy}#{s.Statement}"))}] diags: {string.Join("; ", diags.Concat(result.Diagnostics))}";
        Assert.True(expected.GetProperty("decision").GetString() == result.Decision.ToString(), why);
        if (expected.TryGetProperty("blockedBy", out var blocked))
        {
            var want = blocked.ValueKind == JsonValueKind.Null ? null : blocked.GetString();
            var got = result.BlockedBy is { } b ? SimulationWriter.LayerName(b) : null;
            Assert.True(want == got, why);
        }
        if (expected.TryGetProperty("rule", out var rule))
        {
            Assert.True((rule.ValueKind == JsonValueKind.Null ? null : rule.GetString()) == result.Rule?.Id, why);
        }
        if (expected.TryGetProperty("conditional", out var conditional))
        {
            Assert.True(conditional.GetBoolean() == result.IsConditional, why);
        }
        if (expected.TryGetProperty("diagnostic", out var code))
        {
            Assert.True(diags.Concat(result.Diagnostics).Any(d => d.Code == code.GetString()), why);
        }
        if (expected.TryGetProperty("statements", out var statements))
        {
            var want = statements.EnumerateArray().Select(s => $"{s.GetProperty("policy").GetString()}#{s.GetProperty("statement").GetInt32()}").Order(StringComparer.Ordinal).ToList();
            var got = result.Statements.Select(s => $"{s.Policy}#{s.Statement}").Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.True(want.SequenceEqual(got), why);
        }
    }
}
