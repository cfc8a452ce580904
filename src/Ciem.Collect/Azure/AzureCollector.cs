using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Ciem.App;
using Ciem.Collect.Aws;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;
using Ciem.Storage;

namespace Ciem.Collect.Azure;

/// <summary>A subscription as a collection saw it: read, not read (why), or planned in a dry run.</summary>
public sealed record SubscriptionCoverage(string Id, string? Name, AccountStatus Status, string? Reason, int RoleAssignments,
    int ResourceGroups);

/// <summary>What one Azure collection read and wrote.</summary>
public sealed record AzureCollectResult(
    string? Tenant,
    ImmutableArray<SubscriptionCoverage> Subscriptions,
    AzureInventory? Inventory,
    SnapshotWrite? Write,
    ImportCounts Counts,
    ImmutableArray<Diagnostic> Diagnostics,
    int Calls,
    TimeSpan Elapsed,
    ImmutableArray<string> Plan)
{
    public bool DryRun => Inventory is null;

    public IEnumerable<SubscriptionCoverage> NotRead => Subscriptions.Where(s => s.Status == AccountStatus.NotRead);
}

/// <summary>
/// `ciem collect azure`: reads the subscriptions, the management-group tree, and in each subscription its resource
/// groups, role definitions, role assignments, deny assignments and PIM eligibility schedule instances from Azure
/// Resource Manager (read-only `GET`s, `nextLink` paging), and the transitive members of every group holding a role
/// from Microsoft Graph; hands every page to the `ciem import azure` readers and writes one snapshot as that import
/// would. A subscription that cannot be read keeps its previous records (listed, `CIEM6910`); the rest is written.
/// </summary>
public static class AzureCollector
{
    public const string ArmVersionSubscriptions = "2022-12-01";
    public const string ArmVersionManagementGroups = "2023-04-01";
    public const string ArmVersionResourceGroups = "2021-04-01";
    public const string ArmVersionAuthorization = "2022-04-01";
    public const string ArmVersionEligibility = "2020-10-01";

    public static async Task<AzureCollectResult> CollectAsync(CiemSession? session, AzureCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = options.Connection;
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var credential = connection.ResolveCredential();
        var arm = new RestJsonClient(http, connection.Arm, "arm", Token(credential, connection.Scope(connection.Cloud.Arm)),
            connection.Call);
        var graph = new RestJsonClient(http, connection.Graph, "graph", Token(credential, connection.Scope(connection.Cloud.Graph)),
            connection.Call);
        var diagnostics = new List<Diagnostic>();

        progress?.Report(new CollectProgress("listing azure subscriptions", 0, 0));
        var subscriptionPages = await arm.PagesAsync($"subscriptions?api-version={ArmVersionSubscriptions}", "nextLink",
            cancellationToken).ConfigureAwait(false);
        var listed = RestJsonClient.Items(subscriptionPages)
            .Select(s => (Id: JsonAnswer.Str(s, "subscriptionId"), Name: JsonAnswer.Str(s, "displayName"),
                Tenant: JsonAnswer.Str(s, "tenantId")))
            .Where(s => s.Id is not null).ToList();
        if (listed.Count == 0)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                "the credential sees no subscription (`GET /subscriptions` listed none), so the store was not changed: "
                + "give it Reader on the tenant root management group");
        }
        var wanted = options.Subscriptions.IsDefaultOrEmpty
            ? listed.Select(s => s.Id!).ToList()
            : [.. options.Subscriptions.Select(s => listed.FirstOrDefault(l => string.Equals(l.Id, s,
                StringComparison.OrdinalIgnoreCase)).Id ?? s)];
        var tenants = listed.Select(s => s.Tenant).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var tenant = tenants.Count == 1 ? tenants[0] : null;
        var root = options.ManagementGroup ?? tenant;
        string? NameOf(string id) => listed.FirstOrDefault(l => string.Equals(l.Id, id, StringComparison.OrdinalIgnoreCase)).Name;

        if (options.DryRun)
        {
            var plan = new List<string> { $"GET {arm.Root}subscriptions (done: {listed.Count} visible)" };
            if (root is not null)
            {
                plan.Add($"GET {arm.Root}providers/Microsoft.Management/managementGroups/{root}?$expand=children&$recurse=true");
            }
            foreach (var id in wanted)
            {
                plan.Add($"subscription {id}: resourcegroups, Microsoft.Authorization/roleDefinitions, roleAssignments, "
                    + "denyAssignments, roleEligibilityScheduleInstances");
            }
            if (options.GroupMemberships)
            {
                plan.Add($"GET {graph.Root}v1.0/groups/{{id}}/transitiveMembers for every group holding a role");
            }
            return new AzureCollectResult(tenant, [.. wanted.Select(id => new SubscriptionCoverage(id, NameOf(id), AccountStatus.Planned,
                null, 0, 0))],
                null, null, default, [], arm.Calls, watch.Elapsed, [.. plan]);
        }
        if (session is null) { throw new ArgumentNullException(nameof(session), "a collection that is not a dry run writes to a store"); }

        var reads = new Reads();
        foreach (var page in subscriptionPages)
        {
            reads.Subscriptions.Add(reads.Pages.Read(page, SubscriptionsReader.Read));
        }
        ManagementGroupTree? tree = null;
        if (root is not null)
        {
            progress?.Report(new CollectProgress("reading the management-group tree", 0, 0));
            try
            {
                var page = await arm.GetAsync($"providers/Microsoft.Management/managementGroups/{Uri.EscapeDataString(root)}"
                    + $"?api-version={ArmVersionManagementGroups}&$expand=children&$recurse=true",
                    cancellationToken).ConfigureAwait(false);
                tree = reads.Pages.Read(page, ManagementGroupsReader.Read);
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectManagementGroupsNotRead,
                    $"the management-group tree of `{root}` was not read ({ex.Message}); the previous tree is kept"));
            }
        }

        var coverage = new ConcurrentDictionary<string, SubscriptionCoverage>(StringComparer.OrdinalIgnoreCase);
        var pages = new ConcurrentDictionary<string, SubscriptionPages>(StringComparer.OrdinalIgnoreCase);
        var done = 0;
        using var gate = new SemaphoreSlim(options.Parallelism);
        await Task.WhenAll(wanted.Select(async id =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!listed.Any(l => string.Equals(l.Id, id, StringComparison.OrdinalIgnoreCase)))
                {
                    coverage[id] = new SubscriptionCoverage(id, null, AccountStatus.NotRead,
                        "not visible to the credential (`GET /subscriptions` does not list it)", 0, 0);
                    return;
                }
                pages[id] = await ReadSubscriptionAsync(arm, id, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                coverage[id] = new SubscriptionCoverage(id, NameOf(id), AccountStatus.NotRead, ex.Message, 0, 0);
            }
            finally
            {
                gate.Release();
                progress?.Report(new CollectProgress("reading subscriptions", Interlocked.Increment(ref done), wanted.Count));
            }
        })).ConfigureAwait(false);

        // The pages are read in the subscriptions' order, so that the snapshot does not depend on which answered first.
        foreach (var id in wanted.Where(pages.ContainsKey))
        {
            var p = pages[id];
            var groups = 0;
            foreach (var page in p.ResourceGroups)
            {
                var read = reads.Pages.Read(page, ResourceGroupsReader.Read);
                reads.ResourceGroups.Add(read);
                groups += read.Length;
            }
            foreach (var page in p.RoleDefinitions) { reads.RoleDefinitions.Add(reads.Pages.Read(page, RoleDefinitionsReader.Read)); }
            var assignments = 0;
            foreach (var page in p.RoleAssignments)
            {
                var read = reads.Pages.Read(page, RoleAssignmentsReader.Read);
                reads.RoleAssignments.Add(read);
                assignments += read.Count(a => string.Equals(AzureScope.SubscriptionId(a.Scope), id, StringComparison.OrdinalIgnoreCase));
            }
            foreach (var page in p.DenyAssignments) { reads.DenyAssignments.Add(reads.Pages.Read(page, DenyAssignmentsReader.Read)); }
            foreach (var page in p.Eligible) { reads.Eligible.Add(reads.Pages.Read(page, EligibleAssignmentsReader.Read)); }
            coverage[id] = new SubscriptionCoverage(id, NameOf(id), AccountStatus.Read, null, assignments, groups);
        }
        var notRead = wanted.Where(id => coverage[id].Status == AccountStatus.NotRead).ToList();
        if (notRead.Count == wanted.Count && wanted.Count > 0)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                "no subscription could be read, so the store was not changed: "
                + string.Join("; ", notRead.Select(id => $"`{id}`: {coverage[id].Reason}")));
        }

        var inventory = new AzureInventory(
            Distinct(reads.RoleDefinitions.SelectMany(r => r), d => d.Name, "role definition", diagnostics),
            Distinct(reads.RoleAssignments.SelectMany(r => r), a => a.Id, "role assignment", diagnostics),
            Distinct(reads.DenyAssignments.SelectMany(r => r), d => d.Id, "deny assignment", diagnostics),
            Distinct(reads.Eligible.SelectMany(r => r), e => e.Id, "eligibility schedule instance", diagnostics),
            tree?.ManagementGroups ?? [],
            [.. reads.Subscriptions.SelectMany(s => s), .. tree?.Subscriptions ?? []],
            [.. reads.ResourceGroups.SelectMany(r => r)],
            []);
        var repeated = reads.RoleDefinitions.Sum(r => r.Length) + reads.RoleAssignments.Sum(r => r.Length)
            + reads.DenyAssignments.Sum(r => r.Length) + reads.Eligible.Sum(r => r.Length)
            - inventory.RoleDefinitions.Length - inventory.RoleAssignments.Length - inventory.DenyAssignments.Length
            - inventory.EligibleAssignments.Length;
        reads.Pages.Counts += new ImportCounts(-repeated, repeated, 0);

        if (options.GroupMemberships)
        {
            progress?.Report(new CollectProgress("reading group members (microsoft graph)", 0, 0));
            var memberships = await GroupMembershipsAsync(graph, inventory, reads, diagnostics, cancellationToken).ConfigureAwait(false);
            inventory = inventory with { GroupMemberships = memberships ?? [] };
        }

        var previous = session.Store.LoadAzureInventory();
        inventory = CarryForward(inventory, previous, notRead, tree is null && root is not null, options.GroupMemberships
            && inventory.GroupMemberships.IsEmpty && reads.MembershipsFailed);
        foreach (var id in notRead)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectSubscriptionNotRead,
                $"subscription `{id}` was not read ({coverage[id].Reason}); its previous records are kept"));
        }

        progress?.Report(new CollectProgress("writing the snapshot", 0, 0));
        var sources = reads.Pages.Sources.Concat(notRead.Select(id => $"not read: subscription {id}")).ToImmutableArray();
        var write = session.Store.ImportAzure(new AzureImportRequest(inventory, AzureSnapshotScope.Of(inventory), now, now, sources,
            reads.Pages.Counts));
        session.Imported();
        return new AzureCollectResult(tenant, [.. wanted.Select(id => coverage[id])], inventory, write, reads.Pages.Counts,
            [.. reads.Pages.Diagnostics, .. diagnostics], arm.Calls + graph.Calls, watch.Elapsed, []);
    }

    /// <summary>The token function of one API: refused or missing credentials are named (`CIEM6904`), never shown.</summary>
    internal static Func<CancellationToken, ValueTask<string>> Token(TokenCredential credential, string scope) => async cancellationToken =>
    {
        try
        {
            return (await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false)).Token;
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"no azure token for `{scope}`: {RestJsonClient.FirstLine(ex.Message)}", ex);
        }
    };

    private static async Task<SubscriptionPages> ReadSubscriptionAsync(RestJsonClient arm, string id, CancellationToken cancellationToken)
    {
        var sub = $"subscriptions/{Uri.EscapeDataString(id)}";
        var auth = $"{sub}/providers/Microsoft.Authorization";
        return new SubscriptionPages(
            await arm.PagesAsync($"{sub}/resourcegroups?api-version={ArmVersionResourceGroups}", "nextLink",
                cancellationToken).ConfigureAwait(false),
            await arm.PagesAsync($"{auth}/roleDefinitions?api-version={ArmVersionAuthorization}", "nextLink",
                cancellationToken).ConfigureAwait(false),
            await arm.PagesAsync($"{auth}/roleAssignments?api-version={ArmVersionAuthorization}", "nextLink",
                cancellationToken).ConfigureAwait(false),
            await arm.PagesAsync($"{auth}/denyAssignments?api-version={ArmVersionAuthorization}", "nextLink",
                cancellationToken).ConfigureAwait(false),
            await arm.PagesAsync($"{auth}/roleEligibilityScheduleInstances?api-version={ArmVersionEligibility}", "nextLink",
                cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Each group holding a role (or eligible for one) with its transitive members, turned into what the
    /// group-memberships file holds: every member's object id with the groups it is in. Null when Graph refused.
    /// </summary>
    private static async Task<ImmutableArray<KeyValuePair<string, ImmutableArray<string>>>?> GroupMembershipsAsync(
        RestJsonClient graph, AzureInventory inventory,
        Reads reads, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var groups = inventory.RoleAssignments.Where(a => a.PrincipalType == "Group").Select(a => a.PrincipalId)
            .Concat(inventory.EligibleAssignments.Where(a => a.PrincipalType == "Group").Select(a => a.PrincipalId))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var memberOf = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        try
        {
            foreach (var group in groups)
            {
                var pages = await graph.PagesAsync($"v1.0/groups/{Uri.EscapeDataString(group)}/transitiveMembers?$select=id",
                    "@odata.nextLink", cancellationToken).ConfigureAwait(false);
                foreach (var member in RestJsonClient.Items(pages).Select(m => JsonAnswer.Str(m, "id")).OfType<string>())
                {
                    if (!memberOf.TryGetValue(member, out var of))
                    {
                        memberOf[member] = of = new SortedSet<string>(StringComparer.Ordinal);
                    }
                    of.Add(group);
                }
            }
        }
        catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
        {
            reads.MembershipsFailed = true;
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectGroupMembershipsNotRead,
                $"group members were not read from microsoft graph ({ex.Message}); the previous memberships are kept"));
            return null;
        }
        var file = new JsonObject();
        foreach (var (member, of) in memberOf) { file[member] = new JsonArray([.. of.Select(g => (JsonNode)g)]); }
        var page = new RestPage($"graph-api://{graph.Root.Authority}/v1.0/groups/transitiveMembers",
            JsonSerializer.SerializeToUtf8Bytes(file));
        return memberOf.Count == 0 ? [] : reads.Pages.Read(page, GroupMembershipsReader.Read);
    }

    /// <summary>The previous snapshot's records of what was not read this time, so that "not read" never reads as "no access".</summary>
    private static AzureInventory CarryForward(AzureInventory inventory, AzureInventory previous, List<string> notRead, bool tree,
        bool memberships)
    {
        bool Of(string scope) => AzureScope.SubscriptionId(scope) is { } s && notRead.Contains(s, StringComparer.OrdinalIgnoreCase);
        var assignments = previous.RoleAssignments.Where(a => Of(a.Scope)
            && !inventory.RoleAssignments.Any(n => string.Equals(n.Id, a.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        var eligible = previous.EligibleAssignments.Where(a => Of(a.Scope)
            && !inventory.EligibleAssignments.Any(n => string.Equals(n.Id, a.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        var names = assignments.Select(a => AzureScope.LastSegment(a.RoleDefinitionId))
            .Concat(eligible.Select(a => AzureScope.LastSegment(a.RoleDefinitionId))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var definitions = previous.RoleDefinitions.Where(d => names.Contains(d.Name)
            && !inventory.RoleDefinitions.Any(n => string.Equals(n.Name, d.Name, StringComparison.OrdinalIgnoreCase)));
        return inventory with
        {
            RoleDefinitions = [.. inventory.RoleDefinitions, .. definitions],
            RoleAssignments = [.. inventory.RoleAssignments, .. assignments],
            EligibleAssignments = [.. inventory.EligibleAssignments, .. eligible],
            DenyAssignments = [.. inventory.DenyAssignments, .. previous.DenyAssignments.Where(d => Of(d.Scope)
                && !inventory.DenyAssignments.Any(n => string.Equals(n.Id, d.Id, StringComparison.OrdinalIgnoreCase)))],
            ResourceGroups = [.. inventory.ResourceGroups, .. previous.ResourceGroups.Where(g => notRead.Contains(g.SubscriptionId,
                StringComparer.OrdinalIgnoreCase))],
            ManagementGroups = tree ? previous.ManagementGroups : inventory.ManagementGroups,
            Subscriptions = tree ? [.. inventory.Subscriptions,
                .. previous.Subscriptions.Where(s => s.ManagementGroupId is not null)] : inventory.Subscriptions,
            GroupMemberships = memberships ? previous.GroupMemberships : inventory.GroupMemberships,
        };
    }

    private static ImmutableArray<T> Distinct<T>(IEnumerable<T> records, Func<T, string> key, string what, List<Diagnostic> diagnostics)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<T>();
        var repeated = 0;
        foreach (var record in records)
        {
            if (seen.Add(key(record))) { result.Add(record); }
            else { repeated++; }
        }
        if (repeated > 0)
        {
            diagnostics.Add(Diagnostic.Info(DiagnosticCodes.CollectDuplicateRecord,
                $"{repeated} {what}(s) listed under more than one subscription (inherited from a management group, or built in) "
                + "were kept once"));
        }
        return result.ToImmutable();
    }

    private sealed record SubscriptionPages(List<RestPage> ResourceGroups, List<RestPage> RoleDefinitions, List<RestPage> RoleAssignments,
        List<RestPage> DenyAssignments, List<RestPage> Eligible);

    private sealed class Reads
    {
        public List<ImmutableArray<Subscription>> Subscriptions { get; } = [];
        public List<ImmutableArray<RoleDefinition>> RoleDefinitions { get; } = [];
        public List<ImmutableArray<RoleAssignment>> RoleAssignments { get; } = [];
        public List<ImmutableArray<DenyAssignment>> DenyAssignments { get; } = [];
        public List<ImmutableArray<EligibleAssignment>> Eligible { get; } = [];
        public List<ImmutableArray<ResourceGroup>> ResourceGroups { get; } = [];
        public PageReads Pages { get; } = new();
        public bool MembershipsFailed { get; set; }
    }
}
