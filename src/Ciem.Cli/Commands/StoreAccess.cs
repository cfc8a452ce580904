using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>Opens the store a command names (`--db`, else the default) and resolves what it holds for the engines.</summary>
public static class StoreAccess
{
    public static string PathFor(CliHost host, string? db) => host.Session(db).StorePath;

    /// <summary>The command's store (opened once per command; the session closes it at the end).</summary>
    public static ICiemStore Open(CliHost host, string? db) => host.Session(db).Store;

    /// <summary>The store an import writes to: what the session loaded before is dropped.</summary>
    public static ICiemStore OpenForImport(CliHost host, string? db)
    {
        var session = host.Session(db);
        session.Imported();
        return session.Store;
    }

    /// <summary>The current directory snapshots with the people resolved from them (no cloud targets): owners of service identities.</summary>
    public static (System.Collections.Immutable.ImmutableArray<Core.Directories.DirectorySnapshot> Directories, Core.Directories.IdentityLinkResult Links) LoadPeople(CliHost host, string? db) =>
        host.Session(db).People;

    /// <summary>The current AWS inventory resolved into an estate, or null (with a message) when the store holds no AWS account.</summary>
    public static AwsEstate? LoadEstate(CliHost host, string? db)
    {
        var loaded = host.Session(db).Aws;
        if (loaded.Value is null)
        {
            host.Error.WriteLine($"error: {loaded.Error}");
            return null;
        }
        if (!loaded.Diagnostics.IsEmpty)
        {
            host.Error.WriteLine($"{loaded.Diagnostics.Length} diagnostic(s) while resolving the inventory (policies that cannot be fully evaluated are shown as indeterminate):");
            WriteDiagnostics(host, loaded.Diagnostics, max: 10);
        }
        return loaded.Value;
    }

    /// <summary>A loaded inventory, or null after printing why there is none.</summary>
    public static T? Value<T>(CliHost host, Ciem.App.Loaded<T> loaded)
        where T : class
    {
        if (loaded.Value is null) { host.Error.WriteLine($"error: {loaded.Error}"); }
        return loaded.Value;
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
