using System.Collections.Immutable;
using Ciem.App.Iac;
using Ciem.App.Review;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Core.Sweep;
using Ciem.Import.Iac;
using Ciem.Storage;

namespace Ciem.App.Tests.Review;

/// <summary>
/// Apply, verify and rollback of Azure principals and GCP members through a real git repository holding Terraform
/// (docs/review.md, "Apply through IaC"): the proposals come from the real proposers, the tracking from the real
/// reductions observers over the changed estate.
/// </summary>
public sealed class ReviewCloudIacTests
{
    private const string Sub = "/subscriptions/11111111-1111-1111-1111-111111111111";
    private const string Rg = Sub + "/resourceGroups/rg-app";
    private const string Vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm1";
    private const string Alice = "aaaaaaaa-0000-0000-0000-000000000001";
    private const string Bob = "bbbbbbbb-0000-0000-0000-000000000002";
    private const string Carol = "cccccccc-0000-0000-0000-000000000003";
    private const string Evil = "ev\"il${x}";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly RoleDefinition Contributor = new(
        "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
        "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor", "BuiltInRole", null,
        [new RolePermission(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"], [], [])], ["/"]);

    private static string AzureAssignment(string label, string principal) => $$"""
        resource "azurerm_role_assignment" "{{label}}" {
          scope                = "{{Sub}}"
          role_definition_name = "Contributor"
          principal_id         = {{HclQuoted(principal)}}
        }

        """;

    private const string ResourceGroup = """
        resource "azurerm_resource_group" "app" {
          name     = "rg-app"
          location = "westeurope"
        }

        """;

    private static readonly string AzureTf = AzureAssignment("alice", Alice) + ResourceGroup + AzureAssignment("bob", Bob)
        + ResourceGroup.Replace("\"app\"", "\"data\"", StringComparison.Ordinal).Replace("rg-app", "rg-data", StringComparison.Ordinal)
        + AzureAssignment("evil", Evil);

    private const string Project = "//cloudresourcemanager.googleapis.com/projects/acme-prod";
    private const string Org = "//cloudresourcemanager.googleapis.com/organizations/1";
    private const string Bucket = "//storage.googleapis.com/projects/_/buckets/b";
    private const string Topic = "//pubsub.googleapis.com/projects/acme-prod/topics/t";
    private const string Etl = "serviceAccount:etl@acme-prod.iam.gserviceaccount.com";
    private const string Web = "serviceAccount:web@acme-prod.iam.gserviceaccount.com";
    private const string Ghost = "serviceAccount:ghost@acme-prod.iam.gserviceaccount.com";
    private const string EvilMember = "serviceAccount:ev\"il${x}@acme-prod.iam.gserviceaccount.com";
    private const string Dev = "user:dev@example.com";

    private static readonly string EditorsBinding = $$"""
        resource "google_project_iam_binding" "editors" {
          project = "acme-prod"
          role    = "roles/editor"
          members = [
            "{{Etl}}",
            "{{Dev}}",
            {{HclQuoted(EvilMember)}},
          ]
        }

        """;

    private static string GcpMember(string label, string member) => $$"""
        resource "google_project_iam_member" "{{label}}" {
          project = "acme-prod"
          role    = "roles/editor"
          member  = {{HclQuoted(member)}}
        }

        """;

    private static readonly string GcpTf = EditorsBinding + GcpMember("etl_viewer", Etl) + """
        resource "google_pubsub_topic" "t" {
          name = "t"
        }

        """ + GcpMember("web", Web);

    private static string HclQuoted(string value) => Core.Text.HclText.Quoted(value);

    /// <summary>The text with a block (with its line end) replaced by the proposal's Terraform (without its last line end).</summary>
    private static string Replaced(string text, string block, string terraform) =>
        text.Replace(block.TrimEnd('\n'), terraform.TrimEnd('\n'), StringComparison.Ordinal);

    // ---- Azure ----

    private static AzureEstate AzureBefore() => new([Contributor], [.. new[] { Alice, Bob, Carol, Evil }.Select((p, i) =>
        new RoleAssignment($"{Sub}/providers/Microsoft.Authorization/roleAssignments/ra{i}", Sub, Contributor.Id, p, "ServicePrincipal",
            null))], []);

    private static AzureRoleProposal AzureProposal(string principal)
    {
        var used = new AzureObservedOperation[]
        {
            new("Microsoft.Compute/virtualMachines/read", Vm, 12), new("Microsoft.Compute/virtualMachines/start/action", Vm, 3),
        };
        var result = AzureRoleProposer.Propose(AzureBefore(), principal, used, AsOf);
        Assert.True(result.IsEmitted, string.Join("; ", result.Failures));
        return result.Proposal!;
    }

    private static ReviewEntry AzureEntry(string principal)
    {
        var identity = new Identity("azure", principal, "sp-" + principal[..4], IdentityKind.ServiceIdentity, Sub,
            [new KeyValuePair<string, string>("owner", "team-a@example.test")], null, null);
        return ReviewEntries.FromCloud(new CloudProposal(identity, ResolvedEnvironment.Other, AzureProposal(principal), null), null);
    }

    // ---- GCP ----

    private static GcpInventory GcpInventoryOf(ImmutableArray<IamBinding> bindings, ImmutableArray<CustomRoleDefinition> roles) => new(
        [new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
         new(Project, "cloudresourcemanager.googleapis.com/Project", Org, []),
         new(Bucket, "storage.googleapis.com/Bucket", Project, []),
         new(Topic, "pubsub.googleapis.com/Topic", Project, [])],
        [new IamPolicy(Project, bindings)], [], roles, []);

    private static GcpPolicySet GcpEstate() => GcpPolicySet.Create(GcpInventoryOf(
        [new IamBinding("roles/editor", [Etl, Dev, EvilMember, Web, Ghost])], []));

    private static GcpRoleProposal GcpProposal(string member)
    {
        var used = new GcpObservedPermission[] { new("storage.objects.get", Bucket, 40), new("pubsub.topics.publish", Topic, 2) };
        var result = GcpRoleProposer.Propose(GcpEstate(), member, used, AsOf);
        Assert.True(result.IsEmitted, string.Join("; ", result.Failures));
        return result.Proposal!;
    }

    private static ReviewEntry GcpEntry(string member)
    {
        var identity = new Identity("gcp", member, member.Split(':', '@')[1], IdentityKind.ServiceIdentity, "acme-prod",
            [new KeyValuePair<string, string>("owner", "team-a@example.test")], null, null);
        return ReviewEntries.FromCloud(new CloudProposal(identity, ResolvedEnvironment.Other, null, GcpProposal(member)), null);
    }

    // ---- the campaign ----

    private static async Task<(ReviewFixture F, GitRepository Git, ReviewIacRepository Iac)> Approved(
        string tf, IReadOnlyList<ReviewEntry> entries)
    {
        var f = new ReviewFixture();
        var git = new GitRepository(Directory.CreateDirectory(f.Temp.Sub("infra")).FullName);
        git.Run("init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(git.Path, "main.tf"), tf);
        git.Run("add", "main.tf");
        git.Commit("the grants");
        var settings = ReviewSettings.Default with { Config = new ReviewConfig { BatchSize = 10 } };
        var planned = f.Programme.Plan(entries, settings, ReviewFixture.T0, "q4");
        Assert.True(planned.Ok, string.Join("; ", planned.Diagnostics));
        Assert.Equal(entries.Count, planned.Value!.Batches.Single().Items.Length);
        await f.Programme.NotifyAsync("q4", f.Outbox());
        f.Clock.Now = ReviewFixture.T0.AddDays(8);
        Assert.True(f.Programme.Approve("q4", "1", "admin@example.test").Ok);
        return (f, git, ReviewIacRepository.Open(git.Path, out _)!);
    }

    private static ReviewItemStatus Item(ReviewFixture f, string identity) =>
        f.Programme.Status("q4").Value!.Batches.SelectMany(b => b.Items).Single(i => i.Identity == identity);

    private static void NoScannerProblems(string text) =>
        Assert.Empty(TerraformSource.Read([("main.tf", text)]).Diagnostics.Where(d => d.Severity == Severity.Error));

    [Fact]
    public async Task ApplyAzure_AssignmentDefined_ReplacedByProposal_UnfoundGetsScript()
    {
        // Given approved Azure principals: one assigned in the repository, one only in the estate
        var alice = AzureProposal(Alice);
        var (f, git, iac) = await Approved(AzureTf, [AzureEntry(Alice), AzureEntry(Carol)]);
        using var fixture = f;

        // When the batch is applied through the repository
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then one branch for the subscription holds main.tf with Alice's assignment replaced by the proposed role and assignment
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        const string Branch = "ciem/review/q4/batch-1/azure-11111111-1111-1111-1111-111111111111";
        var item = Item(f, Alice);
        Assert.Equal(ReviewState.Applied, item.State);
        Assert.Equal(ReviewChange.BranchChannel, item.Change!.Channel);
        Assert.Equal(Branch, item.Change.Location);
        var expected = Replaced(AzureTf, AzureAssignment("alice", Alice), alice.Terraform);
        Assert.NotEqual(AzureTf, expected);
        var written = git.Run("show", Branch + ":main.tf");
        Assert.Equal(expected, written);
        var label = "ciem_aaaaaaaa_0000_0000_0000_000000000001";
        Assert.Contains($$"""
            resource "azurerm_role_assignment" "{{label}}" {
              scope              = "{{Vm}}"
              role_definition_id = azurerm_role_definition.{{label}}.role_definition_resource_id
              principal_id       = "{{Alice}}"
            }
            """, written, StringComparison.Ordinal);
        Assert.Contains(
            "    actions          = [\"Microsoft.Compute/virtualMachines/read\", \"Microsoft.Compute/virtualMachines/start/action\"]\n",
            written, StringComparison.Ordinal);
        Assert.Contains(AzureAssignment("bob", Bob), written, StringComparison.Ordinal);
        NoScannerProblems(written);
        Assert.Equal("main", git.CurrentBranch);
        Assert.True(git.IsClean);

        // And the principal not assigned in the repository keeps its change script, with the reason recorded
        var carol = Item(f, Carol);
        Assert.Equal(ReviewChange.ScriptChannel, carol.Change!.Channel);
        var warning = Assert.Single(result.Value!.Skipped);
        Assert.Equal(DiagnosticCodes.ReviewIacNotFound, warning.Code);
        Assert.Contains($"no `azurerm_role_assignment` has `principal_id` `{Carol}`", warning.Message, StringComparison.Ordinal);
        Assert.Contains(f.Store.LoadDecisions("q4"), d => d.Subject == Carol && d.Action == "apply"
            && d.Reason.Contains("not through the IaC repository: no `azurerm_role_assignment`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAzure_PrincipalWithQuotesAndTemplate_FoundAndWrittenEscaped()
    {
        // Given a principal id holding a quote and `${` (as Terraform writes it: `\"` and `$${`)
        Assert.Contains("principal_id         = \"ev\\\"il$${x}\"", AzureTf, StringComparison.Ordinal);
        var (f, git, iac) = await Approved(AzureTf, [AzureEntry(Evil)]);
        using var fixture = f;

        // When applied
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then it is found, and every value written keeps the quote and the template escaped
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        Assert.Empty(result.Value!.Skipped);
        var written = git.Run("show", Item(f, Evil).Change!.Location + ":main.tf");
        Assert.DoesNotContain("resource \"azurerm_role_assignment\" \"evil\"", written, StringComparison.Ordinal);
        Assert.Contains("  principal_id       = \"ev\\\"il$${x}\"\n", written, StringComparison.Ordinal);
        Assert.Contains("  name               = \"ciem-least-privilege-ev\\\"il$${x}\"\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("il${x}", written, StringComparison.Ordinal);
        NoScannerProblems(written);
    }

    [Fact]
    public async Task AzureThroughIac_VerifiedAfterReimport_DeniedFlagsBroken_RollbackKeepsOtherChange()
    {
        // Given Alice and Bob applied through one branch, merged
        var (alice, bob) = (AzureProposal(Alice), AzureProposal(Bob));
        var (f, git, iac) = await Approved(AzureTf, [AzureEntry(Alice), AzureEntry(Bob)]);
        using var fixture = f;
        var applied = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);
        Assert.True(applied.Ok, string.Join("; ", applied.Diagnostics));
        var branch = Item(f, Alice).Change!.Location;
        Assert.Equal(branch, Item(f, Bob).Change!.Location);
        git.Run("merge", "-q", "--ff-only", branch);

        // And, after the change, the logs show Bob denied an operation the proposal removed
        var day = f.Clock.Now.AddDays(1);
        f.Store.IngestUsage(new UsageIngestRequest("azure", day, [],
            [new AttemptRow(Bob, "", "Microsoft.Compute/virtualMachines/delete", Vm, DateOnly.FromDateTime(day.UtcDateTime),
                "AuthorizationFailed", 2, day, day.AddHours(1))],
            [], [], new IngestCounts(0, 0, 2, 0, 2, 0, 0, 0, 0)));
        Assert.Contains("Microsoft.Compute/virtualMachines/delete", bob.Removed, StringComparer.OrdinalIgnoreCase);

        // When the estate is imported again as the merged Terraform left it (both on their proposed roles) and verified
        var changed = new AzureEstate([Contributor, alice.Role, bob.Role], [alice.Assignment, bob.Assignment], []);
        var at = f.Clock.Now.AddDays(2);
        var tracked = f.Store.LoadReductions().Select(r => ReductionTracker.Evaluate(r,
            [AzureReductions.Observe(changed, AzureOperationCatalog.Default, r, 1, at)], TimeSpan.FromDays(7))).ToList();
        f.Clock.Now = at.AddHours(1);
        var verified = f.Programme.Verify("q4", tracked).Value!;

        // Then Alice is verified (the new assignment in place, the removed operations absent) and Bob is flagged broken
        var a = verified.Items.Single(i => i.Identity == Alice);
        Assert.Equal(ReviewState.Verified, a.State);
        Assert.StartsWith("new policy in place since", a.Reason, StringComparison.Ordinal);
        var b = verified.Items.Single(i => i.Identity == Bob);
        Assert.Equal(ReviewState.Failed, b.State);
        Assert.Contains("Microsoft.Compute/virtualMachines/delete (2× AuthorizationFailed", b.Reason, StringComparison.Ordinal);

        // When Bob is rolled back
        var rolled = f.Programme.Rollback("q4", Bob, "ops@example.test", "vm cleanup broke", iac);

        // Then the revert branch restores Bob's assignment and keeps Alice's proposal in the same file
        Assert.True(rolled.Ok, string.Join("; ", rolled.Diagnostics));
        Assert.Equal(ReviewState.RolledBack, rolled.Value!.Item.State);
        var expected = Replaced(AzureTf, AzureAssignment("alice", Alice), alice.Terraform);
        Assert.Equal(expected, git.Run("show", rolled.Value.Branch + ":main.tf"));
        Assert.Equal("main", git.CurrentBranch);
        Assert.True(f.Programme.Log("q4").Value!.Intact);
    }

    [Fact]
    public async Task ApplyGcp_SharedBindingLosesOnlyTheMember_MemberBindingReplaced_UnfoundGetsScript()
    {
        // Given approved GCP members: etl in the shared editors binding and in its own member binding; ghost nowhere in the repository
        var etl = GcpProposal(Etl);
        var (f, git, iac) = await Approved(GcpTf, [GcpEntry(Etl), GcpEntry(Ghost)]);
        using var fixture = f;

        // When the batch is applied through the repository
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then the project's branch takes etl out of the shared list only, and its member binding becomes the proposal
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        var item = Item(f, Etl);
        Assert.Equal(ReviewChange.BranchChannel, item.Change!.Channel);
        Assert.Equal("ciem/review/q4/batch-1/gcp-acme-prod", item.Change.Location);
        var written = git.Run("show", "ciem/review/q4/batch-1/gcp-acme-prod:main.tf");
        var expected = EditorsBinding.Replace($"    \"{Etl}\",\n", "", StringComparison.Ordinal)
            + etl.Terraform.TrimEnd('\n') + "\n" + GcpTf[(EditorsBinding.Length + GcpMember("etl_viewer", Etl).Length)..];
        Assert.Equal(expected, written);
        Assert.Contains($$"""
              members = [
                "{{Dev}}",
                "serviceAccount:ev\"il$${x}@acme-prod.iam.gserviceaccount.com",
              ]
            """, written, StringComparison.Ordinal);
        Assert.Contains("""
            resource "google_project_iam_member" "ciem_lp_etl" {
              project = "acme-prod"
              role    = google_project_iam_custom_role.ciem_lp_etl.name
              member  = "serviceAccount:etl@acme-prod.iam.gserviceaccount.com"
            }
            """, written, StringComparison.Ordinal);
        Assert.Contains("  permissions = [\"pubsub.topics.publish\", \"storage.objects.get\"]\n", written, StringComparison.Ordinal);
        Assert.Contains(GcpMember("web", Web), written, StringComparison.Ordinal);
        NoScannerProblems(written);

        // And the member the repository does not name keeps its change script, with the reason
        Assert.Equal(ReviewChange.ScriptChannel, Item(f, Ghost).Change!.Channel);
        var warning = Assert.Single(result.Value!.Skipped);
        Assert.Contains($"no `google_*_iam_member` or `google_*_iam_binding` names `{Ghost}`", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyGcp_MemberWithQuotesAndTemplate_LeavesSharedListEscaped()
    {
        // Given a member holding a quote and `${`, in the shared binding only
        var (f, git, iac) = await Approved(GcpTf, [GcpEntry(EvilMember)]);
        using var fixture = f;

        // When applied
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);

        // Then it leaves the list (the others stay), and the proposal follows the binding with every value escaped
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        Assert.Empty(result.Value!.Skipped);
        var written = git.Run("show", Item(f, EvilMember).Change!.Location + ":main.tf");
        Assert.Contains($$"""
              members = [
                "{{Etl}}",
                "{{Dev}}",
              ]
            }

            resource "google_project_iam_custom_role" "ciem_lp_ev_il__x_" {
            """, written, StringComparison.Ordinal);
        Assert.Contains("  title       = \"Least privilege for serviceAccount:ev\\\"il$${x}@acme-prod.iam.gserviceaccount.com\"\n", written,
            StringComparison.Ordinal);
        Assert.Contains("  member  = \"serviceAccount:ev\\\"il$${x}@acme-prod.iam.gserviceaccount.com\"\n", written,
            StringComparison.Ordinal);
        Assert.DoesNotContain("il${x}", written, StringComparison.Ordinal);
        NoScannerProblems(written);
    }

    [Fact]
    public async Task GcpThroughIac_VerifiedAfterReimport_DeniedFlagsBroken_RollbackKeepsOtherChange()
    {
        // Given etl and web applied through the project's branch, merged
        var (etl, web) = (GcpProposal(Etl), GcpProposal(Web));
        var (f, git, iac) = await Approved(GcpTf, [GcpEntry(Etl), GcpEntry(Web)]);
        using var fixture = f;
        var applied = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test", iac);
        Assert.True(applied.Ok, string.Join("; ", applied.Diagnostics));
        git.Run("merge", "-q", "--ff-only", "ciem/review/q4/batch-1/gcp-acme-prod");
        var merged = await File.ReadAllTextAsync(Path.Combine(git.Path, "main.tf"));

        // And, after the change, web is denied a permission the proposal removed
        Assert.Contains("compute.instances.delete", web.Removed);
        f.Store.IngestUsage(new UsageIngestRequest("gcp", f.Clock.Now.AddDays(1), [],
            [new AttemptRow(Web, "", "compute.instances.delete", Project, DateOnly.FromDateTime(f.Clock.Now.AddDays(1).UtcDateTime),
                "PERMISSION_DENIED", 1, f.Clock.Now.AddDays(1), f.Clock.Now.AddDays(1))],
            [], [], new IngestCounts(0, 0, 1, 0, 1, 0, 0, 0, 0)));

        // When the estate is imported again as the merged Terraform left it and verified
        var custom = ImmutableArray.Create(
            new CustomRoleDefinition(etl.Role, "etl", "GA", etl.Permissions, false),
            new CustomRoleDefinition(web.Role, "web", "GA", web.Permissions, false));
        var changed = GcpPolicySet.Create(GcpInventoryOf(
            [new IamBinding("roles/editor", [Dev, EvilMember, Ghost]), new IamBinding(etl.Role, [Etl]), new IamBinding(web.Role, [Web])],
            custom));
        var at = f.Clock.Now.AddDays(2);
        var tracked = f.Store.LoadReductions()
            .Select(r => ReductionTracker.Evaluate(r, [GcpReductions.Observe(changed, r, 1, at)], TimeSpan.FromDays(7))).ToList();
        f.Clock.Now = at.AddHours(1);
        var verified = f.Programme.Verify("q4", tracked).Value!;

        // Then etl is verified and web flagged broken
        Assert.Equal(ReviewState.Verified, verified.Items.Single(i => i.Identity == Etl).State);
        var w = verified.Items.Single(i => i.Identity == Web);
        Assert.Equal(ReviewState.Failed, w.State);
        Assert.Contains("compute.instances.delete (1× PERMISSION_DENIED", w.Reason, StringComparison.Ordinal);

        // When web is rolled back
        var rolled = f.Programme.Rollback("q4", Web, "ops@example.test", "vm job broke", iac);

        // Then the revert branch restores web's binding and keeps etl's change in the same file
        Assert.True(rolled.Ok, string.Join("; ", rolled.Diagnostics));
        var reverted = git.Run("show", rolled.Value!.Branch + ":main.tf");
        Assert.Equal(merged.Replace(web.Terraform.TrimEnd('\n'), GcpMember("web", Web).TrimEnd('\n'), StringComparison.Ordinal), reverted);
        Assert.Contains(GcpMember("web", Web), reverted, StringComparison.Ordinal);
        Assert.Contains(etl.Terraform.TrimEnd('\n'), reverted, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{Etl}\",\n", reverted, StringComparison.Ordinal);
    }

    [Fact]
    public void CloudIdentityRewriter_SoleMemberOfBinding_BlockRemoved_ReferenceNotMatched()
    {
        // Given a binding with the member alone and a member written through a reference
        var texts = new Dictionary<string, string>
        {
            ["iam.tf"] = """
                resource "google_storage_bucket_iam_binding" "readers" {
                  bucket  = "b"
                  role    = "roles/storage.objectViewer"
                  members = ["serviceAccount:etl@acme-prod.iam.gserviceaccount.com"]
                }

                resource "google_folder_iam_member" "ref" {
                  folder = "folders/1"
                  role   = "roles/viewer"
                  member = "serviceAccount:${google_service_account.web.email}"
                }

                """,
        };

        // When etl and web are rewritten
        var etl = CloudIdentityRewriter.Rewrite(texts, new CloudIdentityProposal("gcp", Etl, "# proposal\n"));
        var web = CloudIdentityRewriter.Rewrite(texts, new CloudIdentityProposal("gcp", Web, "# proposal\n"));

        // Then etl's binding is replaced whole; web is not found, the reference counted in the reason
        Assert.Null(etl.NotFound);
        Assert.StartsWith("# proposal\n\nresource \"google_folder_iam_member\" \"ref\"", etl.ChangedFiles["iam.tf"],
            StringComparison.Ordinal);
        Assert.Empty(web.ChangedFiles);
        Assert.Equal($"no `google_*_iam_member` or `google_*_iam_binding` names `{Web}` in the repository "
            + "(1 grant(s) name their principal through a reference, not resolved)", web.NotFound);
    }
}
