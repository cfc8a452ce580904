using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.Core.Diagnostics;

namespace Ciem.App.Tests.Review;

public sealed class ReviewConfigReaderTests
{
    [Fact]
    public void Read_FullConfig_EverySetting()
    {
        // Given a config using every section
        const string Yaml = """
            name: Q4 review
            batch-size: 10
            notice-days: 3
            objection-days: 5
            four-eyes: true
            programme-admin: governance@example.test
            stages:
              - name: gcp-dev
                select: { provider: gcp, environment: [dev, preprod], tag: "tier=batch" }
              - name: rest
                select: { kind: [service, human] }
            exclusions:
              - identity: arn:aws:iam::111111111111:role/break-glass
                reason: emergency access
                until: 2027-03-31
            owners:
              tag-keys: [owner, squad]
              fallback: { "111111111111": platform@example.test }
              managers: { "user/carol": dave@example.test }
            notify:
              smtp: { host: smtp.example.test, port: 587, from: ciem@example.test, tls: starttls, user: ciem, password-env: CIEM_SMTP_PASSWORD }
              webhooks:
                - { name: chat, url: "https://hooks.example.test/T0/B0/x", format: slack }
              retry: { attempts: 3, first-delay-seconds: 1 }
            """;

        // When read
        var result = ReviewConfigReader.Read(Yaml, "ciem-review.yml");

        // Then every value is taken
        Assert.Empty(result.Diagnostics);
        var s = result.Settings;
        Assert.Equal(("Q4 review", 10, 3, 5, true), (s.Config.Name, s.Config.BatchSize, s.Config.NoticeDays, s.Config.ObjectionDays, s.Config.FourEyes));
        Assert.Equal(["gcp-dev", "rest"], s.Config.Stages.Select(st => st.Name));
        Assert.Equal(["dev", "preprod"], s.Config.Stages[0].Select.Environments.ToArray());
        Assert.Equal(new DateTimeOffset(2027, 3, 31, 0, 0, 0, TimeSpan.Zero), Assert.Single(s.Config.Exclusions).Until);
        Assert.Equal("platform@example.test", s.Config.FallbackOwners["111111111111"]);
        Assert.Equal("dave@example.test", s.Managers["user/carol"]);
        Assert.Equal((SmtpTls.StartTls, "CIEM_SMTP_PASSWORD"), (s.Notify.Smtp!.Tls, s.Notify.Smtp.PasswordVariable));
        Assert.Equal(WebhookFormat.Slack, Assert.Single(s.Notify.Webhooks).Format);
    }

    [Theory]
    [InlineData("batch-sise: 5\n", DiagnosticCodes.ReviewConfigUnknownKey, 1, "unknown key `batch-sise` in the review config (did you mean `batch-size`?)")]
    [InlineData("objection-days: -7\n", DiagnosticCodes.ReviewConfigBadValue, 1, "`objection-days` must be a whole number from 1 up, not `-7`")]
    [InlineData("stages:\n  - name: a\n    select: { provder: aws }\n", DiagnosticCodes.ReviewConfigUnknownKey, 3, "unknown key `provder` in `stages.select` (did you mean `provider`?)")]
    [InlineData("stages:\n  - name: a\n    select: { kind: robot }\n", DiagnosticCodes.ReviewConfigBadSelector, 3, "`stages.select.kind` has `robot`; use one of service, human")]
    [InlineData("stages:\n  - name: a\n    select: { min-confidence: 2 }\n", DiagnosticCodes.ReviewConfigBadSelector, 3, "`stages.select.min-confidence` must be a number from 0 to 1, not `2`")]
    [InlineData("exclusions:\n  - identity: x\n", DiagnosticCodes.ReviewConfigBadValue, 2, "an exclusion needs a `reason`")]
    [InlineData("notify:\n  webhooks:\n    - { name: a, url: 'ftp://secret-token' }\n", DiagnosticCodes.ReviewConfigBadValue, 3, "`notify.webhooks.url` must be an http(s) URL")]
    [InlineData("name: [\n", DiagnosticCodes.ReviewConfigNotYaml, 2, null)]
    public void Read_BadConfig_LocatedErrorAndDefaults(string yaml, string code, int line, string? message)
    {
        // When a config with one mistake is read
        var result = ReviewConfigReader.Read(yaml, "ciem-review.yml");

        // Then one error names the code, file and line (and the exact message), and the defaults stand
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(code, error.Code);
        Assert.Equal(("ciem-review.yml", (long?)line), (error.Location!.File, error.Location.Line));
        if (message is not null) { Assert.StartsWith(message, error.Message, StringComparison.Ordinal); }
        Assert.DoesNotContain("secret-token", error.Message, StringComparison.Ordinal);
        Assert.Same(ReviewSettings.Default, result.Settings);
    }
}
