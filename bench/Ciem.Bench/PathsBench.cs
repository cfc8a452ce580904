using System.Diagnostics;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using Ciem.Demo;
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
            new("paths.privilege", standings.Count(s => s.Category == AdminCategory.PrivilegeAdministrator),
                "privilege administrators only"),
            new("paths.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
        ];
    }

    /// <summary>
    /// `azure-paths` and `gcp-paths`: the synthetic estate of `azure-eval` / `gcp-eval` (<see cref="ScaledEstates"/> in Ciem.Demo), its
    /// multi-cloud graph (<see cref="CloudGraphBuilder"/>), every principal's standing (one reverse search), and the effective
    /// administrators of every subscription or project. Counts are checksums.
    /// </summary>
    public static IReadOnlyList<Figure> RunCloud(string provider, int principals)
    {
        using var process = Process.GetCurrentProcess();
        var sw = Stopwatch.StartNew();
        var inputs = provider == Provider.AzureName
            ? new CloudGraphInputs { Azure = ScaledEstates.Azure(principals, requests: 0).Estate, AsOf = EffectiveBench.TakenAt }
            : new CloudGraphInputs { Gcp = ScaledEstates.Gcp(principals, requests: 0).Policies, AsOf = EffectiveBench.TakenAt };
        var prepareMs = sw.Elapsed.TotalMilliseconds;

        process.Refresh();
        var cpu = process.TotalProcessorTime;
        sw.Restart();
        var graph = CloudGraphBuilder.Build(inputs);
        var graphMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var paths = new CloudAttackPaths(graph);
        var standings = paths.AllStandings(provider);
        var reachMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var scopes = provider == Provider.AzureName ? AdminScopes.Azure(inputs.Azure!) : AdminScopes.Gcp(inputs.Gcp!);
        var perScope = scopes.Select(paths.Administrators).ToList();
        var scopesMs = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        var analysisCpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var name = $"{provider}-paths";
        return
        [
            new($"{name}.principals", principals, "principals asked for (the synthetic estate's size)"),
            new($"{name}.nodes", graph.Nodes.Length, "graph nodes (checksum)"),
            new($"{name}.prepare", prepareMs, "ms (build the synthetic estate)"),
            new($"{name}.graph", graphMs, "ms (multi-cloud graph: administrators, grants, every technique)"),
            new($"{name}.reach", reachMs, "ms (standing of every principal, with paths)"),
            new($"{name}.scopes", scopesMs, $"ms (effective administrators of each of {scopes.Length} scopes)"),
            new($"{name}.analysis", graphMs + reachMs + scopesMs, "ms (graph + standings + per-scope administrators)"),
            new($"{name}.analysis.cpu", analysisCpuMs, "ms CPU, all threads (graph + standings + scopes)"),
            new($"{name}.edges", graph.EdgeCount, "edges (checksum)"),
            new($"{name}.grants", graph.Grants.Length, "grant edges (checksum)"),
            new($"{name}.admins", standings.Count(s => s.Category == AdminCategory.Administrator), "administrators"),
            new($"{name}.canbecome", standings.Count(s => s.Category == AdminCategory.CanBecomeAdministrator), "can become administrator"),
            new($"{name}.privilege", standings.Count(s => s.Category == AdminCategory.PrivilegeAdministrator),
                "privilege administrators only"),
            new($"{name}.scoperows", perScope.Sum(s => s.Administrators.Length), "per-scope administrator rows (checksum)"),
            new($"{name}.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
        ];
    }
}
