using System.Collections.Immutable;
using Ciem.Core.Azure.Conditions;
using Ciem.Tests;

namespace Ciem.Core.Tests.Azure.Conditions;

[Trait("Category", "SharedData")]
public sealed class AbacParserTests
{
    [Fact]
    public void Parse_EveryBuiltInRoleCondition_Succeeds()
    {
        // Given the 31 conditions carried by built-in role definitions (read in place)
        var folder = TestPaths.Shared("azure-builtin-roles-and-operations", "azure-roles");
        var conditions = Directory.EnumerateFiles(folder, "*.json")
            .SelectMany(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("permissions").EnumerateArray())
            .Select(p => p.TryGetProperty("condition", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null)
            .OfType<string>()
            .ToList();

        // When each is parsed / Then all succeed
        Assert.Equal(31, conditions.Count);
        Assert.All(conditions, c => Assert.True(AbacParser.Parse(c).Success, $"{AbacParser.Parse(c).Error}: {c}"));
    }

    [Fact]
    public void Parse_DocumentedShape_BuildsTheTree()
    {
        // Given the documented container-name condition
        const string text = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR " +
            "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))";

        // When parsed
        var result = AbacParser.Parse(text);

        // Then it is an OR of a negated ActionMatches and a comparison
        var or = Assert.IsType<AbacOr>(result.Expression);
        var not = Assert.IsType<AbacNot>(or.Operands[0]);
        Assert.IsType<AbacActionMatches>(not.Operand);
        var comparison = Assert.IsType<AbacComparison>(or.Operands[1]);
        Assert.Equal("Resource", comparison.Attribute.Source);
        Assert.Equal("StringEquals", comparison.Operator);
        Assert.Equal("logs", Assert.Single(comparison.Values));
    }

    [Theory]
    [InlineData("(ActionMatches{'x'}", "expected `)`")]
    [InlineData("@Resource[a:b] StringEquals", "expected a value")]
    [InlineData("@Resource[a:b]", "expected an operator")]
    [InlineData("@Resource[a:b] StringEquals 'unterminated", "unterminated string")]
    [InlineData("ActionMatches{'a'} AND", "unexpected end of condition")]
    [InlineData("@Resource[a:b] StringEquals {'a', 'b'", "expected `}`")]
    [InlineData("", "unexpected end of condition")]
    public void Parse_Malformed_ReportsWhere(string text, string error)
    {
        // Given malformed text / When parsed / Then it fails with a located message
        var result = AbacParser.Parse(text);
        Assert.False(result.Success);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
        Assert.True(result.ErrorOffset >= 0);
    }

    [Theory]
    [InlineData("@Request[k] StringEquals 'v'", "v", ConditionResult.True)]
    [InlineData("@Request[k] StringEquals 'v'", "V", ConditionResult.False)]
    [InlineData("@Request[k] StringEqualsIgnoreCase 'v'", "V", ConditionResult.True)]
    [InlineData("@Request[k] StringNotEquals 'v'", "w", ConditionResult.True)]
    [InlineData("@Request[k] StringNotEqualsIgnoreCase 'v'", "V", ConditionResult.False)]
    [InlineData("@Request[k] StringLike 'a*c'", "abbbc", ConditionResult.True)]
    [InlineData("@Request[k] StringNotLike 'a*c'", "abbbc", ConditionResult.False)]
    [InlineData("@Request[k] StringStartsWith 'ab'", "abc", ConditionResult.True)]
    [InlineData("@Request[k] StringNotStartsWith 'ab'", "abc", ConditionResult.False)]
    [InlineData("@Request[k] StringStartsWithIgnoreCase 'AB'", "abc", ConditionResult.True)]
    [InlineData("@Request[k] GuidEquals 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "2A2B99086EA14AE28E65A410DF84E7D1", ConditionResult.True)]
    [InlineData("@Request[k] GuidNotEquals 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", ConditionResult.True)]
    [InlineData("@Request[k] BoolEquals true", "True", ConditionResult.True)]
    [InlineData("@Request[k] NumericLessThan 5", "3", ConditionResult.Unknown)]
    [InlineData("@Request[k] StringEqualz 'v'", "v", ConditionResult.Unknown)]
    [InlineData("@Request[other] StringEquals 'v'", "v", ConditionResult.Unknown)]
    [InlineData("Exists @Request[k]", "v", ConditionResult.True)]
    [InlineData("NotExists @Request[k]", "v", ConditionResult.False)]
    [InlineData("Exists @Request[other]", "v", ConditionResult.False)]
    [InlineData("@Request[k] StringEquals 'v' AND @Request[other] StringEquals 'v'", "w", ConditionResult.False)]
    [InlineData("@Request[k] StringEquals 'v' OR @Request[other] StringEquals 'v'", "v", ConditionResult.True)]
    [InlineData("NOT @Request[other] StringEquals 'v'", "v", ConditionResult.Unknown)]
    [InlineData("@Request[k] StringEquals 'v' && !(@Request[k] StringEquals 'w')", "v", ConditionResult.True)]
    [InlineData("@Request[k] ForAnyOfAnyValues:StringEquals {'a', 'v'}", "v", ConditionResult.True)]
    [InlineData("@Request[k] ForAllOfAllValues:StringEquals {'a', 'v'}", "v", ConditionResult.False)]
    [InlineData("@Request[k] ForAnyOfAllValues:StringNotEquals {'a', 'b'}", "v", ConditionResult.True)]
    [InlineData("@Request[k] StringEquals {'a', 'v'}", "v", ConditionResult.Unknown)]
    public void Evaluate_Operator_GivesThreeValuedResult(string condition, string value, ConditionResult expected)
    {
        // Given one attribute `@Request[k]` with a value
        var context = new AbacContext("Microsoft.X/y/read", null,
            new Dictionary<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase) { ["@Request[k]"] = [value] });

        // When the condition is evaluated / Then true, false or unknown as documented (unknown for unsupported content)
        var outcome = AbacEvaluator.Evaluate(condition, context);
        Assert.Equal(expected, outcome.Result);
        Assert.Equal(expected == ConditionResult.Unknown, !outcome.Reasons.IsEmpty);
    }
}
