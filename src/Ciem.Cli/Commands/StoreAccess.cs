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

    /// <summary>
    /// The diagnostics in their order: all of them when there are at most <paramref name="max"/>, otherwise the first three of
    /// each code before any fourth, the most severe first, so that one noisy code (an action a managed policy names that the
    /// catalog does not know, repeated) hides no other (an indeterminate trust policy); then what was left out, by code.
    /// </summary>
    public static void WriteDiagnostics(CliHost host, IEnumerable<Diagnostic> diagnostics, int max = 20)
    {
        const int perCode = 3;
        var list = diagnostics.ToList();
        var shown = list.Select((d, i) => (d, i)).GroupBy(x => x.d.Code, StringComparer.Ordinal)
            .SelectMany(g => g.Select((x, rank) => (x.d, x.i, First: rank < perCode)))
            .OrderByDescending(x => x.First).ThenByDescending(x => x.d.Severity).ThenBy(x => x.i)
            .Take(max).Select(x => x.i).ToHashSet();
        for (var i = 0; i < list.Count; i++)
        {
            if (shown.Contains(i)) { host.Error.WriteLine(list[i].ToString()); }
        }
        if (list.Count > shown.Count)
        {
            var left = list.Where((_, i) => !shown.Contains(i)).GroupBy(d => d.Code, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}");
            host.Error.WriteLine($"… and {list.Count - shown.Count} more diagnostics ({string.Join(", ", left)})");
        }
    }
}
