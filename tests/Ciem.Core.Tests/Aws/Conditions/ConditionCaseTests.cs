using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Tests.Aws.Conditions;

/// <summary>
/// Runs every golden case in `Aws/Conditions/Cases/*.json`. A case names its documentation source, a policy
/// version, a Condition block, a request context (a JSON array is a multivalued key) and the expected outcome;
/// `diagnostics` lists the expected diagnostic codes (none when omitted).
/// </summary>
public sealed class ConditionCaseTests
{
    private static readonly string CaseDirectory = Path.Combine(AppContext.BaseDirectory, "Aws", "Conditions", "Cases");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(CaseDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var c in doc.RootElement.EnumerateArray())
            {
                data.Add(Path.GetFileName(file), c.GetProperty("name").GetString()!);
            }
        }
        return data;
    }

    /// <summary>The cases in `Cases/` today: a file that stops being read, or a case lost, fails here.</summary>
    private const int CaseCount = 251;

    [Fact]
    public void Cases_AllFiles_TheRealCount()
    {
        // Given every case file / When the cases are collected
        // Then every case on disk is there (a case added or removed updates CaseCount)
        Assert.Equal(CaseCount, Cases().Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_GoldenCase_MatchesExpected(string file, string name)
    {
        // Given the case from its file
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(CaseDirectory, file)));
        var c = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var version = c.TryGetProperty("version", out var v) && v.GetString() == "2008-10-17"
            ? PolicyLanguageVersion.V20081017
            : PolicyLanguageVersion.V20121017;
        var entries = ReadCondition(c.GetProperty("condition"));
        var context = ReadContext(c.GetProperty("context"));
        var diagnostics = new DiagnosticBag();

        // When the block is compiled and evaluated
        var block = ConditionCompiler.Compile(entries, version, diagnostics);
        var outcome = block.Evaluate(context);

        // Then the outcome and the diagnostic codes are the expected ones
        Assert.Equal(Enum.Parse<ConditionOutcome>(c.GetProperty("expected").GetString()!), outcome);
        var expectedCodes = c.TryGetProperty("diagnostics", out var d)
            ? d.EnumerateArray().Select(x => x.GetString()!).Order(StringComparer.Ordinal).ToArray()
            : [];
        Assert.Equal(expectedCodes, diagnostics.Select(x => x.Code).Order(StringComparer.Ordinal).ToArray());
        Assert.All(diagnostics, x => Assert.Equal(x.Message.ToLowerInvariant()[..1], x.Message[..1]));
    }

    private static ImmutableArray<ConditionEntry> ReadCondition(JsonElement condition)
    {
        var entries = ImmutableArray.CreateBuilder<ConditionEntry>();
        foreach (var op in condition.EnumerateObject())
        {
            foreach (var key in op.Value.EnumerateObject())
            {
                var values = key.Value.ValueKind == JsonValueKind.Array
                    ? key.Value.EnumerateArray().Select(Text).ToImmutableArray()
                    : [Text(key.Value)];
                entries.Add(new ConditionEntry(op.Name, key.Name, values, $"$.Statement[0].Condition.{op.Name}.{key.Name}"));
            }
        }
        return entries.ToImmutable();
    }

    private static RequestContext ReadContext(JsonElement context) => RequestContext.Create(
        context.EnumerateObject().Select(p => new KeyValuePair<string, ContextValue>(
            p.Name,
            p.Value.ValueKind == JsonValueKind.Array
                ? ContextValue.Multi(p.Value.EnumerateArray().Select(Text))
                : ContextValue.Single(Text(p.Value)))));

    // Values keep their JSON text form: strings unquoted, numbers and booleans as written.
    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
}
