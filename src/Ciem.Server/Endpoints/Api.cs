using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.App.People;
using Ciem.Core.Gate;
using Ciem.Core.Model;
using Ciem.Server.Data;
using Ciem.Server.Security;
using Ciem.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ciem.Server.Endpoints;

/// <summary>The body of `POST /api/v1/review/approve`.</summary>
public sealed record ApproveRequest(string? Campaign, string? Identity);

/// <summary>The body of `POST /api/v1/review/object`: the permissions to keep, why, and until when (`yyyy-mm-dd`, optional).</summary>
public sealed record ObjectRequest(string? Campaign, string? Identity, string[]? Keep, string? Reason, string? Until);

/// <summary>The body of `POST /api/v1/tokens`.</summary>
public sealed record TokenRequest(string? Label, int? Days);

/// <summary>
/// The REST API under `/api/v1`: the same answers as the pages, as JSON in the shapes of the CLI's `--format json`
/// where the CLI has the command (`ciem alerts list`, `ciem review status|approve|object`, `ciem effective` for Azure
/// and GCP). Errors are RFC 7807 problem details with the located message.
/// </summary>
public static class Api
{
    /// <summary>As the CLI writes review values: camelCase, enums in kebab-case, nulls left out.</summary>
    public static readonly JsonSerializerOptions ReviewJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Dictionary<string, string> UploadSummaries = new(StringComparer.Ordinal)
    {
        ["aws"] = "import AWS exports (authorization details, Organizations bundle, resource policies, credential reports) as "
            + "`ciem import aws`; admin only",
        ["azure"] = "import `az` outputs (role definitions and assignments, deny and eligible assignments, management groups, "
            + "subscriptions, resource groups, group memberships) as `ciem import azure`; admin only",
        ["gcp"] = "import Cloud Asset Inventory exports (resources, IAM and deny policies), custom roles, groups and service accounts as "
            + "`ciem import gcp`; admin only",
        ["directory"] = "import directory bundles (form field `source`: identity-center, entra, okta or google) as "
            + "`ciem import directory`; admin only",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Roles.ReadPolicy).WithTags("ciem");
        api.MapGet("/overview", (HttpContext c, ServerQueries q) =>
        {
            var o = q.Overview(Viewer.Of(c.User));
            return Results.Json(new { day = o.Day, totals = o.Totals, providers = o.Providers, openAlerts = o.OpenAlerts, topRisks = o.TopRisks });
        }).WithSummary("the latest totals, coverage and top risks (an owner's own identities only)");
        api.MapGet("/identities", (HttpContext c, ServerQueries q) =>
        {
            var query = ServerQueries.ParseIdentityQuery(c.Request.Query, Viewer.Of(c.User));
            if (query.Value is null) { return Problem(query.Status, query.Problem!); }
            var page = q.Store.Server.QueryIdentities(query.Value);
            return Results.Json(new { day = page.Day, total = page.Total, page = query.Value.Page, size = query.Value.PageSize, identities = page.Identities });
        }).WithSummary("a filtered, sorted page of the latest measurement's identities");
        api.MapGet("/identity", (HttpContext c, ServerQueries q, string? provider, string? id) =>
        {
            var answer = q.Identity(Viewer.Of(c.User), provider, id);
            if (answer.Value is not { } m) { return Problem(answer.Status, answer.Problem!); }
            return Results.Json(new
            {
                provider = m.Provider,
                identity = m.Id,
                measure = m.Measure,
                effective = m.Access is { } a ? Effective(a) : null,
                effectiveError = m.AccessError,
                reviews = m.Reviews.Select(r => new { campaign = r.Campaign, item = r.Item }),
            }, ReviewJson);
        }).WithSummary("one identity: its measurement, effective permissions with what grants each, and its review items");
        api.MapGet("/person", (HttpContext c, ServerQueries q, string? email) =>
        {
            var answer = q.Person(Viewer.Of(c.User), email);
            return answer.Value is { } m ? Results.Json(PersonJson.Of(m.Address, m.Found, m.WindowDays, m.AsOf), PersonJson.Options) : Problem(answer.Status, answer.Problem!);
        }).WithSummary("one person across directories and clouds as `ciem person EMAIL --format json` (an owner: only themselves)");
        api.MapGet("/review", (HttpContext c, ServerQueries q) =>
        {
            var viewer = Viewer.Of(c.User);
            var query = ServerQueries.ParseReviewQuery(c.Request.Query, viewer);
            if (query.Value.Query is null) { return Problem(query.Status, query.Problem!); }
            var model = q.Review(viewer, query.Value.Campaign, query.Value.Query);
            if (model.Queue is not { } page)
            {
                return Problem(StatusCodes.Status404NotFound, model.Error ?? $"error {ServerCodes.NotFound}: no review campaign");
            }
            // `ciem review status`'s shape, each batch holding this page's items, and `queue` (the page, and the matching
            // items' count per state); an owner's view has no exceptions or set-aside lists (they name others' identities).
            var status = viewer.IsOwnerOnly
                ? page.Campaign with { Exceptions = [], SetAside = Ciem.App.Review.ReviewSetAside.Empty } : page.Campaign;
            var json = JsonSerializer.SerializeToNode(status, ReviewJson)!.AsObject();
            json["queue"] = JsonSerializer.SerializeToNode(new
            {
                page = page.Query.Page, size = page.Query.PageSize, pages = page.Pages, total = page.Total, states = page.States,
                state = page.Query.State, owner = viewer.IsOwnerOnly ? null : page.Query.Owner, q = page.Query.Search,
            }, ReviewJson);
            return Results.Json(json, ReviewJson);
        }).WithSummary("a page of the review campaign (the latest, or `campaign`) in `ciem review status --format json`'s shape, with `queue`: "
            + "`state`, `owner`, `q`, `page`, `size` (1–500, default 50), ordered by deadline");
        api.MapPost("/review/approve", (HttpContext c, ServerQueries q, ApproveRequest body) =>
        {
            var answer = q.Approve(Viewer.Of(c.User), body.Campaign, body.Identity);
            return answer.Value is { } a ? Results.Json(a, ReviewJson) : Problem(answer.Status, answer.Problem!);
        }).RequireAuthorization(Roles.ReviewPolicy).WithSummary("approve one identity (written to the campaign's decision log)");
        api.MapPost("/review/object", (HttpContext c, ServerQueries q, ObjectRequest body) =>
        {
            var until = ServerQueries.Day(body.Until);
            if (body.Until is not null && until is null) { return Problem(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadBody}: $.until `{body.Until}` is not a date (yyyy-mm-dd)"); }
            var answer = q.Object(Viewer.Of(c.User), body.Campaign, body.Identity, body.Keep ?? [], body.Reason, until);
            return answer.Value is { } i ? Results.Json(i, ReviewJson) : Problem(answer.Status, answer.Problem!);
        }).RequireAuthorization(Roles.ReviewPolicy).WithSummary("object: keep permissions until a day, for a reason; the proposal is re-verified");
        api.MapGet("/alerts", (HttpContext c, ServerQueries q) =>
        {
            var alerts = Viewer.Of(c.User).IsOwnerOnly ? [] : q.Store.Ciem.LoadAlerts();
            return Results.Json(new
            {
                alerts = alerts.Select(a => new
                {
                    id = a.Id, rule = a.Rule, key = a.Key, severity = FindingSeverities.Name(a.Severity), message = a.Message, channels = a.Channels,
                    firedAt = a.FiredAt, lastSeenAt = a.LastSeenAt, resolvedAt = a.ResolvedAt,
                    history = a.History.Select(h => new { at = h.At, kind = h.Kind, channel = h.Channel, detail = h.Detail }),
                }),
            });
        }).WithSummary("the alert ledger as `ciem alerts list --format json`");
        api.MapGet("/evidence", (ServerQueries q, string? framework, string? from, string? to) =>
        {
            var zip = q.Evidence(framework, from, to);
            return zip.Value is null ? Problem(zip.Status, zip.Problem!) : Results.File(zip.Value, "application/zip", $"ciem-evidence-{from}-{to}.zip");
        }).RequireAuthorization(Roles.EvidencePolicy).WithSummary("the evidence bundle of a period as a zip");
        api.MapGet("/imports", (HttpContext c, ServerQueries q) =>
        {
            var owner = Viewer.Of(c.User).IsOwnerOnly;
            return Results.Json(new { snapshots = owner ? [] : q.Store.Ciem.ListSnapshots(), runs = owner ? [] : q.Store.Server.LoadIngestRuns() });
        }).WithSummary("the snapshots imported (with their counts) and the usage-ingestion runs");
        foreach (var kind in UploadImport.Kinds)
        {
            api.MapPost($"/imports/{kind}", async (HttpContext c, ServerQueries q, TimeProvider clock, IAntiforgery antiforgery) =>
            {
                // A multipart form can be posted from another site with the browser's session: a session caller also sends the
                // anti-forgery token (an API token cannot be sent by another site).
                var bearer = c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
                if (!bearer && c.Request.HasFormContentType && !await antiforgery.IsRequestValidAsync(c).ConfigureAwait(false))
                {
                    return Problem(StatusCodes.Status400BadRequest,
                        $"error {ServerCodes.BadForm}: the form's anti-forgery token is missing or invalid");
                }
                if (!c.Request.HasFormContentType)
                {
                    return Problem(StatusCodes.Status415UnsupportedMediaType,
                        $"error {ServerCodes.BadUpload}: send the files as multipart/form-data (`files`)");
                }
                var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
                var upload = await UploadImport.ImportAsync(kind, q.Store.Location, form.Files, form["source"].ToString(),
                    clock.GetUtcNow(), c.RequestAborted).ConfigureAwait(false);
                return upload.Value is { } u
                    ? Results.Json(new { files = u.Files, snapshots = u.Snapshots, counts = u.Counts, diagnostics = u.Diagnostics },
                        statusCode: StatusCodes.Status201Created)
                    : Problem(upload.Status, upload.Problem!);
            }).RequireAuthorization(Roles.AdminPolicy)
                .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(UploadImport.MaxBytes))
                .WithFormOptions(multipartBodyLengthLimit: UploadImport.MaxBytes).WithSummary(UploadSummaries[kind]);
        }
        api.MapGet("/tokens", (HttpContext c, ServerQueries q) =>
            Results.Json(q.Store.Server.ListTokens(Viewer.Of(c.User).Name).Select(Token))).WithSummary("the caller's API tokens (never their secrets)");
        api.MapPost("/tokens", (HttpContext c, ServerQueries q, TimeProvider clock, TokenRequest body) =>
        {
            var made = Accounts.CreateToken(q.Store.Server, Viewer.Of(c.User).Name, body.Label ?? "", body.Days, clock.GetUtcNow());
            return made.Error is null ? Results.Json(new { id = made.Value.Id, token = made.Value.Secret }, statusCode: StatusCodes.Status201Created)
                : Problem(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadBody}: {made.Error}");
        }).WithSummary("make an API token for the caller; the secret is in this answer only");
        api.MapDelete("/tokens/{id:long}", (HttpContext c, ServerQueries q, TimeProvider clock, long id) =>
            q.Store.Server.RevokeToken(id, Viewer.Of(c.User).Name, clock.GetUtcNow()) ? Results.NoContent()
                : Problem(StatusCodes.Status404NotFound, $"error {ServerCodes.NotFound}: you have no live token {id}")).WithSummary("revoke one of the caller's tokens");
        api.MapGet("/users", (ServerQueries q) => Results.Json(q.Store.Server.ListUsers().Select(u => new
        {
            name = u.Name, email = u.Email, role = u.Role, owner = u.Owner, password = u.PasswordHash is not null, createdAt = u.CreatedAt, disabled = u.Disabled,
        }))).RequireAuthorization(Roles.AdminPolicy).WithSummary("every user (admin only; never a password hash)");
    }

    /// <summary>`ciem effective --format json`'s shape for every provider (the AWS CLI output adds its attack-path fields).</summary>
    public static object Effective(EffectiveAccess a) => Ciem.App.Questions.EffectiveQuestion.Json(a, a.Grants);

    private static object Token(ServerToken t) => new { id = t.Id, label = t.Label, createdAt = t.CreatedAt, expiresAt = t.ExpiresAt, revokedAt = t.RevokedAt };

    public static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
