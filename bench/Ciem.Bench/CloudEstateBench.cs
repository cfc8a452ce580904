using System.Collections.Immutable;
using System.Diagnostics;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Bench;

/// <summary>
/// `azure-eval` and `gcp-eval`: a large synthetic estate built from the embedded catalogs (no shared data), then
/// single-threaded `Evaluate` calls and effective access of a sample of principals. Azure: custom roles of provider
/// wildcards and reads, <c>principals × 10</c> role assignments at management-group, subscription and resource-group
/// scope, a quarter to groups, deny assignments. GCP: an organisation, folders, <c>principals / 10</c> projects with
/// buckets, predefined roles bound to users, groups and service accounts. Deterministic for a size.
/// </summary>
internal static class CloudEstateBench
{
    private const int Requests = 50_000;
    private const int EffectiveSample = 20;

    public static IReadOnlyList<Figure> RunAzure(int principals)
    {
        var sw = Stopwatch.StartNew();
        var (estate, requests) = AzureEstateOf(principals);
        var buildMs = sw.Elapsed.TotalMilliseconds;
        var authorizer = new AzureAuthorizer(estate);
        var decisions = Measure(requests, r => authorizer.Evaluate(r).Decision, out var evalCpu);
        var catalog = AzureOperationCatalog.Default;
        var effective = Timed(() => Enumerable.Range(0, EffectiveSample)
            .Select(i => AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(AzurePrincipal(i * 37 % principals), "User", estate), estate, catalog).Access.Grants.Length).ToList(),
            out var effectiveCpu);
        return Figures("azure", principals, estate.RoleAssignments.Length, buildMs, decisions, evalCpu, effective, effectiveCpu);
    }

    public static IReadOnlyList<Figure> RunGcp(int principals)
    {
        var sw = Stopwatch.StartNew();
        var (policies, requests, members) = GcpEstateOf(principals);
        var buildMs = sw.Elapsed.TotalMilliseconds;
        var decisions = Measure(requests, r => GcpAuthorizer.Evaluate(r, policies).Decision, out var evalCpu);
        var effective = Timed(() => Enumerable.Range(0, EffectiveSample).Select(i => GcpEffectiveAccess.Compute(policies, members[i * 37 % members.Count]).Grants.Length).ToList(),
            out var effectiveCpu);
        return Figures("gcp", principals, policies.Inventory.Policies.Sum(p => p.Bindings.Length), buildMs, decisions, evalCpu, effective, effectiveCpu);
    }

    private static string AzurePrincipal(int i) => $"10000000-0000-4000-8000-{i:000000000000}";

    private static string AzureGroup(int i) => $"20000000-0000-4000-8000-{i:000000000000}";

    public static (AzureEstate Estate, AzureRequest[] Requests) AzureEstateOf(int principals)
    {
        var random = new Random(42);
        var catalog = AzureOperationCatalog.Default;
        var providers = catalog.Operations.Select(o => o.Name[..o.Name.IndexOf('/', StringComparison.Ordinal)]).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        var roles = Enumerable.Range(0, 200).Select(i =>
        {
            var picked = Enumerable.Range(0, 1 + i % 6).Select(_ => providers[random.Next(providers.Length)]).ToArray();
            ImmutableArray<string> actions = i % 10 == 0 ? ["*/read"] : [.. picked.Select(p => i % 3 == 0 ? p + "/*/read" : p + "/*")];
            ImmutableArray<string> dataActions = i % 4 == 0 ? [.. picked.Select(p => p + "/*")] : [];
            var guid = $"30000000-0000-4000-8000-{i:000000000000}";
            return new RoleDefinition($"/providers/Microsoft.Authorization/roleDefinitions/{guid}", guid, $"bench-role-{i}", "CustomRole", null,
                [new RolePermission(actions, i % 5 == 0 ? ["Microsoft.Authorization/*/write"] : [], dataActions, [])], ["/"]);
        }).ToList();
        string[] groupNames = ["root", "prod", "dev", "sandbox"];
        var mgs = groupNames.Select(n => new ManagementGroup($"/providers/Microsoft.Management/managementGroups/{n}", n, null,
            n == "root" ? null : "/providers/Microsoft.Management/managementGroups/root")).ToList();
        var subscriptions = Enumerable.Range(0, 40).Select(i => new Subscription($"00000000-0000-4000-8000-{i:000000000000}", $"sub{i}", "Enabled", null, mgs[1 + i % 3].Id)).ToList();
        var resourceGroups = Enumerable.Range(0, 2000).Select(i => $"{subscriptions[i % 40].Scope}/resourceGroups/rg{i}").ToList();
        var groups = principals / 20 + 1;
        var memberships = new GroupMemberships(Enumerable.Range(0, principals).Select(i =>
            KeyValuePair.Create(AzurePrincipal(i), (ImmutableArray<string>)[AzureGroup(i % groups), AzureGroup(i * 7 % groups)])));
        string Scope(int i) => (i % 50) switch
        {
            0 => mgs[random.Next(mgs.Count)].Id,
            < 6 => subscriptions[random.Next(subscriptions.Count)].Scope,
            _ => resourceGroups[random.Next(resourceGroups.Count)],
        };
        var assignments = Enumerable.Range(0, principals * 10).Select(i => new RoleAssignment($"ra{i}", Scope(i), roles[random.Next(roles.Count)].Id,
            i % 4 == 0 ? AzureGroup(random.Next(groups)) : AzurePrincipal(random.Next(principals)), i % 4 == 0 ? "Group" : "User")).ToList();
        var denies = Enumerable.Range(0, 200).Select(i => new DenyAssignment($"deny{i}", $"deny{i}", resourceGroups[random.Next(resourceGroups.Count)],
            [new RolePermission(["*/delete"], [], [], [])], [new DenyPrincipal(DenyPrincipal.EveryoneId, "SystemDefined")], [new DenyPrincipal(AzurePrincipal(i), "User")], false)).ToList();
        var estate = new AzureEstate(roles, assignments, denies, [], new AzureHierarchy(mgs, subscriptions), memberships);
        var operations = catalog.Operations.Where((_, i) => i % 17 == 0).ToArray();
        var requests = Enumerable.Range(0, Requests).Select(_ =>
        {
            var operation = operations[random.Next(operations.Length)];
            var scope = $"{resourceGroups[random.Next(resourceGroups.Count)]}/providers/Microsoft.Compute/virtualMachines/vm{random.Next(10)}";
            return new AzureRequest(AzurePrincipal(random.Next(principals)), operation.Name, scope, operation.IsDataAction ? AzurePlane.Data : AzurePlane.Control);
        }).ToArray();
        return (estate, requests);
    }

    public static (GcpPolicySet Policies, GcpRequest[] Requests, List<string> Members) GcpEstateOf(int principals)
    {
        var random = new Random(42);
        var catalog = GcpRoleCatalog.Default;
        var predefined = catalog.Roles.Where(r => !r.IsCustom && !r.Deleted && r.PermissionCount > 0).ToArray();
        const string org = "//cloudresourcemanager.googleapis.com/organizations/100000000001";
        var folders = Enumerable.Range(0, 20).Select(i => $"//cloudresourcemanager.googleapis.com/folders/{200000000000 + i}").ToList();
        var projects = Enumerable.Range(0, Math.Max(1, principals / 10)).Select(i => $"//cloudresourcemanager.googleapis.com/projects/bench-{i:00000}").ToList();
        var buckets = projects.SelectMany((p, i) => Enumerable.Range(0, 3).Select(b => (Bucket: $"//storage.googleapis.com/bench-{i:00000}-b{b}", Project: p))).ToList();
        var resources = new List<GcpResource> { new(org, "cloudresourcemanager.googleapis.com/Organization", null, []) };
        resources.AddRange(folders.Select(f => new GcpResource(f, "cloudresourcemanager.googleapis.com/Folder", org, [])));
        resources.AddRange(projects.Select((p, i) => new GcpResource(p, "cloudresourcemanager.googleapis.com/Project", folders[i % folders.Count], [])));
        resources.AddRange(buckets.Select(b => new GcpResource(b.Bucket, "storage.googleapis.com/Bucket", b.Project, [])));
        var members = Enumerable.Range(0, principals).Select(i => i % 10 == 0 ? $"serviceAccount:sa{i}@bench-{i / 10 % projects.Count:00000}.iam.gserviceaccount.com" : $"user:u{i}@bench.example").ToList();
        var groupCount = principals / 20 + 1;
        var groups = Enumerable.Range(0, groupCount).Select(g => new GroupMembership($"group:g{g}@bench.example",
            [.. members.Where((_, i) => i % groupCount == g)])).ToList();
        string Member(int i) => i % 4 == 0 ? groups[random.Next(groupCount)].Group : members[random.Next(members.Count)];
        var policies = new List<IamPolicy> { new(org, [new IamBinding("roles/viewer", [Member(0)]), new IamBinding("roles/browser", [groups[0].Group])]) };
        policies.AddRange(folders.Select((f, i) => new IamPolicy(f, [new IamBinding(predefined[random.Next(predefined.Length)].Name, [Member(i), Member(i + 1)])])));
        policies.AddRange(projects.Select((p, i) => new IamPolicy(p, [.. Enumerable.Range(0, 10).Select(b => new IamBinding(predefined[random.Next(predefined.Length)].Name, [Member(i * 10 + b), Member(i * 10 + b + 1)]))])));
        policies.AddRange(buckets.Where((_, i) => i % 2 == 0).Select((b, i) => new IamPolicy(b.Bucket, [new IamBinding("roles/storage.objectViewer", [Member(i)])])));
        var set = GcpPolicySet.Create(new GcpInventory([.. resources], [.. policies], [], [], [.. groups]), catalog);
        var permissions = predefined.SelectMany(r => r.Permissions).Distinct(StringComparer.Ordinal).Where((_, i) => i % 7 == 0).ToArray();
        var requests = Enumerable.Range(0, Requests).Select(_ =>
        {
            var resource = random.Next(3) == 0 ? buckets[random.Next(buckets.Count)].Bucket : projects[random.Next(projects.Count)];
            return new GcpRequest(new GcpPrincipal(members[random.Next(members.Count)]), permissions[random.Next(permissions.Length)], resource);
        }).ToArray();
        return (set, requests, members);
    }

    private static Decision[] Measure<T>(T[] requests, Func<T, Decision> evaluate, out TimeSpan cpu)
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
