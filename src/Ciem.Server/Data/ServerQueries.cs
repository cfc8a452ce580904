using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using Ciem.App.Evidence;
using Ciem.App;
using Ciem.App.Metrics;
using Ciem.App.People;
using Ciem.App.Questions;
using Ciem.App.Review;
using Ciem.Core.Metrics;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Server.Components;
using Ciem.Server.Security;
using Ciem.Storage;
using Microsoft.AspNetCore.Http;

namespace Ciem.Server.Data;

/// <summary>A value, or why the request cannot be answered: its HTTP status and a message (lowercase, values in backticks).</summary>
public sealed record Answer<T>(T? Value, int Status, string? Problem);

/// <summary>Builds <see cref="Answer{T}"/>s.</summary>
public static class Answer
{
    public static Answer<T> Ok<T>(T value) => new(value, StatusCodes.Status200OK, null);

    public static Answer<T> Fail<T>(int status, string problem) => new(default, status, problem);
}

/// <summary>Re-runs an identity's proposal keeping some permissions (an objection); the host supplies the sweep that does it.</summary>
public interface IProposalReverifier
{
    ReviewEntry? Reverify(ReviewCandidate candidate, ImmutableArray<string> kept, DateTimeOffset? sweepAsOf);
}

/// <summary>
/// What the pages and the API both answer, from one request's store: the identity list, one identity, the overview,
/// the review queue and its decisions, evidence. Every answer is limited to what the viewer may see (an owner: only
/// the identities they own), and every input is checked before anything is read or written.
/// </summary>
public sealed class ServerQueries(ServerStore store, EstateCache estates, OverviewCache overview, TimeProvider clock, IProposalReverifier? reverifier = null)
{
    private static readonly string[] ProviderNames = ["aws", "azure", "gcp"];
    private static readonly string[] EnvironmentNames = ["prod", "preprod", "dev", "other"];

    public ServerStore Store => store;

    /// <summary>The identity filters of a query string (`provider`, `kind`, `env`, `account`, `owner`, `q`, `admin`, `unused`, `sort`, `dir`, `page`, `size`).</summary>
    public static Answer<IdentityQuery> ParseIdentityQuery(IQueryCollection query, Viewer viewer)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(viewer);
        var read = new QueryText(query);
        try
        {
            read.Known("provider", "kind", "env", "account", "owner", "q", "admin", "unused", "sort", "dir", "page", "size");
            var provider = read.Text("provider", 10);
            if (provider is not null && !ProviderNames.Contains(provider)) { throw new BadQuery($"`provider` `{provider}` is unknown: use aws, azure or gcp"); }
            var env = read.Text("env", 10);
            if (env is not null && !EnvironmentNames.Contains(env)) { throw new BadQuery($"`env` `{env}` is unknown: use prod, preprod, dev or other"); }
            var sortText = read.Text("sort", 10) ?? "name";
            if (!Enum.TryParse<IdentitySort>(sortText, ignoreCase: true, out var sort) || !Enum.IsDefined(sort) || sortText.All(char.IsDigit))
            {
                throw new BadQuery($"`sort` `{sortText}` is unknown: use name, provider, account, kind, granted, used or unused");
            }
            var dir = read.Text("dir", 4) ?? "asc";
            if (dir is not ("asc" or "desc")) { throw new BadQuery($"`dir` `{dir}` is not `asc` or `desc`"); }
            if (OwnerOf(read, viewer) is not { } owner)
            {
                return Answer.Fail<IdentityQuery>(StatusCodes.Status403Forbidden, Foreign(read));
            }
            return Answer.Ok<IdentityQuery>(new IdentityQuery(provider, read.Text("kind", 40), env, read.Text("account", 200), owner.Name,
                read.Flag("admin"), read.Flag("unused"), read.Text("q", 200), sort, dir == "desc", read.Number("page", 1, 1, 1_000_000),
                read.Number("size", 50, 10, 500)));
        }
        catch (BadQuery ex)
        {
            return Answer.Fail<IdentityQuery>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: {ex.Message}");
        }
    }

    /// <summary>The review queue's query string: `campaign`, `state`, `owner`, `q`, `page`, `size` (an owner: only their own).</summary>
    public static Answer<(string? Campaign, ReviewQueueQuery Query)> ParseReviewQuery(IQueryCollection query, Viewer viewer)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(viewer);
        var read = new QueryText(query);
        try
        {
            read.Known("campaign", "state", "owner", "q", "page", "size");
            var state = read.Text("state", 20);
            var states = Enum.GetValues<ReviewState>().Select(ReviewNames.Of).ToList();
            if (state is not null && !states.Contains(state))
            {
                throw new BadQuery($"`state` `{state}` is unknown: use {string.Join(", ", states)}");
            }
            if (OwnerOf(read, viewer) is not { } owner)
            {
                return Answer.Fail<(string?, ReviewQueueQuery)>(StatusCodes.Status403Forbidden, Foreign(read));
            }
            return Answer.Ok<(string?, ReviewQueueQuery)>((read.Text("campaign", 200), new ReviewQueueQuery(state, owner.Name, read.Text("q", 200),
                read.Number("page", 1, 1, 1_000_000), read.Number("size", 50, 1, ReviewQueueQuery.MaxPageSize))));
        }
        catch (BadQuery ex)
        {
            return Answer.Fail<(string?, ReviewQueueQuery)>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: {ex.Message}");
        }
    }

    /// <summary>The `owner` asked (an owner: always their own; null when they ask for another's, which is refused).</summary>
    private static (string? Name, bool Ok)? OwnerOf(QueryText read, Viewer viewer)
    {
        var owner = read.Text("owner", 200);
        if (!viewer.IsOwnerOnly) { return (owner, true); }
        if (owner is not null && !string.Equals(owner, viewer.Owner, StringComparison.OrdinalIgnoreCase)) { return null; }
        return (viewer.Owner ?? "\0", true);
    }

    private static string Foreign(QueryText read) =>
        $"error {ServerCodes.Forbidden}: an owner sees only their own identities, not those of `{read.Text("owner", 200)}`";

    public IdentitiesModel Identities(IdentityQuery query)
    {
        var facets = Facets(store.Server.MeasurementStamp());
        return new IdentitiesModel(query, store.Server.QueryIdentities(query), facets[0], facets[1], facets[2], facets[3]);
    }

    /// <summary>Reads what the overview and the identities page keep per measurement (the server's start-up, in the background).</summary>
    public void Warm()
    {
        var stamp = store.Server.MeasurementStamp();
        _ = Charts(stamp);
        _ = Facets(stamp);
    }

    /// <summary>The filters' choices: they change only with a new measurement, so they are read once per measurement, not per page.</summary>
    private ImmutableArray<ImmutableArray<string>> Facets(string stamp)
    {
        var s = store.Server;
        return overview.Facets(stamp, () =>
            [s.IdentityFacet("provider"), s.IdentityFacet("kind"), s.IdentityFacet("environment"), s.IdentityFacet("account")]);
    }

    /// <summary>The overview's charts, latest day, totals and coverage, drawn once per measurement (every measurement is read).</summary>
    private (ImmutableArray<string> Charts, DateOnly? Day, MetricTotals? Totals, ImmutableArray<MeasuredProvider> Providers) Charts(string stamp) =>
        overview.Get(stamp, () =>
        {
            var measurements = store.Ciem.LoadMeasurements();
            var latest = measurements.IsEmpty ? null : measurements[^1];
            return ([.. TrendChart.Standard(measurements, "overview")], latest?.Day, latest?.Totals, latest?.Providers ?? []);
        });

    public OverviewModel Overview(Viewer viewer)
    {
        var (charts, day, totals, providers) = Charts(store.Server.MeasurementStamp());
        var owned = viewer.IsOwnerOnly;
        var risks = store.Server.QueryIdentities(new IdentityQuery(Owner: owned ? viewer.Owner ?? "\0" : null, AdministratorsOnly: true,
            Sort: IdentitySort.Unused, Descending: true, PageSize: 10)).Identities;
        if (risks.Length < 10)
        {
            var more = store.Server.QueryIdentities(new IdentityQuery(Owner: owned ? viewer.Owner ?? "\0" : null, Sort: IdentitySort.Unused, Descending: true, PageSize: 10));
            risks = [.. risks.Concat(more.Identities.Where(i => !i.Administrator)).Take(10)];
        }
        if (owned)
        {
            // An owner's cards count only their own identities; the estate's charts and coverage are not theirs to see.
            var mine = new List<IdentityMeasure>();
            for (var page = 1; ; page++)
            {
                var rows = store.Server.QueryIdentities(new IdentityQuery(Owner: viewer.Owner ?? "\0", Page: page, PageSize: 500));
                mine.AddRange(rows.Identities);
                if (mine.Count >= rows.Total || rows.Identities.IsEmpty) { break; }
            }
            totals = day is null ? null : MetricTotals.Of(mine);
            return new OverviewModel(day, totals, [], risks, [], [], 0);
        }
        return new OverviewModel(day, totals, charts, risks, providers, store.Ciem.ListSnapshots(), store.Ciem.LoadAlerts().Count(a => a.IsOpen));
    }

    public Answer<IdentityModel> Identity(Viewer viewer, string? provider, string? id)
    {
        if (string.IsNullOrEmpty(provider) || !ProviderNames.Contains(provider))
        {
            return Answer.Fail<IdentityModel>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `provider` `{provider}` is unknown: use aws, azure or gcp");
        }
        if (string.IsNullOrEmpty(id) || id.Length > 2048)
        {
            return Answer.Fail<IdentityModel>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `id` is missing or longer than 2048 characters");
        }
        var measure = store.Server.FindIdentity(provider, id);
        var reviews = new ReviewProgramme(store.Ciem, clock).ItemsOf(provider, id);
        if (viewer.IsOwnerOnly && !viewer.MaySee(measure?.Owner) && !reviews.Any(r => viewer.MaySee(r.Item.Owner)))
        {
            // The same answer whether the identity exists or not: an owner learns nothing about others' identities.
            return Answer.Fail<IdentityModel>(StatusCodes.Status403Forbidden, $"error {ServerCodes.Forbidden}: `{id}` is not one of your identities");
        }
        var answer = estates.For(store).Ask(provider, id, clock.GetUtcNow());
        if (measure is null && answer.Access is null && reviews.IsEmpty)
        {
            return Answer.Fail<IdentityModel>(StatusCodes.Status404NotFound, $"error {ServerCodes.NotFound}: no {provider} identity `{id}`: {answer.Error}");
        }
        return Answer.Ok<IdentityModel>(new IdentityModel(provider, id, measure, answer.Access, answer.Error, reviews));
    }

    /// <summary>The days of usage the person page and API attribute, as `ciem person`'s default window.</summary>
    public const int PersonWindowDays = 90;

    /// <summary>
    /// One person across directories and clouds (`ciem person`), by e-mail or UPN. An owner may ask only for their own
    /// user's e-mail, and is refused before anything is looked up, so they learn nothing about whether others exist.
    /// </summary>
    public Answer<PersonModel> Person(Viewer viewer, string? email)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (string.IsNullOrWhiteSpace(email) || email.Length > 320)
        {
            return Answer.Fail<PersonModel>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `email` is missing, blank or longer than 320 characters");
        }
        email = email.Trim();
        if (viewer.IsOwnerOnly)
        {
            var own = store.Server.FindUser(viewer.Name)?.Email;
            if (own is null || !string.Equals(own, email, StringComparison.OrdinalIgnoreCase))
            {
                return Answer.Fail<PersonModel>(StatusCodes.Status403Forbidden, $"error {ServerCodes.Forbidden}: an owner sees only themselves, not `{email}`");
            }
        }
        var asOf = clock.GetUtcNow();
        // A session of its own: the view reads the directories, inventories and usage on one connection for this request.
        using var session = new CiemSession(store.Location);
        var found = PersonView.Compute(session, email, UsageWindow.Of(asOf, PersonWindowDays), out var problem);
        return problem switch
        {
            PersonProblem.None => Answer.Ok<PersonModel>(new PersonModel(email, found!, PersonWindowDays, asOf)),
            PersonProblem.NoPerson => Answer.Fail<PersonModel>(StatusCodes.Status404NotFound, $"error {ServerCodes.NotFound}: no person in the directories has the address `{email}`"),
            _ => Answer.Fail<PersonModel>(StatusCodes.Status404NotFound,
                $"error {ServerCodes.NotFound}: the store holds no directory: import one with `ciem import directory identity-center|entra|okta|google PATH`"),
        };
    }

    /// <summary>One page of a campaign's review queue, of the items the viewer may see.</summary>
    public ReviewModel Review(Viewer viewer, string? campaign, ReviewQueueQuery query, string? notice = null, string? problem = null)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var programme = new ReviewProgramme(store.Ciem, clock);
        var campaigns = programme.Campaigns();
        if (campaigns.IsEmpty) { return new ReviewModel(null, null, [], notice, problem); }
        var queue = programme.Queue(campaign, query, viewer.MaySee);
        return queue.Value is { } page ? new ReviewModel(page, null, campaigns, notice, problem)
            : new ReviewModel(null, string.Join("; ", queue.Diagnostics.Select(d => d.Message)), campaigns, notice, problem);
    }

    /// <summary>Approves one identity of a campaign as the viewer; an owner only their own.</summary>
    public Answer<ReviewApproveOutcome> Approve(Viewer viewer, string? campaign, string? identity)
    {
        if (Target(viewer, campaign, identity) is { } refused) { return Answer.Fail<ReviewApproveOutcome>(refused.Status, refused.Problem!); }
        ReviewResult<ReviewApproveOutcome> result;
        try { result = new ReviewProgramme(store.Ciem, clock).Approve(campaign, identity!, viewer.Actor); }
        catch (DbException e) when (e.SqlState == UniqueViolation)
        {
            return Answer.Fail<ReviewApproveOutcome>(StatusCodes.Status409Conflict, Raced(identity!));
        }
        if (!result.Ok) { return Answer.Fail<ReviewApproveOutcome>(StatusCodes.Status409Conflict, Problems(result.Diagnostics)); }
        return result.Value!.Approved.IsEmpty
            ? Answer.Fail<ReviewApproveOutcome>(StatusCodes.Status409Conflict, Problems(result.Value.Refused))
            : Answer.Ok<ReviewApproveOutcome>(result.Value);
    }

    /// <summary>An objection: keep these permissions (until a day), for a reason; the proposal is re-verified first.</summary>
    public Answer<ReviewItemStatus> Object(Viewer viewer, string? campaign, string? identity, IReadOnlyList<string> keep, string? reason, DateOnly? until)
    {
        if (Target(viewer, campaign, identity) is { } refused) { return Answer.Fail<ReviewItemStatus>(refused.Status, refused.Problem!); }
        if (keep.Count == 0 || keep.Any(k => k.Length is 0 or > 300))
        {
            return Answer.Fail<ReviewItemStatus>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadForm}: `keep` must name 1 or more permissions (each at most 300 characters)");
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
        {
            return Answer.Fail<ReviewItemStatus>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadForm}: `reason` is missing or longer than 1000 characters");
        }
        if (reverifier is null)
        {
            return Answer.Fail<ReviewItemStatus>(StatusCodes.Status503ServiceUnavailable, $"error {ServerCodes.ReviewRefused}: this server cannot re-verify proposals: object with `ciem review object`");
        }
        var programme = new ReviewProgramme(store.Ciem, clock);
        var campaigns = programme.Campaigns();
        var asOf = campaigns.FirstOrDefault(c => c.Id == (campaign ?? campaigns.LastOrDefault()?.Id))?.SweepAsOf;
        DateTimeOffset? end = until is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
        ReviewResult<ReviewItemStatus> result;
        try
        {
            result = programme.Object(campaign, identity!, keep, reason, end, viewer.Actor,
                (candidate, kept) => reverifier.Reverify(candidate, kept, asOf));
        }
        catch (DbException e) when (e.SqlState == UniqueViolation)
        {
            return Answer.Fail<ReviewItemStatus>(StatusCodes.Status409Conflict, Raced(identity!));
        }
        return result.Ok ? Answer.Ok<ReviewItemStatus>(result.Value!)
            : Answer.Fail<ReviewItemStatus>(StatusCodes.Status409Conflict, Problems(result.Diagnostics));
    }

    /// <summary>PostgreSQL's unique violation: the decision's sequence number was taken by another writer (the store wrote nothing).</summary>
    private const string UniqueViolation = "23505";

    private static string Raced(string identity) =>
        $"error {ServerCodes.ReviewRefused}: another decision of the campaign was recorded at the same moment, so nothing was written for `{identity}`: "
        + "reload the queue and decide again";

    private Answer<object>? Target(Viewer viewer, string? campaign, string? identity)
    {
        if (string.IsNullOrEmpty(identity) || identity.Length > 2048)
        {
            return Answer.Fail<object>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadForm}: `identity` is missing or longer than 2048 characters");
        }
        if (campaign is { Length: > 200 }) { return Answer.Fail<object>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadForm}: `campaign` is longer than 200 characters"); }
        var found = new ReviewProgramme(store.Ciem, clock).Item(campaign, identity);
        if (!found.Ok) { return Answer.Fail<object>(StatusCodes.Status404NotFound, Problems(found.Diagnostics)); }
        var item = found.Value.Item;
        if (!viewer.MaySee(item.Owner))
        {
            return Answer.Fail<object>(StatusCodes.Status403Forbidden,
                $"error {ServerCodes.Forbidden}: `{identity}` is not yours to decide in campaign `{campaign ?? "the latest"}`");
        }
        return null;
    }

    /// <summary>The evidence bundle as a zip, or why the period or framework is refused.</summary>
    public Answer<byte[]> Evidence(string? framework, string? fromText, string? toText)
    {
        framework ??= "all";
        if (framework != "all" && !ControlMapping.FrameworkKeys.Contains(framework))
        {
            return Answer.Fail<byte[]>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `framework` `{framework}` is unknown: use iso27001, nis2, dora or all");
        }
        if (Day(fromText) is not { } from) { return Answer.Fail<byte[]>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `from` `{fromText}` is not a date (yyyy-mm-dd)"); }
        if (Day(toText) is not { } to) { return Answer.Fail<byte[]>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `to` `{toText}` is not a date (yyyy-mm-dd)"); }
        if (from > to) { return Answer.Fail<byte[]>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadQuery}: `from` `{fromText}` is after `to` `{toText}`"); }
        var now = clock.GetUtcNow();
        var report = EvidenceBuilder.Build(store.Ciem, ControlMapping.Default, framework, from, to, now);
        var folder = Directory.CreateTempSubdirectory("ciem-evidence-");
        try
        {
            var files = EvidenceWriter.Write(report, folder.FullName).ToList();
            EvidenceWriter.ManifestOf(folder.FullName, files, now);
            using var zip = new MemoryStream();
            ZipFile.CreateFromDirectory(folder.FullName, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            return Answer.Ok<byte[]>(zip.ToArray());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Problems(IEnumerable<Core.Diagnostics.Diagnostic> diagnostics) =>
        string.Join("; ", diagnostics.Select(d => $"error {d.Code}: {d.Message}"));

    private sealed class BadQuery(string message) : Exception(message);

    /// <summary>Reads a query string's values, refusing unknown keys, over-long texts, and numbers or flags out of range.</summary>
    private sealed class QueryText(IQueryCollection query)
    {
        public void Known(params string[] keys)
        {
            var unknown = query.Keys.FirstOrDefault(k => !keys.Contains(k));
            if (unknown is not null) { throw new BadQuery($"unknown query parameter `{unknown}`: use {string.Join(", ", keys)}"); }
        }

        public string? Text(string key, int max)
        {
            var v = query[key].ToString();
            return string.IsNullOrEmpty(v) ? null : v.Length > max ? throw new BadQuery($"`{key}` is longer than {max} characters") : v;
        }

        public bool Flag(string key) => Text(key, 5) switch
        {
            null or "false" => false,
            "true" or "on" => true,
            var v => throw new BadQuery($"`{key}` `{v}` is not `true` or `false`"),
        };

        public int Number(string key, int fallback, int min, int max)
        {
            var v = Text(key, 9);
            if (v is null) { return fallback; }
            return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n : throw new BadQuery($"`{key}` `{v}` is not a whole number from {min} to {max}");
        }
    }
}

/// <summary>What is drawn from the measurements once per recorded measurement: the overview's charts and totals, the filter choices.</summary>
public sealed class OverviewCache
{
    private readonly object _gate = new();
    private string? _stamp;
    private (ImmutableArray<string>, DateOnly?, MetricTotals?, ImmutableArray<MeasuredProvider>) _value;

    private string? _facetStamp;
    private ImmutableArray<ImmutableArray<string>> _facets;

    /// <summary>The identities page's filter choices (provider, kind, environment, account) of the measurement <paramref name="stamp"/>.</summary>
    public ImmutableArray<ImmutableArray<string>> Facets(string stamp, Func<ImmutableArray<ImmutableArray<string>>> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (_gate)
        {
            if (_facetStamp != stamp)
            {
                _facets = build();
                _facetStamp = stamp;
            }
            return _facets;
        }
    }

    public (ImmutableArray<string> Charts, DateOnly? Day, MetricTotals? Totals, ImmutableArray<MeasuredProvider> Providers) Get(
        string stamp, Func<(ImmutableArray<string>, DateOnly?, MetricTotals?, ImmutableArray<MeasuredProvider>)> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (_gate)
        {
            if (_stamp != stamp)
            {
                _value = build();
                _stamp = stamp;
            }
            return _value;
        }
    }
}
