using System.Diagnostics;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Paths;
using Ciem.Import.Aws;

namespace Ciem.Bench;

/// <summary>
/// `paths`: reads an authorization-details export, builds the estate and every identity's effective permissions (as
/// `effective` does), then the attack graph (<see cref="AttackGraphBuilder"/>) and every principal's administrator
/// standing (<see cref="AttackPaths.Standings"/>). Counts of edges and categories are checksums.
/// </summary>
internal static class PathsBench
{
    public static IReadOnlyList<Figure> Run(string input)
    {
        var catalog = AwsActionCatalog.Default;
        using var process = Process.GetCurrentProcess();
        var sw = Stopwatch.StartNew();
        var inventory = AuthorizationDetailsReader.ReadFiles([input], EffectiveBench.TakenAt).Value.ToInventory();
        var estate = AwsEstate.Build(inventory);
        var effective = EffectiveBench.ComputeAll(estate, catalog);
        var prepareMs = sw.Elapsed.TotalMilliseconds;

        // CPU time beside wall time: on the shared machine the wall clock measures the neighbours as much as the code.
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        sw.Restart();
        var graph = AttackGraphBuilder.Build(estate, effective);
        var graphMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var standings = new AttackPaths(graph).Standings;
        var reachMs = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        var analysisCpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return
        [
            new("paths.principals", estate.Identities.Length, "principals"),
            new("paths.prepare", prepareMs, "ms (read + build estate + effective permissions)"),
            new("paths.graph", graphMs, "ms (attack graph: admin probes, trust index, every technique)"),
            new("paths.reach", reachMs, "ms (administrator standing of every principal, with paths)"),
            new("paths.total", prepareMs + graphMs + reachMs, "ms (read to standings)"),
            new("paths.analysis", graphMs + reachMs, "ms (graph + standings)"),
            new("paths.analysis.cpu", analysisCpuMs, "ms CPU, all threads (graph + standings)"),
            new("paths.edges", graph.EdgeCount, "edges (checksum)"),
            new("paths.grants", graph.Grants.Length, "grant edges (checksum)"),
            new("paths.admins", standings.Count(s => s.Category == AdminCategory.Administrator), "administrators"),
            new("paths.canbecome", standings.Count(s => s.Category == AdminCategory.CanBecomeAdministrator), "can become administrator"),
            new("paths.privilege", standings.Count(s => s.Category == AdminCategory.PrivilegeAdministrator), "privilege administrators only"),
            new("paths.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
        ];
    }
}
