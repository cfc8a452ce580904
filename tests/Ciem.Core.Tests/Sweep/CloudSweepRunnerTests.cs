using Ciem.Core.Azure;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.Core.Tests.Sweep;

/// <summary>Azure and GCP estates in the shapes `az`/ARM and Cloud Asset Inventory give, swept with usage rows.</summary>
public sealed class CloudSweepRunnerTests
{
    internal static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    internal const string Platform = "11111111-1111-4111-8111-111111111111";
    internal const string Staging = "22222222-2222-4222-8222-222222222222";
    internal const string CiDeploy = "c1de9107-0000-4000-8000-000000000003";
    internal const string Batch = "ba7c0000-0000-4000-8000-000000000004";
    internal const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string BuildVm = "/subscriptions/" + Staging + "/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/vm-build";
    private const string BatchStorage = "/subscriptions/" + Platform + "/resourceGroups/rg-batch/providers/Microsoft.Storage/storageAccounts/stbatch";

    private static readonly RoleDefinition Contributor = new("/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
        "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor", "BuiltInRole", "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
        [new RolePermission(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"], [], [])], ["/"]);

    private static readonly RoleDefinition Owner = new("/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "BuiltInRole", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        [new RolePermission(["*"], [], [], [])], ["/"]);

    private static RoleAssignment Assign(string scope, RoleDefinition role, string principal, string type, string name) =>
        new($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", scope, role.Id, principal, type, name);

    /// <summary>
    /// `contoso-platform` tagged env=prod with `rg-batch` tagged environment=uat; `contoso-staging` untagged. ci-deploy
    /// is Contributor on staging, batch Contributor on rg-batch, alice Owner of the platform subscription.
    /// </summary>
    internal static AzureInventory Azure() => AzureInventory.Empty with
    {
        RoleDefinitions = [Contributor, Owner],
        RoleAssignments =
        [
            Assign($"/subscriptions/{Staging}", Contributor, CiDeploy, "ServicePrincipal", "ci-deploy"),
            Assign($"/subscriptions/{Platform}/resourceGroups/rg-batch", Contributor, Batch, "ServicePrincipal", "batch-runner"),
            Assign($"/subscriptions/{Platform}", Owner, Alice, "User", "alice@contoso.example"),
        ],
        Subscriptions =
        [
            new Subscription(Platform, "contoso-platform", "Enabled", null, null, new Dictionary<string, string> { ["env"] = "prod" }),
            new Subscription(Staging, "contoso-staging", "Enabled", null, null),
        ],
        ResourceGroups =
        [
            new ResourceGroup($"/subscriptions/{Platform}/resourceGroups/rg-batch", "rg-batch", Platform, "westeurope", new Dictionary<string, string> { ["environment"] = "uat" }),
            new ResourceGroup($"/subscriptions/{Staging}/resourceGroups/rg-build", "rg-build", Staging, "westeurope"),
        ],
    };

    internal static readonly ObservedUse[] AzureUsage =
    [
        new(CiDeploy, "Microsoft.Compute/virtualMachines/read", BuildVm, 30, AsOf.AddDays(-2)),
        new(CiDeploy, "Microsoft.Compute/virtualMachines/start/action", BuildVm, 4, AsOf.AddDays(-2)),
        new(Batch, "Microsoft.Storage/storageAccounts/read", BatchStorage, 12, AsOf.AddDays(-5)),
        // alice only signed in: active in Entra, but she used none of her grants
        new("alice@contoso.example", "entra:signIn", "", 3, AsOf.AddDays(-1)),
    ];

    internal const string Org = "//cloudresourcemanager.googleapis.com/organizations/1";
    internal const string Folder = "//cloudresourcemanager.googleapis.com/folders/10";
    internal const string Web = "//cloudresourcemanager.googleapis.com/projects/acme-web";
    internal const string Core = "//cloudresourcemanager.googleapis.com/projects/acme-core";
    internal const string Bucket = "//storage.googleapis.com/projects/_/buckets/web-assets";
    internal const string Runner = "serviceAccount:web-runner@acme-web.iam.gserviceaccount.com";
    internal const string Agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
    internal const string Dana = "user:dana@acme.example";

    /// <summary>Folder `production` holding acme-web (labelled env=preprod) and acme-core (unlabelled).</summary>
    internal static GcpPolicySet Gcp() => GcpPolicySet.Create(GcpInventory.Empty with
    {
        Resources =
        [
            new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
            new(Folder, "cloudresourcemanager.googleapis.com/Folder", Org, [], "production"),
            new(Web, "cloudresourcemanager.googleapis.com/Project", Folder, [], "acme-web", new Dictionary<string, string> { ["env"] = "preprod" }),
            new(Core, "cloudresourcemanager.googleapis.com/Project", Folder, [], "acme-core"),
            new(Bucket, "storage.googleapis.com/Bucket", Web, []),
        ],
        Policies =
        [
            new IamPolicy(Web, [new IamBinding("roles/editor", [Runner])]),
            new IamPolicy(Core, [new IamBinding("roles/pubsub.serviceAgent", [Agent]), new IamBinding("roles/viewer", [Dana])]),
        ],
    });

    internal const string WebVm = "//compute.googleapis.com/projects/acme-web/zones/europe-west1-b/instances/web-1";

    internal static readonly ObservedUse[] GcpUsage =
    [
        new(Runner, "compute.instances.get", WebVm, 40, AsOf.AddDays(-3)),
        new(Agent, "iam.serviceAccounts.getAccessToken", "//iam.googleapis.com/projects/acme-core/serviceAccounts/pusher@acme-core.iam.gserviceaccount.com", 900, AsOf.AddDays(-1)),
    ];

    [Fact]
    public void RunAzure_ThreePrincipals_ProposesForActiveOverPermissionedOnly()
    {
        // Given the Azure estate and a window of activity
        // When swept
        var result = CloudSweepRunner.RunAzure(Azure(), AzureUsage, new HashSet<string> { "entra:signIn" }, AsOf);

        // Then every principal has a gap, and the two service principals get a verified custom role
        Assert.Equal("azure", result.Provider);
        Assert.Equal(3, result.Identities.Length);
        var byId = result.Identities.ToDictionary(i => i.Gap.Identity.Id);
        Assert.Equal([Batch, CiDeploy], result.Proposals.Select(p => p.Identity.Id).Order(StringComparer.Ordinal).ToArray());
        var ci = result.Proposals.Single(p => p.Identity.Id == CiDeploy);
        Assert.Equal(2, ci.GrantedAfter);
        Assert.Equal(byId[CiDeploy].Gap.Granted, ci.GrantedBefore);
        Assert.Equal(2, byId[CiDeploy].GrantedAfter);
        Assert.Contains($"at `{BuildVm}`", ci.Summary, StringComparison.Ordinal);
        Assert.Equal("role.json", ci.DocumentExtension);
        Assert.Contains("\"Microsoft.Compute/virtualMachines/start/action\"", ci.Document, StringComparison.Ordinal);
        Assert.Contains("azurerm_role_assignment", ci.Terraform, StringComparison.Ordinal);

        // And alice, an Owner who only signed in, is an inactive, unused administrator with no proposal
        var alice = byId[Alice];
        Assert.Equal((true, true, false, 0, 0L), (alice.Gap.Inactive, alice.Gap.IsAdministrator, alice.Gap.AdminActionUsed, alice.Gap.Used, alice.Gap.Calls));
        Assert.Equal(AsOf.AddDays(-1), alice.Gap.LastActivity);
        Assert.Equal(alice.Gap.Granted, alice.GrantedAfter);
        Assert.Empty(result.Failures);

        // And environments come from tags first (rg-batch: uat; platform: env=prod), names otherwise (contoso-staging)
        Assert.Equal(("preprod", EnvironmentSource.Name), (byId[CiDeploy].Environment.Name, byId[CiDeploy].Environment.Source));
        Assert.Equal(("preprod", "environment=uat on resource group rg-batch"), (byId[Batch].Environment.Name, byId[Batch].Environment.Evidence));
        Assert.Equal(("prod", EnvironmentSource.Tag), (alice.Environment.Name, alice.Environment.Source));
    }

    [Fact]
    public void RunAzure_WithEvidence_ReadsUnknownNotUnusedAndSeasonalKept()
    {
        // Given the same estate, usage, and evidence: a lookback in which ci-deploy also deallocated the VM, and the
        // Activity Log alone (no data-plane logs)
        var evidence = new CloudSweepEvidence
        {
            Lookback = [new(CiDeploy, "Microsoft.Compute/virtualMachines/deallocate/action", BuildVm, 1, AsOf.AddDays(-200))],
            ObservedDays = 90,
        };

        // When swept with the evidence
        var plain = CloudSweepRunner.RunAzure(Azure(), AzureUsage, new HashSet<string> { "entra:signIn" }, AsOf);
        var result = CloudSweepRunner.RunAzure(Azure(), AzureUsage, new HashSet<string> { "entra:signIn" }, AsOf, evidence: evidence);

        // Then granted reads the log cannot show are unknown, not unused: unused + unknown + used = granted
        var gap = result.Identities.Single(i => i.Gap.Identity.Id == CiDeploy).Gap;
        var before = plain.Identities.Single(i => i.Gap.Identity.Id == CiDeploy).Gap;
        Assert.True(gap.Unknown > 0);
        Assert.Equal(gap.Granted, gap.Used + gap.Unused + gap.Unknown);
        Assert.Equal(before.Unused, gap.Unused + gap.Unknown);
        // (a read it never made is unknown; a write it never made is unused; what it used is neither)
        Assert.Contains("Microsoft.Storage/storageAccounts/read", gap.UnknownPermissions);
        Assert.DoesNotContain("Microsoft.Compute/virtualMachines/delete", gap.UnknownPermissions);
        Assert.DoesNotContain("Microsoft.Compute/virtualMachines/read", gap.UnknownPermissions);

        // And the proposal keeps the seasonal deallocation beside the used operations, with a confidence
        var proposal = result.Proposals.Single(p => p.Identity.Id == CiDeploy).Azure!;
        Assert.Contains("\"Microsoft.Compute/virtualMachines/deallocate/action\"", proposal.RoleDefinitionJson, StringComparison.Ordinal);
        Assert.Contains(proposal.Evidence, e => e.Operation == "Microsoft.Compute/virtualMachines/deallocate/action" && e.Reason == KeepReason.Seasonal);
        Assert.NotNull(proposal.Confidence);
    }

    [Fact]
    public void RunAzure_MinimumUnusedShareAboveEveryPrincipal_NoProposal()
    {
        // Given a threshold no principal reaches / When swept / Then nothing is proposed and everyone keeps what they hold
        var result = CloudSweepRunner.RunAzure(Azure(), AzureUsage, null, AsOf, new SweepOptions { MinimumUnusedShare = 1.01 });
        Assert.Empty(result.Proposals);
        Assert.All(result.Identities, i => Assert.Equal(i.Gap.Granted, i.GrantedAfter));
    }

    [Fact]
    public void RunGcp_EditorServiceAgentAndIdleViewer_ProposalExclusionAndNothing()
    {
        // Given the GCP estate and a window of audit-log usage
        // When swept
        var result = CloudSweepRunner.RunGcp(Gcp(), GcpUsage, AsOf);

        // Then the editor that read one instance gets a verified custom role, bound at the instance
        Assert.Equal("gcp", result.Provider);
        var byId = result.Identities.ToDictionary(i => i.Gap.Identity.Id);
        Assert.Equal([Agent, Runner, Dana], byId.Keys.Order(StringComparer.Ordinal).ToArray());
        var runner = Assert.Single(result.Proposals);
        Assert.Equal(Runner, runner.Identity.Id);
        Assert.Equal((WebVm, 1, "role.json"), (runner.Gcp!.Resource, runner.GrantedAfter, runner.DocumentExtension));
        Assert.Equal(1, byId[Runner].Gap.Used);
        Assert.Equal(("preprod", EnvironmentSource.Tag), (byId[Runner].Environment.Name, byId[Runner].Environment.Source));

        // And the Google-managed service agent is excluded with the reason, the idle viewer is inactive, in prod by its folder's name
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(Agent, excluded.Identity.Id);
        Assert.Contains("Google-managed service agent", excluded.Reason, StringComparison.Ordinal);
        Assert.Equal(byId[Agent].Gap.Granted, byId[Agent].GrantedAfter);
        Assert.True(byId[Dana].Gap.Inactive);
        Assert.Equal(("prod", EnvironmentSource.Name), (byId[Dana].Environment.Name, byId[Dana].Environment.Source));
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void RunGcp_UsageAcrossTwoProjects_FailureWithTheProposersReason()
    {
        // Given the editor seen on an instance of its project and on one of another project (a grant not imported)
        var usage = new ObservedUse[]
        {
            new(Runner, "compute.instances.get", WebVm, 3, AsOf.AddDays(-1)),
            new(Runner, "compute.instances.get", "//compute.googleapis.com/projects/acme-core/zones/europe-west1-b/instances/core-1", 2, AsOf.AddDays(-1)),
        };

        // When swept
        var result = CloudSweepRunner.RunGcp(Gcp(), usage, AsOf);

        // Then no proposal: the failure says why, and the principal keeps what it holds
        Assert.Empty(result.Proposals);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(Runner, failure.Identity.Id);
        Assert.Contains("span projects", Assert.Single(failure.Reasons), StringComparison.Ordinal);
        Assert.Equal(result.Identities.Single(i => i.Gap.Identity.Id == Runner).Gap.Granted, result.Identities.Single(i => i.Gap.Identity.Id == Runner).GrantedAfter);
    }

    [Theory]
    [InlineData("serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com", true)]
    [InlineData("serviceAccount:123456789012@cloudservices.gserviceaccount.com", true)]
    [InlineData("serviceAccount:service-123456789012@compute-system.iam.gserviceaccount.com", true)]
    [InlineData("serviceAccount:web-runner@acme-web.iam.gserviceaccount.com", false)]
    [InlineData("serviceAccount:123456789012-compute@developer.gserviceaccount.com", false)]
    public void ExcludedGcp_ServiceAccount_OnlyGoogleManagedAgents(string member, bool excluded)
    {
        // Given a service account / When checked / Then only Google's service agents are excluded
        var identity = new Identity("gcp", member, member, IdentityKind.ServiceIdentity, "", [], null, null);
        Assert.Equal(excluded, CloudSweepRunner.ExcludedGcp(identity) is not null);
    }
}
