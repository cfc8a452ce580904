using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>Opens the store a command names (`--db`, else the default) and resolves what it holds for the engines.</summary>
public static class StoreAccess
{
    /// <summary>The store a command names (a file, `postgres://…` or `Host=…`); invalid text throws <see cref="StoreLocationException"/>.</summary>
    public static StoreLocation Location(CliHost host, string? db) => StoreLocation.Parse(db ?? host.DefaultDatabasePath());

    /// <summary>The store as messages show it: the file's full path, or the database's URL without its password.</summary>
    public static string PathFor(CliHost host, string? db) => Location(host, db).Display;

    /// <summary>Whether the store exists already (a file; a PostgreSQL database always does).</summary>
    public static bool Exists(CliHost host, string? db) => Location(host, db).Exists;

    public static ICiemStore Open(CliHost host, string? db) => Location(host, db).Open();

    /// <summary>`demo.db` beside the default embedded store (never the team's database that `$CIEM_DB` may name).</summary>
    public static string DemoDefault(CliHost host) =>
        Location(host, null) is { Backend: StoreBackend.Sqlite } location
            ? Path.Combine(Path.GetDirectoryName(location.Display)!, "demo.db")
            : Path.Combine(Path.GetDirectoryName(host.EmbeddedDatabasePath())!, "demo.db");

    /// <summary>The current directory snapshots with the people resolved from them (no cloud targets): owners of service identities.</summary>
    public static (System.Collections.Immutable.ImmutableArray<Core.Directories.DirectorySnapshot> Directories, Core.Directories.IdentityLinkResult Links) LoadPeople(CliHost host, string? db)
    {
        using var store = Open(host, db);
        var directories = store.LoadDirectories();
        return (directories, Core.Directories.IdentityLinker.Link(directories, Core.Directories.LinkTargets.None));
    }

    /// <summary>The current AWS inventory resolved into an estate, or null (with a message) when the store holds no AWS account.</summary>
    public static AwsEstate? LoadEstate(CliHost host, string? db)
    {
        var path = PathFor(host, db);
        if (!Exists(host, db))
        {
            host.Error.WriteLine($"error: no store at `{path}`: run `ciem import aws PATH` or `ciem demo` first");
            return null;
        }
        using var store = Open(host, db);
        var inventory = store.LoadAwsInventory();
        if (inventory.Accounts.IsEmpty)
        {
            host.Error.WriteLine($"error: the store at `{path}` holds no AWS account: run `ciem import aws PATH` first");
            return null;
        }
        var estate = AwsEstate.Build(inventory);
        if (!estate.Diagnostics.IsEmpty)
        {
            host.Error.WriteLine($"{estate.Diagnostics.Length} diagnostic(s) while resolving the inventory (policies that cannot be fully evaluated are shown as indeterminate):");
            WriteDiagnostics(host, estate.Diagnostics, max: 10);
        }
        return estate;
    }

    /// <summary>Computes every identity's effective permissions in parallel.</summary>
    public static IReadOnlyList<AwsEffectivePermissions> ComputeAll(AwsEstate estate)
    {
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var results = new AwsEffectivePermissions[estate.Identities.Length];
        Parallel.For(0, results.Length, i => results[i] = calculator.Compute(estate.Identities[i]));
        return results;
    }

    public static void WriteDiagnostics(CliHost host, IEnumerable<Diagnostic> diagnostics, int max = 20)
    {
        var list = diagnostics.ToList();
        foreach (var d in list.Take(max)) { host.Error.WriteLine(d.ToString()); }
        if (list.Count > max) { host.Error.WriteLine($"… and {list.Count - max} more diagnostics"); }
    }
}
