using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ciem.App;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import;
using Ciem.Import.Directories;
using Ciem.Storage;
using Polly;
using Polly.Timeout;

namespace Ciem.Collect.Okta;

/// <summary>What `ciem collect okta` reads and how.</summary>
/// <param name="OrgUrl">the Okta org (`https://example.okta.com`); every call and every followed link stays on it.</param>
/// <param name="Token">the API token (sent as `SSWS`; never printed).</param>
public sealed record OktaCollectOptions(Uri OrgUrl, string Token)
{
    public CallPolicy Call { get; init; } = CallPolicy.Default;

    /// <summary>`limit` of each list call (Okta's maximum for users and groups is 200).</summary>
    public int PageSize { get; init; } = 200;

    public bool DryRun { get; init; }
}

/// <summary>What one directory collection read and wrote.</summary>
public sealed record DirectoryCollectResult(
    string Tenant,
    DirectorySnapshot? Snapshot,
    ImmutableArray<SnapshotWrite> Writes,
    Ciem.Core.Diagnostics.ImportCounts Counts,
    ImmutableArray<Diagnostic> Diagnostics,
    int Calls,
    TimeSpan Elapsed,
    ImmutableArray<string> Plan)
{
    public bool DryRun => Snapshot is null && !Plan.IsDefaultOrEmpty;

    /// <summary>
    /// Reads a bundle the collector built from the API's answers with the file import's reader and writes it as one
    /// directory snapshot, as `ciem import directory` would; a bundle the reader cannot read changes nothing.
    /// </summary>
    public static DirectoryCollectResult Write(CiemSession session, JsonObject bundle,
        Func<Stream, string, DateTimeOffset, ImportResult<DirectorySnapshot?>> reader,
        string source, string api, DateTimeOffset now, IProgress<CollectProgress>? progress, int calls, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(reader);
        using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(bundle), writable: false);
        var read = reader(stream, source, now);
        if (read.Value is not { } snapshot)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"the {api} answers could not be read, so the store was not "
                    + $"changed: {string.Join("; ", read.Diagnostics.Select(d => d.Message))}");
        }
        progress?.Report(new CollectProgress("writing the snapshot", 0, 0));
        var writes = session.Store.ImportDirectories(new DirectoryImportRequest([snapshot], now, [source], read.Counts));
        session.Imported();
        return new DirectoryCollectResult(snapshot.TenantId, snapshot, writes, read.Counts, [.. read.Diagnostics], calls, elapsed, []);
    }
}

/// <summary>
/// `ciem collect okta`: reads users, groups and their members, apps and their user and group assignments from the
/// Okta Management API (read-only `GET`s, every page through the `Link: rel="next"` headers, 429 answered by waiting
/// until `X-Rate-Limit-Reset`) into the bundle <see cref="OktaReader"/> reads from files, and writes it as one
/// directory snapshot. All or nothing: a directory missing a call would read as one without those members.
/// </summary>
public static partial class OktaCollector
{
    public static async Task<DirectoryCollectResult> CollectAsync(CiemSession? session, OktaCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var org = Org(options.OrgUrl);
        if (options.DryRun)
        {
            return new DirectoryCollectResult(org, null, [], default, [], 0, TimeSpan.Zero,
                [$"GET {org}/api/v1/users, /api/v1/groups, /api/v1/groups/{{id}}/users for each group, /api/v1/apps, "
                    + $"/api/v1/apps/{{id}}/users and /api/v1/apps/{{id}}/groups for each app (every page)"]);
        }
        ArgumentNullException.ThrowIfNull(session);
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new Client(http, new Uri(org), options);
        var bundle = new JsonObject { ["Format"] = OktaReader.FormatName, ["orgUrl"] = org };

        progress?.Report(new CollectProgress("reading okta users", 0, 0));
        bundle[OktaReader.Users] = await client.PagesAsync($"/api/v1/users?limit={options.PageSize}", cancellationToken)
            .ConfigureAwait(false);
        progress?.Report(new CollectProgress("reading okta groups", 0, 0));
        var groups = await client.PagesAsync($"/api/v1/groups?limit={options.PageSize}", cancellationToken).ConfigureAwait(false);
        bundle[OktaReader.Groups] = groups;
        var members = new JsonObject();
        var groupIds = Ids(groups);
        for (var i = 0; i < groupIds.Count; i++)
        {
            progress?.Report(new CollectProgress("reading okta group members", i, groupIds.Count));
            members[groupIds[i]] = await client.PagesAsync(
                $"/api/v1/groups/{Uri.EscapeDataString(groupIds[i])}/users?limit={options.PageSize}", cancellationToken)
                .ConfigureAwait(false);
        }
        bundle[OktaReader.GroupMembers] = members;
        var apps = await client.PagesAsync($"/api/v1/apps?limit={options.PageSize}", cancellationToken).ConfigureAwait(false);
        bundle[OktaReader.Apps] = apps;
        var appUsers = new JsonObject();
        var appGroups = new JsonObject();
        var appIds = Ids(apps);
        for (var i = 0; i < appIds.Count; i++)
        {
            progress?.Report(new CollectProgress("reading okta app assignments", i, appIds.Count));
            var id = Uri.EscapeDataString(appIds[i]);
            appUsers[appIds[i]] = await client.PagesAsync($"/api/v1/apps/{id}/users?limit={options.PageSize}", cancellationToken)
                .ConfigureAwait(false);
            appGroups[appIds[i]] = await client.PagesAsync($"/api/v1/apps/{id}/groups?limit={options.PageSize}", cancellationToken)
                .ConfigureAwait(false);
        }
        bundle[OktaReader.AppUsers] = appUsers;
        bundle[OktaReader.AppGroups] = appGroups;

        return DirectoryCollectResult.Write(session, bundle, OktaReader.Read, $"okta-api://{new Uri(org).Authority}", "okta", now, progress,
            client.Calls, watch.Elapsed)
            with { Tenant = org };
    }

    /// <summary>The org URL as the tenant: scheme and authority, no path.</summary>
    /// <exception cref="CollectException">not an absolute https URL (http only on loopback, for local servers).</exception>
    public static string Org(Uri orgUrl)
    {
        ArgumentNullException.ThrowIfNull(orgUrl);
        if (!orgUrl.IsAbsoluteUri || (orgUrl.Scheme != Uri.UriSchemeHttps && !(orgUrl.Scheme == Uri.UriSchemeHttp && orgUrl.IsLoopback)))
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"okta org url `{orgUrl}` is not an https url (http is accepted on loopback only)");
        }
        return orgUrl.GetLeftPart(UriPartial.Authority);
    }

    private static List<string> Ids(JsonArray items) =>
        [.. items.OfType<JsonObject>().Select(o => o["id"]?.GetValueKind() == JsonValueKind.String ? o["id"]!.GetValue<string>() : null)
            .OfType<string>()];

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"next\"", RegexOptions.CultureInvariant)]
    private static partial Regex NextLink();

    private sealed record Answer(int Status, byte[] Body, TimeSpan? Wait, Uri? Next);

    /// <summary>GETs against one org with the token, retried by the call policy; counts the calls.</summary>
    private sealed class Client(HttpClient http, Uri org, OktaCollectOptions options)
    {
        private readonly ResiliencePipeline<Answer> _pipeline = options.Call.Pipeline<Answer>(a => a.Status is 429 or >= 500, a => a.Wait);
        private int _calls;

        public int Calls => _calls;

        /// <summary>The items of every page of a list, following `rel="next"` links that stay on the org.</summary>
        public async Task<JsonArray> PagesAsync(string path, CancellationToken cancellationToken)
        {
            var pages = new JsonArray();
            Uri? next = new(org, path);
            while (next is not null)
            {
                var answer = await GetAsync(next, cancellationToken).ConfigureAwait(false);
                JsonNode? page;
                try { page = JsonNode.Parse(answer.Body); }
                catch (JsonException ex)
                {
                    throw new CollectException(DiagnosticCodes.CollectCallFailed,
                        $"okta `GET {next.PathAndQuery}` answered with json that cannot be read: {ex.Message}", ex);
                }
                if (page is not JsonArray)
                {
                    throw new CollectException(DiagnosticCodes.CollectCallFailed,
                        $"okta `GET {next.PathAndQuery}` answered "
                        + $"with {page?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}, not a list");
                }
                // The bundle holds each list as one bare array: the pages' items one after the other.
                foreach (var item in page.AsArray()) { pages.Add(item?.DeepClone()); }
                if (answer.Next is { } link && (link.Scheme != org.Scheme
                    || !string.Equals(link.Authority, org.Authority, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new CollectException(DiagnosticCodes.CollectCallFailed,
                        $"okta `GET {next.AbsolutePath}` gave a next page on `{link.GetLeftPart(UriPartial.Authority)}`, not on the org "
                            + $"`{org.GetLeftPart(UriPartial.Authority)}`; the token is not sent there");
                }
                next = answer.Next;
            }
            return pages;
        }

        private async Task<Answer> GetAsync(Uri uri, CancellationToken cancellationToken)
        {
            Answer answer;
            try
            {
                answer = await _pipeline.ExecuteAsync(async token =>
                {
                    Interlocked.Increment(ref _calls);
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Authorization = new AuthenticationHeaderValue("SSWS", options.Token);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token)
                        .ConfigureAwait(false);
                    var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
                    return new Answer((int)response.StatusCode, body, Wait(response), Next(response, uri));
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex)
            {
                throw new CollectException(DiagnosticCodes.CollectTimedOut,
                    $"okta `GET {uri.AbsolutePath}` did not answer within {options.Call.Timeout.TotalSeconds:0.#} s "
                        + $"({options.Call.MaxRetries + 1} attempts)", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new CollectException(DiagnosticCodes.CollectCallFailed,
                    $"okta `GET {uri.AbsolutePath}` could not reach `{org.Authority}`: {ex.Message}", ex);
            }
            if (answer.Status is >= 200 and < 300) { return answer; }
            var (code, summary) = Error(answer.Body);
            var said = code is null ? $"http {answer.Status}" : $"`{code}`";
            throw new CollectException(answer.Status == 401 ? DiagnosticCodes.CollectCredentials : DiagnosticCodes.CollectCallFailed,
                $"okta `GET {uri.AbsolutePath}` was refused with {said}{(summary is null ? "" : $": {summary}")}")
                    { ServiceCode = code, Status = answer.Status };
        }

        /// <summary>How long a 429 asks to wait: until `X-Rate-Limit-Reset` (epoch seconds), else `Retry-After`.</summary>
        private static TimeSpan? Wait(HttpResponseMessage response)
        {
            if (response.Headers.TryGetValues("X-Rate-Limit-Reset", out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
            {
                return DateTimeOffset.FromUnixTimeSeconds(reset) - DateTimeOffset.UtcNow;
            }
            return response.Headers.RetryAfter?.Delta;
        }

        private static Uri? Next(HttpResponseMessage response, Uri current)
        {
            if (!response.Headers.TryGetValues("Link", out var links)) { return null; }
            foreach (var link in links)
            {
                if (NextLink().Match(link) is { Success: true } match && Uri.TryCreate(current, match.Groups[1].Value, out var next))
                    { return next; }
            }
            return null;
        }

        private static (string? Code, string? Summary) Error(byte[] body)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                var summary = JsonAnswer.Str(root, "errorSummary");
                return (JsonAnswer.Str(root, "errorCode"), summary is null ? null
                    : new string([.. summary.Take(300).Select(c => char.IsControl(c) ? ' ' : c)]));
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }
    }
}
