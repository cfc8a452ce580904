using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Directories;
using Ciem.Core.Model;
using AzureCondition = Ciem.Core.Azure.Conditions.ConditionResult;

namespace Ciem.Core.Paths.Clouds;

/// <summary>
/// The Azure and Entra ID edges: administrators of a scope, role-assignment and role-definition writes, PIM
/// activation, code run as a managed identity on the resource that carries it, user-assigned identities and their
/// federated credentials, application and service-principal owners and the Entra directory roles that control
/// credentials or Azure. Every RBAC step is decided by <see cref="AzureAuthorizer"/> (deny assignments, ABAC
/// conditions, scopes); Entra steps follow the directory roles' documented rights.
/// </summary>
internal sealed class AzurePathEdges
{
    public const string OwnerRole = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string UserAccessAdministratorRole = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    public const string RoleAssignmentsWrite = "Microsoft.Authorization/roleAssignments/write";
    public const string RoleDefinitionsWrite = "Microsoft.Authorization/roleDefinitions/write";
    public const string Root = "/";

    // Entra directory role template ids (Microsoft Entra built-in roles).
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
    public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
    public const string PrivilegedAuthenticationAdministrator = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
    public const string AuthenticationAdministrator = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    public const string HelpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
    public const string PasswordAdministrator = "966707d0-3269-4727-9be2-8c3a10f19b9d";
    public const string UserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";

    /// <summary>What an Owner can do and a Contributor or User Access Administrator cannot both do: the administrator probe.</summary>
    private static readonly string[] AdminProbes =
    [
        RoleAssignmentsWrite, "Microsoft.Compute/virtualMachines/runCommand/action", "Microsoft.Storage/storageAccounts/listKeys/action",
        "Microsoft.KeyVault/vaults/write", "Microsoft.Resources/deployments/write",
    ];

    private static readonly (string Type, CloudTechnique Technique, string[][] Operations)[] RunsAs =
    [
        ("Microsoft.Compute/virtualMachines", CloudTechniques.AzureVmRunCommand,
            [["Microsoft.Compute/virtualMachines/runCommand/action", "Microsoft.Compute/virtualMachines/runCommands/write",
                "Microsoft.Compute/virtualMachines/extensions/write"]]),
        ("Microsoft.Compute/virtualMachineScaleSets", CloudTechniques.AzureVmssRunCommand,
            [["Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action",
                "Microsoft.Compute/virtualMachineScaleSets/extensions/write"]]),
        ("Microsoft.Web/sites", CloudTechniques.AzureWebAppDeploy,
            [["Microsoft.Web/sites/publishxml/Action", "Microsoft.Web/sites/publish/Action", "Microsoft.Web/sites/config/Write"]]),
        ("Microsoft.Automation/automationAccounts", CloudTechniques.AzureAutomationRunbook,
            [["Microsoft.Automation/automationAccounts/runbooks/write"], ["Microsoft.Automation/automationAccounts/jobs/write"]]),
        ("Microsoft.Logic/workflows", CloudTechniques.AzureLogicApp, [["Microsoft.Logic/workflows/write"],
            ["Microsoft.Logic/workflows/triggers/run/action"]]),
        ("Microsoft.ContainerInstance/containerGroups", CloudTechniques.AzureContainerExec,
            [["Microsoft.ContainerInstance/containerGroups/containers/exec/action", "Microsoft.ContainerInstance/containerGroups/write"]]),
    ];

    private const string UserAssignedType = "Microsoft.ManagedIdentity/userAssignedIdentities";

    private readonly CloudGraphDraft _g;
    private readonly AzureEstate _estate;
    private readonly AzureAuthorizer _active;
    private readonly AzureAuthorizer? _activated;
    private readonly ImmutableArray<DirectorySnapshot> _entra;
    private readonly Dictionary<string, List<(string Scope, string Role, bool Eligible,
        string? ViaGroup)>> _assignments = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _groupIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase);

    private AzurePathEdges(CloudGraphDraft graph, AzureEstate estate, ImmutableArray<DirectorySnapshot> directories, DateTimeOffset asOf)
    {
        _g = graph;
        _estate = estate;
        _active = new AzureAuthorizer(estate);
        _entra = [.. directories.Where(d => d.Source == DirectorySource.Entra)];
        var eligible = estate.EligibleAssignments.Where(e => (e.StartDateTime is null || e.StartDateTime <= asOf) && (e.EndDateTime is null
            || e.EndDateTime > asOf)).ToList();
        if (eligible.Count > 0)
        {
            var activated = estate.RoleAssignments.Concat(eligible.Select(e => new RoleAssignment(e.Id, e.Scope, e.RoleDefinitionId,
                e.PrincipalId,
                e.PrincipalType, null, null, e.Condition, e.ConditionVersion)));
            _activated = new AzureAuthorizer(new AzureEstate(estate.RoleDefinitions, activated, estate.DenyAssignments, [],
                estate.Hierarchy, estate.Groups,
                estate.BuiltInRoles));
        }
        foreach (var a in estate.RoleAssignments) { Assignment(a.PrincipalId, a.PrincipalType, a.PrincipalName, a.Scope,
            a.RoleDefinitionGuid, false); }
        foreach (var e in eligible) { Assignment(e.PrincipalId, e.PrincipalType, null, e.Scope, e.RoleDefinitionGuid, true); }
        foreach (var d in _entra)
        {
            foreach (var group in d.Groups) { _groupIds.Add(group.Id); _names.TryAdd(group.Id, group.DisplayName); }
            foreach (var u in d.Users) { _names[u.Id] = u.UserName ?? u.DisplayName; }
            foreach (var sp in d.ServicePrincipals) { _names[sp.Id] = sp.DisplayName; }
        }
        foreach (var groups in estate.Groups.Principals.Select(estate.Groups.GroupsOf)) { _groupIds.UnionWith(groups); }
    }

    private void Assignment(string principal, string? type, string? name, string scope, string role, bool eligible)
    {
        if (string.Equals(type, "Group", StringComparison.OrdinalIgnoreCase)) { _groupIds.Add(principal); }
        if (!string.IsNullOrWhiteSpace(name)) { _names.TryAdd(principal, name); }
        if (!_assignments.TryGetValue(principal, out var list)) { _assignments[principal] = list = []; }
        list.Add((AzureScope.Normalize(scope), role, eligible, null));
    }

    public static void Add(CloudGraphDraft graph, AzureEstate estate, ImmutableArray<DirectorySnapshot> directories, DateTimeOffset asOf)
    {
        var edges = new AzurePathEdges(graph, estate, directories, asOf);
        edges.Run();
    }

    /// <summary>Every principal that acts (users, service principals, managed identities); groups only pass rights to
    /// their members.</summary>
    public IEnumerable<string> Actors()
    {
        var all = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        all.UnionWith(_assignments.Keys.Where(p => !_groupIds.Contains(p)));
        all.UnionWith(_estate.Groups.Principals.Where(p => !_groupIds.Contains(p)));
        foreach (var d in _entra)
        {
            all.UnionWith(d.Users.Select(u => u.Id));
            all.UnionWith(d.ServicePrincipals.Select(s => s.Id));
        }
        return all;
    }

    private int Node(string principal) => _g.Node(CloudNodeKind.Principal, Provider.AzureName, principal,
        _names.GetValueOrDefault(principal) ?? principal);

    private void Run()
    {
        var actors = Actors().ToList();
        foreach (var a in actors) { Node(a); }
        var managed = _entra.SelectMany(d => d.ServicePrincipals).Where(s => s.Kind == ServicePrincipalKind.ManagedIdentity
            && s.AttachedResource is not null).ToList();
        if (_entra.IsEmpty)
        {
            _g.Note("azure: no Entra directory imported — managed identities' resources, application owners and directory roles are "
                + "unknown, so no code-execution, credential or directory-role edge is built (`ciem import directory entra`)");
        }
        Parallel.ForEach(actors, actor =>
        {
            var groups = _estate.Groups.GroupsOf(actor);
            var scopes = ScopesOf(actor, groups);
            Administration(actor, scopes);
            foreach (var mi in managed) { RunAs(actor, scopes, mi); }
        });
        Directory();
    }

    /// <summary>The scopes of the actor's role assignments, direct or through its groups, active or eligible.</summary>
    private List<(string Scope, string Role, bool Eligible, string? ViaGroup)> ScopesOf(string actor, ImmutableArray<string> groups)
    {
        var result = new List<(string, string, bool, string?)>();
        if (_assignments.TryGetValue(actor, out var own)) { result.AddRange(own); }
        foreach (var g in groups)
        {
            if (_assignments.TryGetValue(g, out var viaGroup)) { result.AddRange(viaGroup.Select(a => (a.Scope, a.Role, a.Eligible,
                (string?)g))); }
        }
        return result;
    }

    private string RoleName(string guid) => _estate.FindRole(guid)?.RoleName ?? guid;

    private static bool IsAdminScope(string scope) => scope == Root || AzureScope.IsManagementGroup(scope)
        || AzureScope.IsSubscription(scope);

    private static string ScopeName(string scope) => scope == Root ? "the root scope `/`" : $"`{scope}`";

    // ---------- administrators, role assignments, role definitions, PIM ----------

    private void Administration(string actor, List<(string Scope, string Role, bool Eligible, string? ViaGroup)> scopes)
    {
        var from = Node(actor);
        foreach (var scope in scopes.Select(s => s.Scope).Where(IsAdminScope).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var goal = _g.Administrator(Provider.AzureName, scope, $"administrator of {ScopeName(scope)}");
            var eligible = scopes.Where(s => s.Eligible).Select(s =>
                $"eligible `{RoleName(s.Role)}` at `{s.Scope}`{(s.ViaGroup is null ? "" : $" through group `{s.ViaGroup}`")}").ToList();
            if (GrantOwner(_active, actor, scope, AnotherPrincipal) is { } others)
            {
                _g.Grant(new CloudGrant(from, goal, CloudTechniques.AzureRoleAssignmentWrite, others.Certainty, others.Evidence));
            }
            else if (_activated is not null && eligible.Count > 0 && GrantOwner(_activated, actor, scope, AnotherPrincipal) is { } pimGrant)
            {
                // A privilege administrator once it activates its eligible role (whose conditions the engine evaluated).
                _g.Grant(new CloudGrant(from, goal, CloudTechniques.AzurePimActivation, EdgeCertainty.Indeterminate,
                    [$"needs activation of {string.Join(", ", eligible)} (the role's activation rules are not imported)",
                        .. pimGrant.Evidence]));
            }
            if (AdminAt(_active, actor, scope) is { } admin)
            {
                _g.Edge(new CloudEdge(from, goal, CloudTechniques.AzureAdministrator, admin.Certainty, admin.Evidence, Hops: 0));
                continue;
            }
            if (GrantOwner(_active, actor, scope) is { } grant)
            {
                _g.Edge(new CloudEdge(from, goal, CloudTechniques.AzureRoleAssignmentWrite, grant.Certainty, grant.Evidence));
            }
            if (_activated is not null && eligible.Count > 0
                && (AdminAt(_activated, actor, scope) ?? GrantOwner(_activated, actor, scope)) is { } pim)
            {
                _g.Edge(new CloudEdge(from, goal, CloudTechniques.AzurePimActivation, EdgeCertainty.Indeterminate,
                    [$"activates {string.Join(", ",
                        eligible)} (the role's activation rules — approval, MFA, justification — are not imported)", .. pim.Evidence]));
            }
        }
        // A custom role the actor holds at an administrator's scope, which it may rewrite.
        foreach (var (scope, role, _, _) in scopes.Where(s => !s.Eligible && IsAdminScope(s.Scope)))
        {
            var definition = _estate.FindRole(role);
            if (definition is null || definition.IsBuiltIn) { continue; }
            if (Decide(_active, actor, [[RoleDefinitionsWrite]], RoleScope(definition, scope)) is { } write)
            {
                var goal = _g.Administrator(Provider.AzureName, scope, $"administrator of {ScopeName(scope)}");
                _g.Edge(new CloudEdge(Node(actor), goal, CloudTechniques.AzureRoleDefinitionWrite, write.Certainty,
                    [$"holds custom role `{definition.RoleName}` at `{scope}`", .. write.Evidence]));
            }
        }
    }

    /// <summary>Role definitions are written at an assignable scope; the assignment's scope when the role may be assigned there.</summary>
    private static string RoleScope(RoleDefinition role, string scope) =>
        role.AssignableScopes.FirstOrDefault(s => AzureScope.Contains(s,
            scope)) is { } assignable ? AzureScope.Normalize(assignable) : scope;

    private (EdgeCertainty Certainty, ImmutableArray<string> Evidence)? AdminAt(AzureAuthorizer authorizer, string actor, string scope)
    {
        var evidence = new List<string>();
        var certainty = EdgeCertainty.Certain;
        foreach (var op in AdminProbes)
        {
            var result = authorizer.Evaluate(Request(actor, op, scope, op == RoleAssignmentsWrite ? OwnerRole : null));
            if (result.Decision is not (Decision.Allow or Decision.Indeterminate)) { return null; }
            if (result.Decision == Decision.Indeterminate) { certainty = EdgeCertainty.Indeterminate; }
            evidence.Add(Explain(op, scope, result));
        }
        return (certainty, [.. evidence]);
    }

    /// <summary>
    /// The principal id a grant to others is asked with: a condition on the assignee that excludes the actor itself (or names
    /// only some principals) is evaluated against a principal that is neither the actor nor one the condition names.
    /// </summary>
    public const string AnotherPrincipal = "ffffffff-ffff-4fff-bfff-ffffffffffff";

    private (EdgeCertainty Certainty, ImmutableArray<string> Evidence)? GrantOwner(AzureAuthorizer authorizer, string actor, string scope,
        string? assignee = null)
    {
        // Assigning Owner (to itself, or to another principal); else User Access Administrator, which can then assign Owner.
        foreach (var role in new[] { OwnerRole, UserAccessAdministratorRole })
        {
            var result = authorizer.Evaluate(Request(actor, RoleAssignmentsWrite, scope, role, assignee));
            if (result.Decision is Decision.Allow or Decision.Indeterminate)
            {
                var name = role == OwnerRole ? "Owner" : "User Access Administrator (then Owner)";
                var whom = assignee is null ? "itself" : "another principal";
                return (Certainty(result.Decision), [$"assigns {whom} {name} at `{scope}`", Explain(RoleAssignmentsWrite, scope, result)]);
            }
        }
        return null;
    }

    private static AzureRequest Request(string actor, string op, string scope, string? assignedRole = null, string? assignee = null)
    {
        if (assignedRole is null) { return new AzureRequest(actor, op, scope); }
        var attributes = new Dictionary<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]"] = [assignedRole],
            ["@Request[Microsoft.Authorization/roleAssignments:PrincipalId]"] = [assignee ?? actor],
        };
        return new AzureRequest(actor, op, scope, Attributes: attributes);
    }

    // ---------- code run as a managed identity ----------

    private void RunAs(string actor, List<(string Scope, string Role, bool Eligible, string? ViaGroup)> scopes,
        DirectoryServicePrincipal mi)
    {
        if (string.Equals(actor, mi.Id, StringComparison.OrdinalIgnoreCase)) { return; }
        var resource = AzureScope.Normalize(mi.AttachedResource!);
        var ancestry = _estate.Hierarchy.Ancestry(resource).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var active = scopes.Where(s => !s.Eligible && (AzureScope.Contains(s.Scope, resource) || ancestry.Contains(s.Scope))).ToList();
        if (active.Count == 0) { return; }
        var type = ResourceType(resource);
        var from = Node(actor);
        var to = Node(mi.Id);
        if (string.Equals(type, UserAssignedType, StringComparison.OrdinalIgnoreCase))
        {
            var placeholder = $"{ResourceGroupOf(resource)}/providers/Microsoft.Compute/virtualMachines/ciem-placeholder";
            if (Decide(_active, actor, [["Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"]], resource) is { } assign
                && Decide(_active, actor, [["Microsoft.Compute/virtualMachines/write"]], placeholder) is { } vm)
            {
                _g.Edge(new CloudEdge(from, to, CloudTechniques.AzureUserAssignedIdentity, Weakest(assign.Certainty, vm.Certainty),
                    [.. assign.Evidence, .. vm.Evidence,
                        "a new virtual machine in the identity's resource group (its network and disk writes are not checked)"]));
            }
            if (Decide(_active, actor, [["Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write"]],
                resource) is { } federated)
            {
                _g.Edge(new CloudEdge(from, to, CloudTechniques.AzureFederatedCredential, federated.Certainty, federated.Evidence));
            }
            return;
        }
        var known = RunsAs.FirstOrDefault(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));
        if (known.Technique is not null)
        {
            if (Decide(_active, actor, known.Operations, resource) is { } run)
            {
                _g.Edge(new CloudEdge(from, to, known.Technique, run.Certainty,
                    [$"`{resource}` runs as managed identity `{mi.DisplayName}`", .. run.Evidence]));
            }
            return;
        }
        if (type is not null && Decide(_active, actor, [[type + "/write"]], resource) is { } write)
        {
            _g.Edge(new CloudEdge(from, to, CloudTechniques.AzureResourceWrite, EdgeCertainty.Indeterminate,
                [$"`{resource}` carries managed identity `{mi.DisplayName}`; whether writing a `{type}` runs code is not modelled",
                    .. write.Evidence]));
        }
    }

    /// <summary>`Microsoft.Compute/virtualMachines` of
    /// `/subscriptions/…/providers/Microsoft.Compute/virtualMachines/vm` (nested types joined).</summary>
    public static string? ResourceType(string resource)
    {
        var parts = AzureScope.Normalize(resource).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindLastIndex(parts, p => p.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers < 0 || providers + 2 >= parts.Length) { return null; }
        var type = parts[providers + 1];
        for (var i = providers + 2; i < parts.Length; i += 2) { type += "/" + parts[i]; }
        return type;
    }

    private static string ResourceGroupOf(string resource)
    {
        var parts = AzureScope.Normalize(resource).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 4 && parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            ? $"/{parts[0]}/{parts[1]}/{parts[2]}/{parts[3]}" : AzureScope.Normalize(resource);
    }

    // ---------- Entra ID ----------

    private void Directory()
    {
        foreach (var d in _entra)
        {
            var sps = d.ServicePrincipals.ToDictionary(s => s.Id, StringComparer.OrdinalIgnoreCase);
            var byAppId = d.ServicePrincipals.Where(s => s.AppId is not null).GroupBy(s => s.AppId!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var app in d.Applications)
            {
                if (!byAppId.TryGetValue(app.AppId, out var sp)) { continue; }
                foreach (var owner in app.Owners)
                {
                    _g.Edge(new CloudEdge(Node(owner), Node(sp.Id), CloudTechniques.EntraAppOwner, EdgeCertainty.Certain,
                        [$"owner of application `{app.DisplayName}` (app id `{app.AppId}`) in tenant `{d.TenantId}`"]));
                }
            }
            foreach (var sp in d.ServicePrincipals)
            {
                foreach (var owner in sp.Owners)
                {
                    _g.Edge(new CloudEdge(Node(owner), Node(sp.Id), CloudTechniques.EntraServicePrincipalOwner, EdgeCertainty.Certain,
                        [$"owner of service principal `{sp.DisplayName}` in tenant `{d.TenantId}`"]));
                }
            }
            DirectoryRoles(d, sps);
        }
    }

    private void DirectoryRoles(DirectorySnapshot d, Dictionary<string, DirectoryServicePrincipal> sps)
    {
        var groups = d.Groups.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);
        var roleMembers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in d.DirectoryRoles)
        {
            var members = Expand(role.Members, groups).ToArray();
            var template = role.TemplateId ?? role.Id;
            roleMembers[template] = [.. roleMembers.GetValueOrDefault(template) ?? [], .. members];
        }
        string[] Holders(params string[] templates) => [.. templates.SelectMany(t => roleMembers.GetValueOrDefault(t)
            ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];
        var root = _g.Administrator(Provider.AzureName, Root, $"administrator of {ScopeName(Root)}");
        foreach (var ga in Holders(GlobalAdministrator))
        {
            _g.Edge(new CloudEdge(Node(ga), root, CloudTechniques.EntraElevateAccess, EdgeCertainty.Certain,
                [$"Global Administrator of tenant `{d.TenantId}`: Microsoft.Authorization/elevateAccess/action makes it "
                    + "User Access Administrator at `/`, which assigns Owner"]));
            _g.Grant(new CloudGrant(Node(ga), root, CloudTechniques.EntraElevateAccess, EdgeCertainty.Certain,
                [$"Global Administrator of tenant `{d.TenantId}`: elevated to User Access Administrator at `/`, assigns Owner to others"]));
        }
        foreach (var pra in Holders(PrivilegedRoleAdministrator))
        {
            _g.Edge(new CloudEdge(Node(pra), root, CloudTechniques.EntraPrivilegedRoleAdministrator, EdgeCertainty.Certain,
                [$"Privileged Role Administrator of tenant `{d.TenantId}`: assigns itself Global Administrator, then elevates access"]));
            _g.Grant(new CloudGrant(Node(pra), root, CloudTechniques.EntraPrivilegedRoleAdministrator, EdgeCertainty.Certain,
                [$"Privileged Role Administrator of tenant `{d.TenantId}`: assigns Global Administrator to others"]));
        }
        var appAdmins = Holders(GlobalAdministrator, ApplicationAdministrator, CloudApplicationAdministrator);
        var apps = sps.Values.Where(s => s.Kind == ServicePrincipalKind.Application).ToList();
        if (appAdmins.Length > 0 && apps.Count > 0)
        {
            var hub = _g.Node(CloudNodeKind.Hub, CloudTechniques.Entra, $"entra:{d.TenantId}:applications",
                $"every application service principal of tenant `{d.TenantId}`");
            foreach (var a in appAdmins)
            {
                _g.Edge(new CloudEdge(Node(a), hub, CloudTechniques.EntraApplicationAdministrator, EdgeCertainty.Certain,
                    ["an application-administering directory role (Global, Application or Cloud Application Administrator) "
                        + "manages every application's credentials"]));
            }
            foreach (var sp in apps) { _g.Edge(new CloudEdge(hub, Node(sp.Id), CloudTechniques.ClassMember, EdgeCertainty.Certain, [],
                Hops: 0)); }
        }
        // Password and sign-in method resets: privileged authentication administrators reach every user; the other roles
        // only users who hold no directory role. Sign-in policies (MFA, Conditional Access) are not imported: indeterminate.
        var privileged = roleMembers.Values.SelectMany(m => m).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var users = d.Users.Where(u => u.Enabled).ToList();
        ResetHub(d, "users", "every user", Holders(PrivilegedAuthenticationAdministrator, GlobalAdministrator), users);
        ResetHub(d, "plain-users", "every user without a directory role",
            Holders(AuthenticationAdministrator, HelpdeskAdministrator, PasswordAdministrator, UserAdministrator),
                [.. users.Where(u => !privileged.Contains(u.Id))]);
    }

    private void ResetHub(DirectorySnapshot d, string key, string title, string[] holders, List<DirectoryUser> users)
    {
        if (holders.Length == 0 || users.Count == 0) { return; }
        var hub = _g.Node(CloudNodeKind.Hub, CloudTechniques.Entra, $"entra:{d.TenantId}:{key}", $"{title} of tenant `{d.TenantId}`");
        foreach (var h in holders)
        {
            _g.Edge(new CloudEdge(Node(h), hub, CloudTechniques.EntraPasswordReset, EdgeCertainty.Indeterminate,
                ["resets the user's password or sign-in methods; MFA registrations and Conditional Access policies are not imported"]));
        }
        foreach (var u in users) { _g.Edge(new CloudEdge(hub, Node(u.Id), CloudTechniques.ClassMember, EdgeCertainty.Certain, [],
            Hops: 0)); }
    }

    /// <summary>A role's members: users and service principals, and the members of its (role-assignable) groups, transitively.</summary>
    private static IEnumerable<string> Expand(ImmutableArray<DirectoryMember> members, Dictionary<string, DirectoryGroup> groups)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<DirectoryMember>(members);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            if (!seen.Add(m.Id)) { continue; }
            if (m.Kind == MemberKind.Group)
            {
                if (groups.TryGetValue(m.Id, out var g)) { foreach (var x in g.Members) { queue.Enqueue(x); } }
                continue;
            }
            if (m.Kind is MemberKind.User or MemberKind.ServicePrincipal) { yield return m.Id; }
        }
    }

    // ---------- deciding ----------

    /// <summary>Each group of alternatives decided on the resource: the first allowed, else an indeterminate one; null
    /// when a group is denied.</summary>
    private static (EdgeCertainty Certainty, ImmutableArray<string> Evidence)? Decide(AzureAuthorizer authorizer, string actor,
        string[][] groups, string resource) =>
        Alternatives.Decide(groups, op =>
        {
            var result = authorizer.Evaluate(new AzureRequest(actor, op, resource));
            return (result.Decision, Explain(op, resource, result));
        });

    private static EdgeCertainty Certainty(Decision decision) => decision == Decision.Allow ? EdgeCertainty.Certain
        : EdgeCertainty.Indeterminate;

    internal static EdgeCertainty Weakest(EdgeCertainty a, EdgeCertainty b) => a > b ? a : b;

    /// <summary>`op` on `scope`: the deciding assignments (role, scope, matched entry, group, condition).</summary>
    internal static string Explain(string op, string scope, AzureEvaluationResult result)
    {
        var parts = result.Deciding.Select(d =>
        {
            var what = d.Kind == AzureAssignmentKind.DenyAssignment ? "deny assignment" : "role";
            var via = d.ViaGroup is null ? "" : $" through group `{d.ViaGroup}`";
            var condition = d.Condition == AzureCondition.Unknown ? " (condition undecided)" : "";
            return $"{what} `{d.Name}` at `{d.Scope}` ({d.MatchedPattern}){via}{condition}";
        });
        var verdict = result.Decision == Decision.Allow ? "allowed" : "indeterminate";
        return $"`{op}` on `{scope}`: {verdict} by {string.Join("; ", parts)}";
    }
}
