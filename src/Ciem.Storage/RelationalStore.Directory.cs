using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.Core.Directories;

namespace Ciem.Storage;

/// <summary>Directory snapshots: one JSON document per import of a directory (source and tenant), the newest current.</summary>
public abstract partial class RelationalStore
{
    private static readonly JsonSerializerOptions DirectoryJson = new()
        { WriteIndented = false, Converters = { new JsonStringEnumConverter() } };

    public ImmutableArray<SnapshotWrite> ImportDirectories(DirectoryImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var write = Writing();
        var transaction = write.Transaction;
        var writes = ImmutableArray.CreateBuilder<SnapshotWrite>();
        foreach (var snapshot in request.Snapshots)
        {
            var source = DirectorySources.Name(snapshot.Source);
            var scope = $"{source}/{snapshot.TenantId}";
            var document = JsonSerializer.Serialize(snapshot, DirectoryJson);
            var hash = Hash(JsonSerializer.Serialize(snapshot with { TakenAt = default }, DirectoryJson));
            long? currentId = null;
            string? currentHash = null;
            DateTimeOffset? currentTakenAt = null;
            using (var find = Command(transaction,
                "SELECT id, content_hash, taken_at FROM directory_snapshot WHERE source = @s AND tenant = @t AND is_current = 1",
                ("@s", source), ("@t", snapshot.TenantId)))
            using (var r = find.ExecuteReader())
            {
                if (r.Read()) { (currentId, currentHash, currentTakenAt) = (r.GetInt64(0), r.GetString(1), ParseDate(r.GetString(2))); }
            }
            if (currentId is { } same && currentHash == hash)
            {
                writes.Add(new SnapshotWrite(SnapshotKinds.Directory, scope, same, SnapshotOutcome.Unchanged));
                continue;
            }
            var becomesCurrent = currentTakenAt is null || snapshot.TakenAt >= currentTakenAt;
            if (becomesCurrent)
            {
                using var demote = Command(transaction, "UPDATE directory_snapshot SET is_current = 0 WHERE source = @s AND tenant = @t",
                    ("@s", source), ("@t", snapshot.TenantId));
                demote.ExecuteNonQuery();
            }
            using var insert = Command(transaction,
                """
                INSERT INTO directory_snapshot (source, tenant, taken_at, imported_at, content_hash, document, source_files, imported, skipped, quarantined, is_current)
                VALUES (@s, @t, @taken, @imported, @hash, @doc, @files, @i, @k, @q, @current) RETURNING id
                """,
                ("@s", source), ("@t", snapshot.TenantId), ("@taken", FormatDate(snapshot.TakenAt)),
                    ("@imported", FormatDate(request.ImportedAt)),
                ("@hash", hash), ("@doc", document), ("@files", ToJson(request.SourceFiles)),
                ("@i", request.Counts.Imported), ("@k", request.Counts.Skipped), ("@q", request.Counts.Quarantined),
                    ("@current", becomesCurrent ? 1 : 0));
            var id = (long)insert.ExecuteScalar()!;
            writes.Add(new SnapshotWrite(SnapshotKinds.Directory, scope, id, becomesCurrent ? SnapshotOutcome.Added
                : SnapshotOutcome.AddedAsHistory));
        }
        write.Commit();
        return writes.ToImmutable();
    }

    public ImmutableArray<DirectorySnapshot> LoadDirectories()
    {
        var result = ImmutableArray.CreateBuilder<DirectorySnapshot>();
        using var command = Command(null, "SELECT document FROM directory_snapshot WHERE is_current = 1 ORDER BY source, tenant");
        using var r = command.ExecuteReader();
        while (r.Read()) { result.Add(JsonSerializer.Deserialize<DirectorySnapshot>(r.GetString(0), DirectoryJson)!); }
        return result.ToImmutable();
    }
}
