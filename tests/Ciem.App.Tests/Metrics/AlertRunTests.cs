using Ciem.App.Metrics;
using Ciem.App.Tests.Notify;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Storage;

namespace Ciem.App.Tests.Metrics;

public sealed class AlertRunTests : IDisposable
{
    private static readonly DateOnly Monday = new(2026, 3, 2);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static IdentityMeasure Id(string name, bool admin = false, int regrown = 0) =>
        new("aws", "111111111111", $"arn:aws:iam::111111111111:role/{name}", name, "service", "prod", "team@example.com", admin, false, false,
            100, 10, 85, 5, 0, 0, regrown, null, []);

    internal static Measurement Day(DateOnly day, params IdentityMeasure[] ids) =>
        new(day, new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), 90, "sweep", [], [.. ids]);

    private ICiemStore Store() => SqliteStore.Open(_temp.Sub("ciem.db"));

    private Task<AlertRunResult> Run(ICiemStore store, AlertConfig config, DateTimeOffset now, HttpClient http) =>
        AlertRun.EvaluateAsync(store, config, IacDeclarations.None, now, _temp.Sub("state"), http, _ => null, TimeProvider.System);

    [Fact]
    public async Task EvaluateAsync_RegrownReduction_SentOnceBySmtpAndWebhookThenResolved()
    {
        // Given a real SMTP server, a local HTTP listener, and a store where a delivered reduction regrew
        await using var smtp = new LoopbackSmtpServer();
        using var hook = new LoopbackWebhook(200);
        using var http = new HttpClient();
        using var store = Store();
        store.RecordMeasurement(Day(Monday, Id("orders", regrown: 1)), DateTimeOffset.UnixEpoch);
        var config = new AlertConfig(
            [new AlertRule("regrowth", AlertRuleTypes.RegrownReduction, FindingSeverity.High, ["mail", "ops"])],
            [new AlertChannel("mail", "email") { To = ["security@example.test"] }, new AlertChannel("ops", "slack") { Url = hook.Url.ToString() }],
            FindingSeverity.High, new AlertSmtp("127.0.0.1", smtp.Port, "ciem@example.test", "none"));
        var t0 = new DateTimeOffset(2026, 3, 2, 13, 0, 0, TimeSpan.Zero);

        // When the rules are evaluated, evaluated again, then after the reduction is applied again
        var first = await Run(store, config, t0, http);
        var second = await Run(store, config, t0.AddHours(1), http);
        store.RecordMeasurement(Day(Monday.AddDays(1), Id("orders")), DateTimeOffset.UnixEpoch);
        var third = await Run(store, config, t0.AddDays(1), http);

        // Then the alert went once to each channel, was not sent again, and resolved; the history keeps it all
        Assert.True(first.FiresAtOrAbove(FindingSeverity.High));
        Assert.Equal([true, true], first.Deliveries.Select(d => d.Delivered).ToArray());
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("security@example.test", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Contains("regrowth", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("`orders`", mail.TextBody, StringComparison.Ordinal);
        var post = Assert.Single(hook.Requests);
        Assert.Contains("regrew", post.Body, StringComparison.Ordinal);
        Assert.Empty(second.Opened);
        Assert.Empty(second.Deliveries);
        Assert.Equal(1, second.StillOpen);
        Assert.Single(third.Resolved);
        Assert.False(third.FiresAtOrAbove(FindingSeverity.Low));
        var alert = Assert.Single(store.LoadAlerts());
        Assert.Equal(["fired", "sent", "sent", "resolved"], alert.History.Select(h => h.Kind).ToArray());
        Assert.NotNull(alert.ResolvedAt);
    }

    [Fact]
    public async Task EvaluateAsync_WebhookDown_RecordedFailedAndSentOnNextRun()
    {
        // Given a webhook that answers 500 three times (every retry of the first run), then 200
        using var hook = new LoopbackWebhook(500, 500, 500, 200);
        using var http = new HttpClient();
        using var store = Store();
        store.RecordMeasurement(Day(Monday, Id("a")), DateTimeOffset.UnixEpoch);
        store.RecordMeasurement(Day(Monday.AddDays(1), Id("a", admin: true)), DateTimeOffset.UnixEpoch);
        var config = new AlertConfig([new AlertRule("admins", AlertRuleTypes.NewAdministrator, FindingSeverity.Critical, ["ops"])],
            [new AlertChannel("ops", "webhook") { Url = hook.Url.ToString() }], FindingSeverity.High);
        var t0 = new DateTimeOffset(2026, 3, 3, 13, 0, 0, TimeSpan.Zero);

        // When evaluated twice
        var first = await Run(store, config, t0, http);
        var second = await Run(store, config, t0.AddHours(1), http);

        // Then the first run records the failure and the second delivers the kept notice (not a new alert)
        Assert.False(Assert.Single(first.Deliveries).Delivered);
        Assert.Empty(second.Opened);
        Assert.True(Assert.Single(second.Deliveries).Delivered);
        Assert.Equal(["fired", "send-failed", "sent"], Assert.Single(store.LoadAlerts()).History.Select(h => h.Kind).ToArray());
    }
}
