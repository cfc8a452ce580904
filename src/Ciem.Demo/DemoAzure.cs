namespace Ciem.Demo;

internal sealed record AzureSubscription(string Id, string Name, string Env, string ManagementGroup, string CostCenter);

internal sealed record AzureResourceGroup(AzureSubscription Subscription, string Name, string App, string Location)
{
    public string Id => $"/subscriptions/{Subscription.Id}/resourceGroups/{Name}";

    public string Resource(string provider, string name) => $"{Id}/providers/{provider}/{name}";
}

/// <summary>One control-plane operation an Azure principal performs (the Activity Log records writes and actions only).</summary>
internal sealed record AzureCall(string Operation, string ResourceId, string Method);

/// <summary>A user, group, application's service principal or managed identity of the demo tenant.</summary>
internal sealed class AzurePrincipal
{
    public required int Index { get; init; }
    public required string ObjectId { get; init; }
    public required string DisplayName { get; init; }

    /// <summary>`User`, `Group` or `ServicePrincipal` (the role-assignment `principalType`).</summary>
    public required string Type { get; init; }

    public string? AppId { get; init; }

    /// <summary>The app registration's object id (service principals of the tenant's own applications).</summary>
    public string? ApplicationObjectId { get; init; }

    public bool ManagedIdentity { get; init; }
    public DemoPerson? Person { get; init; }
    public string? Upn { get; init; }
    public List<string> Owners { get; } = [];
    public List<AzurePrincipal> Members { get; } = [];
    public List<AzureCall> Calls { get; } = [];
    public DemoCadence Cadence { get; set; } = DemoCadence.Never;

    /// <summary>Signs in (people: interactive sign-ins; workloads: service-principal or managed-identity token requests) on active days.</summary>
    public bool SignsIn { get; set; }

    public string? GroupDescription { get; init; }
}

internal sealed record AzureAssignment(string Guid, AzurePrincipal Principal, AzureRole Role, string Scope, string? Condition, DateTimeOffset Created, string CreatedBy);

/// <summary>
/// The demo's Azure tenant: Tenant Root Group → `acme` → `acme-platform` (connectivity subscription) and
/// `acme-landingzones` → `acme-prod` (prod) and `acme-nonprod` (preprod, dev), plus an empty `acme-sandbox`;
/// one resource group per application and environment with a storage account, a key vault, a web app and, for
/// batch applications, a VM. Service identities (CI service principals, user-assigned managed identities per
/// application component, integrations) dominate; people come from <see cref="DemoPeople.Azure"/>. What is
/// deliberately wrong is listed in docs/demo-estate.md.
/// </summary>
internal sealed class DemoAzure
{
    public const string Location = "westeurope";
    public static readonly string[] AppNames = ["payments", "orders", "catalog", "checkout", "ledger", "reporting", "search", "notifications", "invoices", "shipping", "pricing", "loyalty"];
    private static readonly string[] Components = ["api", "worker", "ingest", "export", "scheduler", "sync", "notifier", "batch"];

    private readonly StableRandom _rng;
    private readonly DemoOptions _options;

    public DemoAzure(DemoOptions options, DemoPeople people)
    {
        _options = options;
        _rng = StableRandom.For(options.Seed, 50);
        TenantId = _rng.Guid();
        Connectivity = new AzureSubscription(_rng.Guid(), "acme-connectivity", "shared", "acme-platform", "CC-1000");
        Prod = new AzureSubscription(_rng.Guid(), "acme-prod", "prod", "acme-prod", "CC-2100");
        Preprod = new AzureSubscription(_rng.Guid(), "acme-preprod", "preprod", "acme-nonprod", "CC-2200");
        Dev = new AzureSubscription(_rng.Guid(), "acme-dev", "dev", "acme-nonprod", "CC-2200");
        Subscriptions = [Connectivity, Prod, Preprod, Dev];
        PlatformGroup = new AzureResourceGroup(Connectivity, "rg-platform-shared", "platform", Location);
        ResourceGroups.Add(PlatformGroup);
        Registry = PlatformGroup.Resource("Microsoft.ContainerRegistry/registries", "acmeregistry" + _rng.Hex(4));
        Nsg = PlatformGroup.Resource("Microsoft.Network/networkSecurityGroups", "nsg-hub-" + Location);
        DenyAssignmentGuid = _rng.Guid();
        ServiceTarget = Math.Clamp((int)Math.Round(options.Identities * 0.03), 16, 4000);
        Build(people);
    }

    public string TenantId { get; }
    public AzureSubscription Connectivity { get; }
    public AzureSubscription Prod { get; }
    public AzureSubscription Preprod { get; }
    public AzureSubscription Dev { get; }
    public IReadOnlyList<AzureSubscription> Subscriptions { get; }
    public AzureResourceGroup PlatformGroup { get; }
    public string Registry { get; }
    public string Nsg { get; }
    public int ServiceTarget { get; }
    public string DenyAssignmentGuid { get; }
    public List<AzureResourceGroup> ResourceGroups { get; } = [];
    public List<AzurePrincipal> Principals { get; } = [];
    public List<AzureAssignment> Assignments { get; } = [];
    public List<AzureAssignment> Eligible { get; } = [];

    /// <summary>The principal the deny assignment on the production subscription exempts (the platform's Terraform).</summary>
    public AzurePrincipal Terraform { get; private set; } = null!;

    /// <summary>An object id holding a role assignment that is in no Entra export (a deleted account): unmatched on purpose.</summary>
    public string OrphanObjectId { get; private set; } = "";

    public IEnumerable<AzurePrincipal> Users => Principals.Where(p => p.Type == "User");
    public IEnumerable<AzurePrincipal> Groups => Principals.Where(p => p.Type == "Group");
    public IEnumerable<AzurePrincipal> ServicePrincipals => Principals.Where(p => p.Type == "ServicePrincipal");

    public static string ManagementGroupId(string name) => "/providers/Microsoft.Management/managementGroups/" + name;

    public string SubscriptionScope(AzureSubscription s) => "/subscriptions/" + s.Id;

    private AzurePrincipal Add(string name, string type, string? appId = null, bool managed = false, DemoPerson? person = null, string? objectId = null, string? description = null)
    {
        var p = new AzurePrincipal
        {
            Index = Principals.Count,
            ObjectId = objectId ?? _rng.Guid(),
            DisplayName = name,
            Type = type,
            AppId = appId ?? (type == "ServicePrincipal" ? _rng.Guid() : null),
            ApplicationObjectId = type == "ServicePrincipal" && !managed ? _rng.Guid() : null,
            ManagedIdentity = managed,
            Person = person,
            Upn = person?.Upn,
            GroupDescription = description,
        };
        Principals.Add(p);
        return p;
    }

    private void Assign(AzurePrincipal principal, AzureRole role, string scope, string? condition = null, bool eligible = false)
    {
        var created = _options.AsOf.AddDays(-_options.Days - 30 - _rng.Next(600)).AddSeconds(_rng.Next(86_400));
        var by = Terraform?.ObjectId ?? TenantId;
        (eligible ? Eligible : Assignments).Add(new AzureAssignment(_rng.Guid(), principal, role, scope, condition, created, by));
    }

    private DemoCadence Workload(double mean, double dayChance = 1) => new(false, mean * (0.3 + _rng.NextDouble() * 1.4), _rng.Next(24), dayChance);

    private void Build(DemoPeople people)
    {
        var root = ManagementGroupId(TenantId);
        var landingZones = ManagementGroupId("acme-landingzones");
        var nonprod = ManagementGroupId("acme-nonprod");

        // Platform automation and integrations.
        Terraform = Add("sp-terraform-platform", "ServicePrincipal");
        Assign(Terraform, AzureRoles.Owner, ManagementGroupId("acme"));
        Terraform.Calls.AddRange([
            new("Microsoft.Resources/deployments/write", PlatformGroup.Resource("Microsoft.Resources/deployments", "platform-baseline"), "PUT"),
            new("Microsoft.Authorization/roleAssignments/write", SubscriptionScope(Prod) + "/providers/Microsoft.Authorization/roleAssignments/" + _rng.Guid(), "PUT"),
            new("Microsoft.Resources/subscriptions/resourceGroups/write", PlatformGroup.Id, "PUT"),
            new("Microsoft.Network/networkSecurityGroups/securityRules/write", Nsg + "/securityRules/allow-https", "PUT"),
        ]);
        Terraform.Cadence = new DemoCadence(true, 3, 10, 0.6);
        Terraform.SignsIn = true;

        var datadog = Add("sp-datadog-integration", "ServicePrincipal");
        Assign(datadog, AzureRoles.MonitoringReader, root);
        datadog.Cadence = new DemoCadence(false, 0, 3);
        datadog.SignsIn = true;

        var legacy = Add("sp-legacy-reporting", "ServicePrincipal");
        Assign(legacy, AzureRoles.Contributor, SubscriptionScope(Prod));

        var backup = Add("sp-backup-automation", "ServicePrincipal");
        Assign(backup, AzureRoles.Contributor, SubscriptionScope(Prod));
        backup.Cadence = new DemoCadence(false, 2, 2);
        backup.SignsIn = true;

        // Applications: a resource group per environment, a CI service principal and runtime identities per group.
        var envs = new[] { Prod, Preprod, Dev };
        var app = 0;
        while (ServicePrincipals.Count() < ServiceTarget)
        {
            var name = AppNames[app % AppNames.Length] + (app >= AppNames.Length ? (app / AppNames.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
            var batch = app % 3 == 2;
            foreach (var sub in envs) { AddApplication(name, sub, batch, app); }
            app++;
        }
        var prodGroups = ResourceGroups.Where(g => g.Subscription == Prod && g.App != "platform").ToList();
        foreach (var rg in prodGroups.Take(4))
        {
            backup.Calls.Add(new("Microsoft.Compute/snapshots/write", rg.Resource("Microsoft.Compute/snapshots", $"snap-{rg.App}-nightly"), "PUT"));
        }
        if (backup.Calls.Count == 0) { backup.Cadence = DemoCadence.Never; }

        // People: groups nested two levels deep.
        var platformAdmins = Add("Azure-Platform-Admins", "Group", description: "Contributor on the landing zones; Owner eligible through PIM");
        var platformTeam = Add("Cloud-Platform-Team", "Group", description: "the platform engineers");
        platformAdmins.Members.Add(platformTeam);
        Assign(platformAdmins, AzureRoles.Contributor, landingZones);
        var developers = Add("Azure-Developers", "Group", description: "Reader on the non-production landing zone");
        Assign(developers, AzureRoles.Reader, nonprod);
        var network = Add("Network-Operators", "Group", description: "edit the hub's network security rules");
        Assign(network, AzureRoles.NetworkRuleEditor, PlatformGroup.Id);
        var teams = new Dictionary<string, AzurePrincipal>(StringComparer.Ordinal);
        AzurePrincipal Team(string appName)
        {
            if (teams.TryGetValue(appName, out var existing)) { return existing; }
            var team = Add($"Team-{appName}", "Group", description: $"developers of {appName}");
            developers.Members.Add(team);
            foreach (var rg in ResourceGroups.Where(g => g.App == appName && g.Subscription != Prod)) { Assign(team, AzureRoles.WebsiteContributor, rg.Id); }
            return teams[appName] = team;
        }

        var apps = ResourceGroups.Where(g => g.App != "platform").Select(g => g.App).Distinct().ToList();
        var azurePeople = people.Azure;
        for (var i = 0; i < azurePeople.Count; i++)
        {
            var person = azurePeople[i];
            var user = Add(person.DisplayName, "User", person: person, objectId: person.EntraId);
            var active = !person.Inactive;
            user.SignsIn = active;
            if (i == azurePeople.Count - 1)
            {
                // Owner of production, assigned directly two years ago and never used.
                Assign(user, AzureRoles.Owner, SubscriptionScope(Prod));
                user.Cadence = new DemoCadence(true, 0.3, 9, 0.1);
                continue;
            }
            if (person.IsAdmin || i == 0)
            {
                platformTeam.Members.Add(user);
                Assign(user, AzureRoles.Owner, SubscriptionScope(Prod), eligible: true);
                var rg = ResourceGroups[_rng.Next(ResourceGroups.Count)];
                user.Calls.AddRange([
                    new("Microsoft.Resources/subscriptions/resourceGroups/write", rg.Id, "PUT"),
                    new("Microsoft.Resources/deployments/write", rg.Resource("Microsoft.Resources/deployments", "hotfix-" + _rng.Hex(6)), "PUT"),
                    new("Microsoft.Web/sites/restart/action", rg.Resource("Microsoft.Web/sites", $"app-{rg.App}-{rg.Subscription.Env}"), "POST"),
                ]);
                user.Cadence = active ? new DemoCadence(true, 1.5, 10, 0.5) : DemoCadence.Never;
            }
            else if (i % 7 == 3)
            {
                network.Members.Add(user);
                user.Calls.Add(new("Microsoft.Network/networkSecurityGroups/securityRules/write", Nsg + "/securityRules/allow-" + _rng.LowerAlnum(5), "PUT"));
                user.Cadence = active ? new DemoCadence(true, 0.8, 10, 0.3) : DemoCadence.Never;
            }
            else
            {
                var appName = apps[i % apps.Count];
                Team(appName).Members.Add(user);
                foreach (var rg in ResourceGroups.Where(g => g.App == appName && g.Subscription != Prod).Take(2))
                {
                    var site = rg.Resource("Microsoft.Web/sites", $"app-{appName}-{rg.Subscription.Env}");
                    user.Calls.AddRange([
                        new("Microsoft.Web/sites/restart/action", site, "POST"),
                        new("Microsoft.Web/sites/config/write", site + "/config/appsettings", "PUT"),
                        new("Microsoft.Resources/deployments/write", rg.Resource("Microsoft.Resources/deployments", $"{appName}-manual"), "PUT"),
                    ]);
                }
                user.Cadence = active ? new DemoCadence(true, 1.2, 10, 0.4) : DemoCadence.Never;
            }
        }

        // A role assignment whose principal was deleted from Entra: `principalType` User, no name (unmatched on purpose).
        OrphanObjectId = _rng.Guid();
        var orphan = new AzurePrincipal { Index = -1, ObjectId = OrphanObjectId, DisplayName = "", Type = "User" };
        Assign(orphan, AzureRoles.Contributor, ResourceGroups.First(g => g.Subscription == Dev).Id);
    }

    private void AddApplication(string name, AzureSubscription sub, bool batch, int appIndex)
    {
        var env = sub.Env;
        var rg = new AzureResourceGroup(sub, $"rg-{name}-{env}", name, Location);
        ResourceGroups.Add(rg);
        var shortName = name.Length > 8 ? name[..8] : name;
        var storage = rg.Resource("Microsoft.Storage/storageAccounts", $"st{shortName}{env[..3]}{_rng.Hex(4)}");
        var vault = rg.Resource("Microsoft.KeyVault/vaults", $"kv-{shortName}-{env[..3]}-{_rng.Hex(4)}");
        var site = rg.Resource("Microsoft.Web/sites", $"app-{name}-{env}");
        var vm = rg.Resource("Microsoft.Compute/virtualMachines", $"vm-{name}-{env}-01");

        // CI: Website Contributor on its resource group; in production a third of them got Contributor on the whole
        // subscription instead when the pipeline was set up.
        var ci = Add($"sp-{name}-deploy-{env}", "ServicePrincipal");
        var broad = sub == Prod && appIndex % 3 == 0;
        Assign(ci, broad ? AzureRoles.Contributor : AzureRoles.WebsiteContributor, broad ? SubscriptionScope(sub) : rg.Id);
        Assign(ci, AzureRoles.AcrPush, Registry);
        ci.Calls.AddRange([
            new("Microsoft.Resources/deployments/write", rg.Resource("Microsoft.Resources/deployments", $"{name}-release"), "PUT"),
            new("Microsoft.Web/sites/write", site, "PUT"),
            new("Microsoft.Web/sites/config/write", site + "/config/appsettings", "PUT"),
            new("Microsoft.Web/sites/restart/action", site, "POST"),
        ]);
        if (sub == Prod) { ci.Calls.Add(new("Microsoft.Web/sites/slots/slotsswap/action", site + "/slots/staging", "POST")); }
        ci.Cadence = new DemoCadence(true, 1 + _rng.NextDouble() * 3, 14, sub == Prod ? 0.4 : 0.8);
        ci.SignsIn = true;

        // The application's runtime identity.
        var runtime = Add($"id-{name}-{env}", "ServicePrincipal", managed: true);
        Assign(runtime, AzureRoles.AppRuntime, rg.Id);
        Assign(runtime, AzureRoles.KeyVaultSecretsUser, vault);
        Assign(runtime, AzureRoles.AcrPull, Registry);
        runtime.Calls.Add(new("Microsoft.Storage/storageAccounts/listKeys/action", storage, "POST"));
        runtime.Cadence = Workload(1);
        runtime.SignsIn = true;
        if (appIndex == 0 && sub == Prod)
        {
            // ABAC: reads blobs of the `exports` container only.
            Assign(runtime, AzureRoles.StorageBlobDataReader, storage,
                "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'exports'))");
        }

        // Components: data-plane writers (no Activity Log records), and for batch applications a VM scheduler.
        var components = 1 + _rng.Next(4);
        for (var c = 0; c < components && ServicePrincipals.Count() < ServiceTarget; c++)
        {
            var component = Components[(appIndex + c) % Components.Length];
            var identity = Add($"id-{name}-{component}-{env}", "ServicePrincipal", managed: true);
            if (batch && c == 0)
            {
                Assign(identity, AzureRoles.VmOperator, rg.Id);
                identity.Calls.AddRange([
                    new("Microsoft.Compute/virtualMachines/start/action", vm, "POST"),
                    new("Microsoft.Compute/virtualMachines/deallocate/action", vm, "POST"),
                ]);
                identity.Cadence = new DemoCadence(false, 2, 6);
            }
            else
            {
                Assign(identity, AzureRoles.StorageBlobDataContributor, storage);
                identity.Cadence = new DemoCadence(false, 1, _rng.Next(24), _rng.Chance(0.2) ? 0 : 1);
            }
            identity.SignsIn = identity.Cadence.DayChance > 0;
        }
    }
}
