using System.Collections.Immutable;
using System.Diagnostics;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Xunit.Abstractions;

namespace Ciem.Core.Tests.Gcp.Evaluation;

/// <summary>
/// Throughput figures for docs/gcp.md on a synthetic estate (1 organisation, 10 folders, 200 projects, 2,000 buckets,
/// 10 bindings per project (5 large roles to single users, 5 small roles to groups) and 2 per bucket over 1,000 users in 50 groups, one deny policy per folder, a quarter of the
/// bucket bindings conditional). Run with `--filter Category=Benchmark` and read the output.
/// </summary>
public sealed class GcpAuthorizerBenchmarkTests(ITestOutputHelper output)
{
    private static readonly string[] UserRoles = ["roles/viewer", "roles/editor", "roles/storage.admin", "roles/compute.admin", "roles/owner"];
    private static readonly string[] GroupRoles = ["roles/browser", "roles/storage.objectViewer", "roles/logging.viewer", "roles/iam.serviceAccountUser", "roles/monitoring.viewer"];

    internal static GcpPolicySet Synthetic()
    {
        const string rm = "//cloudresourcemanager.googleapis.com/";
        var resources = new List<GcpResource> { new(rm + "organizations/1", "cloudresourcemanager.googleapis.com/Organization", null, []) };
        var policies = new List<IamPolicy>();
        var denies = new List<DenyPolicy>();
        var groups = Enumerable.Range(0, 50).Select(g => new GroupMembership($"group:g{g}@example.com",
            [.. Enumerable.Range(0, 20).Select(u => $"user:u{g * 20 + u}@example.com")])).ToList();
        for (var f = 0; f < 10; f++)
        {
            resources.Add(new(rm + $"folders/{f}", "cloudresourcemanager.googleapis.com/Folder", rm + "organizations/1", []));
            denies.Add(new DenyPolicy($"policies/cloudresourcemanager.googleapis.com%2Ffolders%2F{f}/denypolicies/d", rm + $"folders/{f}", null,
                [new DenyRule([$"principalSet://goog/group/g{f}@example.com"], [], ["cloudresourcemanager.googleapis.com/projects.delete", "iam.googleapis.com/roles.*"], [])]));
        }
        for (var p = 0; p < 200; p++)
        {
            var project = rm + $"projects/{p}";
            resources.Add(new(project, "cloudresourcemanager.googleapis.com/Project", rm + $"folders/{p % 10}", []));
            policies.Add(new IamPolicy(project,
            [
                .. Enumerable.Range(0, 5).Select(b => new IamBinding(UserRoles[b], [$"user:u{(p * 5 + b) % 1000}@example.com"])),
                .. Enumerable.Range(0, 5).Select(b => new IamBinding(GroupRoles[b], [$"group:g{(p + b) % 50}@example.com"])),
            ]));
            for (var k = 0; k < 10; k++)
            {
                var bucket = $"//storage.googleapis.com/projects/_/buckets/b{p}-{k}";
                resources.Add(new(bucket, "storage.googleapis.com/Bucket", project, []));
                policies.Add(new IamPolicy(bucket,
                [
                    new IamBinding("roles/storage.objectViewer", [$"user:u{(p + k) % 1000}@example.com"],
                        k % 4 == 0 ? new IamCondition("request.time < timestamp('2030-01-01T00:00:00Z') && resource.name.startsWith('projects/_/buckets/b')") : null),
                    new IamBinding("roles/storage.objectAdmin", [$"serviceAccount:sa{p}@p{p}.iam.gserviceaccount.com"]),
                ]));
            }
        }
        return GcpPolicySet.Create(new GcpInventory([.. resources], [.. policies], [.. denies], [], [.. groups]));
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public void Evaluate_Throughput()
    {
        // Given the synthetic estate and 20,000 requests over users, permissions and buckets
        var estate = Synthetic();
        var permissions = new[] { "storage.objects.get", "storage.objects.delete", "compute.instances.delete", "resourcemanager.projects.delete", "iam.roles.update" };
        var requests = Enumerable.Range(0, 20_000).Select(i => new GcpRequest(new GcpPrincipal($"user:u{i % 1000}@example.com"),
            permissions[i % permissions.Length], $"//storage.googleapis.com/projects/_/buckets/b{i % 200}-{i % 10}",
            new ConditionAttributes(RequestTime: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))).ToList();
        foreach (var r in requests.Take(500)) { GcpAuthorizer.Evaluate(r, estate); }

        // When every request is evaluated
        var decisions = new Dictionary<Model.Decision, int>();
        var watch = Stopwatch.StartNew();
        foreach (var r in requests)
        {
            var d = GcpAuthorizer.Evaluate(r, estate).Decision;
            decisions[d] = decisions.GetValueOrDefault(d) + 1;
        }
        watch.Stop();

        // Then the figures are reported, and nothing is indeterminate
        output.WriteLine($"evaluate: {requests.Count} requests in {watch.ElapsedMilliseconds} ms = {requests.Count / watch.Elapsed.TotalSeconds:N0}/s; "
            + string.Join(", ", decisions.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        Assert.False(decisions.ContainsKey(Model.Decision.Indeterminate));
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public void ComputeAll_Throughput()
    {
        // Given the synthetic estate
        var estate = Synthetic();

        var members = GcpEffectiveAccess.Members(estate);
        GcpEffectiveAccess.Compute(estate, members[0]);

        // When the effective access of every 10th member is computed
        var sample = members.Where((_, i) => i % 10 == 0).ToList();
        var watch = Stopwatch.StartNew();
        var all = sample.Select(m => GcpEffectiveAccess.Compute(estate, m)).ToList();
        watch.Stop();

        // Then the figures are reported
        output.WriteLine($"effective access: {all.Count} of {members.Length} members, {all.Sum(a => a.Grants.Length):N0} grants in {watch.ElapsedMilliseconds} ms "
            + $"({watch.Elapsed.TotalMilliseconds / all.Count:N1} ms per member); {all.Count(a => a.IsAdministrator)} administrators");
        Assert.Equal(1000 + 200, members.Length);
    }
}
