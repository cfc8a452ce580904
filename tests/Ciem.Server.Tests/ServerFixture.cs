using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.Core.Metrics;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Server.Data;
using Ciem.Server.Security;
using Ciem.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ciem.Server.Tests;

/// <summary>A clock the tests move.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// `ciem serve` on Kestrel on a loopback port over a SQLite store in a temp folder holding a measured estate of four
/// identities (two owned by `bob@example.test`), one user per role and a noticed review campaign of three identities.
/// </summary>
public partial class ServerFixture : IAsyncLifetime
{
    public const string Password = "correct-horse-battery";
    public const string Bob = "bob@example.test";
    public const string Campaign = "q4";
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly string[] Users = ["admin", "reviewer", "owner", "auditor"];

    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-server-tests-").FullName;

    public ManualClock Clock { get; } = new(T0);

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public string Folder => _folder;

    public string DbPath => Path.Combine(_folder, "ciem.db");

    public static string Arn(string name) => $"arn:aws:iam::111111111111:role/{name}";

    public async Task InitializeAsync()
    {
        var location = StoreLocation.Parse(DbPath);
        using (var store = location.Open())
        {
            store.RecordMeasurement(new Measurement(DateOnly.FromDateTime(T0.UtcDateTime), T0, 90, "sweep", [new MeasuredProvider("aws", 1, 4, 60, 1000)],
            [
                Measure("etl", 120, 8, Bob, admin: true), Measure("orders", 40, 0, Bob), Measure("web", 70, 1, "team-b@example.test"), Measure("orphan", 60, 2, null),
            ]), T0);
            var server = (IServerStore)store;
            foreach (var role in Users)
            {
                Assert.Null(Accounts.Add(server, role, $"{role}@example.test", role, role == Roles.Owner ? Bob : null, Password, T0).Error);
            }
            ImportDirectory(store);
            var programme = new ReviewProgramme(store, Clock);
            var plan = programme.Plan([Entry("etl", Bob), Entry("orders", Bob), Entry("web", "team-b@example.test")],
                ReviewSettings.Default with { Config = new ReviewConfig { BatchSize = 10, NoticeDays = 0 } }, T0, Campaign);
            Assert.True(plan.Ok, string.Join("; ", plan.Diagnostics));
            var outbox = NotificationDispatcher.FromSettings(new NotificationSettings(Path.Combine(_folder, "notify"), Path.Combine(_folder, "outbox"),
                Retry: new RetrySettings(1)), new HttpClient(), Clock);
            var noticed = await programme.NotifyAsync(Campaign, outbox);
            Assert.True(noticed.Ok, string.Join("; ", noticed.Diagnostics));
        }
        await StartAsync(location);
    }

    /// <summary>Starts the server over the seeded store (a subclass may configure sign-in or start a provider first).</summary>
    protected virtual Task StartAsync(StoreLocation location) => StartServerAsync(location, new ServerOptions());

    protected async Task StartServerAsync(StoreLocation location, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (App, BaseAddress) = await CiemServer.StartOnLoopbackAsync(options with { LoginPermits = 1000 }, location, Clock, new KeepReverifier());
    }

    public virtual async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The store as it is now (a fresh connection: what the server wrote is visible).</summary>
    public ICiemStore OpenStore() => StoreLocation.Parse(DbPath).Open();

    public int DecisionCount()
    {
        using var store = OpenStore();
        return store.LoadDecisions(Campaign).Length;
    }

    /// <summary>A client that keeps its own cookies (no redirects followed, so a redirect to sign-in is visible).</summary>
    public Client Anonymous() => new(BaseAddress);

    /// <summary>A client signed in with the local account of <paramref name="user"/>.</summary>
    public async Task<Client> SignedIn(string user)
    {
        var client = new Client(BaseAddress);
        var csrf = await client.CsrfAsync("/login");
        var response = await client.PostFormAsync("/login", new() { ["__csrf"] = csrf, ["name"] = user, ["password"] = Password, ["returnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>An Entra tenant: the owner's own user, and Ada (a name with markup) holding the Global Administrator role.</summary>
    private void ImportDirectory(ICiemStore store)
    {
        var path = Path.Combine(_folder, "entra.json");
        File.WriteAllText(path, """
            {
              "Format": "openciem-entra/1",
              "tenantId": "72f988bf-0000-4000-8000-000000000042",
              "users": { "value": [
                { "id": "11111111-2222-4333-8444-555555555501", "displayName": "Olive Owner", "userPrincipalName": "owner@example.test",
                  "mail": "owner@example.test", "accountEnabled": true },
                { "id": "11111111-2222-4333-8444-555555555502", "displayName": "Ada <script>alert(1)</script>", "userPrincipalName": "ada@example.test",
                  "mail": "ada@example.test", "accountEnabled": true }
              ] },
              "groups": { "value": [] },
              "servicePrincipals": { "value": [] },
              "applications": { "value": [] },
              "directoryRoles": { "value": [
                { "id": "9d2c1b0a-8f7e-4d6c-b5a4-3e2f1a0b9c8d", "displayName": "Global Administrator", "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10",
                  "members": [ { "@odata.type": "#microsoft.graph.user", "id": "11111111-2222-4333-8444-555555555502" } ] }
              ] }
            }
            """);
        var read = Ciem.Import.Directories.EntraReader.ReadFile(path, T0);
        Assert.True(read.Value is not null, string.Join("; ", read.Diagnostics));
        store.ImportDirectories(new DirectoryImportRequest([read.Value], T0, [path], read.Counts));
    }

    private static IdentityMeasure Measure(string name, long granted, long used, string? owner, bool admin = false) =>
        new("aws", "111111111111", Arn(name), name, "role", "prod", owner, admin, admin && used == 0, used == 0, granted, used, granted - used - 2, 2,
            0, 0, 0, null, ["team=payments"]);

    private static ReviewEntry Entry(string name, string owner)
    {
        string[] kept = ["s3:GetObject"];
        string[] removed = ["s3:DeleteBucket", "s3:PutBucketPolicy", "sqs:DeleteQueue"];
        var documents = ImmutableArray.Create(new ProposalDocument("policy.json", "{\"keep\":\"s3:GetObject\"}"));
        var candidate = new ReviewCandidate("aws", Arn(name), name, IdentityKind.Role, "111111111111", "preprod", [new("owner", owner)], false, 0.9, [],
            [.. kept.Concat(removed).Order(StringComparer.OrdinalIgnoreCase)], [.. removed], [.. kept], kept.Length + removed.Length, kept.Length,
            ReviewEntry.HashOf(documents), null, null);
        return new ReviewEntry(candidate, "replace AmazonS3FullAccess with one policy", documents, ["s3:GetObject: used 3 time(s)"])
        {
            Target = ImmutableDictionary<string, string>.Empty.Add("principal", "role").Add("name", name).Add("replaced", "AmazonS3FullAccess"),
        };
    }

    /// <summary>The re-run an objection asks for: the kept permissions move from removed to kept (the CLI's sweep does it in `ciem serve`).</summary>
    private sealed class KeepReverifier : IProposalReverifier
    {
        public ReviewEntry? Reverify(ReviewCandidate candidate, ImmutableArray<string> kept, DateTimeOffset? sweepAsOf)
        {
            var removed = candidate.Removed.Where(r => !kept.Contains(r, StringComparer.OrdinalIgnoreCase)).ToImmutableArray();
            var keep = candidate.Kept.AddRange(candidate.Removed.Where(r => kept.Contains(r, StringComparer.OrdinalIgnoreCase)));
            var documents = ImmutableArray.Create(new ProposalDocument("policy.json", $"{{\"keep\":\"{string.Join(',', keep)}\"}}"));
            return new ReviewEntry(candidate with { Removed = removed, Kept = keep, GrantedAfter = keep.Length, ProposalHash = ReviewEntry.HashOf(documents) },
                "re-run", documents, [])
            {
                Target = ImmutableDictionary<string, string>.Empty.Add("principal", "role").Add("name", candidate.Name).Add("replaced", "AmazonS3FullAccess"),
            };
        }
    }
}

/// <summary>An HTTP client with its own cookie header (the server's cookies are not `Secure` in the tests: plain HTTP on loopback).</summary>
public sealed partial class Client : IDisposable
{
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public Client(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public string? Bearer { get; set; }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_cookies.Count > 0) { request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"))); }
        if (Bearer is not null) { request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Bearer); }
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var line in set)
            {
                var pair = line.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0) { _cookies.Remove(name); } else { _cookies[name] = value; }
            }
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> form) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") });

    /// <summary>Files posted as multipart/form-data (`files`), with the form's other fields.</summary>
    public Task<HttpResponseMessage> PostFilesAsync(string path, Dictionary<string, string> fields, params (string Name, byte[] Content)[] files)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields) { form.Add(new StringContent(v), k); }
        foreach (var (name, content) in files) { form.Add(new ByteArrayContent(content), "files", name); }
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = form });
    }

    /// <summary>The antiforgery token of a page's forms (its cookie is kept).</summary>
    public async Task<string> CsrfAsync(string page)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var match = CsrfField().Match(html);
        Assert.True(match.Success, $"no antiforgery field on `{page}`");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    public void Dispose() => _http.Dispose();
}
