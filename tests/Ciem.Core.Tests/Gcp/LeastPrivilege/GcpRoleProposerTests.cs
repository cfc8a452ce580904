using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.Gcp.Usage;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;

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

        // Then a custom role with exactly those two permissions is bound at the bucket (its own IAM member resource), and replay allows them
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
        Assert.Contains("resource \"google_storage_bucket_iam_member\" \"ciem_lp_dev\" {\n  bucket = \"b\"\n  role   = google_project_iam_custom_role.ciem_lp_dev.name\n  member = \"user:dev@example.com\"\n}",
            p.Terraform, StringComparison.Ordinal);
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
        Assert.Contains($"resource \"google_storage_bucket_iam_member\" \"ciem_lp_dev\" {{\n  bucket = \"b\"\n  role   = \"{p.Role}\"\n", p.Terraform, StringComparison.Ordinal);
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

    private const string Folder = "//cloudresourcemanager.googleapis.com/folders/77";
    private const string FolderProject = "//cloudresourcemanager.googleapis.com/projects/acme-data";
    private const string ServiceAccount = "//iam.googleapis.com/projects/acme-prod/serviceAccounts/ci@acme-prod.iam.gserviceaccount.com";

    private static GcpPolicySet FolderEstate() => GcpPolicySet.Create(new GcpInventory(
        [new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
         new(Project, "cloudresourcemanager.googleapis.com/Project", Org, []),
         new(Folder, "cloudresourcemanager.googleapis.com/Folder", Org, []),
         new(FolderProject, "cloudresourcemanager.googleapis.com/Project", Folder, []),
         new(Bucket, "storage.googleapis.com/Bucket", Project, []),
         new(ServiceAccount, "iam.googleapis.com/ServiceAccount", Project, [])],
        [new IamPolicy(Org, [new IamBinding("roles/editor", [Dev])])], [], [], []));

    [Fact]
    public void Propose_WithOptions_SeasonalExceptionAndUnknownKeptAndMarked()
    {
        // Given editor used in the window to write objects, in the lookback (a quarterly job) to delete them, with
        // `storage.buckets.list` and `compute.instances.delete` kept as exceptions and no Data Access logs of Cloud Storage in the window
        var used = new GcpObservedPermission[] { new("storage.objects.create", Bucket, 30) };
        var options = new GcpProposalOptions
        {
            Lookback = [new("storage.objects.delete", Bucket, 2), new("storage.objects.create", Bucket, 90)],
            KeepPermissions = ["storage.buckets.list", "compute.instances.delete"],
            WindowDays = 90,
            ObservedDays = 45,
        };

        // When a proposal is made
        var p = GcpRoleProposer.Propose(Estate(), Dev, used, AsOf, options).Proposal!;

        // Then the window's use, the seasonal delete and the exception are kept with their reasons; so are the Cloud
        // Storage permissions only Data Access logs record (reads, object writes): unknown, not unused — but not Compute's
        Assert.Equal((KeepReason.Used, 30L), Reason(p, "storage.objects.create"));
        Assert.Equal((KeepReason.Seasonal, 2L), Reason(p, "storage.objects.delete"));
        Assert.Equal((KeepReason.Exception, 0L), Reason(p, "storage.buckets.list"));
        Assert.Equal((KeepReason.Exception, 0L), Reason(p, "compute.instances.delete"));
        Assert.Equal((KeepReason.NotRecorded, 0L), Reason(p, "storage.folders.get"));
        Assert.Equal((KeepReason.NotRecorded, 0L), Reason(p, "storage.hmacKeys.list"));
        Assert.DoesNotContain(p.Evidence, e => e.Permission == "storage.buckets.delete");
        Assert.DoesNotContain(p.Evidence, e => e.Permission == "compute.instances.get");
        Assert.All(p.Evidence, e => Assert.True(e.Permission.StartsWith("storage.", StringComparison.Ordinal) || e.Permission == "compute.instances.delete", e.Permission));
        Assert.Equal(p.Evidence.Select(e => e.Permission), p.Permissions);
        // and the confidence says why it is medium at best: half the window logged, a share of unknown permissions
        var c = p.Confidence!;
        var unknown = p.Evidence.Count(e => e.Reason == KeepReason.NotRecorded);
        Assert.Equal(ProposalConfidence.ScoreOf(90, 45, 30, unknown, p.Evidence.Length), c.Score);
        Assert.Equal("low", c.Level);
        Assert.Equal($"usage logged on 45 of 90 days, 30 calls observed; {unknown} of {p.Evidence.Length} kept permissions are unknown (not recorded by the logs)", c.Reason);
    }

    [Fact]
    public void Propose_DataAccessLogsOfTheServiceInTheWindow_ReadsAreUnusedNotKept()
    {
        // Given the same use, but Data Access entries of Cloud Storage in the window
        var options = new GcpProposalOptions { Recording = new GcpUsageRecording(["storage.googleapis.com"]) };

        // When a proposal is made
        var p = GcpRoleProposer.Propose(Estate(), Dev, [new("storage.objects.create", Bucket, 30)], AsOf, options).Proposal!;

        // Then nothing unknown is kept: the reads would have been logged
        Assert.Equal(["storage.objects.create"], p.Permissions.ToArray());
    }

    [Fact]
    public void Propose_DropUnknown_OnlyObservedKept()
    {
        // Given the user asks to drop unknown permissions / When proposed / Then only what was seen is kept
        var p = GcpRoleProposer.Propose(Estate(), Dev, [new("storage.objects.create", Bucket, 30)], AsOf, new GcpProposalOptions { DropUnknown = true }).Proposal!;

        Assert.Equal(["storage.objects.create"], p.Permissions.ToArray());
        Assert.Equal(ProposalConfidence.Compute(90, 90, 30, 0, 1), p.Confidence);
    }

    [Fact]
    public void Propose_UseAcrossProjectsOfAFolder_OrganizationCustomRoleBoundOnTheFolder()
    {
        // Given editor on the organisation, used on two projects of one folder
        var used = new GcpObservedPermission[]
        {
            new("compute.instances.start", FolderProject + "/zones/a/instances/x", 1),
            new("compute.instances.stop", "//cloudresourcemanager.googleapis.com/folders/77", 1),
        };

        // When a proposal is made
        var result = GcpRoleProposer.Propose(FolderEstate(), Dev, used, AsOf, new GcpProposalOptions { DropUnknown = true });

        // Then the role lives at the organisation (a project role cannot be granted on a folder) and is bound on the folder
        Assert.True(result.IsEmitted, string.Join("; ", result.Failures));
        var p = result.Proposal!;
        Assert.Equal("organizations/1/roles/ciem_lp_dev", p.Role);
        Assert.Equal(Folder, p.Resource);
        Assert.Contains("resource \"google_organization_iam_custom_role\" \"ciem_lp_dev\" {\n  org_id      = \"1\"\n", p.Terraform, StringComparison.Ordinal);
        Assert.Contains("resource \"google_folder_iam_member\" \"ciem_lp_dev\" {\n  folder = \"folders/77\"\n  role   = google_organization_iam_custom_role.ciem_lp_dev.name\n", p.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_UseAcrossTheOrganization_BoundOnTheOrganization()
    {
        // Given use on a project outside the folder and on the folder's project / When proposed / Then bound on the organisation
        var used = new GcpObservedPermission[] { new("compute.instances.start", Project, 1), new("compute.instances.start", FolderProject, 1) };

        var p = GcpRoleProposer.Propose(FolderEstate(), Dev, used, AsOf, new GcpProposalOptions { DropUnknown = true }).Proposal!;

        Assert.Equal(Org, p.Resource);
        Assert.Contains("resource \"google_organization_iam_member\" \"ciem_lp_dev\" {\n  org_id = \"1\"\n", p.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_UseOnAServiceAccount_ServiceAccountIamMember()
    {
        // Given the member used `iam.serviceAccounts.actAs` on one service account / When proposed / Then bound on that account
        var p = GcpRoleProposer.Propose(FolderEstate(), Dev, [new("iam.serviceAccounts.actAs", ServiceAccount, 4)], AsOf).Proposal!;

        Assert.Equal(ServiceAccount, p.Resource);
        Assert.Contains("resource \"google_service_account_iam_member\" \"ciem_lp_dev\" {\n  service_account_id = \"projects/acme-prod/serviceAccounts/ci@acme-prod.iam.gserviceaccount.com\"\n", p.Terraform, StringComparison.Ordinal);
    }

    // A Cloud Asset export names projects by number (`//cloudresourcemanager.googleapis.com/projects/424242424242`);
    // the project's own record gives its id, which the reader keeps as an alias of the node.
    private const string NumberedProject = "//cloudresourcemanager.googleapis.com/projects/424242424242";
    private const string NumberedBucket = "//storage.googleapis.com/acme-data-lake";
    private const string IdTopic = "//pubsub.googleapis.com/projects/acme-data/topics/t";

    private static GcpPolicySet NumberedEstate(bool idKnown) => GcpPolicySet.Create(new GcpInventory(
        [new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
         new(NumberedProject, "cloudresourcemanager.googleapis.com/Project", Org,
             idKnown ? ["//cloudresourcemanager.googleapis.com/projects/acme-data"] : [], idKnown ? "acme-data" : null),
         new(NumberedBucket, "storage.googleapis.com/Bucket", NumberedProject, []),
         new(IdTopic, "pubsub.googleapis.com/Topic", NumberedProject, [])],
        [new IamPolicy(NumberedProject, [new IamBinding("roles/editor", [Dev])])], [], [], []));

    [Fact]
    public void Propose_ProjectNamedByNumberWithItsIdInTheInventory_RoleAndTerraformNameTheId()
    {
        // Given editor on a project the export names by number, its id known from the project's record, used on a
        // bucket and a topic of that project
        var used = new GcpObservedPermission[] { new("storage.objects.get", NumberedBucket, 3), new("pubsub.topics.publish", IdTopic, 2) };

        // When a proposal is made
        var p = GcpRoleProposer.Propose(NumberedEstate(idKnown: true), Dev, used, AsOf).Proposal!;

        // Then the custom role is named, created and bound with the project id, as GCP and Terraform name it
        Assert.Equal(NumberedProject, p.Resource);
        Assert.Equal("projects/acme-data/roles/ciem_lp_dev", p.Role);
        Assert.Contains("resource \"google_project_iam_custom_role\" \"ciem_lp_dev\" {\n  project     = \"acme-data\"\n", p.Terraform,
            StringComparison.Ordinal);
        Assert.Contains("resource \"google_project_iam_member\" \"ciem_lp_dev\" {\n  project = \"acme-data\"\n", p.Terraform,
            StringComparison.Ordinal);
        Assert.DoesNotContain("424242424242", p.Terraform, StringComparison.Ordinal);
        Assert.DoesNotContain("variable", p.Terraform, StringComparison.Ordinal);
        Assert.DoesNotContain("not in the inventory", p.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_ProjectKnownOnlyByNumber_SaysSoAndTerraformAsksForTheId()
    {
        // Given the same estate without the project's record (only the IAM policy export, which names it by number)
        var used = new GcpObservedPermission[]
        {
            new("storage.objects.get", NumberedBucket, 3), new("pubsub.topics.publish", NumberedProject, 2),
        };

        // When a proposal is made
        var p = GcpRoleProposer.Propose(NumberedEstate(idKnown: false), Dev, used, AsOf).Proposal!;

        // Then no id is made up: the note says the id is unknown and how to give it, the role keeps the number the
        // inventory knows, and the Terraform takes the id as a variable instead of a number where an id belongs
        Assert.Equal("projects/424242424242/roles/ciem_lp_dev", p.Role);
        Assert.Contains("the project id of project number `424242424242` is not in the inventory", p.Note, StringComparison.Ordinal);
        Assert.Contains("gcloud projects list --format=json", p.Note, StringComparison.Ordinal);
        Assert.Contains("variable \"project_id_424242424242\" {\n", p.Terraform, StringComparison.Ordinal);
        Assert.Contains("  project     = var.project_id_424242424242\n", p.Terraform, StringComparison.Ordinal);
        Assert.Contains("resource \"google_project_iam_member\" \"ciem_lp_dev\" {\n  project = var.project_id_424242424242\n", p.Terraform,
            StringComparison.Ordinal);
        Assert.DoesNotContain("\"424242424242\"", p.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_PredefinedRoleOnABucketOfAProjectKnownOnlyByNumber_NeedsNoProjectId()
    {
        // Given usage of every permission of Storage Object Viewer on a bucket of the number-only project
        Assert.True(GcpRoleCatalog.Default.TryGetRole("roles/storage.objectViewer", out var viewer));
        var used = viewer.AllPermissions().Select(x => new GcpObservedPermission(x, NumberedBucket, 1)).ToList();

        // When proposed
        var p = GcpRoleProposer.Propose(NumberedEstate(idKnown: false), Dev, used, AsOf).Proposal!;

        // Then the predefined role is bound on the bucket: nothing names the project, so nothing is asked for
        Assert.True(p.IsPredefined);
        Assert.Equal(NumberedBucket, p.Resource);
        Assert.DoesNotContain("variable", p.Terraform, StringComparison.Ordinal);
        Assert.DoesNotContain("not in the inventory", p.Note, StringComparison.Ordinal);
    }

    private static (KeepReason, long) Reason(GcpRoleProposal p, string permission) =>
        p.Evidence.SingleOrDefault(e => e.Permission == permission) is { } e ? (e.Reason, e.Count)
            : throw new Xunit.Sdk.XunitException($"`{permission}` not kept; kept: {string.Join(", ", p.Evidence.Select(x => $"{x.Permission} ({x.Reason})"))}");
}
