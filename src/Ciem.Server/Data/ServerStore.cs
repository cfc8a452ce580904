using Ciem.App;
using Ciem.Storage;

namespace Ciem.Server.Data;

/// <summary>
/// The store for one request: opened on first use (a pooled connection on PostgreSQL, the file on SQLite) and closed
/// when the request ends, because a store's connection serves one caller at a time.
/// </summary>
public sealed class ServerStore(StoreLocation location) : IDisposable
{
    private ICiemStore? _store;

    public StoreLocation Location => location;

    public ICiemStore Ciem => _store ??= location.Open();

    public IServerStore Server => (IServerStore)Ciem;

    public void Dispose() => _store?.Dispose();
}

/// <summary>
/// The estates the pages evaluate (effective permissions of one identity), loaded once and kept until an import
/// changes the store's current snapshots; each request passes the key it read from its own store.
/// </summary>
public sealed class EstateCache(StoreLocation location) : IDisposable
{
    private readonly object _gate = new();
    private string? _key;
    private CiemSession? _session;

    /// <summary>The session for the snapshots the caller's store holds now (ids of the current snapshots).</summary>
    public CiemSession For(ServerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = string.Join(',', store.Ciem.ListSnapshots().Where(s => s.IsCurrent).Select(s => s.Id));
        lock (_gate)
        {
            if (_session is not null && _key == key) { return _session; }
            // The old session is left to finish whatever another request is loading from it; its store closes on disposal.
            var old = _session;
            _session = new CiemSession(location);
            _key = key;
            old?.Dispose();
            return _session;
        }
    }

    public void Dispose()
    {
        lock (_gate) { _session?.Dispose(); }
    }
}
