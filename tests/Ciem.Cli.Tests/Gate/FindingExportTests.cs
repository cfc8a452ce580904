using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.Cli.Reports;
using Ciem.Core.Gate;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Gate;

/// <summary>Issue #19: `check --format ocsf|asff` validated against the published formats' required fields (Schemas/*.subset.json).</summary>
public sealed class FindingExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CheckReport Report(params GateFinding[] findings) =>
        new([], new GateOutcome([.. findings], [], []), FindingSeverity.High, 1);

    private static readonly GateFinding Admin = new("new-admin", FindingSeverity.Critical, "arn:aws:iam::111111111111:role/ci-deployer",
        "`arn:aws:iam::111111111111:role/ci-deployer` becomes administrative", ["iam:*"], null);

    private static readonly GateFinding Azure = new("broad-scope", FindingSeverity.Medium, "c1de9107-0000-4000-8000-000000000003",
        "a role assignment at a management group", [], null);

    private static JsonElement Schema(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "Ciem.Cli.Tests", "Schemas", name)));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Asff_AwsFinding_ValidAgainstRequiredAttributes()
    {
        // Given an AWS finding and an Azure one
        // When exported as ASFF
        var (json, leftOut) = FindingExport.Asff(Report(Admin, Azure), Now, "eu-west-1", "111111111111");

        // Then the AWS one validates, its account is the principal's, and the Azure one is counted as left out
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(SchemaSubset.Validate(Schema("asff-2018-10-08.subset.json"), doc.RootElement));
        var finding = Assert.Single(doc.RootElement.GetProperty("Findings").EnumerateArray());
        Assert.Equal("111111111111", finding.GetProperty("AwsAccountId").GetString());
        Assert.Equal("CRITICAL", finding.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("AwsIamRole", finding.GetProperty("Resources")[0].GetProperty("Type").GetString());
        Assert.Equal(1, leftOut);
    }

    [Fact]
    public void Ocsf_EveryFinding_ValidAgainstDetectionFindingRequiredAttributes()
    {
        var json = FindingExport.Ocsf(Report(Admin, Azure), Now, "0.1.0");
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(SchemaSubset.Validate(Schema("ocsf-1.3.0-detection-finding.subset.json"), doc.RootElement));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        Assert.Equal(5, doc.RootElement[0].GetProperty("severity_id").GetInt32());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), doc.RootElement[0].GetProperty("time").GetInt64());
    }

    [Fact]
    public void Export_SameFindingTwice_SameIdSoReimportUpdates()
    {
        var (a, _) = FindingExport.Asff(Report(Admin), Now, "eu-west-1", "111111111111");
        var (b, _) = FindingExport.Asff(Report(Admin), Now.AddDays(1), "eu-west-1", "111111111111");
        string Id(string j) => JsonDocument.Parse(j).RootElement.GetProperty("Findings")[0].GetProperty("Id").GetString()!;
        Assert.Equal(Id(a), Id(b));
    }

    [Fact]
    public void SchemaSubset_NearMiss_Rejected()
    {
        // Given findings that each break one documented rule
        var schema = Schema("asff-2018-10-08.subset.json");
        using var missing = JsonDocument.Parse("""{"Findings":[{"SchemaVersion":"2018-10-08"}]}""");
        using var badLabel = JsonDocument.Parse(FindingExport.Asff(Report(Admin), Now, "eu-west-1", "111111111111").Json.Replace("\"CRITICAL\"", "\"SEVERE\"", StringComparison.Ordinal));

        // Then the validator names each problem (it can fail)
        Assert.Contains(SchemaSubset.Validate(schema, missing.RootElement), e => e.Contains("AwsAccountId", StringComparison.Ordinal));
        Assert.Contains(SchemaSubset.Validate(schema, badLabel.RootElement), e => e.Contains("Label", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_FormatOcsf_FromTheCommandLine()
    {
        using var cli = new CliRunner();
        var dir = Path.Combine(cli.Home, "tf");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "trust.tf"), """
            resource "aws_iam_role" "open" {
              name = "open"
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
              })
            }
            """);
        var (code, output, err) = cli.Run("check", "--hcl", dir, "--format", "ocsf");
        Assert.True(code == 2, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Empty(SchemaSubset.Validate(Schema("ocsf-1.3.0-detection-finding.subset.json"), doc.RootElement));
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("finding_info").GetProperty("uid").GetString()!.StartsWith("openciem-", StringComparison.Ordinal));
    }
}

/// <summary>The JSON Schema keywords the subsets use: type, required, properties, items, const, enum, pattern, maxLength, minItems.</summary>
internal static class SchemaSubset
{
    public static List<string> Validate(JsonElement schema, JsonElement value, string at = "$")
    {
        var errors = new List<string>();
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!)) { errors.Add($"{at}: expected {type.GetString()}"); return errors; }
        if (schema.TryGetProperty("const", out var c) && !JsonElement.DeepEquals(c, value)) { errors.Add($"{at}: expected {c.GetRawText()}"); }
        if (schema.TryGetProperty("enum", out var e) && !e.EnumerateArray().Any(x => JsonElement.DeepEquals(x, value))) { errors.Add($"{at}: {value.GetRawText()} not allowed"); }
        if (schema.TryGetProperty("pattern", out var p) && value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, p.GetString()!)) { errors.Add($"{at}: does not match {p.GetString()}"); }
        if (schema.TryGetProperty("maxLength", out var max) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > max.GetInt32()) { errors.Add($"{at}: longer than {max.GetInt32()}"); }
        if (schema.TryGetProperty("minItems", out var min) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < min.GetInt32()) { errors.Add($"{at}: fewer than {min.GetInt32()} items"); }
        if (schema.TryGetProperty("required", out var required) && value.ValueKind == JsonValueKind.Object)
        {
            errors.AddRange(required.EnumerateArray().Select(r => r.GetString()!).Where(r => !value.TryGetProperty(r, out _)).Select(r => $"{at}: `{r}` is required"));
        }
        if (schema.TryGetProperty("properties", out var properties) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (value.TryGetProperty(property.Name, out var child) && child.ValueKind != JsonValueKind.Null) { errors.AddRange(Validate(property.Value, child, $"{at}.{property.Name}")); }
            }
        }
        if (schema.TryGetProperty("items", out var items) && value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) { errors.AddRange(Validate(items, item, $"{at}[{i++}]")); }
        }
        return errors;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };
}
