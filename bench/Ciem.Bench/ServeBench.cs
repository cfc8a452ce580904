using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.App;
using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.App.Sweep;
using Ciem.Core.Review;
using Ciem.Core.Sweep;
using Ciem.Server;
using Ciem.Server.Data;
using Ciem.Server.Security;
using Ciem.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ciem.Bench;

/// <summary>The load's bounds and its store: `serve --db LOCATION [--users N] [--requests M] [--duration S]`.</summary>
internal sealed record ServeLoad(string Db, int Users, int Requests, double Seconds);

/// <summary>
/// `serve`: the server (<see cref="CiemServer"/>) started in this process on a loopback port over a store holding the demo
/// estate (`ciem demo --db LOCATION`, PostgreSQL in the figures), a fresh review campaign planned from a sweep of it, and
/// N local reviewer accounts signed in through the login form (real cookies and anti-forgery tokens) that browse the
/// overview, the identities (filtered, sorted, paged deep), an identity, the review queue and the API, and approve or
/// object, until M requests or S seconds. Prints p50/p99/max per page and API route, the errors (a server error or an
/// answer other than the one expected) and the refusals (a decision another user made first: 409).
/// </summary>
internal static partial class ServeBench
{
    private const string Password = "bench-load-password";
    private static readonly string[] Providers = ["aws", "azure", "gcp"];
    private static readonly string[] Sorts = ["granted", "used", "unused", "name", "account"];

    public static IReadOnlyList<Figure> Run(ServeLoad load, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(load);
        var location = StoreLocation.Parse(load.Db);
        var setup = Stopwatch.StartNew();
        var work = Prepare(location, load.Users, output);
        output.WriteLine($"# set-up {setup.Elapsed.TotalSeconds:0.0} s: {work.Items.Count:#,0} review items in campaign `{work.Campaign}`, "
            + $"{load.Users} users");
        return RunAsync(location, load, work, output).GetAwaiter().GetResult();
    }

    /// <summary>What the users act on: the campaign's items (with a permission an objection keeps), noticed and open.</summary>
    private sealed record Work(string Campaign, ConcurrentQueue<(string Identity, string Keep)> Items);

    /// <summary>The reviewer accounts, and a campaign planned from a sweep of the store's estate and noticed (not timed).</summary>
    private static Work Prepare(StoreLocation location, int users, TextWriter output)
    {
        var now = TimeProvider.System.GetUtcNow();
        using var session = new CiemSession(location);
        var server = (IServerStore)session.Store;
        var existing = server.ListUsers().Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in Enumerable.Range(1, users).Select(UserName).Where(n => !existing.Contains(n)))
        {
            var added = Accounts.Add(server, name, $"{name}@bench.example", Roles.Reviewer, null, Password, now);
            if (added.Error is not null) { throw new InvalidOperationException($"cannot add user `{name}`: {added.Error}"); }
        }
        if (server.QueryIdentities(new IdentityQuery()).Total == 0)
        {
            throw new ArgumentException($"the store at `{location.Display}` holds no measurement: make it with `ciem demo --db …` first");
        }
        var programme = new ReviewProgramme(session.Store, TimeProvider.System);
        if (OpenCampaign(session.Store, programme) is { } open)
        {
            output.WriteLine($"# reusing the open campaign `{open.Campaign}` of an earlier run");
            return open;
        }
        output.WriteLine("# sweeping the estate to plan a campaign (not timed)");
        var sweep = EstateSweeper.Sweep(session, new SweepRequest(now, new SweepOptions())).Result
            ?? throw new InvalidOperationException($"the store at `{location.Display}` holds no estate to sweep");
        var entries = ReviewEntries.FromSweep(sweep);
        if (entries.IsEmpty) { throw new InvalidOperationException("the sweep proposed no reduction to review"); }
        var campaign = "bench-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var settings = ReviewSettings.Default with { Config = new ReviewConfig { BatchSize = entries.Length, NoticeDays = 0 } };
        var plan = programme.Plan(entries, settings, now, campaign);
        if (!plan.Ok) { throw new InvalidOperationException($"cannot plan `{campaign}`: {string.Join("; ", plan.Diagnostics)}"); }
        var folder = Directory.CreateTempSubdirectory("ciem-bench-notify-").FullName;
        try
        {
            using var http = new HttpClient();
            var notify = new NotificationSettings(Path.Combine(folder, "notify"), Path.Combine(folder, "outbox"),
                Retry: new RetrySettings(1));
            var outbox = NotificationDispatcher.FromSettings(notify, http, TimeProvider.System);
            var noticed = programme.NotifyAsync(campaign, outbox).GetAwaiter().GetResult();
            if (!noticed.Ok)
            {
                throw new InvalidOperationException($"cannot notice `{campaign}`: {string.Join("; ", noticed.Diagnostics)}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        // Only what the plan kept: the entries it set aside (break-glass, pipelines…) are not in the campaign, and a decision on
        // one is rightly answered 404.
        var planned = (session.Store.LoadCampaignOutline(campaign)?.Items ?? []).Select(i => i.Identity)
            .ToHashSet(StringComparer.Ordinal);
        var items = new ConcurrentQueue<(string, string)>(entries
            .Where(e => !e.Candidate.Removed.IsEmpty && planned.Contains(e.Candidate.IdentityId))
            .Select(e => (e.Candidate.IdentityId, e.Candidate.Removed[0])));
        return new Work(campaign, items);
    }

    /// <summary>The latest campaign an earlier run planned, when it still has noticed items (its sweep is not repeated).</summary>
    private static Work? OpenCampaign(ICiemStore store, ReviewProgramme programme)
    {
        var latest = programme.Campaigns().Where(c => c.Id.StartsWith("bench-", StringComparison.Ordinal))
            .OrderBy(c => c.PlannedAt).LastOrDefault();
        if (latest is null || programme.Status(latest.Id).Value is not { } status) { return null; }
        var noticed = status.Batches.SelectMany(b => b.Items).Where(i => i.State == ReviewState.Noticed).Select(i => i.Identity)
            .ToHashSet(StringComparer.Ordinal);
        var items = (store.LoadCampaign(latest.Id)?.Items ?? []).Where(r => noticed.Contains(r.Identity))
            .Select(r => ReviewEntry.FromJson(r.Candidate).Candidate).Where(c => !c.Removed.IsEmpty)
            .Select(c => (c.IdentityId, c.Removed[0])).ToList();
        return items.Count == 0 ? null : new Work(latest.Id, new ConcurrentQueue<(string, string)>(items));
    }

    private static string UserName(int n) => $"bench-reviewer-{n:00}";

    private static async Task<IReadOnlyList<Figure>> RunAsync(StoreLocation location, ServeLoad load, Work work, TextWriter output)
    {
        using var reverifier = new SweepReverifier(location);
        var (app, address) = await CiemServer.StartOnLoopbackAsync(new ServerOptions { LoginPermits = 100_000 }, location, TimeProvider.System,
            reverifier, services => services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Warning)).ConfigureAwait(false);
        try
        {
            // The identity pages' estates are prepared in the background from the start; the load begins once they are ready.
            var warm = Stopwatch.StartNew();
            await app.Services.GetRequiredService<EstateWarmUp>().Finished.ConfigureAwait(false);
            var estates = app.Services.GetRequiredService<EstateCache>();
            output.WriteLine($"# estates prepared in {estates.LastLoad.TotalSeconds:0.0} s ({estates.Loads} build), "
                + $"{warm.Elapsed.TotalSeconds:0.0} s after the server listened");
            var recorder = new Recorder(load.Requests, TimeSpan.FromSeconds(load.Seconds));
            var clients = new List<UserClient>();
            foreach (var n in Enumerable.Range(1, load.Users))
            {
                clients.Add(await UserClient.SignInAsync(address, UserName(n), recorder).ConfigureAwait(false));
            }
            var targets = await Targets.ReadAsync(clients[0]).ConfigureAwait(false);
            output.WriteLine($"# {targets.Total:#,0} identities in the latest measurement; {load.Users} users until "
                + $"{load.Requests:#,0} requests "
                + $"or {load.Seconds:0} s");
            recorder.Start();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.WhenAll(clients.Select((c, i) => UserAsync(c, i, targets, work, recorder))).ConfigureAwait(false);
            var elapsed = recorder.Elapsed;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            foreach (var c in clients) { c.Dispose(); }
            return Report(recorder, elapsed, cpuSeconds, load, targets.Total, output);
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One user's session: rounds of browsing and one decision each, until the load's bounds.</summary>
    private static async Task UserAsync(UserClient user, int index, Targets targets, Work work, Recorder recorder)
    {
        var random = new Random(index + 1);
        for (var round = 0; !recorder.Done; round++)
        {
            var provider = Providers[random.Next(Providers.Length)];
            var sort = Sorts[random.Next(Sorts.Length)];
            var deep = targets.Pages(50) - random.Next(Math.Max(1, targets.Pages(50) / 10));
            var (idProvider, id) = targets.Identities[random.Next(targets.Identities.Length)];
            var identity = $"provider={idProvider}&id={Uri.EscapeDataString(id)}";
            await user.GetAsync("page /", "/").ConfigureAwait(false);
            await user.GetAsync("page /identities filtered+sorted", $"/identities?provider={provider}&sort={sort}&dir=desc&unused=true")
                .ConfigureAwait(false);
            await user.GetAsync("page /identities deep page", $"/identities?sort={sort}&page={deep}").ConfigureAwait(false);
            await user.GetAsync("page /identity", "/identity?" + identity).ConfigureAwait(false);
            var review = await user.GetAsync("page /review", $"/review?campaign={work.Campaign}").ConfigureAwait(false);
            await user.GetAsync("api /api/v1/overview", "/api/v1/overview").ConfigureAwait(false);
            var apiDeep = targets.Pages(100) - random.Next(3);
            await user.GetAsync("api /api/v1/identities deep page", $"/api/v1/identities?sort={sort}&size=100&page={apiDeep}")
                .ConfigureAwait(false);
            await user.GetAsync("api /api/v1/identity", "/api/v1/identity?" + identity).ConfigureAwait(false);
            await user.GetAsync("api /api/v1/review", $"/api/v1/review?campaign={work.Campaign}").ConfigureAwait(false);
            if (recorder.Done || !work.Items.TryDequeue(out var item)) { continue; }
            var csrf = review is null ? null
                : CsrfField().Match(review) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
            switch (round % 4)
            {
                case 3:
                    await user.PostFormAsync("form POST /review/object", "/review/object", new()
                    {
                        ["__csrf"] = csrf ?? "", ["campaign"] = work.Campaign, ["identity"] = item.Identity, ["keep"] = item.Keep,
                        ["reason"] = "bench: still needed",
                    }).ConfigureAwait(false);
                    break;
                case 1:
                    await user.PostJsonAsync("api POST /api/v1/review/approve", "/api/v1/review/approve",
                        new ApproveRequestBody(work.Campaign, item.Identity)).ConfigureAwait(false);
                    break;
                default:
                    await user.PostFormAsync("form POST /review/approve", "/review/approve",
                        new() { ["__csrf"] = csrf ?? "", ["campaign"] = work.Campaign, ["identity"] = item.Identity })
                        .ConfigureAwait(false);
                    break;
            }
        }
    }

    private sealed record ApproveRequestBody(string Campaign, string Identity);

    private static List<Figure> Report(Recorder recorder, TimeSpan elapsed, double cpuSeconds, ServeLoad load, int identities,
        TextWriter output)
    {
        var figures = new List<Figure>();
        output.WriteLine();
        output.WriteLine($"{load.Users} users, {recorder.Count:#,0} requests in {elapsed.TotalSeconds:0.0} s "
            + $"({recorder.Count / elapsed.TotalSeconds:0.0} requests/s), {identities:#,0} identities, {recorder.Errors:#,0} errors, "
            + $"{recorder.Refusals:#,0} refusals (409), process CPU {cpuSeconds:0.0} s, "
            + $"load average {Measure.LoadAverage():0.0}");
        output.WriteLine();
        output.WriteLine("| route | requests | p50 ms | p99 ms | max ms | errors |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (route, samples) in recorder.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var times = samples.Select(s => s.Ms).Order().ToList();
            var errors = samples.Count(s => s.Error);
            var (p50, p99, max) = (Percentile(times, 0.50), Percentile(times, 0.99), times[^1]);
            output.WriteLine(FormattableString.Invariant(
                $"| {route} | {times.Count:#,0} | {p50:0.0} | {p99:0.0} | {max:0.0} | {errors} |"));
            figures.Add(new Figure($"serve {route} p50", p50, "ms"));
            figures.Add(new Figure($"serve {route} p99", p99, "ms"));
            figures.Add(new Figure($"serve {route} max", max, "ms"));
        }
        output.WriteLine();
        foreach (var (route, status, detail) in recorder.ErrorSamples.Take(10))
        {
            output.WriteLine($"# error: {route}: {status}: {detail}");
        }
        figures.Add(new Figure("serve.requests", recorder.Count, "requests"));
        figures.Add(new Figure("serve.errors", recorder.Errors, "requests"));
        figures.Add(new Figure("serve.refusals", recorder.Refusals, "requests (409: decided by another user first)"));
        figures.Add(new Figure("serve.throughput", recorder.Count / elapsed.TotalSeconds, "requests/s"));
        figures.Add(new Figure("serve.duration", elapsed.TotalSeconds, "s"));
        return figures;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>Each request's time per route, the bounds (count and time), errors and refusals.</summary>
    private sealed class Recorder(int limit, TimeSpan duration)
    {
        private readonly Stopwatch _clock = new();
        private int _issued;
        private int _errors;
        private int _refusals;

        public ConcurrentDictionary<string, ConcurrentBag<(double Ms, bool Error)>> Routes { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<(string Route, int Status, string Detail)> ErrorSamples { get; } = new();

        public int Count => Math.Min(_issued, limit);

        public int Errors => _errors;

        public int Refusals => _refusals;

        public TimeSpan Elapsed => _clock.Elapsed;

        public bool Done => _clock.IsRunning && (Volatile.Read(ref _issued) >= limit || _clock.Elapsed >= duration);

        public void Start() => _clock.Start();

        /// <summary>Takes one request from the budget (always during sign-in, before the start).</summary>
        public bool Take() => !_clock.IsRunning || (_clock.Elapsed < duration && Interlocked.Increment(ref _issued) <= limit);

        public void Add(string route, double ms, int status, bool expected, string detail)
        {
            if (!_clock.IsRunning) { return; }
            var error = !expected;
            if (status == (int)HttpStatusCode.Conflict) { Interlocked.Increment(ref _refusals); }
            if (error)
            {
                Interlocked.Increment(ref _errors);
                if (ErrorSamples.Count < 50) { ErrorSamples.Enqueue((route, status, detail.Length > 300 ? detail[..300] : detail)); }
            }
            Routes.GetOrAdd(route, _ => []).Add((ms, error));
        }
    }

    /// <summary>A signed-in browser: its own cookies (the session and the anti-forgery cookie), no redirects followed.</summary>
    private sealed class UserClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Recorder _recorder;

        private UserClient(Uri address, Recorder recorder)
        {
            _recorder = recorder;
            var handler = new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            _http = new HttpClient(handler)
            {
                BaseAddress = address,
                Timeout = TimeSpan.FromMinutes(10),
            };
        }

        public static async Task<UserClient> SignInAsync(Uri address, string name, Recorder recorder)
        {
            var client = new UserClient(address, recorder);
            var login = await client._http.GetStringAsync(new Uri("/login", UriKind.Relative)).ConfigureAwait(false);
            var csrf = CsrfField().Match(login);
            if (!csrf.Success) { throw new InvalidOperationException("the sign-in page has no anti-forgery field"); }
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__csrf"] = WebUtility.HtmlDecode(csrf.Groups[1].Value), ["name"] = name, ["password"] = Password, ["returnUrl"] = "/",
            });
            using var response = await client._http.PostAsync(new Uri("/login", UriKind.Relative), form).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"`{name}` could not sign in: {(int)response.StatusCode} {body}");
            }
            return client;
        }

        /// <summary>A page or an API read (200 expected); its body, or null when the budget is spent.</summary>
        public Task<string?> GetAsync(string route, string path) =>
            SendAsync(route, () => new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)), ok: [HttpStatusCode.OK]);

        /// <summary>A form post as the browser sends it; 200, or 409 when another user decided first.</summary>
        public Task<string?> PostFormAsync(string route, string path, Dictionary<string, string> fields) =>
            SendAsync(route, () => Post(path, new FormUrlEncodedContent(fields)), ok: [HttpStatusCode.OK, HttpStatusCode.Conflict]);

        public Task<string?> PostJsonAsync<T>(string route, string path, T body) =>
            SendAsync(route, () => Post(path, JsonContent.Create(body, options: Json)), ok: [HttpStatusCode.OK, HttpStatusCode.Conflict]);

        private static HttpRequestMessage Post(string path, HttpContent content) =>
            new(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };

        private async Task<string?> SendAsync(string route, Func<HttpRequestMessage> request, HttpStatusCode[] ok)
        {
            if (!_recorder.Take()) { return null; }
            using var message = request();
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await _http.SendAsync(message).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                _recorder.Add(route, clock.Elapsed.TotalMilliseconds, (int)response.StatusCode, ok.Contains(response.StatusCode), body);
                return body;
            }
            catch (HttpRequestException e)
            {
                _recorder.Add(route, clock.Elapsed.TotalMilliseconds, 0, expected: false, e.Message);
                return null;
            }
            catch (TaskCanceledException e)
            {
                _recorder.Add(route, clock.Elapsed.TotalMilliseconds, 0, expected: false, e.Message);
                return null;
            }
        }

        public void Dispose() => _http.Dispose();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What the users open: the identity count (for deep pages) and a sample of identities, read through the API once.</summary>
    private sealed record Targets(int Total, ImmutableArray<(string Provider, string Id)> Identities)
    {
        public int Pages(int size) => Math.Max(1, (Total + size - 1) / size);

        public static async Task<Targets> ReadAsync(UserClient client)
        {
            var first = await client.GetAsync("setup", "/api/v1/identities?size=500&sort=granted&dir=desc").ConfigureAwait(false)
                ?? throw new InvalidOperationException("the identity listing did not answer");
            var json = JsonDocument.Parse(first).RootElement;
            var ids = json.GetProperty("identities").EnumerateArray()
                .Select(i => (i.GetProperty("provider").GetString()!, i.GetProperty("identity").GetString()!)).ToImmutableArray();
            if (ids.IsEmpty) { throw new InvalidOperationException("the latest measurement lists no identity"); }
            return new Targets(json.GetProperty("total").GetInt32(), ids);
        }
    }

    /// <summary>
    /// An objection's re-run as `ciem serve` does it: the identity's proposal from a sweep of that identity keeping the
    /// permissions, one at a time, over one session (the estate loaded once).
    /// </summary>
    private sealed class SweepReverifier(StoreLocation location) : IProposalReverifier, IDisposable
    {
        private readonly Lock _gate = new();
        private readonly CiemSession _session = new(location);

        public ReviewEntry? Reverify(ReviewCandidate candidate, ImmutableArray<string> kept, DateTimeOffset? sweepAsOf)
        {
            ArgumentNullException.ThrowIfNull(candidate);
            lock (_gate)
            {
                var defaults = new SweepOptions();
                var options = defaults with
                {
                    Only = [candidate.IdentityId],
                    Proposal = defaults.Proposal with { KeepActions = defaults.Proposal.KeepActions.Union(kept) },
                };
                var request = new SweepRequest(sweepAsOf ?? TimeProvider.System.GetUtcNow(), options)
                {
                    Providers = [Core.Model.Provider.Parse(candidate.Provider)],
                };
                var sweep = EstateSweeper.Sweep(_session, request).Result;
                return sweep is null ? null
                    : ReviewEntries.FromSweep(sweep).FirstOrDefault(e => e.Candidate.IdentityId == candidate.IdentityId);
            }
        }

        public void Dispose() => _session.Dispose();
    }
}
