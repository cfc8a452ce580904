using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ciem.Server.Security;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.Server.Tests;

/// <summary>
/// Two `ciem serve` processes (the built CLI, started as a user starts it) on one PostgreSQL database: a scheduled job
/// runs once per occurrence (the database lease), both serve pages and the API, and a change made through one is what
/// the other answers with.
/// </summary>
[RequiresPostgres]
public sealed class TwoProcessesTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-two-servers-").FullName;
    private readonly List<Serve> _servers = [];
    private TestDatabase? _database;

    [StoreFact]
    public async Task Serve_TwoProcessesOnOneDatabase_JobRunsOncePerOccurrence_ChangesSeenByBoth()
    {
        // Given a PostgreSQL database with an admin and their API token, and a server configuration whose job imports an
        // inbox folder holding one AWS export every minute
        _database = PostgresTestServer.CreateDatabase();
        string secret;
        using (var store = StoreLocation.Parse(_database.ConnectionString).Open())
        {
            var added = Accounts.Add((IServerStore)store, "admin", "admin@example.test", Roles.Admin, null, ServerFixture.Password, Now);
            Assert.Null(added.Error);
            secret = Accounts.CreateToken((IServerStore)store, "admin", "test", null, Now).Value.Secret;
        }
        var inbox = Directory.CreateDirectory(Path.Combine(_folder, "inbox")).FullName;
        File.Copy(TestPaths.Repo("samples", "aws", "resource-policies.json"), Path.Combine(inbox, "resource-policies.json"));
        var config = Path.Combine(_folder, "ciem-server.yml");
        File.WriteAllText(config, $"""
            secureCookies: false
            jobs:
              - name: inbox
                kind: import-folder
                schedule: "* * * * *"
                folder: {inbox}
                format: aws
            """);

        // When two `ciem serve` processes start on it
        _servers.Add(await Serve.StartAsync(_database.ConnectionString, config));
        _servers.Add(await Serve.StartAsync(_database.ConnectionString, config));
        var (a, b) = (_servers[0], _servers[1]);

        // Then both serve the sign-in page and the API
        foreach (var server in _servers)
        {
            using var client = server.Client();
            using var login = await client.GetAsync("/login");
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Contains("name=\"password\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            client.Bearer = secret;
            using var users = await client.GetAsync("/api/v1/users");
            Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        }

        // When a token is made through the first server, then revoked through the second
        using var onA = a.Client();
        onA.Bearer = secret;
        using var made = await onA.PostJsonAsync("/api/v1/tokens", "{\"label\":\"made-on-a\"}");
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var answer = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement;
        using var onB = b.Client();
        onB.Bearer = answer.GetProperty("token").GetString();
        var listedOnB = await (await onB.GetAsync("/api/v1/tokens")).Content.ReadAsStringAsync();
        var id = answer.GetProperty("id").GetInt64();
        using var revoked = await onB.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tokens/{id}"));
        using var madeOnA = a.Client();
        madeOnA.Bearer = onB.Bearer;
        using var afterRevoke = await madeOnA.GetAsync("/api/v1/tokens");

        // Then the second server accepts the token the first made, and the first refuses it once the second revoked it
        Assert.Contains("\"made-on-a\"", listedOnB, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);

        // When the schedule comes round (the next minute) and both schedulers have woken after it (they sleep at most 30 s)
        var runs = await WaitForRunAsync(_database.ConnectionString, TimeSpan.FromSeconds(150));
        await Task.Delay(TimeSpan.FromSeconds(35));
        using var after = StoreLocation.Parse(_database.ConnectionString).Open();
        runs = ((IJobStore)after).LoadJobRuns("inbox");

        // Then each occurrence ran once, in one of the two processes, and the inbox's export was imported once
        Assert.NotEmpty(runs);
        Assert.All(runs.GroupBy(r => r.Due),
            g => Assert.True(g.Count() == 1, $"occurrence {g.Key} ran {g.Count()} times: {Describe(runs)}"));
        // (a later minute's run may still be under way when this is read)
        bool OursAndDone(JobRunRecord r) =>
            r.Outcome is "succeeded" or "running" && _servers.Any(s => r.Host.EndsWith($":{s.Pid}", StringComparison.Ordinal));
        Assert.All(runs, r => Assert.True(OursAndDone(r), Describe(runs)));
        Assert.Contains(runs, r => r.Outcome == "succeeded");
        Assert.Single(after.ListSnapshots(), s => s.Kind == SnapshotKinds.ResourcePolicies);
        Assert.All(_servers, s => Assert.Contains("running 1 scheduled job(s)", s.Errors, StringComparison.Ordinal));
    }

    private static string Describe(IEnumerable<JobRunRecord> runs) =>
        string.Join("; ", runs.Select(r => $"{r.Due:O} {r.Host} {r.Outcome} {r.Summary}"));

    private static async Task<System.Collections.Immutable.ImmutableArray<JobRunRecord>> WaitForRunAsync(string db, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using (var store = StoreLocation.Parse(db).Open())
            {
                var runs = ((IJobStore)store).LoadJobRuns("inbox");
                if (runs.Any(r => r.FinishedAt is not null)) { return runs; }
            }
            Assert.True(clock.Elapsed < timeout, $"no run of the job finished within {timeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    public void Dispose()
    {
        foreach (var server in _servers) { server.Dispose(); }
        _database?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One `ciem serve` process of the CLI built beside these tests (dotnet ciem.dll), on a free loopback port.</summary>
    private sealed class Serve : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _errors = new();

        private Serve(Process process, Uri address)
        {
            _process = process;
            Address = address;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (_errors) { _errors.AppendLine(e.Data); }
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        }

        public Uri Address { get; }

        public int Pid => _process.Id;

        public string Errors { get { lock (_errors) { return _errors.ToString(); } } }

        public Client Client() => new(Address);

        public static async Task<Serve> StartAsync(string db, string config)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            foreach (var arg in new[] { Cli(), "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}", "--config", config })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
            var serve = new Serve(process, new Uri($"http://127.0.0.1:{port}"));
            using var http = new HttpClient { BaseAddress = serve.Address, Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(serve._process.HasExited, $"`ciem serve` exited: {serve.Errors}");
                try
                {
                    using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                    if (health.IsSuccessStatusCode) { return serve; }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"`ciem serve` did not answer within 90 s: {serve.Errors}");
                await Task.Delay(250);
            }
        }

        /// <summary>The CLI of this build's configuration (the test project builds it: a build-only reference).</summary>
        private static string Cli()
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = TestPaths.Repo("src", "Ciem.Cli", "bin", configuration, "net10.0", "ciem.dll");
            Assert.True(File.Exists(path), $"the CLI is not built at `{path}`");
            return path;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
        }
    }
}
