using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Import.Config;

namespace Ciem.Import.Tests.Config;

public sealed class CiemConfigReaderTests
{
    private static Identity Role(string name, string account = "222222222222", params (string Key, string Value)[] tags) =>
        new("aws", $"arn:aws:iam::{account}:role/{name}", name, IdentityKind.Role, account, [.. tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value))], null, null);

    [Fact]
    public void Read_NamesAndTags_ExcludeWithTheConfiguredReason()
    {
        // Given a ciem.yml with a name glob, an account-pinned name and a tag with a value
        const string yaml = """
        gate: { ignored: true }
        exclusions:
          names:
            - emergency-*
            - { name: "111111111111/ops-root", reason: "security team's break-glass" }
          tags:
            - { key: tier, value: protected, reason: "protected by policy" }
        """;

        // When read
        var result = CiemConfigReader.Read(yaml, "ciem.yml");

        // Then the matching identities are excluded with their reason, and near misses are not
        Assert.Empty(result.Diagnostics);
        var x = result.Exclusions;
        Assert.Contains("configured in ciem.yml", x.ReasonFor(Role("emergency-admin")), StringComparison.Ordinal);
        Assert.Contains("security team's break-glass", x.ReasonFor(Role("ops-root", "111111111111")), StringComparison.Ordinal);
        Assert.Null(x.ReasonFor(Role("ops-root", "222222222222")));
        Assert.Contains("protected by policy", x.ReasonFor(Role("db", tags: ("Tier", "Protected"))), StringComparison.Ordinal);
        Assert.Null(x.ReasonFor(Role("db", tags: ("tier", "standard"))));
        Assert.NotNull(x.ReasonFor(Role("OrganizationAccountAccessRole")));
        Assert.Null(x.ReasonFor(Role("OrganizationAccountAccessRoleCopy")));
    }

    [Fact]
    public void Read_TypoInAKey_LocatedErrorWithSuggestion()
    {
        // Given `nmaes` instead of `names` on line 2 and `resaon` on line 4
        const string yaml = "exclusions:\n  nmaes:\n    - admin\n  tags: [{ key: x, resaon: y }]\n";

        // When read
        var result = CiemConfigReader.Read(yaml, "ciem.yml");

        // Then both are errors located by line, each naming the key it probably meant
        Assert.True(result.HasErrors);
        var names = result.Diagnostics.Single(d => d.Message.Contains("`nmaes`", StringComparison.Ordinal));
        Assert.Equal((DiagnosticCodes.ConfigUnknownKey, "ciem.yml", (long?)2), (names.Code, names.Location!.File, names.Location.Line));
        Assert.Contains("did you mean `names`", names.Message, StringComparison.Ordinal);
        var reason = result.Diagnostics.Single(d => d.Message.Contains("`resaon`", StringComparison.Ordinal));
        Assert.Equal(4L, reason.Location!.Line);
        Assert.Contains("did you mean `reason`", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DefaultsOff_BuiltInBreakGlassNoLongerExcluded()
    {
        var result = CiemConfigReader.Read("exclusions:\n  defaults: false\n", "ciem.yml");
        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Exclusions.ReasonFor(Role("OrganizationAccountAccessRole")));
        Assert.Null(result.Exclusions.ReasonFor(Role("x", tags: ("break-glass", "true"))));
    }

    [Fact]
    public void Read_BadYamlAndBadValues_ErrorsNotExceptions()
    {
        Assert.Equal(DiagnosticCodes.ConfigNotYaml, Assert.Single(CiemConfigReader.Read("exclusions: [", "c.yml").Diagnostics).Code);
        var bad = CiemConfigReader.Read("exclusions:\n  defaults: maybe\n  names: admin\n", "c.yml");
        Assert.Equal(2, bad.Diagnostics.Count(d => d.Code == DiagnosticCodes.ConfigBadValue));
    }
}
