using System.Collections.Immutable;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.LeastPrivilege;

namespace Ciem.Storage;

/// <summary>
/// Delivered reductions (`reduction`, migration 6) and the AWS inventory as one past account snapshot saw it, so
/// `ciem reductions` can follow each removed permission through the imports that came after the delivery.
/// </summary>
public abstract partial class RelationalStore
{
    private const string ReductionColumns =
        "provider, identity, scope, name, removed, granted_before, granted_after, delivered_at, delivered_at_ms, channel, location, "
            + "revision, files, pull_request, content_hash";

    public int RecordReductions(IEnumerable<DeliveredReduction> reductions)
    {
        ArgumentNullException.ThrowIfNull(reductions);
        using var write = Writing();
        var transaction = write.Transaction;
        var added = 0;
        var sql = $"INSERT INTO reduction ({ReductionColumns}) VALUES "
            + $"({string.Join(", ", ReductionColumns.Split(", ").Select((_, i) => $"@p{i}"))}) ON CONFLICT DO NOTHING";
        foreach (var r in reductions)
        {
            // The same reduction delivered again to the same place is one record: the first delivery time is kept.
            var hash = Hash(new { r.Removed, r.GrantedAfter, r.Revision, r.Files });
            object?[] values = [r.Provider, r.Identity, r.Scope, r.Name, ToJson(r.Removed), r.GrantedBefore, r.GrantedAfter,
                FormatDate(r.DeliveredAt), r.DeliveredAt.ToUnixTimeMilliseconds(), r.Channel, r.Location, r.Revision, ToJson(r.Files),
                    r.PullRequest, hash];
            using var insert = Command(transaction, sql, [.. values.Select((v, i) => ($"@p{i}", v))]);
            added += insert.ExecuteNonQuery();
        }
        write.Commit();
        return added;
    }

    public ImmutableArray<DeliveredReduction> LoadReductions()
    {
        using var command = Command(null, $"SELECT id, {ReductionColumns} FROM reduction ORDER BY delivered_at_ms, id");
        using var r = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<DeliveredReduction>();
        while (r.Read())
        {
            result.Add(new DeliveredReduction(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                FromJson<ImmutableArray<string>>(r.GetString(5)), Int(r, 6), Int(r, 7), ParseDate(r.GetString(8)),
                r.GetString(10), r.GetString(11), Text(r, 12), FromJson<ImmutableArray<string>>(r.GetString(13)), Text(r, 14)));
        }
        return result.ToImmutable();
    }

    public AwsInventory LoadAwsInventoryAt(long accountSnapshotId)
    {
        using var read = Reading();
        var snapshots = ListSnapshots().Where(s => s.Provider == Aws).ToList();
        var account = snapshots.SingleOrDefault(s => s.Id == accountSnapshotId && s.Kind == SnapshotKinds.Account)
            ?? throw new ArgumentException($"no AWS account snapshot {accountSnapshotId}", nameof(accountSnapshotId));
        // The organization as it was then: the latest one taken no later than the account, else the oldest known.
        var orgs = snapshots.Where(s => s.Kind == SnapshotKinds.Organization).ToList();
        var org = orgs.LastOrDefault(s => s.TakenAt <= account.TakenAt) ?? orgs.FirstOrDefault();
        return new AwsInventory(
            [ReadAccount(account.Id, account.Scope, account.TakenAt)],
            org is null ? null : ReadOrganization(org.Id, org.Scope, org.TakenAt),
            ReadAwsManagedPolicies(),
            [],
            null);
    }
}
