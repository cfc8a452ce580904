using System.Collections.Immutable;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Collect.Usage;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect.Azure;

/// <summary>What `ciem collect azure-activity` reads.</summary>
public sealed record AzureActivityCollectOptions
{
    public AzureConnection Connection { get; init; } = new();

    /// <summary>Only these subscriptions (default: every subscription the credential sees).</summary>
    public ImmutableArray<string> Subscriptions { get; init; } = [];

    public LogPullOptions Pull { get; init; } = new();
}

/// <summary>
/// `ciem collect azure-activity`: each subscription's Activity Log from Azure Monitor's REST API
/// (`GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values`, `nextLink` paging), from
/// where the last collection of that subscription stopped, into the same daily usage rollups as `ciem import
/// azure-activity` (<see cref="StreamedUsageLog.AzureActivity"/>): the pages are the `{"value": […]}` the file import
/// reads. One transaction for the whole run; a subscription that cannot be read is listed and read next time.
/// </summary>
public static class AzureActivityCollector
{
    public const string ArmVersionActivityLog = "2015-04-01";

    public static async Task<LogCollectResult> CollectAsync(CiemSession? session, AzureActivityCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = options.Connection;
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var arm = new RestJsonClient(http, connection.Arm, "arm",
            AzureCollector.Token(connection.ResolveCredential(), connection.Scope(connection.Cloud.Arm)), connection.Call);

        progress?.Report(new CollectProgress("listing azure subscriptions", 0, 0));
        var subscriptions = await arm.PagesAsync($"subscriptions?api-version={AzureCollector.ArmVersionSubscriptions}", "nextLink",
                cancellationToken)
            .ConfigureAwait(false);
        var listed = RestJsonClient.Items(subscriptions)
            .Select(s => JsonAnswer.Str(s, "subscriptionId")).OfType<string>().ToList();
        var wanted = options.Subscriptions.IsDefaultOrEmpty ? listed : [.. options.Subscriptions];
        if (wanted.Count == 0)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                "the credential sees no subscription (`GET /subscriptions` listed none), so the store was not changed: " +
                "give it Reader on the tenant root management group");
        }
        var streams = wanted.Select(id => Stream(arm, id)).ToList();
        if (options.Pull.DryRun)
        {
            return LogPull.Plan(StreamedUsageLog.AzureActivity.Provider.Name, streams, options.Pull, now, arm.Calls,
                [$"GET {arm.Root}subscriptions (done: {listed.Count} visible)",
                 .. wanted.Select(id => $"GET {arm.Root}subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values " +
                    "(every page)")]);
        }
        ArgumentNullException.ThrowIfNull(session);
        return await LogPull.RunAsync(session, StreamedUsageLog.AzureActivity, streams, options.Pull, now, () => arm.Calls, progress,
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// One subscription's Activity Log between two times. The API's filter takes both ends (`le`): the end is moved back
    /// by one tick, the log's precision, so that consecutive windows never share an event.
    /// </summary>
    private static LogStream Stream(RestJsonClient arm, string subscription)
    {
        var path = $"subscriptions/{Uri.EscapeDataString(subscription)}/providers/Microsoft.Insights/eventtypes/management/values";
        return new LogStream(subscription, $"arm-api://{arm.Root.Authority}/{path}", async (from, to, onPage, cancellationToken) =>
        {
            var filter = $"eventTimestamp ge '{LogPull.Time(from)}' and eventTimestamp le '{LogPull.Time(to.AddTicks(-1))}'";
            var relative = $"{path}?api-version={ArmVersionActivityLog}&$filter={Uri.EscapeDataString(filter)}";
            await arm.EachPageAsync(relative, "nextLink", onPage, cancellationToken)
                .ConfigureAwait(false);
        });
    }
}
