using System.Diagnostics;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Collect.Gcp;
using Ciem.Collect.Okta;
using Ciem.Core.Diagnostics;
using Ciem.Import.Directories;
using Google.Apis.Auth.OAuth2;

namespace Ciem.Collect.Workspace;

/// <summary>What `ciem collect google` reads and how.</summary>
/// <param name="Customer">the Workspace customer id (`C01abc23`), or `my_customer` for the account of the credentials.</param>
public sealed record GoogleWorkspaceCollectOptions(string Customer = GoogleWorkspaceCollectOptions.MyCustomer)
{
    public const string MyCustomer = "my_customer";

    /// <summary>The read-only scopes the calls need (granted to the service account by domain-wide delegation).</summary>
    public static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/admin.directory.user.readonly",
        "https://www.googleapis.com/auth/admin.directory.group.readonly",
    ];

    /// <summary>Admin SDK's root (the API root override of the Google client libraries).</summary>
    public Uri AdminEndpoint { get; init; } = new("https://admin.googleapis.com/");

    /// <summary>
    /// The administrator a service account acts as through domain-wide delegation; null uses the credentials as they
    /// are (a user's application default credentials with the scopes).
    /// </summary>
    public string? Subject { get; init; }

    /// <summary>The credential; null is the application default credentials, scoped to <see cref="Scopes"/>.</summary>
    public ITokenAccess? Credential { get; init; }

    public CallPolicy Call { get; init; } = CallPolicy.Default;

    /// <summary>`maxResults` of each list call (the API's maximum is 500 for users and 200 for groups and members).</summary>
    public int PageSize { get; init; } = 200;

    public bool DryRun { get; init; }
}

/// <summary>
/// `ciem collect google`: reads the users, the groups and every group's members of a Google Workspace customer from
/// the Admin SDK Directory API (read-only `GET`s, every page through `nextPageToken`) into the bundle
/// <see cref="GoogleReader"/> reads from a file — each list as the array of the pages the API gave — and writes it
/// as one directory snapshot. All or nothing: a directory missing a group's members would read as one where nobody
/// is a member.
/// </summary>
public static class GoogleWorkspaceCollector
{
    private const string Directory = "admin/directory/v1";

    public static async Task<DirectoryCollectResult> CollectAsync(CiemSession? session, GoogleWorkspaceCollectOptions options,
        DateTimeOffset now, IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Customer.Length == 0 || !options.Customer.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new CollectException(DiagnosticCodes.CollectBadSetting,
                $"customer `{options.Customer}` is not a workspace customer id (`C01abc23` or `my_customer`)");
        }
        var root = RestJsonClient.CheckedRoot(options.AdminEndpoint, "admin endpoint");
        var customer = Uri.EscapeDataString(options.Customer);
        var size = Math.Clamp(options.PageSize, 1, 200);
        if (options.DryRun)
        {
            return new DirectoryCollectResult(options.Customer, null, [], default, [], 0, TimeSpan.Zero,
            [
                $"GET {root}{Directory}/users?customer={customer} and /groups?customer={customer} (every page)",
                $"GET {root}{Directory}/groups/{{id}}/members for each group (every page)",
            ]);
        }
        ArgumentNullException.ThrowIfNull(session);
        var watch = Stopwatch.StartNew();
        var credential = new Lazy<Task<ITokenAccess>>(() =>
            options.Credential is { } given ? Task.FromResult(given) : DefaultAsync(options.Subject, cancellationToken));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var admin = new RestJsonClient(http, root, "admin", GcpCollector.Token(() => credential.Value), options.Call);

        progress?.Report(new CollectProgress("reading workspace users", 0, 0));
        var users = await admin.TokenPagesAsync($"{Directory}/users?customer={customer}&maxResults={size}", cancellationToken)
            .ConfigureAwait(false);
        progress?.Report(new CollectProgress("reading workspace groups", 0, 0));
        var groups = await admin.TokenPagesAsync($"{Directory}/groups?customer={customer}&maxResults={size}", cancellationToken)
            .ConfigureAwait(false);
        var ids = RestJsonClient.Items(groups, GoogleReader.Groups).Select(g => JsonAnswer.Str(g, "id")).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();
        var members = new JsonObject();
        for (var i = 0; i < ids.Count; i++)
        {
            progress?.Report(new CollectProgress("reading workspace group members", i, ids.Count));
            var path = $"{Directory}/groups/{Uri.EscapeDataString(ids[i])}/members?maxResults={size}";
            members[ids[i]] = Pages(await admin.TokenPagesAsync(path, cancellationToken).ConfigureAwait(false), GoogleReader.Members);
        }

        var bundle = new JsonObject
        {
            ["Format"] = GoogleReader.FormatName,
            [GoogleReader.Users] = Pages(users, GoogleReader.Users),
            [GoogleReader.Groups] = Pages(groups, GoogleReader.Groups),
            [GoogleReader.Members] = members,
        };
        // `my_customer` names no one: the reader takes the customer id from the users the API gave.
        if (options.Customer != GoogleWorkspaceCollectOptions.MyCustomer) { bundle["customerId"] = options.Customer; }
        return DirectoryCollectResult.Write(session, bundle, GoogleReader.Read, $"admin-api://{root.Authority}/{Directory}",
            "admin", now, progress,
            admin.Calls, watch.Elapsed);
    }

    /// <summary>
    /// A list as the bundle holds it: the array of the response bodies, one per page. A page without the list
    /// <paramref name="member"/> is how the API answers an empty list, so it holds nothing and is left out (in a
    /// bundle it would read as a record of its own).
    /// </summary>
    /// <remarks>Every body was already parsed for its `nextPageToken`, so each is JSON.</remarks>
    private static JsonArray Pages(List<RestPage> pages, string member) =>
        new([.. pages.Select(p => JsonNode.Parse(p.Body)).Where(b => b is JsonObject o && o[member] is JsonArray)]);

    /// <summary>The application default credentials, scoped read-only and acting as <paramref name="subject"/> when given.</summary>
    private static async Task<ITokenAccess> DefaultAsync(string? subject, CancellationToken cancellationToken)
    {
        GoogleCredential credential;
        try
        {
            credential = (await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false))
                .CreateScoped(GoogleWorkspaceCollectOptions.Scopes);
        }
        catch (InvalidOperationException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"no google application default credentials: {RestJsonClient.FirstLine(ex.Message)}", ex);
        }
        if (subject is null) { return credential; }
        try
        {
            return credential.CreateWithUser(subject);
        }
        catch (InvalidOperationException ex)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                $"the application default credentials cannot act as `{subject}` (domain-wide delegation needs a service account): " +
                RestJsonClient.FirstLine(ex.Message), ex);
        }
    }
}
