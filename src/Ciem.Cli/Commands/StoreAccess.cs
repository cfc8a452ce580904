using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>Opens the store a command names (`--db`, else the default) and resolves what it holds for the engines.</summary>
public static class StoreAccess
{
    /// <summary>The store a command names (a file, `postgres://…` or `Host=…`); invalid text throws <see cref="StoreLocationException"/>.</summary>
    public static StoreLocation Location(CliHost host, string? db) => host.Session(db).Location;

    /// <summary>The store as messages show it: the file's full path, or the database's URL without its password.</summary>
    public static string PathFor(CliHost host, string? db) => host.Session(db).StorePath;

    /// <summary>Whether the store exists already (a file; a PostgreSQL database always does).</summary>
    public static bool Exists(CliHost host, string? db) => host.Session(db).StoreExists;

    /// <summary>`demo.db` beside the default embedded store (never the team's database that `$CIEM_DB` may name).</summary>
    public static string DemoDefault(CliHost host) =>
        StoreLocation.Parse(host.DefaultDatabasePath()) is { Backend: StoreBackend.Sqlite } location
            ? Path.Combine(Path.GetDirectoryName(location.Display)!, "demo.db")
            : Path.Combine(Path.GetDirectoryName(host.EmbeddedDatabasePath())!, "demo.db");

    /// <summary>The command's store (opened once per command; the session closes it at the end).</summary>
    public static ICiemStore Open(CliHost host, string? db) => host.Session(db).Store;

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

    /// <summary>Computes every identity's effective permissions in parallel.</summary>
    public static IReadOnlyList<AwsEffectivePermissions> ComputeAll(AwsEstate estate) => Ciem.App.EstatePaths.EffectiveAll(estate);

    public static void WriteDiagnostics(CliHost host, IEnumerable<Diagnostic> diagnostics, int max = 20)
    {
        var list = diagnostics.ToList();
        foreach (var d in list.Take(max)) { host.Error.WriteLine(d.ToString()); }
        if (list.Count > max) { host.Error.WriteLine($"… and {list.Count - max} more diagnostics"); }
    }
}
