using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Ciem.App;
using Ciem.Collect.Aws;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import;
using Ciem.Import.Gcp;
using Ciem.Storage;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Ciem.Collect.Gcp;

/// <summary>What `ciem collect gcp` reads and how.</summary>
/// <param name="Organization">the organization's number (`123456789012`).</param>
public sealed record GcpCollectOptions(string Organization)
{
    public const string ReadOnlyScope = "https://www.googleapis.com/auth/cloud-platform.read-only";

    /// <summary>Cloud Identity's read-only groups scope (`cloud-platform.read-only` does not cover it).</summary>
    public const string GroupsReadOnlyScope = "https://www.googleapis.com/auth/cloud-identity.groups.readonly";

    /// <summary>Cloud Asset API's root (the API root override of the Google client libraries).</summary>
    public Uri CloudAssetEndpoint { get; init; } = new("https://cloudasset.googleapis.com/");

    /// <summary>IAM API's root.</summary>
    public Uri IamEndpoint { get; init; } = new("https://iam.googleapis.com/");

    /// <summary>Cloud Identity API's root (group memberships).</summary>
    public Uri CloudIdentityEndpoint { get; init; } = new("https://cloudidentity.googleapis.com/");

    /// <summary>Read the deny policies (IAM v2) attached to the organization, its folders and projects.</summary>
    public bool DenyPolicies { get; init; } = true;

    /// <summary>Read from Cloud Identity the members of every group that an allow policy names, nested groups included.</summary>
    public bool GroupMemberships { get; init; } = true;

    /// <summary>The credential; null is the application default credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's, workload identity,
    /// the metadata server).</summary>
    public ITokenAccess? Credential { get; init; }

    public CallPolicy Call { get; init; } = CallPolicy.Default;

    public int PageSize { get; init; } = 500;

    public int Parallelism { get; init; } = 4;

    public bool DryRun { get; init; }
}

/// <summary>A project as a collection saw it.</summary>
public sealed record ProjectCoverage(string Id, AccountStatus Status, string? Reason, int ServiceAccounts, int Keys);

/// <summary>What one GCP collection read and wrote.</summary>
public sealed record GcpCollectResult(
    string Organization,
    ImmutableArray<ProjectCoverage> Projects,
    GcpInventory? Inventory,
    SnapshotWrite? Write,
    ImportCounts Counts,
    ImmutableArray<Diagnostic> Diagnostics,
    int Calls,
    TimeSpan Elapsed,
    ImmutableArray<string> Plan)
{
    public bool DryRun => Inventory is null;

    public IEnumerable<ProjectCoverage> NotRead => Projects.Where(p => p.Status == AccountStatus.NotRead);

    /// <summary>The attachment points (full resource names) whose deny policies could not be read; their previous ones are kept.</summary>
    public ImmutableArray<string> DenyPoliciesNotRead { get; init; } = [];

    /// <summary>Whether the group memberships could not be read from Cloud Identity (the previous ones are kept).</summary>
    public bool GroupsNotRead { get; init; }

    /// <summary>Whether something was not read: the exit code of a run says so.</summary>
    public bool Partial => NotRead.Any() || DenyPoliciesNotRead.Length > 0 || GroupsNotRead;
}

/// <summary>
/// `ciem collect gcp`: reads the organization's hierarchy and every allow policy from Cloud Asset Inventory
/// (`assets.list`, the paged form of `gcloud asset export`), the organization's and every active project's custom
/// roles, service accounts and their keys from IAM — `GET`s only, `nextPageToken` paging — through the `ciem import
/// gcp` readers, and writes one snapshot as that import would. A project that cannot be read keeps its previous
/// service accounts, keys and custom roles (listed, `CIEM6914`); the rest is written.
/// </summary>
public static class GcpCollector
{
    private const string ResourceTypes = "assetTypes=cloudresourcemanager.googleapis.com/Organization"
        + "&assetTypes=cloudresourcemanager.googleapis.com/Folder&assetTypes=cloudresourcemanager.googleapis.com/Project";

    public static async Task<GcpCollectResult> CollectAsync(CiemSession? session, GcpCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Organization.All(char.IsAsciiDigit) || options.Organization.Length == 0)
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"organization `{options.Organization}` is not an organization number (`123456789012`)");
        }
        var org = $"organizations/{options.Organization}";
        var watch = Stopwatch.StartNew();
        var credential = new Lazy<Task<ITokenAccess>>(() => options.Credential is { } given ? Task.FromResult(given)
            : DefaultAsync(cancellationToken));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        RestJsonClient Client(Uri root, string what, string api) =>
            new(http, RestJsonClient.CheckedRoot(root, what), api, Token(() => credential.Value), options.Call);
        var asset = Client(options.CloudAssetEndpoint, "cloud asset endpoint", "cloudasset");
        var iam = Client(options.IamEndpoint, "iam endpoint", "iam");
        if (options.DryRun)
        {
            return new GcpCollectResult(options.Organization, [], null, null, default, [], 0, TimeSpan.Zero,
            [
                $"GET {asset.Root}v1/{org}/assets?contentType=RESOURCE (organization, folders, projects) and ?contentType=IAM_POLICY "
                    + "(every allow policy), every page",
                $"GET {iam.Root}v1/{org}/roles?view=FULL",
                $"for each active project: GET {iam.Root}v1/projects/{{id}}/roles?view=FULL, /serviceAccounts, "
                    + $"/serviceAccounts/{{email}}/keys",
                .. options.DenyPolicies
                    ? [$"for the organization, each folder and project: GET {iam.Root}v2/policies/{{attachment point}}/denypolicies, " +
                       $"and GET {iam.Root}v2/{{policy}} for each"]
                    : Array.Empty<string>(),
                .. options.GroupMemberships
                    ? [$"for each group an allow policy names (and the groups in it): " +
                       $"GET {options.CloudIdentityEndpoint}v1/groups:lookup, " +
                       "/v1/groups/{id}/memberships"]
                    : Array.Empty<string>(),
            ]);
        }
        ArgumentNullException.ThrowIfNull(session);
        var reads = new Reads();

        progress?.Report(new CollectProgress("reading the gcp hierarchy (cloud asset inventory)", 0, 0));
        var resources = await asset.TokenPagesAsync($"v1/{org}/assets?contentType=RESOURCE&{ResourceTypes}&pageSize={options.PageSize}",
            cancellationToken).ConfigureAwait(false);
        var inventory = resources.Aggregate(GcpInventory.Empty, (i, page) => i.Merge(Read(page, GcpAssetReader.Read, reads)));
        progress?.Report(new CollectProgress("reading allow policies (cloud asset inventory)", 0, 0));
        foreach (var page in await asset.TokenPagesAsync($"v1/{org}/assets?contentType=IAM_POLICY&pageSize={options.PageSize}",
            cancellationToken).ConfigureAwait(false))
        {
            inventory = inventory.Merge(Read(page, GcpAssetReader.Read, reads));
        }
        foreach (var page in await iam.TokenPagesAsync($"v1/{org}/roles?view=FULL&pageSize=1000", cancellationToken).ConfigureAwait(false))
        {
            inventory = inventory.Merge(Read(page, GcpRoleReader.Read, reads));
        }

        var projects = ActiveProjects(resources);
        var pages = new ConcurrentDictionary<string, ProjectPages>(StringComparer.Ordinal);
        var coverage = new ConcurrentDictionary<string, ProjectCoverage>(StringComparer.Ordinal);
        var done = 0;
        using var gate = new SemaphoreSlim(options.Parallelism);
        await Task.WhenAll(projects.Select(async project =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                pages[project] = await ReadProjectAsync(iam, project, cancellationToken).ConfigureAwait(false);
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                coverage[project] = new ProjectCoverage(project, AccountStatus.NotRead, ex.Message, 0, 0);
            }
            finally
            {
                gate.Release();
                progress?.Report(new CollectProgress("reading projects", Interlocked.Increment(ref done), projects.Count));
            }
        })).ConfigureAwait(false);

        var diagnostics = new List<Diagnostic>();
        var calls = 0;
        foreach (var project in projects.Where(pages.ContainsKey))
        {
            var p = pages[project];
            var read = GcpInventory.Empty;
            foreach (var page in p.Roles) { read = read.Merge(Read(page, GcpRoleReader.Read, reads)); }
            foreach (var page in p.Accounts) { read = read.Merge(Read(page, GcpServiceAccountReader.ReadAccounts, reads)); }
            foreach (var page in p.Keys) { read = read.Merge(Read(page, GcpServiceAccountReader.ReadKeys, reads)); }
            inventory = inventory.Merge(read);
            coverage[project] = new ProjectCoverage(project, AccountStatus.Read, null, read.ServiceAccounts.Length,
                read.ServiceAccountKeys.Length);
        }
        var notRead = projects.Where(p => coverage[p].Status == AccountStatus.NotRead).ToList();

        var denyFailed = new List<string>();
        if (options.DenyPolicies)
        {
            progress?.Report(new CollectProgress("reading deny policies", 0, 0));
            var (denyPages, failed) = await GcpDenyPolicies.ReadAsync(iam, inventory.Resources, options.Parallelism, cancellationToken)
                .ConfigureAwait(false);
            foreach (var page in denyPages) { inventory = inventory.Merge(Read(page, GcpDenyPolicyReader.Read, reads)); }
            denyFailed = [.. failed.Keys.Order(StringComparer.Ordinal)];
            foreach (var point in denyFailed)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectDenyPoliciesNotRead,
                    $"the deny policies of `{point}` were not read ({failed[point]}); the previous ones are kept"));
            }
        }
        var groupsFailed = false;
        if (options.GroupMemberships)
        {
            progress?.Report(new CollectProgress("reading group members (cloud identity)", 0, 0));
            var identity = new GcpGroups(Client(options.CloudIdentityEndpoint, "cloud identity endpoint", "cloudidentity"));
            try
            {
                var page = await identity.ReadAsync(inventory, cancellationToken).ConfigureAwait(false);
                inventory = inventory.Merge(Read(page, GcpGroupReader.Read, reads));
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                groupsFailed = true;
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectGcpGroupsNotRead,
                    $"group members were not read from cloud identity ({ex.Message}); the previous memberships are kept"));
            }
            calls += identity.Calls;
        }

        var previous = session.Store.LoadGcpInventory();
        var kept = previous.ServiceAccounts.Where(a => a.ProjectId is { } p && notRead.Contains(p)).ToList();
        inventory = inventory with
        {
            CustomRoles = [.. inventory.CustomRoles, .. previous.CustomRoles.Where(r
                => notRead.Any(p => r.Name.StartsWith($"projects/{p}/roles/", StringComparison.Ordinal)))],
            DenyPolicies = options.DenyPolicies
                ? [.. inventory.DenyPolicies, .. previous.DenyPolicies.Where(d => denyFailed.Contains(d.AttachmentPoint))]
                : previous.DenyPolicies,
            Groups = options.GroupMemberships && !groupsFailed ? inventory.Groups : previous.Groups,
            ServiceAccounts = [.. inventory.ServiceAccounts, .. kept],
            ServiceAccountKeys = [.. inventory.ServiceAccountKeys,
                .. previous.ServiceAccountKeys.Where(k => kept.Any(a => a.Email == k.ServiceAccountEmail))],
        };
        foreach (var project in notRead)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectProjectNotRead,
                $"project `{project}` was not read ({coverage[project].Reason}); its previous service accounts, keys "
                    + "and custom roles are kept"));
        }
        var notCollected = new[] { options.DenyPolicies ? null : $"deny policies ({previous.DenyPolicies.Length})",
            options.GroupMemberships ? null : $"group memberships ({previous.Groups.Length})" }.OfType<string>().ToList();
        if (notCollected.Count > 0)
        {
            diagnostics.Add(Diagnostic.Info(DiagnosticCodes.CollectKeptFromImport,
                $"{string.Join(" and ", notCollected)} were not asked for: those of the current snapshot are kept"));
        }

        progress?.Report(new CollectProgress("writing the snapshot", 0, 0));
        var sources = reads.Sources.Concat(notRead.Select(p => $"not read: project {p}"))
            .Concat(denyFailed.Select(p => $"not read: deny policies of {p}"))
            .Concat(groupsFailed ? ["not read: group memberships"] : Array.Empty<string>()).ToImmutableArray();
        var write = session.Store.ImportGcp(new GcpImportRequest(inventory, GcpSnapshotScope.Of(inventory), now, now,
            sources, reads.Counts));
        session.Imported();
        return new GcpCollectResult(options.Organization, [.. projects.Select(p => coverage[p])], inventory, write, reads.Counts,
            [.. reads.Diagnostics, .. diagnostics], asset.Calls + iam.Calls + calls, watch.Elapsed, [])
        {
            DenyPoliciesNotRead = [.. denyFailed],
            GroupsNotRead = groupsFailed,
        };
    }

    private static async Task<ProjectPages> ReadProjectAsync(RestJsonClient iam, string project, CancellationToken cancellationToken)
    {
        var p = $"v1/projects/{Uri.EscapeDataString(project)}";
        var roles = await iam.TokenPagesAsync($"{p}/roles?view=FULL&pageSize=1000", cancellationToken).ConfigureAwait(false);
        var accounts = await iam.TokenPagesAsync($"{p}/serviceAccounts?pageSize=100", cancellationToken).ConfigureAwait(false);
        var keys = new List<RestPage>();
        foreach (var email in RestJsonClient.Items(accounts, "accounts").Select(a => JsonAnswer.Str(a, "email")).OfType<string>())
        {
            keys.Add(await iam.GetAsync($"{p}/serviceAccounts/{Uri.EscapeDataString(email)}/keys", cancellationToken)
                .ConfigureAwait(false));
        }
        return new ProjectPages(roles, accounts, keys);
    }

    /// <summary>The ids of the projects the hierarchy lists as active (`resource.data.projectId`, `lifecycleState` `ACTIVE`).</summary>
    private static List<string> ActiveProjects(List<RestPage> resources) =>
    [
        .. RestJsonClient.Items(resources, "assets")
            .Where(a => JsonAnswer.Str(a, "assetType") == "cloudresourcemanager.googleapis.com/Project")
            .Select(a => a.TryGetProperty("resource", out var r) && r.ValueKind == JsonValueKind.Object
                && r.TryGetProperty("data", out var d) ? d : default)
            .Where(d => d.ValueKind == JsonValueKind.Object && (JsonAnswer.Str(d, "lifecycleState")
                ?? JsonAnswer.Str(d, "state")) is null or "ACTIVE")
            .Select(d => JsonAnswer.Str(d, "projectId")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
    ];

    /// <summary>The application default credentials, scoped read-only; their absence is a credentials error.</summary>
    internal static async Task<ITokenAccess> DefaultAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false))
                .CreateScoped(GcpCollectOptions.ReadOnlyScope, GcpCollectOptions.GroupsReadOnlyScope);
        }
        catch (InvalidOperationException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"no google application default credentials: {RestJsonClient.FirstLine(ex.Message)}", ex);
        }
    }

    internal static Func<CancellationToken, ValueTask<string>> Token(Func<Task<ITokenAccess>> credential) => async cancellationToken =>
    {
        try
        {
            return await (await credential().ConfigureAwait(false)).GetAccessTokenForRequestAsync(null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TokenResponseException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"google refused the credentials: `{ex.Error?.Error}` {RestJsonClient.FirstLine(ex.Error?.ErrorDescription ?? "")}", ex);
        }
    };



    /// <summary>One page through one reader; Google answers an empty list with `{}`, which is nothing to read.</summary>
    private static GcpInventory Read(RestPage page, Func<Stream, string, ImportResult<GcpInventory>> reader, Reads reads)
    {
        using (var json = JsonDocument.Parse(page.Body))
        {
            if (json.RootElement.ValueKind == JsonValueKind.Object && !json.RootElement.EnumerateObject()
                .Any(p => p.Value.ValueKind == JsonValueKind.Array))
            {
                reads.Sources.Add(page.Source);
                return GcpInventory.Empty;
            }
        }
        using var stream = new MemoryStream(page.Body, writable: false);
        var result = reader(stream, page.Source);
        reads.Counts += result.Counts;
        reads.Diagnostics.AddRange(result.Diagnostics);
        reads.Sources.Add(page.Source);
        return result.Value;
    }

    private sealed record ProjectPages(List<RestPage> Roles, List<RestPage> Accounts, List<RestPage> Keys);

    private sealed class Reads
    {
        public List<Diagnostic> Diagnostics { get; } = [];
        public List<string> Sources { get; } = [];
        public ImportCounts Counts { get; set; }
    }
}
