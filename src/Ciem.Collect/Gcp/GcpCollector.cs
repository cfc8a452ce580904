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

    /// <summary>Cloud Asset API's root (the API root override of the Google client libraries).</summary>
    public Uri CloudAssetEndpoint { get; init; } = new("https://cloudasset.googleapis.com/");

    /// <summary>IAM API's root.</summary>
    public Uri IamEndpoint { get; init; } = new("https://iam.googleapis.com/");

    /// <summary>The credential; null is the application default credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's, workload identity, the metadata server).</summary>
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
    private const string ResourceTypes = "assetTypes=cloudresourcemanager.googleapis.com/Organization&assetTypes=cloudresourcemanager.googleapis.com/Folder" +
        "&assetTypes=cloudresourcemanager.googleapis.com/Project";

    public static async Task<GcpCollectResult> CollectAsync(CiemSession? session, GcpCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Organization.All(char.IsAsciiDigit) || options.Organization.Length == 0)
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting, $"organization `{options.Organization}` is not an organization number (`123456789012`)");
        }
        var org = $"organizations/{options.Organization}";
        var watch = Stopwatch.StartNew();
        var credential = new Lazy<Task<ITokenAccess>>(() => options.Credential is { } given ? Task.FromResult(given) : DefaultAsync(cancellationToken));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var asset = new RestJsonClient(http, Checked(options.CloudAssetEndpoint, "cloud asset endpoint"), "cloudasset", Token(() => credential.Value), options.Call);
        var iam = new RestJsonClient(http, Checked(options.IamEndpoint, "iam endpoint"), "iam", Token(() => credential.Value), options.Call);
        if (options.DryRun)
        {
            return new GcpCollectResult(options.Organization, [], null, null, default, [], 0, TimeSpan.Zero,
            [
                $"GET {asset.Root}v1/{org}/assets?contentType=RESOURCE (organization, folders, projects) and ?contentType=IAM_POLICY (every allow policy), every page",
                $"GET {iam.Root}v1/{org}/roles?view=FULL",
                $"for each active project: GET {iam.Root}v1/projects/{{id}}/roles?view=FULL, /serviceAccounts, /serviceAccounts/{{email}}/keys",
            ]);
        }
        ArgumentNullException.ThrowIfNull(session);
        var reads = new Reads();

        progress?.Report(new CollectProgress("reading the gcp hierarchy (cloud asset inventory)", 0, 0));
        var resources = await asset.TokenPagesAsync($"v1/{org}/assets?contentType=RESOURCE&{ResourceTypes}&pageSize={options.PageSize}", cancellationToken).ConfigureAwait(false);
        var inventory = resources.Aggregate(GcpInventory.Empty, (i, page) => i.Merge(Read(page, GcpAssetReader.Read, reads)));
        progress?.Report(new CollectProgress("reading allow policies (cloud asset inventory)", 0, 0));
        foreach (var page in await asset.TokenPagesAsync($"v1/{org}/assets?contentType=IAM_POLICY&pageSize={options.PageSize}", cancellationToken).ConfigureAwait(false))
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
        foreach (var project in projects.Where(pages.ContainsKey))
        {
            var p = pages[project];
            var read = GcpInventory.Empty;
            foreach (var page in p.Roles) { read = read.Merge(Read(page, GcpRoleReader.Read, reads)); }
            foreach (var page in p.Accounts) { read = read.Merge(Read(page, GcpServiceAccountReader.ReadAccounts, reads)); }
            foreach (var page in p.Keys) { read = read.Merge(Read(page, GcpServiceAccountReader.ReadKeys, reads)); }
            inventory = inventory.Merge(read);
            coverage[project] = new ProjectCoverage(project, AccountStatus.Read, null, read.ServiceAccounts.Length, read.ServiceAccountKeys.Length);
        }
        var notRead = projects.Where(p => coverage[p].Status == AccountStatus.NotRead).ToList();

        var previous = session.Store.LoadGcpInventory();
        var kept = previous.ServiceAccounts.Where(a => a.ProjectId is { } p && notRead.Contains(p)).ToList();
        inventory = inventory with
        {
            CustomRoles = [.. inventory.CustomRoles, .. previous.CustomRoles.Where(r => notRead.Any(p => r.Name.StartsWith($"projects/{p}/roles/", StringComparison.Ordinal)))],
            DenyPolicies = previous.DenyPolicies,
            Groups = previous.Groups,
            ServiceAccounts = [.. inventory.ServiceAccounts, .. kept],
            ServiceAccountKeys = [.. inventory.ServiceAccountKeys, .. previous.ServiceAccountKeys.Where(k => kept.Any(a => a.Email == k.ServiceAccountEmail))],
        };
        foreach (var project in notRead)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectProjectNotRead,
                $"project `{project}` was not read ({coverage[project].Reason}); its previous service accounts, keys and custom roles are kept"));
        }
        if (previous.DenyPolicies.Length + previous.Groups.Length > 0)
        {
            diagnostics.Add(Diagnostic.Info(DiagnosticCodes.CollectKeptFromImport,
                $"deny policies ({previous.DenyPolicies.Length}) and group memberships ({previous.Groups.Length}) are not collected: those of the current snapshot are kept"));
        }

        progress?.Report(new CollectProgress("writing the snapshot", 0, 0));
        var sources = reads.Sources.Concat(notRead.Select(p => $"not read: project {p}")).ToImmutableArray();
        var write = session.Store.ImportGcp(new GcpImportRequest(inventory, GcpSnapshotScope.Of(inventory), now, now, sources, reads.Counts));
        session.Imported();
        return new GcpCollectResult(options.Organization, [.. projects.Select(p => coverage[p])], inventory, write, reads.Counts,
            [.. reads.Diagnostics, .. diagnostics], asset.Calls + iam.Calls, watch.Elapsed, []);
    }

    private static async Task<ProjectPages> ReadProjectAsync(RestJsonClient iam, string project, CancellationToken cancellationToken)
    {
        var p = $"v1/projects/{Uri.EscapeDataString(project)}";
        var roles = await iam.TokenPagesAsync($"{p}/roles?view=FULL&pageSize=1000", cancellationToken).ConfigureAwait(false);
        var accounts = await iam.TokenPagesAsync($"{p}/serviceAccounts?pageSize=100", cancellationToken).ConfigureAwait(false);
        var keys = new List<RestPage>();
        foreach (var email in RestJsonClient.Items(accounts, "accounts").Select(a => JsonAnswer.Str(a, "email")).OfType<string>())
        {
            keys.Add(await iam.GetAsync($"{p}/serviceAccounts/{Uri.EscapeDataString(email)}/keys", cancellationToken).ConfigureAwait(false));
        }
        return new ProjectPages(roles, accounts, keys);
    }

    /// <summary>The ids of the projects the hierarchy lists as active (`resource.data.projectId`, `lifecycleState` `ACTIVE`).</summary>
    private static List<string> ActiveProjects(List<RestPage> resources) =>
    [
        .. RestJsonClient.Items(resources, "assets")
            .Where(a => JsonAnswer.Str(a, "assetType") == "cloudresourcemanager.googleapis.com/Project")
            .Select(a => a.TryGetProperty("resource", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("data", out var d) ? d : default)
            .Where(d => d.ValueKind == JsonValueKind.Object && (JsonAnswer.Str(d, "lifecycleState") ?? JsonAnswer.Str(d, "state")) is null or "ACTIVE")
            .Select(d => JsonAnswer.Str(d, "projectId")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
    ];

    /// <summary>The application default credentials, scoped read-only; their absence is a credentials error.</summary>
    private static async Task<ITokenAccess> DefaultAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false)).CreateScoped(GcpCollectOptions.ReadOnlyScope);
        }
        catch (InvalidOperationException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials, $"no google application default credentials: {First(ex.Message)}", ex);
        }
    }

    internal static Func<CancellationToken, ValueTask<string>> Token(Func<Task<ITokenAccess>> credential) => async cancellationToken =>
    {
        try
        {
            return await (await credential().ConfigureAwait(false)).GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials, $"google refused the credentials: `{ex.Error?.Error}` {First(ex.Error?.ErrorDescription ?? "")}", ex);
        }
    };

    private static string First(string message)
    {
        var first = message.Split('\n', 2)[0].Trim();
        return first[..Math.Min(first.Length, 300)];
    }

    /// <exception cref="CollectException">not an absolute https URL (http only on loopback, for local servers).</exception>
    private static Uri Checked(Uri uri, string what)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting, $"{what} `{uri}` is not an https url (http is accepted on loopback only)");
        }
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    /// <summary>One page through one reader; Google answers an empty list with `{}`, which is nothing to read.</summary>
    private static GcpInventory Read(RestPage page, Func<Stream, string, ImportResult<GcpInventory>> reader, Reads reads)
    {
        using (var json = JsonDocument.Parse(page.Body))
        {
            if (json.RootElement.ValueKind == JsonValueKind.Object && !json.RootElement.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Array))
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
