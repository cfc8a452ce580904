using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Import.Config;

namespace Ciem.Import.Tests.Config;

public sealed class AlertRulesReaderTests
{
    private const string Valid = """
        fail-on: medium
        smtp: { host: smtp.example.com, port: 2525, from: ciem@example.com, tls: none, user: ciem, password-env: CIEM_SMTP_PASSWORD }
        channels:
          security: { type: email, to: [security@example.com] }
          ops: { type: slack, url-env: CIEM_SLACK_WEBHOOK }
          folder: { type: outbox, folder: alerts-out }
        rules:
          - { id: gap-weekly, type: gap-growth, percent: 10, permissions: 500, period-days: 7, by: provider, severity: high, channels: [security, ops] }
          - { id: admins, type: new-admin, severity: critical, channels: [ops] }
          - { id: keys, type: credential-age, days: 90, severity: medium, channels: [folder], providers: [aws] }
          - { id: iac, type: new-admin-outside-iac, iac-repo: infra/terraform, iac-tags: [managed-by=terraform], severity: high, channels: [] }
        """;

    [Fact]
    public void Read_ValidFile_EveryFieldRead()
    {
        // Given a file that uses every section
        // When it is read
        var result = AlertRulesReader.Read(Valid, "alerts.yml");

        // Then there is no diagnostic and every value is kept
        Assert.Empty(result.Diagnostics);
        var c = result.Config;
        Assert.Equal(FindingSeverity.Medium, c.FailOn);
        Assert.Equal(new AlertSmtp("smtp.example.com", 2525, "ciem@example.com", "none", "ciem", "CIEM_SMTP_PASSWORD"), c.Smtp);
        Assert.Equal(["security", "ops", "folder"], c.Channels.Select(x => x.Name).ToArray());
        Assert.Equal("CIEM_SLACK_WEBHOOK", c.Channels[1].UrlVariable);
        var gap = c.Rules[0];
        Assert.Equal((AlertRuleTypes.GapGrowth, 10.0, 500L, 7, TrendDimension.Provider, FindingSeverity.High),
            (gap.Type, gap.Percent!.Value, gap.Permissions!.Value, gap.PeriodDays, gap.By, gap.Severity));
        Assert.Equal(["security", "ops"], gap.Channels.ToArray());
        Assert.Equal(90, c.Rules[2].Days);
        Assert.Equal(["aws"], c.Rules[2].Providers.ToArray());
        Assert.Equal("infra/terraform", c.Rules[3].IacRepository);
    }

    [Theory]
    [InlineData("rules:\n  - { id: a, type: gap-grow, severity: high }\n", 2, "unknown type `gap-grow`")]
    [InlineData("rules:\n  - { id: a, type: gap-growth, severity: high }\n", 2, "needs `percent` or `permissions`")]
    [InlineData("rules:\n  - { id: a, type: new-admin, severity: urgent }\n", 2, "unknown severity `urgent`")]
    [InlineData("rules:\n  - { id: a, type: new-admin, severity: high, channels: [nowhere] }\n", 2, "channel `nowhere` is not defined")]
    [InlineData("rules:\n  - { id: a, type: new-admin, severity: high }\n  - { id: a, type: new-admin, severity: low }\n", 3, "rule id `a` is used twice")]
    [InlineData("rules:\n  - { id: a, type: credential-age, days: 0, severity: high }\n", 2, "`rule `a`.days` must be a whole number from 1")]
    [InlineData("rules:\n  - { id: a, type: new-admin, percent: 5, severity: high }\n", 2, "`percent` does not apply to type `new-admin`")]
    [InlineData("channels:\n  m: { type: email, to: [a@example.com] }\nrules:\n  - { id: a, type: new-admin, severity: high, channels: [m] }\n", 4, "no `smtp` section")]
    [InlineData("channels:\n  h: { type: slack, url: 'ftp://x' }\nrules: []\n", 2, "absolute http or https")]
    [InlineData("smtp: { host: h, from: a@b.c, password: hunter2 }\nrules: []\n", 1, "is not read from the file")]
    [InlineData("rules:\n  - { id: a, type: new-admin, severity: high\n", 3, "not valid yaml")]
    [InlineData("- just\n- a list\n", 1, "must be a mapping")]
    [InlineData("fail-on: high\n", 1, "no `rules`")]
    [InlineData("rules: []\nextra: 1\n", 2, "unknown key `extra`")]
    public void Read_BadFile_LocatedErrorAndNoRules(string yaml, int line, string message)
    {
        // Given a rules file with one mistake
        // When it is read
        var result = AlertRulesReader.Read(yaml, "alerts.yml");

        // Then an error names the file, the line and the mistake, and no rule is kept
        Assert.True(result.HasErrors);
        var error = result.Diagnostics.First(d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("CIEM6810", error.Code);
        Assert.Equal("alerts.yml", error.Location!.File);
        Assert.Equal(line, error.Location.Line);
        Assert.Empty(result.Config.Rules);
    }
}
