using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Collect.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Google.Apis.Auth.OAuth2;

namespace Ciem.Collect.Gcp;

/// <summary>What `ciem collect gcp-audit` reads.</summary>
/// <param name="Organization">the organization's number; its folders and projects come from the store's GCP snapshot.</param>
public sealed record GcpAuditCollectOptions(string Organization)
{
    /// <summary>The audit logs read: Admin Activity and Data Access by default (`system_event` and `policy` may be added).</summary>
    public static readonly ImmutableArray<string> DefaultLogs = ["activity", "data_access"];

    public static readonly ImmutableArray<string> KnownLogs = ["activity", "data_access", "system_event", "policy"];

    /// <summary>Only these projects (ids or numbers), instead of the organization, its folders and every project of the stored
    /// snapshot.</summary>
    public ImmutableArray<string> Projects { get; init; } = [];

    public ImmutableArray<string> Logs { get; init; } = DefaultLogs;

    /// <summary>Cloud Logging API's root (the API root override of the Google client libraries).</summary>
    public Uri LoggingEndpoint { get; init; } = new("https://logging.googleapis.com/");

    /// <summary>The credential; null is the application default credentials, scoped read-only.</summary>
    public ITokenAccess? Credential { get; init; }

    public CallPolicy Call { get; init; } = CallPolicy.Default;

    /// <summary>`pageSize` of `entries:list` (the API's maximum is 1000).</summary>
    public int PageSize { get; init; } = 1000;

    public LogPullOptions Pull { get; init; } = new();
}

/// <summary>
/// `ciem collect gcp-audit`: the Cloud Audit Logs of an organization, its folders and projects from Cloud Logging's
/// `entries:list` (a read by `POST`, `nextPageToken` paging), each container from where its last collection stopped,
/// into the same daily usage rollups as `ciem import gcp-audit` (<see cref="StreamedUsageLog.GcpAudit"/>): the pages
/// are the `{"entries": […]}` that import reads. One transaction for the whole run; a container that cannot be read
/// is listed and read next time.
/// </summary>
public static class GcpAuditCollector
{
    public static async Task<LogCollectResult> CollectAsync(CiemSession? session, GcpAuditCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Organization.Length == 0 || !options.Organization.All(char.IsAsciiDigit))
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"organization `{options.Organization}` is not an organization number (`123456789012`)");
        }
        var unknown = options.Logs.IsDefaultOrEmpty ? "" : options.Logs.FirstOrDefault(l => !GcpAuditCollectOptions.KnownLogs.Contains(l));
        if (unknown is not null)
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"audit log `{unknown}` is not one of {string.Join(", ", GcpAuditCollectOptions.KnownLogs.Select(l => $"`{l}`"))}");
        }
        static bool ProjectChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or ':';
        if (options.Projects.FirstOrDefault(p => p.Length == 0 || !p.All(ProjectChar)) is { } bad)
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting, $"project `{bad}` is not a project id or number");
        }
        var credential = new Lazy<Task<ITokenAccess>>(() =>
            options.Credential is { } given ? Task.FromResult(given) : GcpCollector.DefaultAsync(cancellationToken));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var logging = new RestJsonClient(http, RestJsonClient.CheckedRoot(options.LoggingEndpoint, "logging endpoint"), "logging",
            GcpCollector.Token(() => credential.Value), options.Call);

        List<string> containers = options.Projects.IsDefaultOrEmpty
            ? [$"organizations/{options.Organization}"]
            : [.. options.Projects.Select(p => $"projects/{p}")];
        if (options.Projects.IsDefaultOrEmpty && session is not null)
        {
            containers.AddRange(Containers(session.Store.LoadGcpInventory(), options.Organization));
        }
        var logs = options.Logs.Order(StringComparer.Ordinal).ToList();
        var streams = containers.Select(c => Stream(logging, c, logs, Math.Clamp(options.PageSize, 1, 1000))).ToList();
        if (options.Pull.DryRun)
        {
            return LogPull.Plan(StreamedUsageLog.GcpAudit.Provider.Name, streams, options.Pull, now, 0,
            [
                $"POST {logging.Root}v2/entries:list for " +
                (options.Projects.IsDefaultOrEmpty
                    ? $"organizations/{options.Organization}, its folders and the projects of the stored gcp snapshot"
                    : string.Join(", ", containers)) +
                $" (logs {string.Join(", ", logs.Select(l => $"cloudaudit.googleapis.com/{l}"))}, every page)",
            ]);
        }
        ArgumentNullException.ThrowIfNull(session);
        if (options.Projects.IsDefaultOrEmpty && containers.Count == 1)
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"the store holds no folder or project of organization `{options.Organization}`: " +
                $"run `ciem collect gcp --organization {options.Organization}` first, or name projects with `--project`");
        }
        return await LogPull.RunAsync(session, StreamedUsageLog.GcpAudit, streams, options.Pull, now, () => logging.Calls, progress,
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The folders and projects of the stored snapshot below the organization, as Logging names containers (`folders/N`,
    /// `projects/ID`).</summary>
    private static IEnumerable<string> Containers(GcpInventory inventory, string organization)
    {
        var root = $"{GcpResource.ResourceManager}organizations/{organization}";
        var parents = inventory.Resources.GroupBy(r => r.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Parent, StringComparer.Ordinal);
        bool Below(string name)
        {
            var at = parents.GetValueOrDefault(name);
            for (var hops = 0; at is not null && hops < 100; hops++)
            {
                if (at == root) { return true; }
                at = parents.GetValueOrDefault(at);
            }
            return false;
        }
        return inventory.Resources
            .Where(r => r.Kind is GcpResourceKind.Folder or GcpResourceKind.Project && Below(r.Name))
            .Select(r => r.Name[GcpResource.ResourceManager.Length..])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static bool HasEntries(RestPage page)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(page.Body);
            return JsonAnswer.Items(json.RootElement, "entries").Any();
        }
        catch (System.Text.Json.JsonException)
        {
            return true; // the reader says what is wrong with it, and the window is read again next run
        }
    }

    /// <summary>One container's audit logs between two times (`timestamp >= from AND timestamp < to`), oldest first.</summary>
    private static LogStream Stream(RestJsonClient logging, string container, List<string> logs, int pageSize)
    {
        var which = string.Join(" OR ", logs.Select(l => $"log_id(\"cloudaudit.googleapis.com/{l}\")"));
        var key = $"logging-api://{logging.Root.Authority}/{container}/logs/cloudaudit.googleapis.com?logs={string.Join(',', logs)}";
        return new LogStream(container, key, async (from, to, onPage, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["resourceNames"] = new JsonArray(container),
                ["filter"] = $"({which}) AND timestamp >= \"{LogPull.Time(from)}\" AND timestamp < \"{LogPull.Time(to)}\"",
                ["orderBy"] = "timestamp asc",
                ["pageSize"] = pageSize,
            };
            // Logging answers a page without entries as `{}` (or with only a token): nothing to read, so not handed on.
            await logging.PostEachPageAsync("v2/entries:list", body, page => HasEntries(page) ? onPage(page) : Task.CompletedTask,
                    cancellationToken)
                .ConfigureAwait(false);
        });
    }
}
