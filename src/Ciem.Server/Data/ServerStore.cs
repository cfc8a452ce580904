using Ciem.App;
using Ciem.App.Questions;
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
/// The estates the identity pages evaluate, prepared once per store state and shared by every request: the state is the
/// set of current snapshots (an import makes new ones; a sweep changes measurements, not the estate). The first caller
/// of a state builds it (the server's start-up warms it in the background); every other caller of that state waits on
/// the same build, so two requests never build it twice. A build that fails is forgotten, so the next request retries.
/// </summary>
public sealed class EstateCache(StoreLocation location)
{
    private readonly Lock _gate = new();
    private (string Key, Lazy<EffectiveEstates> Estates)? _current;
    private int _loads;

    /// <summary>How many times an estate was built since the server started (each state once).</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>How long the latest build took.</summary>
    public TimeSpan LastLoad { get; private set; }

    /// <summary>The prepared estates of the snapshots the caller's store holds now.</summary>
    public EffectiveEstates For(ServerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return For(store.Ciem);
    }

    /// <summary>Builds the current state's estates now, on a store of its own (the server's start-up, in the background).</summary>
    public EffectiveEstates Warm()
    {
        using var store = location.Open();
        return For(store);
    }

    private EffectiveEstates For(ICiemStore store)
    {
        var key = string.Join(',', store.ListSnapshots().Where(s => s.IsCurrent).Select(s => s.Id));
        Lazy<EffectiveEstates> estates;
        lock (_gate)
        {
            if (_current is not { } current || current.Key != key)
            {
                current = (key, new Lazy<EffectiveEstates>(Build, LazyThreadSafetyMode.ExecutionAndPublication));
                _current = current;
            }
            estates = current.Estates;
        }
        try
        {
            return estates.Value;
        }
        catch
        {
            lock (_gate)
            {
                if (_current is { } failed && ReferenceEquals(failed.Estates, estates)) { _current = null; }
            }
            throw;
        }
    }

    private EffectiveEstates Build()
    {
        Interlocked.Increment(ref _loads);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var session = new CiemSession(location);
        var estates = EffectiveEstates.Load(session);
        LastLoad = clock.Elapsed;
        return estates;
    }
}
