using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Core.Tests.Gcp.Evaluation;

/// <summary>
/// Golden cases for the GCP authorizer and the IAM-condition evaluator, from Google's documentation (each case names
/// its source). A file is `{"inventory": {…}, "cases": […]}`; a case with `expression` checks one condition, a case
/// with `request` checks a decision and its deciding bindings and deny rules. Format: Cases/README.md.
/// </summary>
public sealed class GcpCaseTests
{
    private static readonly string CaseFolder = Path.Combine(AppContext.BaseDirectory, "Gcp", "Evaluation", "Cases");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(CaseFolder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
            {
                data.Add(Path.GetRelativePath(CaseFolder, file), c.GetProperty("name").GetString()!);
            }
        }
        return data;
    }

    /// <summary>The cases in `Cases/` today: a file that stops being read, or a case lost, fails here.</summary>
    private const int CaseCount = 121;

    [Fact]
    public void Cases_AllFiles_TheRealCountAndUniqueNames()
    {
        // Given every case file / Then every case on disk is there (a case added or removed updates CaseCount) and names identify them
        var names = Cases().Select(row => (string)row[0] + "/" + (string)row[1]).ToList();
        Assert.Equal(CaseCount, names.Count);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_MatchesExpected(string file, string name)
    {
        // Given the case and its file's inventory
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(CaseFolder, file)));
        var root = document.RootElement;
        var c = root.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        if (c.TryGetProperty("expression", out var expression))
        {
            // When the condition is evaluated
            var result = ConditionExpression.Parse(expression.GetString()!).Evaluate(Attributes(c.TryGetProperty("attributes", out var a) ? a : default));
            // Then it has the expected truth and says why when unknown
            Assert.Equal(c.GetProperty("expected").GetString(), result.Truth.ToString());
            if (c.TryGetProperty("unsupported", out var unsupported)) { Assert.Equal(unsupported.GetBoolean(), result.Unsupported); }
            if (result.Truth == Truth.Unknown) { Assert.False(string.IsNullOrEmpty(result.Reason)); }
            return;
        }
        var inventory = Inventory(c.TryGetProperty("inventory", out var own) ? own : root.GetProperty("inventory"));
        var policies = GcpPolicySet.Create(inventory);
        var request = Request(c.GetProperty("request"));

        // When the request is evaluated
        var evaluation = GcpAuthorizer.Evaluate(request, policies);

        // Then the decision and the deciding bindings and rules are as documented
        var expected = c.GetProperty("expected");
        Assert.Equal(expected.GetProperty("decision").GetString(), evaluation.Decision.ToString());
        if (expected.TryGetProperty("bindings", out var bindings))
        {
            Assert.Equal(bindings.EnumerateArray().Select(b => b.GetString()!).Order(StringComparer.Ordinal),
                evaluation.Bindings.Select(b => $"{b.Resource}#{b.Binding}").Order(StringComparer.Ordinal));
        }
        if (expected.TryGetProperty("denyRules", out var rules))
        {
            Assert.Equal(rules.EnumerateArray().Select(b => b.GetString()!).Order(StringComparer.Ordinal),
                evaluation.DenyRules.Select(r => $"{r.Policy}#{r.Rule}").Order(StringComparer.Ordinal));
        }
        if (expected.TryGetProperty("public", out var isPublic)) { Assert.Equal(isPublic.GetBoolean(), evaluation.IsPublic); }
        if (evaluation.Decision == Model.Decision.Indeterminate) { Assert.NotEmpty(evaluation.Diagnostics); }
    }

    internal static GcpInventory Inventory(JsonElement e) => new(
        [.. Items(e, "resources").Select(r => new GcpResource(r.GetProperty("name").GetString()!, Str(r, "assetType") ?? "", Str(r, "parent"), Strings(r, "aliases")))],
        [.. Items(e, "policies").Select(p => new IamPolicy(p.GetProperty("resource").GetString()!,
            [.. Items(p, "bindings").Select(b => new IamBinding(b.GetProperty("role").GetString()!, Strings(b, "members"), Condition(b, "condition")))]))],
        [.. Items(e, "denyPolicies").Select(DenyPolicy)],
        [.. Items(e, "customRoles").Select(r => new CustomRoleDefinition(r.GetProperty("name").GetString()!, "", "GA", Strings(r, "includedPermissions"), false))],
        [.. Items(e, "groups").Select(g => new GroupMembership(g.GetProperty("group").GetString()!, Strings(g, "members")))]);

    private static DenyPolicy DenyPolicy(JsonElement p)
    {
        var name = p.GetProperty("name").GetString()!;
        var attachment = name["policies/".Length..name.IndexOf("/denypolicies/", StringComparison.Ordinal)];
        return new DenyPolicy(name, GcpResource.FullName(attachment), null, [.. Items(p, "rules").Select(r => new DenyRule(
            Strings(r, "deniedPrincipals"), Strings(r, "exceptionPrincipals"), Strings(r, "deniedPermissions"), Strings(r, "exceptionPermissions"),
            Condition(r, "denialCondition")))]);
    }

    private static GcpRequest Request(JsonElement r) => new(
        new GcpPrincipal(r.GetProperty("member").GetString()!, Strings(r, "groups")),
        r.GetProperty("permission").GetString()!,
        r.GetProperty("resource").GetString()!,
        Attributes(r),
        r.TryGetProperty("ancestors", out _) ? Strings(r, "ancestors") : default);

    private static ConditionAttributes Attributes(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) { return ConditionAttributes.None; }
        return new ConditionAttributes(
            Str(e, "resourceName"), Str(e, "resourceType"), Str(e, "resourceService"),
            Str(e, "time") is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null,
            Map(e, "tags"), Map(e, "tagIds"));
    }

    private static IReadOnlyDictionary<string, string>? Map(JsonElement e, string name) =>
        e.TryGetProperty(name, out var m) ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : null;

    private static IamCondition? Condition(JsonElement e, string name) =>
        e.TryGetProperty(name, out var c) ? new IamCondition(c.GetProperty("expression").GetString()!, Str(c, "title")) : null;

    private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var a) ? a.EnumerateArray() : [];

    private static ImmutableArray<string> Strings(JsonElement e, string name) => [.. Items(e, name).Select(x => x.GetString()!)];

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
