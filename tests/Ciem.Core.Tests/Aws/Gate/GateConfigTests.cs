using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Tests.Aws.Gate;

public sealed class GateConfigTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static GateFinding Finding(string rule = GateRules.NewAdmin, string principal = "role/deploy") =>
        new(rule, FindingSeverity.Critical, principal, "m", [], null);

    private static GateException Exception(string principal, DateOnly? expires) => new(GateRules.NewAdmin, principal, "break-glass", expires, new SourceLocation(File: "ciem-rules.yml", Line: 4));

    [Fact]
    public void Apply_UnexpiredException_AcceptsMatchingFinding()
    {
        var config = GateConfig.Default with { Exceptions = [Exception("role/dep*", Today.AddDays(1))] };
        var outcome = config.Apply([Finding(), Finding(principal: "role/other")], Today);
        Assert.Single(outcome.Accepted);
        Assert.Equal("role/other", Assert.Single(outcome.Findings).Principal);
        Assert.Empty(outcome.Diagnostics);
    }

    [Fact]
    public void Apply_ExpiredException_IgnoredWithWarning()
    {
        var config = GateConfig.Default with { Exceptions = [Exception("role/deploy", Today.AddDays(-1))] };
        var outcome = config.Apply([Finding()], Today);
        Assert.Single(outcome.Findings);
        var d = Assert.Single(outcome.Diagnostics);
        Assert.Equal(DiagnosticCodes.GateExpiredException, d.Code);
        Assert.Equal(4, d.Location?.Line);
    }

    [Fact]
    public void Apply_DisabledRuleAndSeverityOverride_Applied()
    {
        var config = GateConfig.Default with
        {
            Rules = new Dictionary<string, GateRuleSetting> { [GateRules.NewAdmin] = new(Enabled: false), [GateRules.SensitiveWildcard] = new(Severity: FindingSeverity.Low) }.ToImmutableDictionary(),
        };
        var outcome = config.Apply([Finding(), Finding(GateRules.SensitiveWildcard)], Today);
        var f = Assert.Single(outcome.Findings);
        Assert.Equal(FindingSeverity.Low, f.Severity);
        Assert.False(outcome.Fails(FindingSeverity.Medium));
        Assert.True(outcome.Fails(FindingSeverity.Low));
    }
}
