using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Storage;

namespace Ciem.App;

/// <summary>
/// What a store holds, loaded at most once per command: the store is opened on first use and kept open, and each
/// provider's estate is read and resolved the first time something asks for it, then handed to every later caller
/// (the model is Npgsql's data source: built once, handed down). A host opens one session per command and disposes
/// it at the end; an import through <see cref="Imported"/> drops what was loaded before it.
/// </summary>
public sealed class CiemSession : IDisposable
{
    private readonly object _gate = new();
    private ICiemStore? _store;
    private Loaded<AwsEstate>? _aws;
    private Loaded<AzureInventory>? _azure;
    private Loaded<GcpInventory>? _gcp;
    private (ImmutableArray<DirectorySnapshot> Directories, IdentityLinkResult Links)? _people;
    private Lazy<AttackPaths>? _awsGraph;
    private (DateTimeOffset AsOf, Lazy<Core.Paths.Clouds.CloudAttackPaths> Paths)? _cloudGraph;

    /// <param name="location">a SQLite file path, `postgres://…` or `Host=…` (<see cref="StoreLocation"/>).</param>
    /// <exception cref="StoreLocationException">the text names no store this build can open.</exception>
    public CiemSession(string location)
        : this(StoreLocation.Parse(location))
    {
    }

    public CiemSession(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
    }

    public StoreLocation Location { get; }

    /// <summary>The store as messages show it: the file's full path, or the database's URL without its password.</summary>
    public string StorePath => Location.Display;

    /// <summary>True once the store exists (it is created when first opened; a PostgreSQL database always exists).</summary>
    public bool StoreExists => _store is not null || Location.Exists;

    /// <summary>The store, opened (and created when missing) on first use; the session owns it.</summary>
    public ICiemStore Store
    {
        get
        {
            lock (_gate) { return _store ??= Location.Open(); }
        }
    }

    /// <summary>The current AWS inventory resolved into an estate, or the reason there is none.</summary>
    public Loaded<AwsEstate> Aws
    {
        get
        {
            lock (_gate) { return _aws ??= LoadAws(); }
        }
    }

    /// <summary>The current Azure inventory, or the reason there is none.</summary>
    public Loaded<AzureInventory> Azure
    {
        get
        {
            lock (_gate)
            {
                return _azure ??= Load("Azure estate", "ciem import azure PATH", s => s.LoadAzureInventory(), i => i.IsEmpty);
            }
        }
    }

    /// <summary>The current GCP inventory, or the reason there is none.</summary>
    public Loaded<GcpInventory> Gcp
    {
        get
        {
            lock (_gate)
            {
                return _gcp ??= Load("GCP inventory", "ciem import gcp PATH", s => s.LoadGcpInventory(), i => i.Policies.IsEmpty && i.Resources.IsEmpty);
            }
        }
    }

    /// <summary>The current directory snapshots with the people resolved from them (no cloud targets).</summary>
    public (ImmutableArray<DirectorySnapshot> Directories, IdentityLinkResult Links) People
    {
        get
        {
            lock (_gate)
            {
                if (_people is { } people) { return people; }
                var directories = Store.LoadDirectories();
                _people = (directories, IdentityLinker.Link(directories, LinkTargets.None));
                return _people.Value;
            }
        }
    }

    /// <summary>
    /// The current AWS estate's attack graph (docs/attack-paths.md, the default session), built once per session and
    /// estate; null when the store holds no AWS estate. The effective permissions it is built from are not kept.
    /// </summary>
    public AttackPaths? AwsGraph()
    {
        Lazy<AttackPaths> graph;
        lock (_gate)
        {
            if (Aws.Value is not { } estate) { return null; }
            graph = _awsGraph ??= new(() => EstatePaths.Analyse(estate), LazyThreadSafetyMode.ExecutionAndPublication);
        }
        return graph.Value;
    }

    /// <summary>
    /// The multi-cloud attack graph of what the store holds at <paramref name="asOf"/> (<see cref="CloudEstatePaths.Inputs"/>,
    /// sharing <see cref="AwsGraph"/>), built once per session, estate and instant.
    /// </summary>
    public Core.Paths.Clouds.CloudAttackPaths CloudGraph(DateTimeOffset asOf)
    {
        Lazy<Core.Paths.Clouds.CloudAttackPaths> graph;
        lock (_gate)
        {
            if (_cloudGraph is not { } cached || cached.AsOf != asOf)
            {
                _cloudGraph = (asOf, new(() =>
                {
                    var inputs = CloudEstatePaths.Inputs(this, asOf);
                    return CloudEstatePaths.Analyse(inputs.Aws is null ? inputs : inputs with { AwsPaths = () => AwsGraph()! });
                }, LazyThreadSafetyMode.ExecutionAndPublication));
            }
            graph = _cloudGraph.Value.Paths;
        }
        return graph.Value;
    }

    /// <summary>The providers with a current snapshot, in the order aws, azure, gcp (empty when the store is missing).</summary>
    public ImmutableArray<Provider> ProvidersWithData()
    {
        if (!StoreExists) { return []; }
        var present = Store.ListSnapshots().Where(s => s.IsCurrent).Select(s => s.Provider).ToHashSet(StringComparer.Ordinal);
        return [.. Provider.All.Where(p => present.Contains(p.Name))];
    }

    /// <summary>Drops what was loaded: the store changed under this session (an import, an ingestion).</summary>
    public void Imported()
    {
        lock (_gate)
        {
            _aws = null;
            _azure = null;
            _gcp = null;
            _people = null;
            _awsGraph = null;
            _cloudGraph = null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _store?.Dispose();
            _store = null;
        }
    }

    private Loaded<AwsEstate> LoadAws()
    {
        if (!StoreExists) { return Loaded.Missing<AwsEstate>($"no store at `{StorePath}`: run `ciem import aws PATH` or `ciem demo` first"); }
        var inventory = Store.LoadAwsInventory();
        if (inventory.Accounts.IsEmpty)
        {
            return Loaded.Missing<AwsEstate>($"the store at `{StorePath}` holds no AWS account: run `ciem import aws PATH` first");
        }
        var estate = AwsEstate.Build(inventory);
        return new Loaded<AwsEstate>(estate, null, estate.Diagnostics);
    }

    private Loaded<T> Load<T>(string what, string import, Func<ICiemStore, T> load, Func<T, bool> isEmpty)
        where T : class
    {
        if (!StoreExists) { return Loaded.Missing<T>($"no store at `{StorePath}`: run `{import}` first"); }
        var inventory = load(Store);
        return isEmpty(inventory)
            ? Loaded.Missing<T>($"the store at `{StorePath}` holds no {what}: run `{import}` first")
            : new Loaded<T>(inventory, null, []);
    }
}

/// <summary>A value loaded from the store, or why there is none (<see cref="Error"/>, lowercase, no final period).</summary>
public sealed record Loaded<T>(T? Value, string? Error, ImmutableArray<Diagnostic> Diagnostics)
    where T : class;

/// <summary>Builds the <see cref="Loaded{T}"/> that says why there is no value.</summary>
public static class Loaded
{
    public static Loaded<T> Missing<T>(string error)
        where T : class => new(null, error, []);
}
