using System.Diagnostics;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;
using Ciem.Import.Aws;

namespace Ciem.Bench;

/// <summary>
/// `effective`: reads an authorization-details export, resolves it into an <see cref="AwsEstate"/> and computes
/// every identity's effective permissions in parallel, the way `ciem effective` does (StoreAccess.ComputeAll).
/// The total of granted actions over all identities is a checksum: equal inputs must give equal totals.
/// </summary>
internal static class EffectiveBench
{
    /// <summary>A fixed snapshot time, so reads are deterministic.</summary>
    public static readonly DateTimeOffset TakenAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<Figure> Run(string input)
    {
        var catalog = AwsActionCatalog.Default; // loaded before timing: `catalog` measures it

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var read = AuthorizationDetailsReader.ReadFiles([input], TakenAt);
        var inventory = read.Value.ToInventory();
        var readMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var estate = AwsEstate.Build(inventory);
        var buildMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var results = ComputeAll(estate, catalog);
        var computeMs = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        var granted = results.Sum(r => (long)r.GrantedCount);
        var admins = results.Count(r => r.IsAdministrator);
        var gc = GC.GetGCMemoryInfo();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: false);
        GC.KeepAlive(results);
        var totalMs = readMs + buildMs + computeMs;
        return
        [
            .. InputSize(inventory, estate),
            new("effective.read", readMs, "ms (read export)"),
            new("effective.build", buildMs, "ms (AwsEstate.Build)"),
            new("effective.compute", computeMs, "ms (compute all, parallel)"),
            new("effective.total", totalMs, "ms (read + build + compute)"),
            new("effective.cpu", cpuSeconds, "CPU-seconds, all threads (read + build + compute)"),
            new("effective.rate", estate.Identities.Length / (computeMs / 1000), "identities/s (compute)"),
            new("effective.granted", granted, "granted actions, all identities (checksum)"),
            new("effective.admins", admins, "administrators"),
            new("effective.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
            new("effective.heap", Measure.Megabytes(heapAfter), "MiB managed heap after compute"),
            new("effective.gcpeak", Measure.Megabytes(gc.HeapSizeBytes), "MiB heap at last GC"),
            new("effective.allocated", Measure.Megabytes(GC.GetTotalAllocatedBytes()), "MiB allocated in total"),
            new("effective.gen2", GC.CollectionCount(2), "gen2 collections"),
        ];
    }

    /// <summary>Every identity's effective permissions, in parallel; mirrors `StoreAccess.ComputeAll` in the CLI.</summary>
    public static AwsEffectivePermissions[] ComputeAll(AwsEstate estate, AwsActionCatalog catalog)
    {
        var calculator = new AwsEffectivePermissionCalculator(catalog);
        var results = new AwsEffectivePermissions[estate.Identities.Length];
        Parallel.For(0, results.Length, i => results[i] = calculator.Compute(estate.Identities[i]));
        return results;
    }

    /// <summary>Principals, policies and statements of the input (distinct compiled policies).</summary>
    public static IEnumerable<Figure> InputSize(AwsInventory inventory, AwsEstate estate)
    {
        var distinct = new HashSet<CompiledPolicy>(ReferenceEqualityComparer.Instance);
        foreach (var i in estate.Identities)
        {
            distinct.UnionWith(i.IdentityPolicies);
            distinct.UnionWith(i.Boundaries);
        }
        yield return new("input.users", inventory.Accounts.Sum(a => a.Users.Length), "users");
        yield return new("input.groups", inventory.Accounts.Sum(a => a.Groups.Length), "groups");
        yield return new("input.roles", inventory.Accounts.Sum(a => a.Roles.Length), "roles");
        yield return new("input.policies", inventory.Accounts.Sum(a => a.Policies.Length) + inventory.ManagedPolicies.Length, "managed policies (customer + AWS)");
        yield return new("input.attached", distinct.Count, "distinct policies in use (incl. inline)");
        yield return new("input.statements", distinct.Sum(p => (long)p.Statements.Length), "statements in those policies");
        yield return new("input.identities", estate.Identities.Length, "identities");
    }
}
