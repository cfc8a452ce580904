using Ciem.App.Review;
using Ciem.Server.Components;
using Ciem.Server.Data;
using Ciem.Server.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ciem.Server.Endpoints;

/// <summary>The HTML pages: each reads through <see cref="ServerQueries"/> and renders one Razor component on the server.</summary>
public static class Pages
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequireAuthorization(Roles.ReadPolicy).ExcludeFromDescription();
        pages.MapGet("/", (HttpContext c, ServerQueries q) => Render<OverviewPage>(c, new() { ["Model"] = q.Overview(Viewer.Of(c.User)) }));
        pages.MapGet("/identities", (HttpContext c, ServerQueries q) =>
        {
            var query = ServerQueries.ParseIdentityQuery(c.Request.Query, Viewer.Of(c.User));
            return query.Value is null ? Message(c, query.Status, query.Problem!, "/identities")
                : Render<IdentitiesPage>(c, new() { ["Model"] = q.Identities(query.Value) });
        });
        pages.MapGet("/identity", (HttpContext c, ServerQueries q, string? provider, string? id) =>
        {
            var answer = q.Identity(Viewer.Of(c.User), provider, id);
            return answer.Value is null ? Message(c, answer.Status, answer.Problem!, "/identities") : Render<IdentityDetailPage>(c, new() { ["Model"] = answer.Value });
        });
        pages.MapGet("/person", (HttpContext c, ServerQueries q, string? email) =>
        {
            var answer = q.Person(Viewer.Of(c.User), email);
            return answer.Value is null ? Message(c, answer.Status, answer.Problem!, "/identities") : Render<PersonPage>(c, new() { ["Model"] = answer.Value });
        });
        pages.MapGet("/review", (HttpContext c, ServerQueries q) =>
        {
            var query = ServerQueries.ParseReviewQuery(c.Request.Query, Viewer.Of(c.User));
            return query.Value.Query is null ? Message(c, query.Status, query.Problem!, "/review")
                : Render<ReviewPage>(c, new() { ["Model"] = q.Review(Viewer.Of(c.User), query.Value.Campaign, query.Value.Query) });
        });
        pages.MapPost("/review/approve", (HttpContext c, ServerQueries q, [FromForm] string? campaign, [FromForm] string? identity) =>
        {
            var viewer = Viewer.Of(c.User);
            var answer = q.Approve(viewer, campaign, identity);
            return Render<ReviewPage>(c, new()
            {
                ["Model"] = q.Review(viewer, campaign, new ReviewQueueQuery(),
                    answer.Value is { } a ? $"approved {string.Join(", ", a.Approved)}" : null, answer.Problem),
            }, answer.Status);
        }).RequireAuthorization(Roles.ReviewPolicy);
        pages.MapPost("/review/object", (HttpContext c, ServerQueries q, [FromForm] string? campaign, [FromForm] string? identity,
            [FromForm] string? keep, [FromForm] string? reason, [FromForm] string? until) =>
        {
            var viewer = Viewer.Of(c.User);
            var day = ServerQueries.Day(until);
            var answer = !string.IsNullOrEmpty(until) && day is null
                ? Answer.Fail<Ciem.App.Review.ReviewItemStatus>(StatusCodes.Status400BadRequest, $"error {ServerCodes.BadForm}: `until` `{until}` is not a date (yyyy-mm-dd)")
                : q.Object(viewer, campaign, identity, Lines(keep), reason, day);
            return Render<ReviewPage>(c, new()
            {
                ["Model"] = q.Review(viewer, campaign, new ReviewQueueQuery(),
                    answer.Value is { } i ? $"objection recorded for {i.Name}: {i.Removed} permission(s) still to remove" : null,
                    answer.Problem),
            }, answer.Status);
        }).RequireAuthorization(Roles.ReviewPolicy);
        pages.MapGet("/alerts", (HttpContext c, ServerQueries q) =>
            Render<AlertsPage>(c, new() { ["Alerts"] = Viewer.Of(c.User).IsOwnerOnly ? [] : q.Store.Ciem.LoadAlerts() }));
        pages.MapGet("/evidence", (HttpContext c, TimeProvider clock) =>
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            return Render<EvidencePage>(c, new()
            {
                ["Frameworks"] = Ciem.App.Evidence.ControlMapping.FrameworkKeys,
                ["From"] = today.AddDays(-90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["To"] = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            });
        }).RequireAuthorization(Roles.EvidencePolicy);
        pages.MapGet("/evidence/download", (HttpContext c, ServerQueries q, string? framework, string? from, string? to) =>
        {
            var zip = q.Evidence(framework, from, to);
            return zip.Value is null ? Message(c, zip.Status, zip.Problem!, "/evidence") : Results.File(zip.Value, "application/zip", $"ciem-evidence-{from}-{to}.zip");
        }).RequireAuthorization(Roles.EvidencePolicy);
        pages.MapGet("/imports", (HttpContext c, ServerQueries q) => Imports(c, q, null, null));
        // `/imports/upload` is the AWS upload (its first route); Azure, GCP and directory bundles have their own.
        foreach (var kind in UploadImport.Kinds)
        {
            var route = kind == "aws" ? "/imports/upload" : $"/imports/upload/{kind}";
            pages.MapPost(route, async (HttpContext c, ServerQueries q, TimeProvider clock) =>
            {
                var form = c.Request.HasFormContentType ? await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false) : null;
                IReadOnlyList<IFormFile> files = form?.Files ?? (IReadOnlyList<IFormFile>)[];
                var upload = await UploadImport.ImportAsync(kind, q.Store.Location, files, form?["source"].ToString(), clock.GetUtcNow(),
                    c.RequestAborted).ConfigureAwait(false);
                return Imports(c, q, upload.Value, upload.Problem, upload.Status);
            }).RequireAuthorization(Roles.AdminPolicy)
                .WithMetadata(new RequireAntiforgeryTokenAttribute(), new RequestSizeLimitAttribute(UploadImport.MaxBytes))
                .WithFormOptions(multipartBodyLengthLimit: UploadImport.MaxBytes);
        }
        pages.MapGet("/account", (HttpContext c, ServerQueries q) => Account(c, q, null, null));
        pages.MapPost("/account/tokens", (HttpContext c, ServerQueries q, TimeProvider clock, [FromForm] string? label, [FromForm] string? days) =>
        {
            int? lifetime = null;
            if (!string.IsNullOrEmpty(days))
            {
                if (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d))
                {
                    return Account(c, q, null, $"error {ServerCodes.BadForm}: `days` `{days}` is not a whole number", StatusCodes.Status400BadRequest);
                }
                lifetime = d;
            }
            var made = Accounts.CreateToken(q.Store.Server, Viewer.Of(c.User).Name, label ?? "", lifetime, clock.GetUtcNow());
            return made.Error is null ? Account(c, q, made.Value.Secret, null)
                : Account(c, q, null, $"error {ServerCodes.BadForm}: {made.Error}", StatusCodes.Status400BadRequest);
        });
        pages.MapPost("/account/tokens/revoke", (HttpContext c, ServerQueries q, TimeProvider clock, [FromForm] string? id) =>
        {
            if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tokenId))
            {
                return Account(c, q, null, $"error {ServerCodes.BadForm}: `id` `{id}` is not a token id", StatusCodes.Status400BadRequest);
            }
            return q.Store.Server.RevokeToken(tokenId, Viewer.Of(c.User).Name, clock.GetUtcNow()) ? Results.Redirect("/account")
                : Account(c, q, null, $"error {ServerCodes.NotFound}: you have no live token {tokenId}", StatusCodes.Status404NotFound);
        });
    }

    private static IResult Imports(HttpContext c, ServerQueries q, UploadResult? upload, string? problem, int status = StatusCodes.Status200OK)
    {
        var owner = Viewer.Of(c.User).IsOwnerOnly;
        return Render<ImportsPage>(c, new()
        {
            ["Snapshots"] = owner ? [] : q.Store.Ciem.ListSnapshots(), ["Runs"] = owner ? [] : q.Store.Server.LoadIngestRuns(), ["Upload"] = upload, ["Problem"] = problem,
        }, status);
    }

    private static IResult Account(HttpContext c, ServerQueries q, string? secret, string? problem, int status = StatusCodes.Status200OK) =>
        Render<AccountPage>(c, new() { ["Tokens"] = q.Store.Server.ListTokens(Viewer.Of(c.User).Name), ["Secret"] = secret, ["Problem"] = problem }, status);

    private static List<string> Lines(string? text) =>
        [.. (text ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Renders a page component with its frame (viewer, antiforgery token, path).</summary>
    public static IResult Render<T>(HttpContext context, Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where T : IComponent
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters["Frame"] = Frame(context);
        return new RazorComponentResult<T>(parameters) { StatusCode = status };
    }

    public static IResult Message(HttpContext context, int status, string message, string back) =>
        Render<MessagePage>(context, new()
        {
            ["Title"] = status switch { 400 => "bad request", 403 => "forbidden", 404 => "not found", 409 => "refused", _ => "error" },
            ["Message"] = message,
            ["Back"] = back,
        }, status);

    public static PageFrame Frame(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var oidc = context.RequestServices.GetService<OidcOptions>();
        return new PageFrame(Viewer.Of(context.User), tokens.FormFieldName, tokens.RequestToken ?? "", context.Request.Path.Value ?? "/", oidc?.DisplayName);
    }
}
