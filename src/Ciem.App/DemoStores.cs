using System.Text.Json;
using Ciem.Storage;

namespace Ciem.App;

/// <summary>
/// Which stores `ciem demo` may wipe: those it made and nobody wrote to since. After a demo run the store's
/// fingerprint (its snapshot ids and the number of log files ingested per provider) is kept in a file beside it
/// (`demo.db.ciem-demo`); a store without that file, or whose fingerprint changed (someone imported real data into
/// it), holds data the demo must not destroy without `--force`.
/// </summary>
public static class DemoStores
{
    private static readonly string[] Providers = ["aws", "azure", "gcp"];

    /// <summary>True when recreating <paramref name="location"/> loses nothing but an earlier demo (or nothing at all).</summary>
    public static bool MayRecreate(StoreLocation location, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(location);
        reason = null;
        if (!location.Exists) { return true; }
        using var store = location.Open();
        if (store.IsEmpty()) { return true; }
        var marker = MarkerPath(location);
        if (marker is null || !File.Exists(marker))
        {
            reason = "it holds data `ciem demo` did not write";
            return false;
        }
        if (File.ReadAllText(marker).Trim() != Fingerprint(store))
        {
            reason = "data was imported into it after the demo";
            return false;
        }
        return true;
    }

    /// <summary>Records that the demo wrote <paramref name="store"/> (at <paramref name="location"/>) as it is now.</summary>
    public static void Mark(StoreLocation location, ICiemStore store)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(store);
        if (MarkerPath(location) is { } marker) { OwnerOnly.WriteAllText(marker, Fingerprint(store) + "\n"); }
    }

    /// <summary>Forgets the mark (before the store is recreated).</summary>
    public static void Unmark(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (MarkerPath(location) is { } marker && File.Exists(marker)) { File.Delete(marker); }
    }

    private static string? MarkerPath(StoreLocation location) =>
        location.Backend == StoreBackend.Sqlite ? location.Display + ".ciem-demo" : null;

    private static string Fingerprint(ICiemStore store) => JsonSerializer.Serialize(new
    {
        snapshots = store.ListSnapshots().Select(s => s.Id).Order().ToArray(),
        ingested = Providers.ToDictionary(p => p, p => store.IngestedFileHashes(p).Count),
    });
}
