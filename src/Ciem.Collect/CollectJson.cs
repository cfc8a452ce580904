using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Ciem.App.Reports;
using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Collect.Gcp;
using Ciem.Collect.Okta;
using Ciem.Collect.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Collect;

/// <summary>
/// The JSON documents of the collectors' results (`collect-aws`, `collect-azure`, `collect-gcp`, `collect-directory`,
/// `collect-usage` in docs/schemas), for every host that reports a collection; the host wraps them in the envelope. What
/// was read comes first, then the status every collection ends with (<see cref="Ending"/>).
/// </summary>
public static class CollectJson
{
    /// <summary>An account's, subscription's, project's or stream's status as the documents and tables spell it.</summary>
    public static string Status(AccountStatus status) => status switch
    {
        AccountStatus.Read => "read",
        AccountStatus.NotRead => "not-read",
        _ => "planned",
    };

    public static object Aws(AwsCollectResult result, string? store)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            store,
            dryRun = result.DryRun,
            callerAccount = result.CallerAccount,
            caller = result.Caller,
            organization = result.OrganizationId,
            accounts = result.Accounts.Select(a => new
            {
                id = a.Id, name = a.Name, status = Status(a.Status), reason = a.Reason, users = a.Users, groups = a.Groups,
                roles = a.Roles, policies = a.Policies,
            }),
            plan = result.Plan,
            imported = result.Counts.Imported,
            skipped = result.Counts.Skipped,
            quarantined = result.Counts.Quarantined,
            resourcePolicies = result.Inventory?.ResourcePolicies.Length,
            snapshots = result.Snapshot?.Snapshots.Select(ImportJson.Snapshot),
            cloudTrail = result.CloudTrail is { } t ? new
            {
                buckets = t.Buckets, listed = t.ObjectsListed, alreadyIngested = t.ObjectsSkipped, leftForNextRun = t.ObjectsLeftForLater,
                files = t.Ingested?.Counts.Files ?? 0, events = t.Ingested?.Counts.Events ?? 0, run = t.Ingested?.RunId,
            } : null,
            seconds = ImportJson.Seconds(result.Elapsed),
            diagnostics = ImportJson.Located(result.Diagnostics),
        };
    }

    public static JsonObject Azure(AzureCollectResult result, string? store)
    {
        ArgumentNullException.ThrowIfNull(result);
        var i = result.Inventory;
        return Ending(new
        {
            store,
            dryRun = result.DryRun,
            tenant = result.Tenant,
            subscriptions = result.Subscriptions.Select(s => new
            {
                id = s.Id, name = s.Name, status = Status(s.Status), reason = s.Reason, roleAssignments = s.RoleAssignments,
                resourceGroups = s.ResourceGroups,
            }),
            plan = result.Plan,
            contents = i is null ? null : new
            {
                roleDefinitions = i.RoleDefinitions.Length, roleAssignments = i.RoleAssignments.Length,
                denyAssignments = i.DenyAssignments.Length, eligibleAssignments = i.EligibleAssignments.Length,
                managementGroups = i.ManagementGroups.Length, resourceGroups = i.ResourceGroups.Length,
                groupMemberships = i.GroupMemberships.Length,
            },
        }, result.Calls, Written(result.Counts, result.Write), result.Elapsed, result.Diagnostics);
    }

    public static JsonObject Gcp(GcpCollectResult result, string? store)
    {
        ArgumentNullException.ThrowIfNull(result);
        var i = result.Inventory;
        return Ending(new
        {
            store,
            dryRun = result.DryRun,
            organization = result.Organization,
            projects = result.Projects.Select(p => new
            {
                id = p.Id, status = Status(p.Status), reason = p.Reason, serviceAccounts = p.ServiceAccounts, keys = p.Keys,
            }),
            denyPoliciesNotRead = result.DenyPoliciesNotRead,
            groupsNotRead = result.GroupsNotRead,
            plan = result.Plan,
            contents = i is null ? null : new
            {
                resources = i.Resources.Length, policies = i.Policies.Length, customRoles = i.CustomRoles.Length,
                serviceAccounts = i.ServiceAccounts.Length, serviceAccountKeys = i.ServiceAccountKeys.Length,
                denyPolicies = i.DenyPolicies.Length, groups = i.Groups.Length,
            },
        }, result.Calls, Written(result.Counts, result.Write), result.Elapsed, result.Diagnostics);
    }

    /// <summary>A directory collection (Okta, Entra, Google Workspace, Identity Center): its snapshot, counts and diagnostics.</summary>
    public static JsonObject Directory(DirectoryCollectResult result, string? store)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Ending(new
        {
            store,
            dryRun = result.DryRun,
            tenant = result.Tenant,
            plan = result.Plan,
            users = result.Snapshot?.Users.Length,
            groups = result.Snapshot?.Groups.Length,
            appAssignments = result.Snapshot?.AppAssignments.Length,
            servicePrincipals = result.Snapshot?.ServicePrincipals.Length,
            applications = result.Snapshot?.Applications.Length,
            directoryRoles = result.Snapshot?.DirectoryRoles.Length,
        }, result.Calls, ImportJson.Written(result.Counts, result.Writes), result.Elapsed, result.Diagnostics);
    }

    /// <summary>A log collection (Activity Log, Cloud Audit Logs): the streams with their windows, the counts.</summary>
    public static JsonObject Log(LogCollectResult result, string? store)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Counts;
        return Ending(new
        {
            store,
            dryRun = result.DryRun,
            provider = result.Provider,
            streams = result.Streams.Select(s => new
            {
                id = s.Id, status = Status(s.Status), reason = s.Reason, from = Time(s.From), to = Time(s.To),
                pages = s.Pages, records = s.Records,
            }),
            plan = result.Plan,
            run = result.RunId,
            events = c?.Events, usageEvents = c?.UsageEvents, attempts = c?.Attempts, noAction = c?.NoAction, unmapped = c?.Unmapped,
            malformed = c?.Malformed,
        }, result.Calls, null, result.Elapsed, result.Diagnostics);
    }

    /// <summary>A window bound as the log documents and tables write it.</summary>
    public static string? Time(DateTimeOffset? at) => at is { } v ? LogPull.Time(v) : null;

    /// <summary>
    /// What was read, then the status every collection ends with: the API calls made, what was imported and the snapshots
    /// written (<paramref name="written"/>, none for a log collection), the time taken and the located diagnostics.
    /// </summary>
    private static JsonObject Ending(object read, int calls, object? written, TimeSpan elapsed, ImmutableArray<Diagnostic> diagnostics) =>
        ReportJson.Join(read, new { calls }, written,
            new { seconds = ImportJson.Seconds(elapsed), diagnostics = ImportJson.Located(diagnostics) });

    /// <summary>The counts and the one snapshot an Azure or GCP collection writes (an empty list on a dry run).</summary>
    private static object Written(ImportCounts counts, SnapshotWrite? write)
    {
        ImmutableArray<SnapshotWrite> writes = write is { } w ? [w] : [];
        return ImportJson.Written(counts, writes);
    }
}
