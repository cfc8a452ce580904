using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>The gap metric's measurements and the alert ledger.</summary>
public abstract partial class CiemStoreContractTests
{
    private static readonly DateTimeOffset MetricsDay = new(2026, 3, 2, 18, 0, 0, TimeSpan.Zero);

    private static IdentityMeasure Measured(string id, long granted, long used, bool admin = false, string? owner = null, int? credentialDays = null) =>
        new("aws", "111111111111", $"arn:aws:iam::111111111111:role/{id}", id, "service", "prod", owner, admin, admin && used == 0, used == 0,
            granted, used, granted - used - 2, 2, 1, 0, 0, credentialDays, ["team=payments"]);

    private static Measurement Measurement(DateTimeOffset asOf, params IdentityMeasure[] identities) =>
        new(DateOnly.FromDateTime(asOf.UtcDateTime), asOf, 90, "sweep", [new MeasuredProvider("aws", 1, identities.Length, 60, 12345)], [.. identities]);

    [StoreFact]
    public void RecordMeasurement_SameDayTwice_ReplacesNeverAdds()
    {
        // Given a day measured with two identities, then measured again later the same day with one
        using (var store = OpenStore())
        {
            store.RecordMeasurement(Measurement(MetricsDay, Measured("orders", 120, 8, admin: true, owner: "ana@example.com", credentialDays: 400),
                Measured("refunds", 40, 0)), MetricsDay);
            store.RecordMeasurement(Measurement(MetricsDay.AddHours(2), Measured("orders", 100, 10)), MetricsDay.AddHours(2));
        }

        // When the measurements are read through a fresh connection
        using var reopened = OpenStore();
        var loaded = reopened.LoadMeasurements();

        // Then there is one for the day, holding only the second recording, with every field round-tripped
        var m = Assert.Single(loaded);
        Assert.Equal(new DateOnly(2026, 3, 2), m.Day);
        Assert.Equal(MetricsDay.AddHours(2).ToUniversalTime(), m.AsOf.ToUniversalTime());
        var only = Assert.Single(m.Identities);
        Assert.Equal(Measured("orders", 100, 10) with { Tags = only.Tags }, only);
        Assert.Equal(["team=payments"], only.Tags.ToArray());
        Assert.Equal(new MeasuredProvider("aws", 1, 1, 60, 12345), Assert.Single(m.Providers));
        Assert.Equal(100, m.Totals.Granted);
    }

    [StoreFact]
    public void RecordMeasurement_NullableFields_RoundTrip()
    {
        // Given an identity with an owner and a credential age, and one with neither
        using var store = OpenStore();
        store.RecordMeasurement(Measurement(MetricsDay, Measured("a", 10, 1, owner: "ana@example.com", credentialDays: 400), Measured("b", 10, 0)), MetricsDay);

        // When read back
        var ids = store.LoadMeasurements().Single().Identities;

        // Then both keep exactly what was written
        Assert.Equal("ana@example.com", ids[0].Owner);
        Assert.Equal(400, ids[0].OldestCredentialDays);
        Assert.Null(ids[1].Owner);
        Assert.Null(ids[1].OldestCredentialDays);
        Assert.True(ids[1].Inactive);
    }

    [StoreFact]
    public void LoadMeasurements_Range_InclusiveBothEnds()
    {
        // Given three days measured
        using var store = OpenStore();
        foreach (var d in new[] { 0, 7, 14 }) { store.RecordMeasurement(Measurement(MetricsDay.AddDays(d), Measured("orders", 100 - d, 5)), MetricsDay); }

        // When a range covering the last two is read
        var loaded = store.LoadMeasurements(new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 16));

        // Then exactly those, oldest first
        Assert.Equal([new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 16)], loaded.Select(m => m.Day).ToArray());
    }

    [StoreFact]
    public void SetBaseline_ChosenDay_OnlyThatOneAndKeptWhenReRecorded()
    {
        // Given two days measured
        using var store = OpenStore();
        store.RecordMeasurement(Measurement(MetricsDay, Measured("orders", 100, 5)), MetricsDay);
        store.RecordMeasurement(Measurement(MetricsDay.AddDays(7), Measured("orders", 90, 5)), MetricsDay);

        // When the second is chosen, then the first, then the first is measured again, and a missing day is asked for
        Assert.True(store.SetBaseline(new DateOnly(2026, 3, 9)));
        Assert.True(store.SetBaseline(new DateOnly(2026, 3, 2)));
        store.RecordMeasurement(Measurement(MetricsDay.AddHours(1), Measured("orders", 99, 5)), MetricsDay);
        var missing = store.SetBaseline(new DateOnly(2026, 1, 1));

        // Then only the first is the baseline, still after being measured again, and the missing day changed nothing
        Assert.False(missing);
        Assert.Equal([true, false], store.LoadMeasurements().Select(m => m.IsBaseline).ToArray());
    }

    [StoreFact]
    public void RecordAlerts_FireContinueResolve_HistoryKept()
    {
        // Given an alert that fires
        using var store = OpenStore();
        var firing = new FiringAlert("admins", "aws:arn:aws:iam::111111111111:role/x", FindingSeverity.High, "`x` is an administrator", ["ops"]);
        var opened = store.RecordAlerts(MetricsDay, AlertEvaluator.Reconcile([], [firing], ["admins"]));
        var alert = Assert.Single(opened);
        store.RecordAlertDelivery(alert.Id, MetricsDay, "ops", delivered: true, "smtp 250");

        // When it fires again a day later, then clears two days later
        var open = store.LoadAlerts().Where(a => a.IsOpen).Select(a => new OpenAlert(a.Id, a.Rule, a.Key)).ToList();
        var again = AlertEvaluator.Reconcile(open, [firing], ["admins"]);
        Assert.Empty(store.RecordAlerts(MetricsDay.AddDays(1), again));
        store.RecordAlerts(MetricsDay.AddDays(2), AlertEvaluator.Reconcile(open, [], ["admins"]));

        // Then there is one alert, seen on the second day, resolved on the third, with its whole history
        using var reopened = OpenStore();
        var stored = Assert.Single(reopened.LoadAlerts());
        Assert.Equal(alert.Id, stored.Id);
        Assert.Equal(FindingSeverity.High, stored.Severity);
        Assert.Equal(["ops"], stored.Channels.ToArray());
        Assert.Equal(MetricsDay.AddDays(1).ToUniversalTime(), stored.LastSeenAt.ToUniversalTime());
        Assert.Equal(MetricsDay.AddDays(2).ToUniversalTime(), stored.ResolvedAt!.Value.ToUniversalTime());
        Assert.Equal(["fired", "sent", "resolved"], stored.History.Select(h => h.Kind).ToArray());
        Assert.Equal("ops", stored.History[1].Channel);
    }
}
