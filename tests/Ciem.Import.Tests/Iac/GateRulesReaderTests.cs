using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Iac;

public sealed class GateRulesReaderTests
{
    [Fact]
    public void Read_FullFile_ThresholdRulesAndExceptions()
    {
        // Given a rules file with every section
        const string yaml = """
            fail-on: medium
            rules:
              unused-grant: { enabled: false }
              sensitive-wildcard:
                severity: low
            exceptions:
              - rule: new-admin
                principal: "role/break-glass*"
                reason: reviewed by security (SEC-42)
                expires: 2027-03-31
            """;
        // When it is read
        var result = GateRulesReader.Read(yaml, "ciem-rules.yml");
        // Then every setting is kept
        Assert.Empty(result.Diagnostics);
        Assert.Equal(FindingSeverity.Medium, result.Config.FailOn);
        Assert.False(result.Config.Rules[GateRules.UnusedGrant].Enabled);
        Assert.Equal(FindingSeverity.Low, result.Config.Rules[GateRules.SensitiveWildcard].Severity);
        var e = Assert.Single(result.Config.Exceptions);
        Assert.Equal(new DateOnly(2027, 3, 31), e.Expires);
        Assert.Equal(7, e.Location.Line);
    }

    [Fact]
    public void Read_BadYaml_ErrorWithLine()
    {
        var result = GateRulesReader.Read("fail-on: high\nrules: [unclosed\n", "ciem-rules.yml");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.GateBadRules, d.Code);
        Assert.Equal("ciem-rules.yml", d.Location?.File);
        Assert.NotNull(d.Location?.Line);
    }

    [Fact]
    public void Read_BadValues_LocatedErrorsAndWarnings()
    {
        // Given a bad severity, an unknown rule and an exception without an expiry
        const string yaml = """
            fail-on: severe
            rules:
              no-such-rule: { enabled: false }
            exceptions:
              - { rule: new-admin, principal: "role/x", reason: because }
            """;
        var result = GateRulesReader.Read(yaml, "ciem-rules.yml");
        // Then each problem is reported on its line
        Assert.True(result.HasErrors);
        Assert.Equal([1L, 3L, 5L], result.Diagnostics.Select(d => d.Location!.Line!.Value));
        Assert.Empty(result.Config.Exceptions);
    }
}
