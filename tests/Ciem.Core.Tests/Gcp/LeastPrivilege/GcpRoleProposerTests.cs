using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Gcp.LeastPrivilege;

namespace Ciem.Core.Tests.Gcp.LeastPrivilege;

public sealed class GcpRoleProposerTests
{
    private const string Org = "//cloudresourcemanager.googleapis.com/organizations/1";
    private const string Project = "//cloudresourcemanager.googleapis.com/projects/acme-prod";
    private const string Bucket = "//storage.googleapis.com/projects/_/buckets/b";
    private const string Topic = "//pubsub.googleapis.com/projects/acme-prod/topics/t";
    private const string Dev = "user:dev@example.com";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static GcpPolicySet Estate(params DenyPolicy[] denies) => GcpPolicySet.Create(new GcpInventory(
        [new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
         new(Project, "cloudresourcemanager.googleapis.com/Project", Org, []),
         new(Bucket, "storage.googleapis.com/Bucket", Project, []),
         new(Topic, "pubsub.googleapis.com/Topic", Project, [])],
        [new IamPolicy(Project, [new IamBinding("roles/editor", [Dev])])], [.. denies], [], []));

    [Fact]
    public void Propose_EditorReadingOneBucket_CustomRoleBoundAtTheBucket()
    {
        // Given editor on the project, used to read objects of one bucket
        var used = new GcpObservedPermission[] { new("storage.objects.get", Bucket, 40), new("storage.objects.list", Bucket, 4) };

        // When a proposal is made
        var result = GcpRoleProposer.Propose(Estate(), Dev, used, AsOf);

        // Then a custom role with exactly those two permissions is bound at the bucket, and replay allows them
        Assert.True(result.IsEmitted, string.Join("; ", result.Failures));
        var p = result.Proposal!;
        Assert.False(p.IsPredefined);
        Assert.Equal("projects/acme-prod/roles/ciem_lp_dev", p.Role);
        Assert.Equal(Bucket, p.Resource);
        Assert.Equal(Project, p.Project);
        Assert.Equal(["storage.objects.get", "storage.objects.list"], p.Permissions.ToArray());
        Assert.Equal(2, p.GrantedAfter);
        Assert.True(p.GrantedBefore > 1000, $"{p.GrantedBefore}");
        Assert.Equal(40, p.Evidence[0].Count);
        using var json = JsonDocument.Parse(p.Json);
        Assert.Equal(2, json.RootElement.GetProperty("includedPermissions").GetArrayLength());
        Assert.Contains("resource \"google_project_iam_custom_role\" \"ciem_lp_dev\"", p.Terraform, StringComparison.Ordinal);
        Assert.Contains("role    = google_project_iam_custom_role.ciem_lp_dev.name", p.Terraform, StringComparison.Ordinal);
        Assert.Contains("member  = \"user:dev@example.com\"", p.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_TwoResources_BoundAtTheProject()
    {
        // Given usage on a bucket and a topic of the same project / When proposed / Then bound at the project
        var used = new GcpObservedPermission[] { new("storage.objects.get", Bucket, 1), new("pubsub.topics.publish", Topic, 2) };

        var p = GcpRoleProposer.Propose(Estate(), Dev, used, AsOf).Proposal!;

        Assert.Equal(Project, p.Resource);
        Assert.DoesNotContain("narrowest resource observed", p.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_EveryPermissionOfAPredefinedRole_ProposesThePredefinedRole()
    {
        // Given usage of every permission of Storage Object Viewer
        Assert.True(GcpRoleCatalog.Default.TryGetRole("roles/storage.objectViewer", out var viewer));
        var used = viewer.AllPermissions().Select(x => new GcpObservedPermission(x, Bucket, 1)).ToList();

        // When proposed
        var p = GcpRoleProposer.Propose(Estate(), Dev, used, AsOf).Proposal!;

        // Then a predefined role of the same size is proposed instead of a custom one, and the Terraform binds it directly
        Assert.True(p.IsPredefined);
        Assert.Equal(viewer.PermissionCount, GcpRoleCatalog.Default.TryGetRole(p.Role, out var chosen) ? chosen.PermissionCount : -1);
        Assert.DoesNotContain("google_project_iam_custom_role", p.Terraform, StringComparison.Ordinal);
        Assert.Contains($"role    = \"{p.Role}\"", p.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_ObservedPermissionNowDenied_NotEmitted()
    {
        // Given a deny policy at the organisation on object reads, added after the reads were observed
        var deny = new DenyPolicy($"policies/{Uri.EscapeDataString(Org[2..])}/denypolicies/d", Org, null,
            [new DenyRule(["principal://goog/subject/dev@example.com"], [], ["storage.googleapis.com/objects.get"], [], null)]);

        // When a proposal is made
        var result = GcpRoleProposer.Propose(Estate(deny), Dev, [new("storage.objects.get", Bucket, 3)], AsOf);

        // Then replay fails and nothing is emitted
        Assert.False(result.IsEmitted);
        Assert.Equal([$"observed permission `storage.objects.get` on `{Bucket}` is ExplicitDeny with the proposed role in place"], result.Failures.ToArray());
    }
}
