using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App.Reports;
using Ciem.Core.Gate;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

/// <summary>
/// Issue #19: `check --format ocsf|asff` validated against JSON Schemas written from the published specifications
/// (Schemas/*.schema.json: every attribute we emit, unknown attributes refused), at the edges of ASFF's limits.
/// </summary>
public sealed class FindingExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CheckReport Report(params GateFinding[] findings) =>
        new([], new GateOutcome([.. findings], [], []), FindingSeverity.High, 1);

    private static readonly GateFinding Admin = new("new-admin", FindingSeverity.Critical, "arn:aws:iam::111111111111:role/ci-deployer",
        "`arn:aws:iam::111111111111:role/ci-deployer` becomes administrative", ["iam:*"], null);

    private static readonly GateFinding Azure = new("broad-scope", FindingSeverity.Medium, "c1de9107-0000-4000-8000-000000000003",
        "a role assignment at a management group", [], null);

    private static JsonElement AsffFinding(GateFinding f)
    {
        var (json, _) = FindingExport.Asff(Report(f), Now, "eu-west-1", "111111111111");
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(FindingSchemas.Validate(FindingSchemas.Asff, doc.RootElement));
        return Assert.Single(doc.RootElement.GetProperty("Findings").EnumerateArray()).Clone();
    }

    private static JsonElement OcsfEvent(GateFinding f)
    {
        using var doc = JsonDocument.Parse(FindingExport.Ocsf(Report(f), Now, "0.1.0"));
        Assert.Empty(FindingSchemas.Validate(FindingSchemas.Ocsf, doc.RootElement));
        return Assert.Single(doc.RootElement.EnumerateArray()).Clone();
    }

    [Fact]
    public void Asff_AwsFinding_ValidAgainstSchema()
    {
        // Given an AWS finding and an Azure one
        // When exported as ASFF
        var (json, leftOut) = FindingExport.Asff(Report(Admin, Azure), Now, "eu-west-1", "111111111111");

        // Then the AWS one validates, its account is the principal's, and the Azure one is counted as left out
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(FindingSchemas.Validate(FindingSchemas.Asff, doc.RootElement));
        var finding = Assert.Single(doc.RootElement.GetProperty("Findings").EnumerateArray());
        Assert.Equal("111111111111", finding.GetProperty("AwsAccountId").GetString());
        Assert.Equal("CRITICAL", finding.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("2026-11-28T12:00:00.000Z", finding.GetProperty("CreatedAt").GetString());
        Assert.Equal("Software and Configuration Checks/AWS Security Best Practices/new-admin",
            finding.GetProperty("Types")[0].GetString());
        var resource = Assert.Single(finding.GetProperty("Resources").EnumerateArray());
        Assert.Equal("AwsIamRole", resource.GetProperty("Type").GetString());
        Assert.Equal("aws", resource.GetProperty("Partition").GetString());
        Assert.Equal("ACTIVE", finding.GetProperty("RecordState").GetString());
        Assert.Equal("iam:*", finding.GetProperty("ProductFields").GetProperty("openciem/evidence").GetString());
        Assert.Equal(1, leftOut);
    }

    [Fact]
    public void Ocsf_EveryFinding_ValidAgainstSchema()
    {
        var json = FindingExport.Ocsf(Report(Admin, Azure), Now, "0.1.0");
        using var doc = JsonDocument.Parse(json);
        Assert.Empty(FindingSchemas.Validate(FindingSchemas.Ocsf, doc.RootElement));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        var admin = doc.RootElement[0];
        Assert.Equal(5, admin.GetProperty("severity_id").GetInt32());
        Assert.Equal("Critical", admin.GetProperty("severity").GetString());
        Assert.Equal("Detection Finding: Create", admin.GetProperty("type_name").GetString());
        Assert.Equal(3, admin.GetProperty("confidence_id").GetInt32());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), admin.GetProperty("time").GetInt64());
        Assert.Equal("Medium", doc.RootElement[1].GetProperty("severity").GetString());
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
    public void Asff_300CharacterIdentityName_TitleCutToLimitWithMarker()
    {
        // Given a role whose ARN is 300+ characters
        var name = new string('r', 300);
        var arn = $"arn:aws:iam::111111111111:role/{name}";
        var f = Admin with { Principal = arn, Message = $"`{arn}` becomes administrative" };

        // When exported
        var asff = AsffFinding(f);
        var ocsf = OcsfEvent(f);

        // Then the Title is exactly at ASFF's limit and ends with the marker; the resource keeps the whole ARN; OCSF has no limit
        var title = asff.GetProperty("Title").GetString()!;
        Assert.Equal(FindingExport.AsffTitleMax, title.Length);
        Assert.StartsWith("new-admin: arn:aws:iam::111111111111:role/rrr", title, StringComparison.Ordinal);
        Assert.EndsWith("r…", title, StringComparison.Ordinal);
        Assert.Equal(arn, asff.GetProperty("Resources")[0].GetProperty("Id").GetString());
        Assert.Equal($"new-admin: {arn}", ocsf.GetProperty("finding_info").GetProperty("title").GetString());
    }

    [Fact]
    public void Asff_LongDescription_CutSayingHowLongTheWholeWas()
    {
        var f = Admin with { Message = new string('m', 5000) };
        var description = AsffFinding(f).GetProperty("Description").GetString()!;
        Assert.Equal(FindingExport.AsffDescriptionMax, description.Length);
        Assert.EndsWith(" … (cut: 5000 characters in all)", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Asff_UnicodeAndControlCharacters_UnicodeKeptControlsReplacedNoHalfSurrogate()
    {
        // Given a name with accents, CJK and emoji, a terminal escape and a line break, and an emoji where the Title is cut
        var principal = "arn:aws:iam::111111111111:role/Zoë-データ-🚀";
        var message = "line one\nline two \u001b[31mred\u001b[0m 🚀";
        // ("new-admin: " and the ARN's prefix are 42 characters; 212 x's put the first emoji's high surrogate at index 254)
        var padded = "arn:aws:iam::111111111111:role/" + new string('x', 212) + "🚀🚀";
        var f = Admin with { Principal = principal, Message = message };

        // When exported
        var asff = AsffFinding(f);
        var ocsf = OcsfEvent(f);
        var cut = AsffFinding(Admin with { Principal = padded }).GetProperty("Title").GetString()!;

        // Then unicode survives, control characters are visible replacements (none raw), and no surrogate is split
        Assert.Equal("new-admin: " + principal, asff.GetProperty("Title").GetString());
        Assert.Equal("line one line two \uFFFD[31mred\uFFFD[0m 🚀", asff.GetProperty("Description").GetString());
        Assert.Equal("line one\nline two \uFFFD[31mred\uFFFD[0m 🚀", ocsf.GetProperty("message").GetString());
        Assert.Equal(FindingExport.AsffTitleMax - 1, cut.Length);
        Assert.EndsWith("x…", cut, StringComparison.Ordinal);
        Assert.DoesNotContain(cut, c => char.IsSurrogate(c));
    }

    [Fact]
    public void Asff_FortyResources_ClampedTo32AndLeftOutCounted()
    {
        // Given a finding whose evidence names 39 other roles (40 resources with its principal) and an action
        ImmutableArray<string> evidence =
            [.. Enumerable.Range(1, 39).Select(i => $"arn:aws:iam::222222222222:role/r{i}"), "sts:AssumeRole"];
        var f = Admin with { Evidence = evidence };

        // When exported as ASFF
        var asff = AsffFinding(f);

        // Then 32 resources (the principal first), and the 8 left out are counted where ASFF keeps product fields
        var resources = asff.GetProperty("Resources");
        Assert.Equal(FindingExport.AsffResourcesMax, resources.GetArrayLength());
        Assert.Equal(Admin.Principal, resources[0].GetProperty("Id").GetString());
        Assert.Equal("arn:aws:iam::222222222222:role/r31", resources[31].GetProperty("Id").GetString());
        Assert.Equal("8", asff.GetProperty("ProductFields").GetProperty(FindingExport.ResourcesLeftOutField).GetString());

        // And one under the limit says nothing is left out
        var under = AsffFinding(Admin with { Evidence = [.. evidence.Take(31)] });
        Assert.Equal(32, under.GetProperty("Resources").GetArrayLength());
        Assert.False(under.GetProperty("ProductFields").TryGetProperty(FindingExport.ResourcesLeftOutField, out _));
    }

    [Fact]
    public void Export_IndeterminateFinding_SaidInBothFormats()
    {
        var f = Admin with { RuleId = GateRules.IndeterminateChange, Severity = FindingSeverity.Medium, Indeterminate = true };
        var asff = AsffFinding(f);
        var ocsf = OcsfEvent(f);
        Assert.StartsWith("Indeterminate: ", asff.GetProperty("Description").GetString(), StringComparison.Ordinal);
        Assert.Equal("true", asff.GetProperty("ProductFields").GetProperty("openciem/indeterminate").GetString());
        Assert.Equal(1, ocsf.GetProperty("confidence_id").GetInt32());
        Assert.Equal("Low", ocsf.GetProperty("confidence").GetString());
        Assert.False(AsffFinding(Admin).GetProperty("ProductFields").TryGetProperty("openciem/indeterminate", out _));
    }

    [Fact]
    public void Asff_RuleIdWithSlash_TypesStaysThreePartsAndValid()
    {
        var types = AsffFinding(Admin with { RuleId = "custom/rule" }).GetProperty("Types")[0].GetString();
        Assert.Equal("Software and Configuration Checks/AWS Security Best Practices/custom-rule", types);
    }

    /// <summary>One change to a valid export; the schema names the location it refuses.</summary>
    public static TheoryData<string, string, string> AsffNearMisses => new()
    {
        { "wrong Severity.Label", """{"op":"set","path":"Severity.Label","value":"SEVERE"}""", "/Findings/0/Severity/Label" },
        { "Title of 257", """{"op":"set","path":"Title","value":"LONG257"}""", "/Findings/0/Title" },
        { "unknown attribute", """{"op":"set","path":"Titel","value":"misspelt"}""", "/Findings/0/Titel" },
        { "unknown resource attribute", """{"op":"set","path":"Resources.0.Arn","value":"x"}""", "/Findings/0/Resources/0/Arn" },
        { "Types namespace", """{"op":"set","path":"Types.0","value":"Misconfigurations/IAM"}""", "/Findings/0/Types/0" },
        { "RecordState", """{"op":"set","path":"RecordState","value":"OPEN"}""", "/Findings/0/RecordState" },
        { "timestamp", """{"op":"set","path":"UpdatedAt","value":"28/11/2026 12:00"}""", "/Findings/0/UpdatedAt" },
        { "blank Description", """{"op":"set","path":"Description","value":"   "}""", "/Findings/0/Description" },
        { "raw control character", """{"op":"set","path":"Title","value":"a\u001bb"}""", "/Findings/0/Title" },
        { "33 resources", """{"op":"set","path":"Resources","value":"RESOURCES33"}""", "/Findings/0/Resources" },
        { "missing AwsAccountId", """{"op":"remove","path":"AwsAccountId"}""", "/Findings/0" },
    };

    [Theory]
    [MemberData(nameof(AsffNearMisses))]
    public void AsffSchema_NearMiss_Rejected(string why, string change, string location)
    {
        var (json, _) = FindingExport.Asff(Report(Admin), Now, "eu-west-1", "111111111111");
        var doc = JsonNode.Parse(json)!;
        Apply(doc["Findings"]![0]!, JsonNode.Parse(change)!);
        var errors = FindingSchemas.Validate(FindingSchemas.Asff, JsonDocument.Parse(doc.ToJsonString()).RootElement);
        Assert.True(errors.Any(e => e.StartsWith(location + ":", StringComparison.Ordinal)), $"{why}: {string.Join("; ", errors)}");
    }

    public static TheoryData<string, string, string> OcsfNearMisses => new()
    {
        { "severity_id out of enum", """{"op":"set","path":"severity_id","value":7}""", "/0/severity_id" },
        { "severity caption of another id", """{"op":"set","path":"severity","value":"critical"}""", "/0/severity" },
        { "type_uid not class*100+activity", """{"op":"set","path":"type_uid","value":200402}""", "/0/type_uid" },
        { "unknown attribute", """{"op":"set","path":"severity_name","value":"Critical"}""", "/0/severity_name" },
        { "unknown finding_info attribute", """{"op":"set","path":"finding_info.name","value":"x"}""", "/0/finding_info/name" },
        { "wrong OCSF version", """{"op":"set","path":"metadata.version","value":"1.1.0"}""", "/0/metadata/version" },
        { "time as text", """{"op":"set","path":"time","value":"2026-11-28"}""", "/0/time" },
        { "missing finding_info.uid", """{"op":"remove","path":"finding_info.uid"}""", "/0/finding_info" },
    };

    [Theory]
    [MemberData(nameof(OcsfNearMisses))]
    public void OcsfSchema_NearMiss_Rejected(string why, string change, string location)
    {
        var doc = JsonNode.Parse(FindingExport.Ocsf(Report(Admin), Now, "0.1.0"))!;
        Apply(doc[0]!, JsonNode.Parse(change)!);
        var errors = FindingSchemas.Validate(FindingSchemas.Ocsf, JsonDocument.Parse(doc.ToJsonString()).RootElement);
        Assert.True(errors.Any(e => e.StartsWith(location + ":", StringComparison.Ordinal)), $"{why}: {string.Join("; ", errors)}");
    }

    /// <summary>Sets or removes one dotted path (`Resources.0.Arn`); LONG257 and RESOURCES33 stand for values too long to write.</summary>
    private static void Apply(JsonNode target, JsonNode change)
    {
        var steps = ((string)change["path"]!).Split('.');
        var parent = steps[..^1].Aggregate(target, (n, s) => int.TryParse(s, out var i) ? n[i]! : n[s]!);
        var last = steps[^1];
        if ((string)change["op"]! == "remove") { parent.AsObject().Remove(last); return; }
        var value = change["value"]!.DeepClone();
        if (value.GetValueKind() == JsonValueKind.String && (string)value! == "LONG257") { value = new string('t', 257); }
        if (value.GetValueKind() == JsonValueKind.String && (string)value! == "RESOURCES33")
        {
            value = new JsonArray(
                [.. Enumerable.Range(0, 33).Select(i => (JsonNode)new JsonObject { ["Type"] = "AwsIamRole", ["Id"] = $"r{i}" })]);
        }
        if (int.TryParse(last, out var index)) { parent[index] = value; } else { parent[last] = value; }
    }
}
