using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;

namespace Ciem.Storage;

/// <summary>
/// The gap metric's dated measurements (`metric_measurement`, one row per day, and `metric_identity`, one row per
/// identity and day) and the alert ledger (`alert`, `alert_event`).
/// </summary>
public abstract partial class RelationalStore
{
    private const string IdentityColumns =
        "day, provider, identity, account, name, kind, environment, owner, administrator, unused_administrator, inactive, "
        + "granted, used, unused, unknown, pending, applied, regrown, credential_days, tags";

    public void RecordMeasurement(Measurement measurement, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var day = DayText(measurement.Day);
        using var write = Writing();
        var transaction = write.Transaction;
        long baseline;
        using (var was = Command(transaction, "SELECT is_baseline FROM metric_measurement WHERE day = @d", ("@d", day)))
        {
            baseline = was.ExecuteScalar() is { } v and not DBNull ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;
        }
        // Recording a day again replaces it: its identity rows go first, then the day itself.
        using (var delete = Command(transaction, "DELETE FROM metric_identity WHERE day = @d", ("@d", day))) { delete.ExecuteNonQuery(); }
        using (var delete = Command(transaction, "DELETE FROM metric_measurement WHERE day = @d", ("@d", day)))
            { delete.ExecuteNonQuery(); }
        using (var insert = Command(transaction,
            "INSERT INTO metric_measurement (day, as_of, window_days, source, providers, recorded_at, is_baseline) VALUES "
                + "(@d, @a, @w, @s, @p, @r, @b)",
            ("@d", day), ("@a", FormatDate(measurement.AsOf)), ("@w", (long)measurement.WindowDays), ("@s", measurement.Source),
            ("@p", ToJson(measurement.Providers)), ("@r", FormatDate(recordedAt)), ("@b", measurement.IsBaseline ? 1L : baseline)))
        {
            insert.ExecuteNonQuery();
        }
        using (var rows = Writer(transaction, TableWrite.Insert("metric_identity", IdentityColumns.Split(", "))))
        {
            foreach (var i in measurement.Identities)
            {
                rows.Add(day, i.Provider, i.Identity, i.Account, i.Name, i.Kind, i.Environment, i.Owner, Flag(i.Administrator),
                    Flag(i.UnusedAdministrator),
                    Flag(i.Inactive), i.Granted, i.Used, i.Unused, i.Unknown, (long)i.Pending, (long)i.Applied, (long)i.Regrown,
                    i.OldestCredentialDays is { } c ? (long)c : null, ToJson(i.Tags.IsDefault ? [] : i.Tags));
            }
        }
        write.Commit();
    }

    public ImmutableArray<Measurement> LoadMeasurements(DateOnly? from = null, DateOnly? to = null)
    {
        using var read = Reading();
        var low = from is { } f ? DayText(f) : "0000-00-00";
        var high = to is { } t ? DayText(t) : "9999-99-99";
        var identities = new Dictionary<string, ImmutableArray<IdentityMeasure>.Builder>(StringComparer.Ordinal);
        using (var command = Command(null,
            $"SELECT {IdentityColumns} FROM metric_identity WHERE day >= @f AND day <= @t ORDER BY day, provider, identity",
            ("@f", low), ("@t", high)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var day = r.GetString(0);
                if (!identities.TryGetValue(day, out var list))
                    { identities[day] = list = ImmutableArray.CreateBuilder<IdentityMeasure>(); }
                list.Add(new IdentityMeasure(r.GetString(1), r.GetString(3), r.GetString(2), r.GetString(4), r.GetString(5),
                    r.GetString(6), Text(r, 7),
                    r.GetInt64(8) != 0, r.GetInt64(9) != 0, r.GetInt64(10) != 0, r.GetInt64(11), r.GetInt64(12),
                        r.GetInt64(13), r.GetInt64(14),
                    Int(r, 15), Int(r, 16), Int(r, 17), r.IsDBNull(18) ? null : Int(r, 18),
                        FromJson<ImmutableArray<string>>(r.GetString(19))));
            }
        }
        var result = ImmutableArray.CreateBuilder<Measurement>();
        using (var command = Command(null,
            "SELECT day, as_of, window_days, source, providers, is_baseline FROM metric_measurement WHERE day >= @f "
            + "AND day <= @t ORDER BY day",
            ("@f", low), ("@t", high)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var day = r.GetString(0);
                result.Add(new Measurement(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), ParseDate(r.GetString(1)),
                    Int(r, 2), r.GetString(3),
                    FromJson<ImmutableArray<MeasuredProvider>>(r.GetString(4)), identities.TryGetValue(day, out var list)
                        ? list.ToImmutable() : [], r.GetInt64(5) != 0));
            }
        }
        return result.ToImmutable();
    }

    public bool SetBaseline(DateOnly day)
    {
        using var write = Writing();
        using (var exists = Command(write.Transaction, "SELECT count(*) FROM metric_measurement WHERE day = @d", ("@d", DayText(day))))
        {
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0) { return false; }
        }
        using (var clear = Command(write.Transaction, "UPDATE metric_measurement SET is_baseline = 0 WHERE is_baseline <> 0"))
            { clear.ExecuteNonQuery(); }
        using (var set = Command(write.Transaction, "UPDATE metric_measurement SET is_baseline = 1 WHERE day = @d", ("@d", DayText(day))))
            { set.ExecuteNonQuery(); }
        write.Commit();
        return true;
    }

    public ImmutableArray<AlertRecord> RecordAlerts(DateTimeOffset at, AlertReconciliation reconciliation)
    {
        ArgumentNullException.ThrowIfNull(reconciliation);
        var ids = WriteAlerts(at, reconciliation).ToHashSet();
        return [.. LoadAlerts().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id)];
    }

    private List<long> WriteAlerts(DateTimeOffset at, AlertReconciliation reconciliation)
    {
        var when = FormatDate(at);
        using var write = Writing();
        var transaction = write.Transaction;
        var opened = new List<long>();
        foreach (var f in reconciliation.New)
        {
            long id;
            using (var insert = Command(transaction,
                "INSERT INTO alert (rule, alert_key, severity, message, channels, fired_at, last_seen_at, resolved_at) VALUES (@r, @k, @s, "
                    + "@m, @c, @a, @a, NULL) RETURNING id",
                ("@r", f.Rule), ("@k", f.Key), ("@s", FindingSeverities.Name(f.Severity)), ("@m", f.Message),
                    ("@c", ToJson(f.Channels)), ("@a", when)))
            {
                id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            AddAlertEvent(transaction, id, when, "fired", null, f.Message);
            opened.Add(id);
        }
        foreach (var (open, now) in reconciliation.Continuing)
        {
            using var seen = Command(transaction, "UPDATE alert SET last_seen_at = @a, message = @m WHERE id = @id", ("@a", when),
                ("@m", now.Message), ("@id", open.Id));
            seen.ExecuteNonQuery();
        }
        foreach (var gone in reconciliation.Resolved)
        {
            using (var resolve = Command(transaction, "UPDATE alert SET resolved_at = @a WHERE id = @id AND resolved_at IS NULL",
                ("@a", when), ("@id", gone.Id)))
            {
                resolve.ExecuteNonQuery();
            }
            AddAlertEvent(transaction, gone.Id, when, "resolved", null, "the condition no longer holds");
        }
        write.Commit();
        return opened;
    }

    public void RecordAlertDelivery(long alertId, DateTimeOffset at, string channel, bool delivered, string detail)
    {
        using var write = Writing();
        AddAlertEvent(write.Transaction, alertId, FormatDate(at), delivered ? "sent" : "send-failed", channel, detail);
        write.Commit();
    }

    public ImmutableArray<AlertRecord> LoadAlerts()
    {
        using var read = Reading();
        var history = new Dictionary<long, ImmutableArray<AlertEvent>.Builder>();
        using (var command = Command(null, "SELECT alert_id, at, kind, channel, detail FROM alert_event ORDER BY id"))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var id = r.GetInt64(0);
                if (!history.TryGetValue(id, out var list)) { history[id] = list = ImmutableArray.CreateBuilder<AlertEvent>(); }
                list.Add(new AlertEvent(ParseDate(r.GetString(1)), r.GetString(2), Text(r, 3), r.GetString(4)));
            }
        }
        var result = ImmutableArray.CreateBuilder<AlertRecord>();
        using (var command = Command(null,
            "SELECT id, rule, alert_key, severity, message, channels, fired_at, last_seen_at, resolved_at FROM alert ORDER "
            + "BY fired_at DESC, id DESC"))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var id = r.GetInt64(0);
                // Only this code writes the column, with FindingSeverities.Name: a value it cannot read is a store fault.
                if (!FindingSeverities.TryParse(r.GetString(3), out var severity))
                    { throw new InvalidDataException($"alert {id} has severity `{r.GetString(3)}`"); }
                result.Add(new AlertRecord(id, r.GetString(1), r.GetString(2), severity, r.GetString(4),
                    FromJson<ImmutableArray<string>>(r.GetString(5)),
                    ParseDate(r.GetString(6)), ParseDate(r.GetString(7)), Date(r, 8), history.TryGetValue(id, out var h)
                        ? h.ToImmutable() : []));
            }
        }
        return result.ToImmutable();
    }

    private void AddAlertEvent(DbTransaction transaction, long alertId, string? at, string kind, string? channel, string detail)
    {
        using var insert = Command(transaction,
            "INSERT INTO alert_event (alert_id, at, kind, channel, detail) VALUES (@id, @a, @k, @c, @d)",
            ("@id", alertId), ("@a", at), ("@k", kind), ("@c", channel), ("@d", detail));
        insert.ExecuteNonQuery();
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Flag(bool value) => value ? 1 : 0;
}
