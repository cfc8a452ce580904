using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;

namespace Ciem.Core.Tests.Paths.Clouds;

/// <summary>Small Azure, Entra, GCP and AWS estates in the providers' export shapes, for multi-cloud path tests.</summary>
internal sealed class CloudScenario
{
    public const string Sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
    public const string Rg = Sub + "/resourceGroups/rg-app";
    public const string Tenant = "11111111-1111-1111-1111-111111111111";
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    public const string RbacAdministrator = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    public const string VmContributor = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c";
    public const string ManagedIdentityContributor = "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59";
    public const string Project = "//cloudresourcemanager.googleapis.com/projects/proj-a";
    public const string Organization = "//cloudresourcemanager.googleapis.com/organizations/100";
    public static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<RoleAssignment> _assignments = [];
    private readonly List<EligibleAssignment> _eligible = [];
    private readonly List<DenyAssignment> _denies = [];
    private readonly List<RoleDefinition> _roles = [];
    private readonly List<DirectoryUser> _users = [];
    private readonly List<DirectoryGroup> _groups = [];
    private readonly List<DirectoryServicePrincipal> _sps = [];
    private readonly List<DirectoryApplication> _apps = [];
    private readonly List<DirectoryRole> _directoryRoles = [];
    private readonly List<IamPolicy> _policies = [];
    private readonly List<DenyPolicy> _denyPolicies = [];
    private readonly List<CustomRoleDefinition> _customRoles = [];
    private readonly List<ServiceAccount> _accounts = [];
    private readonly List<PersonLink> _people = [];
    private PathScenario? _aws;
    private int _n;

    public static string Id(int n) => $"00000000-0000-0000-0000-{n:D12}";

    // ---------- Azure ----------

    public CloudScenario Assign(string principal, string role, string scope, string type = "User", string? condition = null)
    {
        _assignments.Add(new RoleAssignment($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Id(++_n)}", scope,
            $"/providers/Microsoft.Authorization/roleDefinitions/{role}", principal, type, null, null, condition,
                condition is null ? null : "2.0"));
        return this;
    }

    /// <summary>A PIM-eligible assignment, from ten days before <see cref="AsOf"/> to a hundred after unless a window is given.</summary>
    public CloudScenario Eligible(string principal, string role, string scope, string? condition = null, DateTimeOffset? start = null,
        DateTimeOffset? end = null)
    {
        _eligible.Add(new EligibleAssignment(Id(++_n), scope, $"/providers/Microsoft.Authorization/roleDefinitions/{role}", principal,
            "User", "Direct",
            "Provisioned", start ?? AsOf.AddDays(-10), end ?? AsOf.AddDays(100), condition, condition is null ? null : "2.0"));
        return this;
    }

    public CloudScenario DenyAzure(string principal, string scope, params string[] actions)
    {
        _denies.Add(new DenyAssignment(Id(++_n), "deny-" + _n, scope, [new RolePermission([.. actions], [], [], [])],
            [new DenyPrincipal(principal, "User")], [], false));
        return this;
    }

    public CloudScenario CustomAzureRole(string guid, string name, string scope, params string[] actions)
    {
        _roles.Add(new RoleDefinition($"{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}", guid, name, "CustomRole", null,
            [new RolePermission([.. actions], [], [], [])], [scope]));
        return this;
    }

    // ---------- Entra ----------

    public CloudScenario EntraUser(string id, string upn)
    {
        _users.Add(new DirectoryUser(DirectorySource.Entra, id, upn, upn, upn, true, [], []));
        return this;
    }

    public CloudScenario ManagedIdentity(string id, string name, string resource)
    {
        _sps.Add(new DirectoryServicePrincipal(DirectorySource.Entra, id, Id(++_n), name, ServicePrincipalKind.ManagedIdentity, true,
            []) { AttachedResource = resource });
        return this;
    }

    public CloudScenario Application(string spId, string name, params string[] owners)
    {
        var appId = Id(++_n);
        _sps.Add(new DirectoryServicePrincipal(DirectorySource.Entra, spId, appId, name, ServicePrincipalKind.Application, true, []));
        _apps.Add(new DirectoryApplication(DirectorySource.Entra, Id(++_n), appId, name, [.. owners]));
        return this;
    }

    /// <summary>A service principal (of an application not in the export) with its owners.</summary>
    public CloudScenario ServicePrincipalOwnedBy(string spId, string name, params string[] owners)
    {
        _sps.Add(new DirectoryServicePrincipal(DirectorySource.Entra, spId, Id(++_n), name, ServicePrincipalKind.Application, true,
            [.. owners]));
        return this;
    }

    public CloudScenario DirectoryRole(string template, string name, params DirectoryMember[] members)
    {
        _directoryRoles.Add(new DirectoryRole(Id(++_n), name, template, [.. members]));
        return this;
    }

    public CloudScenario EntraGroup(string id, string name, params DirectoryMember[] members)
    {
        _groups.Add(new DirectoryGroup(DirectorySource.Entra, id, name, null, false, null, [.. members], []));
        return this;
    }

    // ---------- GCP ----------

    public CloudScenario Bind(string resource, string role, string member, string? condition = null)
    {
        _policies.Add(new IamPolicy(resource, [new IamBinding(role, [member], condition is null ? null : new IamCondition(condition))], 3));
        return this;
    }

    public CloudScenario ServiceAccount(string email, string? uniqueId = null)
    {
        _accounts.Add(new ServiceAccount(email, "proj-a", uniqueId, email, null, false));
        return this;
    }

    public static string SaResource(string email) => $"//iam.googleapis.com/projects/proj-a/serviceAccounts/{email}";

    public CloudScenario DenyGcp(string principal, params string[] permissions)
    {
        _denyPolicies.Add(new DenyPolicy($"policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fproj-a/denypolicies/d{++_n}",
            Project, null,
            [new DenyRule([principal], [], [.. permissions], [])]));
        return this;
    }

    public CloudScenario CustomGcpRole(string name, params string[] permissions)
    {
        _customRoles.Add(new CustomRoleDefinition(name, name, "GA", [.. permissions], false));
        return this;
    }

    // ---------- AWS and people ----------

    public CloudScenario Aws(Func<PathScenario, PathScenario> build)
    {
        _aws = build(new PathScenario());
        return this;
    }

    public CloudScenario Person(string key, params IdentityLink[] links)
    {
        _people.Add(new PersonLink(new Person(key, key, []), [.. links], []));
        return this;
    }

    public CloudGraphInputs Inputs()
    {
        var hierarchy = new AzureHierarchy([], [new Subscription("00000000-0000-0000-0000-0000000000aa", "sub", "Enabled", Tenant, null)]);
        var azure = new AzureEstate(_roles, _assignments, _denies, _eligible, hierarchy);
        var gcp = GcpPolicySet.Create(new GcpInventory(
            [new GcpResource(Organization, "cloudresourcemanager.googleapis.com/Organization", null, []),
             new GcpResource(Project, "cloudresourcemanager.googleapis.com/Project", Organization, [])],
            [.. _policies], [.. _denyPolicies], [.. _customRoles], []) { ServiceAccounts = [.. _accounts] });
        ImmutableArray<DirectorySnapshot> directories =
        [
            DirectorySnapshot.Empty(DirectorySource.Entra, Tenant, AsOf) with
            {
                Users = [.. _users], Groups = [.. _groups], ServicePrincipals = [.. _sps], Applications = [.. _apps],
                    DirectoryRoles = [.. _directoryRoles],
            },
        ];
        var aws = _aws?.Estate();
        return new CloudGraphInputs
        {
            Azure = azure,
            Gcp = gcp,
            Directories = directories,
            Aws = aws,
            AwsPaths = aws is null ? null : () => new AttackPaths(AttackGraphBuilder.Build(aws)),
            Links = _people.Count == 0 ? null : new IdentityLinkResult([.. _people], [], []),
            AsOf = AsOf,
        };
    }

    public CloudAttackPaths Paths() => new(CloudGraphBuilder.Build(Inputs()));
}

internal static class CloudPathAssertions
{
    public static CloudStanding Standing(this CloudAttackPaths paths, string query)
    {
        var match = paths.Resolve(query);
        Assert.True(match.Node >= 0, match.Error);
        return paths.Standing(match.Node);
    }

    public static string[] Techniques(this CloudPath? path) => path is null ? [] : [.. path.Steps.Select(s => s.Technique.Id)];

    public static CloudEdge? Edge(this CloudAttackPaths paths, string from, string to)
    {
        var f = paths.Resolve(from).Node;
        var t = paths.Resolve(to).Node;
        return f < 0 || t < 0 ? null : paths.Graph.Outgoing(f).FirstOrDefault(e => e.To == t);
    }
}
