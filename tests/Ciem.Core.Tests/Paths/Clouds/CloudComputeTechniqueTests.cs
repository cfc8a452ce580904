using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using static Ciem.Core.Tests.Paths.Clouds.CloudScenario;

namespace Ciem.Core.Tests.Paths.Clouds;

/// <summary>
/// One scenario per modelled compute technique (GCP `actAs` with a compute service, Azure code run as a managed identity),
/// each with near-miss twins that cannot: a condition that never holds, the right on another identity only, a missing
/// compute permission, a deny policy or deny assignment.
/// </summary>
public sealed class CloudComputeTechniqueTests
{
    private const string Deployer = "deployer@proj-a.iam.gserviceaccount.com";
    private const string Other = "other@proj-a.iam.gserviceaccount.com";
    private const string Dev = "user:dev@example.com";
    private const string DevPrincipal = "principal://goog/subject/dev@example.com";
    private const string Runner = "projects/proj-a/roles/runner";
    private const string Expired = "request.time < timestamp(\"2020-01-01T00:00:00Z\")";

    public static TheoryData<string, string[], string[]> GcpCompute => new()
    {
        // technique, the permissions granted on the project, the same in deny-policy form
        { "gcp-actas-compute", ["compute.instances.create", "compute.disks.create", "compute.subnetworks.use"],
            ["compute.googleapis.com/instances.create"] },
        { "gcp-actas-cloudfunctions", ["cloudfunctions.functions.create"], ["cloudfunctions.googleapis.com/functions.create"] },
        { "gcp-actas-cloudfunctions", ["cloudfunctions.functions.sourceCodeSet"],
            ["cloudfunctions.googleapis.com/functions.sourceCodeSet"] },
        { "gcp-actas-run", ["run.services.create"], ["run.googleapis.com/services.create"] },
        { "gcp-actas-run", ["run.jobs.create"], ["run.googleapis.com/jobs.create"] },
        { "gcp-actas-cloudbuild", ["cloudbuild.builds.create"], ["cloudbuild.googleapis.com/builds.create"] },
        { "gcp-actas-dataflow", ["dataflow.jobs.create"], ["dataflow.googleapis.com/jobs.create"] },
        { "gcp-actas-composer", ["composer.environments.create"], ["composer.googleapis.com/environments.create"] },
    };

    /// <summary>The owner account of proj-a and another account, Dev's compute role on the project (a custom role).</summary>
    private static CloudScenario Gcp(string[] permissions, string? condition = null) => new CloudScenario()
        .ServiceAccount(Deployer, "111222333").ServiceAccount(Other, "444555666")
        .Bind(Project, "roles/owner", "serviceAccount:" + Deployer)
        .CustomGcpRole(Runner, permissions).Bind(Project, Runner, Dev, condition);

    [Theory]
    [MemberData(nameof(GcpCompute))]
    public void Gcp_ActAsWithTheComputePermission_BecomesTheAccount(string technique, string[] permissions, string[] denied)
    {
        _ = denied;
        // Given Dev with actAs on the owner account (Service Account User) and the compute permission on the project
        var paths = Gcp(permissions).Bind(SaResource(Deployer), "roles/iam.serviceAccountUser", Dev).Paths();

        // Then the edge is the technique, certain, and Dev reaches administrator of the project through the account
        var edge = paths.Edge(Dev, Deployer);
        Assert.Equal(technique, edge?.Technique.Id);
        Assert.Equal(EdgeCertainty.Certain, edge!.Certainty);
        Assert.Contains(edge.Evidence, e => e.Contains("iam.serviceAccounts.actAs", StringComparison.Ordinal));
        Assert.Equal([technique, "gcp-administrator"], paths.Standing(Dev).Shortest.Techniques());
    }

    [Theory]
    [MemberData(nameof(GcpCompute))]
    public void Gcp_ActAs_NearMissTwins_CannotBecomeTheAccount(string technique, string[] permissions, string[] denied)
    {
        _ = technique;
        // Given four twins of the scenario above
        // - the compute binding under a condition that expired in 2020
        var expired = Gcp(permissions, Expired).Bind(SaResource(Deployer), "roles/iam.serviceAccountUser", Dev).Paths();
        // - actAs on another account only
        var elsewhere = Gcp(permissions).Bind(SaResource(Other), "roles/iam.serviceAccountUser", Dev).Paths();
        // - actAs on the owner account, but no compute permission (a read permission of the same service instead)
        var readOnly = new CloudScenario().ServiceAccount(Deployer, "111222333").Bind(Project, "roles/owner", "serviceAccount:" + Deployer)
            .CustomGcpRole(Runner, "resourcemanager.projects.get").Bind(Project, Runner, Dev)
            .Bind(SaResource(Deployer), "roles/iam.serviceAccountUser", Dev).Paths();
        // - a deny policy on the compute permission for Dev
        var deny = Gcp(permissions).Bind(SaResource(Deployer), "roles/iam.serviceAccountUser", Dev).DenyGcp(DevPrincipal, denied).Paths();

        // Then none of them has an edge to the owner account, nor a path to administrator
        foreach (var paths in new[] { expired, elsewhere, readOnly, deny })
        {
            Assert.Null(paths.Edge(Dev, Deployer));
            Assert.Equal(AdminCategory.None, paths.Standing(Dev).Category);
        }
        // and the account Dev may act as, but that holds nothing, is reached (the technique applies to it)
        Assert.NotNull(elsewhere.Edge(Dev, Other));
    }

    public static TheoryData<string, string, string[], string[]> AzureRunsAs => new()
    {
        // resource type, technique, the operations that run code, a near-miss grant (part of them, or a read)
        { "Microsoft.Compute/virtualMachineScaleSets", "azure-vmss-run-command",
            ["Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action"],
                ["Microsoft.Compute/virtualMachineScaleSets/read"] },
        { "Microsoft.Compute/virtualMachineScaleSets", "azure-vmss-run-command",
            ["Microsoft.Compute/virtualMachineScaleSets/extensions/write"], ["Microsoft.Compute/virtualMachineScaleSets/extensions/read"] },
        { "Microsoft.Web/sites", "azure-web-app-deploy", ["Microsoft.Web/sites/publishxml/Action"], ["Microsoft.Web/sites/read"] },
        { "Microsoft.Web/sites", "azure-web-app-deploy", ["Microsoft.Web/sites/config/Write"], ["Microsoft.Web/sites/config/Read"] },
        { "Microsoft.Automation/automationAccounts", "azure-automation-runbook",
            ["Microsoft.Automation/automationAccounts/runbooks/write", "Microsoft.Automation/automationAccounts/jobs/write"],
            ["Microsoft.Automation/automationAccounts/runbooks/write"] },
        { "Microsoft.Logic/workflows", "azure-logic-app",
            ["Microsoft.Logic/workflows/write", "Microsoft.Logic/workflows/triggers/run/action"], ["Microsoft.Logic/workflows/write"] },
        { "Microsoft.ContainerInstance/containerGroups", "azure-container-exec",
            ["Microsoft.ContainerInstance/containerGroups/containers/exec/action"], ["Microsoft.ContainerInstance/containerGroups/read"] },
        { "Microsoft.Compute/virtualMachines", "azure-vm-run-command",
            ["Microsoft.Compute/virtualMachines/runCommands/write"], ["Microsoft.Compute/virtualMachines/runCommands/read"] },
        { "Microsoft.Storage/storageAccounts", "azure-resource-write",
            ["Microsoft.Storage/storageAccounts/write"], ["Microsoft.Storage/storageAccounts/read"] },
    };

    private static readonly string Alice = Id(101);
    private static readonly string Mi = Id(201);
    private const string OtherRg = Sub + "/resourceGroups/rg-other";
    private const string Runs = "aaaaaaaa-0000-0000-0000-000000000001";

    /// <summary>A resource of the type in rg-app whose managed identity is Owner of the subscription; Alice's custom role.</summary>
    private static CloudScenario Azure(string type, string[] operations, string scope = Rg) => new CloudScenario()
        .ManagedIdentity(Mi, "the-resource", $"{Rg}/providers/{type}/the-resource").Assign(Mi, Owner, Sub, "ServicePrincipal")
        .CustomAzureRole(Runs, "runner", Sub, operations).Assign(Alice, Runs, scope);

    [Theory]
    [MemberData(nameof(AzureRunsAs))]
    public void Azure_CodeRunAsTheManagedIdentity_BecomesIt_AndTwinsCannot(string type, string technique, string[] operations,
        string[] nearMiss)
    {
        // Given Alice with the operations on the resource group
        var paths = Azure(type, operations).Paths();

        // Then she becomes the identity with the technique (a type whose code is not modelled: indeterminate) and reaches administrator
        var edge = paths.Edge(Alice, Mi);
        Assert.Equal(technique, edge?.Technique.Id);
        Assert.Equal(technique == "azure-resource-write" ? EdgeCertainty.Indeterminate : EdgeCertainty.Certain, edge!.Certainty);
        Assert.Equal([technique, "azure-administrator"], paths.Standing(Alice).Shortest.Techniques());

        // Given three twins: the near-miss grant only, the operations on another resource group, a deny assignment on them
        var partial = Azure(type, nearMiss).Paths();
        var elsewhere = Azure(type, operations, OtherRg).Paths();
        var denied = Azure(type, operations).DenyAzure(Alice, Rg, operations).Paths();

        // Then none becomes the identity
        foreach (var twin in new[] { partial, elsewhere, denied })
        {
            Assert.Null(twin.Edge(Alice, Mi));
            Assert.Equal(AdminCategory.None, twin.Standing(Alice).Category);
        }
    }
}
