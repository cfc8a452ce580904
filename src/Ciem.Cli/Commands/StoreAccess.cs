using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>Opens the store a command names (`--db`, else the default) and resolves what it holds for the engines.</summary>
public static class StoreAccess
{
    public static string PathFor(CliHost host, string? db) => Path.GetFullPath(db ?? host.DefaultDatabasePath());

    public static SqliteStore Open(CliHost host, string? db)
    {
        var path = PathFor(host, db);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return SqliteStore.Open(path);
    }

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
        if (!File.Exists(path))
        {
            host.Error.WriteLine($"error: no store at `{path}`: run `ciem import aws PATH` or `ciem demo` first");
            return null;
        }
        using var store = SqliteStore.Open(path);
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
