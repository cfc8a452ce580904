using System.Collections.Immutable;
using System.Diagnostics;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Demo;

namespace Ciem.Bench;

/// <summary>
/// `azure-eval` and `gcp-eval`: a large synthetic estate (<see cref="ScaledEstates"/> in Ciem.Demo, built from the
/// embedded catalogs, deterministic for a size), then single-threaded `Evaluate` calls and the effective access of a
/// sample of principals.
/// </summary>
internal static class CloudEstateBench
{
    private const int Requests = 50_000;
    private const int EffectiveSample = 20;

    public static IReadOnlyList<Figure> RunAzure(int principals, int requests = Requests)
    {
        var sw = Stopwatch.StartNew();
        var (estate, workload, users) = ScaledEstates.Azure(principals, requests);
        var buildMs = sw.Elapsed.TotalMilliseconds;
        var authorizer = new AzureAuthorizer(estate);
        var decisions = Measure(workload, r => authorizer.Evaluate(r).Decision, out var evalCpu);
        var catalog = AzureOperationCatalog.Default;
        var effective = Timed(() => Enumerable.Range(0, EffectiveSample)
            .Select(i => AzureEffectiveAccess.IdentityOf(users[i * 37 % principals], "User", estate))
            .Select(identity => AzureEffectiveAccess.Compute(identity, estate, catalog).Access.Grants.Length).ToList(),
            out var effectiveCpu);
        return Figures("azure", principals, estate.RoleAssignments.Length, buildMs, decisions, evalCpu, effective, effectiveCpu);
    }

    public static IReadOnlyList<Figure> RunGcp(int principals, int requests = Requests)
    {
        var sw = Stopwatch.StartNew();
        var (policies, workload, members) = ScaledEstates.Gcp(principals, requests);
        var buildMs = sw.Elapsed.TotalMilliseconds;
        var decisions = Measure(workload, r => GcpAuthorizer.Evaluate(r, policies).Decision, out var evalCpu);
        var effective = Timed(() => Enumerable.Range(0, EffectiveSample)
            .Select(i => GcpEffectiveAccess.Compute(policies, members[i * 37 % members.Length]).Grants.Length).ToList(),
            out var effectiveCpu);
        var bindings = policies.Inventory.Policies.Sum(p => p.Bindings.Length);
        return Figures("gcp", principals, bindings, buildMs, decisions, evalCpu, effective, effectiveCpu);
    }

    private static Decision[] Measure<T>(ImmutableArray<T> requests, Func<T, Decision> evaluate, out TimeSpan cpu)
    {
        foreach (var r in requests.Take(1000)) { evaluate(r); }
        var start = ThreadCpu.Now();
        var decisions = requests.Select(evaluate).ToArray();
        cpu = ThreadCpu.Now() - start;
        return decisions;
    }

    private static List<int> Timed(Func<List<int>> run, out TimeSpan cpu)
    {
        var start = ThreadCpu.Now();
        var result = run();
        cpu = ThreadCpu.Now() - start;
        return result;
    }

    private static List<Figure> Figures(string provider, int principals, int bindings, double buildMs, Decision[] decisions, TimeSpan evalCpu, List<int> grants, TimeSpan effectiveCpu)
    {
        using var process = Process.GetCurrentProcess();
        return
        [
            new($"{provider}-eval.principals", principals, "principals"),
            new($"{provider}-eval.bindings", bindings, provider == "azure" ? "role assignments" : "bindings"),
            new($"{provider}-eval.build", buildMs, "ms (generate + index the estate)"),
            new($"{provider}-eval.rate", decisions.Length / evalCpu.TotalSeconds, "evaluations per CPU-second (1 thread)"),
            new($"{provider}-eval.allowed", decisions.Count(d => d == Decision.Allow), $"of {decisions.Length} requests allowed"),
            new($"{provider}-eval.indeterminate", decisions.Count(d => d == Decision.Indeterminate), "indeterminate"),
            new($"{provider}-eval.effective", effectiveCpu.TotalMilliseconds / grants.Count, "CPU-ms effective access per principal"),
            new($"{provider}-eval.grants", grants.Average(), "grants per principal (mean)"),
            new($"{provider}-eval.peak", Ciem.Bench.Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
        ];
    }
}
