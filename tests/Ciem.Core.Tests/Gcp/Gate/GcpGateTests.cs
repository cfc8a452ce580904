using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Gate;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Core.Tests.Gcp.Gate;

public sealed class GcpGateTests
{
    private const string Project = "//cloudresourcemanager.googleapis.com/projects/acme-prod";
    private const string Org = "//cloudresourcemanager.googleapis.com/organizations/123456789012";
    private const string Dana = "user:dana@acme.example";
    private static readonly SourceLocation At = new(File: "plan.json", JsonPath: "$.resource_changes[0].change.after");

    private static GateBinding Bind(string role, string member, string resource = Project, GcpBindingMode mode = GcpBindingMode.Member, IamCondition? condition = null) =>
        new(resource, role, [member], condition, mode, $"google_project_iam_member.{role.Replace('/', '_').Replace('.', '_')}", At);

    private static GcpGateSide Side(params GateBinding[] bindings) => GcpGateSide.Empty with { Bindings = [.. bindings] };

    private static CloudGateResult Evaluate(GcpGateSide before, GcpGateSide after, GcpInventory? inventory = null) =>
        GcpGate.Evaluate(new GcpGateChange(before, after), inventory, GcpRoleCatalog.Default);

    [Fact]
    public void Evaluate_EditorOnProject_NewAdminAndEscalation()
    {
        // Given roles/editor for a service account of another project
        var result = Evaluate(GcpGateSide.Empty, Side(Bind("roles/editor", "serviceAccount:ci@acme-build.iam.gserviceaccount.com")));
        // Then it is new administrative access, with new escalation permissions (acting as service accounts, creating keys)
        Assert.Equal(FindingSeverity.Critical, Assert.Single(result.Findings, f => f.RuleId == GateRules.NewAdmin).Severity);
        var escalation = Assert.Single(result.Findings, f => f.RuleId == GateRules.NewEscalation);
        Assert.Contains("iam.serviceAccounts.actAs", escalation.Message, StringComparison.Ordinal);
        Assert.Contains("iam.serviceAccountKeys.create", escalation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OwnerOnProject_EngineAdministrator()
    {
        // Given roles/owner on a project
        var result = Evaluate(GcpGateSide.Empty, Side(Bind("roles/owner", Dana)));
        // Then the engine says administrator, and setting the project's IAM policy is a new escalation permission
        Assert.True(Assert.Single(result.Deltas).BecameAdministrator);
        Assert.Contains(result.Findings, f => f.RuleId == GateRules.NewEscalation && f.Evidence.Any(e => e.StartsWith("resourcemanager.projects.setIamPolicy via", StringComparison.Ordinal)));
    }

    [Fact]
    public void Evaluate_ViewerOnProject_NoFinding()
    {
        // Given a viewer role / Then access grows and nothing is reported
        var result = Evaluate(GcpGateSide.Empty, Side(Bind("roles/logging.viewer", Dana)));
        Assert.NotEmpty(Assert.Single(result.Deltas).Added);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Evaluate_AllUsersOnBucket_PublicCriticalConditionalHigh()
    {
        // Given allUsers as object viewer of a bucket, and allAuthenticatedUsers under a condition
        var bucket = "//storage.googleapis.com/acme-public-assets";
        var result = Evaluate(GcpGateSide.Empty, Side(
            Bind("roles/storage.objectViewer", "allUsers", bucket),
            Bind("roles/storage.objectViewer", "allAuthenticatedUsers", bucket, condition: new IamCondition("resource.name.startsWith(\"projects/_/buckets/acme-public-assets/objects/docs/\")"))));
        // Then both are public access, the conditional one high
        var findings = result.Findings.Where(f => f.RuleId == GateRules.NewPublicTrust).OrderBy(f => f.Principal, StringComparer.Ordinal).ToList();
        Assert.Equal(["gcp:allAuthenticatedUsers", "gcp:allUsers"], findings.Select(f => f.Principal));
        Assert.Equal([FindingSeverity.High, FindingSeverity.Critical], findings.Select(f => f.Severity));
    }

    [Fact]
    public void Evaluate_OrganizationBindingForGmailUser_BroadScopeAndForeignDomain()
    {
        // Given a gmail.com user bound on the organization
        var result = Evaluate(GcpGateSide.Empty, Side(Bind("roles/iam.securityReviewer", "user:auditor@gmail.com", Org)));
        // Then the grant is at a broad scope and to a foreign (consumer) domain
        Assert.Single(result.Findings, f => f.RuleId == GateRules.BroadScope);
        Assert.Contains("gmail.com", Assert.Single(result.Findings, f => f.RuleId == GateRules.NewCrossAccountTrust).Message, StringComparison.Ordinal);
        // A project binding of a member of the organisation's domain is neither
        Assert.DoesNotContain(Evaluate(GcpGateSide.Empty, Side(Bind("roles/iam.securityReviewer", Dana))).Findings, f => f.RuleId is GateRules.BroadScope or GateRules.NewCrossAccountTrust);
    }

    [Fact]
    public void Evaluate_InventoryDomains_PartnerDomainForeignOnlyWithInventory()
    {
        // Given an inventory whose members are of acme.example
        var inventory = GcpInventory.Empty with { Policies = [new IamPolicy(Project, [new IamBinding("roles/viewer", [Dana])])] };
        var partner = Side(Bind("roles/viewer", "user:consultant@partner.example"));
        // Then a partner.example member is foreign with the inventory, undecidable (not reported) without it
        Assert.Single(Evaluate(GcpGateSide.Empty, partner, inventory).Findings, f => f.RuleId == GateRules.NewCrossAccountTrust);
        Assert.DoesNotContain(Evaluate(GcpGateSide.Empty, partner).Findings, f => f.RuleId == GateRules.NewCrossAccountTrust);
    }

    [Fact]
    public void Evaluate_SensitiveServiceAdminRole_SensitiveWildcard()
    {
        // Given the whole-service admin role of Secret Manager (sensitive) and of Compute (not)
        var result = Evaluate(GcpGateSide.Empty, Side(Bind("roles/secretmanager.admin", Dana)));
        // Then only the first is a sensitive wildcard
        Assert.Single(result.Findings, f => f.RuleId == GateRules.SensitiveWildcard);
        Assert.DoesNotContain(Evaluate(GcpGateSide.Empty, Side(Bind("roles/compute.admin", Dana))).Findings, f => f.RuleId == GateRules.SensitiveWildcard);
    }

    [Fact]
    public void Evaluate_CustomRoleWithActAs_ResolvedFromTheChange()
    {
        // Given a custom role of the change with iam.serviceAccounts.actAs, bound to a member known only after apply
        var role = new GateCustomRole(new CustomRoleDefinition("projects/acme-prod/roles/appDeployer", "App deployer", "GA", ["compute.instances.create", "iam.serviceAccounts.actAs"], false), At);
        var after = new GcpGateSide([Bind(role.Role.Name, "{google_service_account.deployer.member}"), Bind("roles/viewer", Dana)], [role], [], []);
        // When evaluated
        var result = Evaluate(GcpGateSide.Empty, after);
        // Then the symbolic member gains actAs, and does not lend it to anyone else
        Assert.Contains(result.Findings, f => f.RuleId == GateRules.NewEscalation && f.Principal == "gcp:{google_service_account.deployer.member}");
        Assert.DoesNotContain(result.Findings, f => f.Principal == $"gcp:{Dana}");
    }

    [Fact]
    public void Evaluate_BindingModeReplacesMembers_RemovedMemberLosesRole()
    {
        // Given an inventory where Dana holds roles/iam.serviceAccountTokenCreator, and a change whose `_iam_binding` lists only Carol
        var carol = "user:carol@acme.example";
        var inventory = GcpInventory.Empty with { Policies = [new IamPolicy(Project, [new IamBinding("roles/iam.serviceAccountTokenCreator", [Dana])])] };
        var before = Side(Bind("roles/iam.serviceAccountTokenCreator", Dana, mode: GcpBindingMode.Binding));
        var after = Side(Bind("roles/iam.serviceAccountTokenCreator", carol, mode: GcpBindingMode.Binding));
        // When evaluated
        var result = Evaluate(before, after, inventory);
        // Then Dana loses the role and Carol gains escalation permissions
        Assert.Empty(Assert.Single(result.Deltas, d => d.Id == $"gcp:{Dana}").After.Grants);
        Assert.Contains(result.Findings, f => f.RuleId == GateRules.NewEscalation && f.Principal == $"gcp:{carol}");
    }

    [Fact]
    public void Evaluate_UnknownAuthoritativePolicy_IndeterminateForTheResource()
    {
        // Given a `google_project_iam_policy` whose policy_data is known only after apply
        var after = GcpGateSide.Empty with { PolicyResources = [Project], UnknownPolicies = [new GateUnknownPolicy(Project, "google_project_iam_policy.project", "`policy_data` is `{data.google_iam_policy.admin.policy_data}`", At)] };
        // Then the replaced policy is an indeterminate finding on the resource
        var result = Evaluate(GcpGateSide.Empty, after);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(GateRules.IndeterminateChange, finding.RuleId);
        Assert.Equal("gcp:google_project_iam_policy.project", finding.Principal);
        Assert.True(finding.Indeterminate);
    }

    [Theory]
    [InlineData("user:a@gmail.com", "gmail.com")]
    [InlineData("serviceAccount:service-123@gcp-sa-pubsub.iam.gserviceaccount.com", null)]
    [InlineData("serviceAccount:ci@other-project.iam.gserviceaccount.com", "other-project.iam.gserviceaccount.com")]
    [InlineData("user:dana@acme.example", null)]
    [InlineData("user:{var.owner}", null)]
    public void ForeignDomain_KnownAcme_Expected(string member, string? expected) =>
        Assert.Equal(expected, GcpGate.ForeignDomain(member, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "acme.example", "acme-prod.iam.gserviceaccount.com" }));
}
