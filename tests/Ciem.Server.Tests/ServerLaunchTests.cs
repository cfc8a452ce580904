using Ciem.App.Jobs;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Server.Tests;

/// <summary>
/// How a host starts the server (<see cref="ServerLaunch"/>), called directly: the configuration file read or refused,
/// the host's options over the file's, the store located, the `jobs:` section scheduled or refused with its diagnostics.
/// </summary>
public sealed class ServerLaunchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-launch-").FullName;
    private readonly List<string?> _located = [];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string? NoEnv(string name) => null;

    private string Config(string yaml)
    {
        var path = Path.Combine(_folder, "ciem-server.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private StoreLocation Locate(string? db)
    {
        _located.Add(db);
        return StoreLocation.Parse(db ?? Path.Combine(_folder, "default.db"));
    }

    private static JobHandlers Sweeps() =>
        new([DelegateJobHandler.Sweep((_, _) => Task.FromResult(JobResult.Success("swept")))]);

    [Fact]
    public void Prepare_ConfigNamedButMissing_RefusedNamingTheFile()
    {
        // Given a --config that does not exist
        var missing = Path.Combine(_folder, "nope.yml");

        // When the launch is prepared
        var launch = ServerLaunch.Prepare(null, null, missing, Locate, NoEnv, out var errors);

        // Then it is refused with one error naming the file, and no store is located
        Assert.Null(launch);
        Assert.Equal([$"error CIEM7201: --config `{missing}` does not exist"], errors.ToArray());
        Assert.Empty(_located);
    }

    [Fact]
    public void Prepare_HostOptionsOverTheFile_UrlsFromTheHostStoreFromTheFile()
    {
        // Given a configuration naming a store and urls, and a host that gives only urls
        var db = Path.Combine(_folder, "team.db");
        var config = Config($"db: {db}\nurls: http://0.0.0.0:9090\n");

        // When the launch is prepared
        var launch = ServerLaunch.Prepare(null, "http://127.0.0.1:7070", config, Locate, NoEnv, out var errors);

        // Then the host's urls win, the file's store is located, and there is no job
        Assert.Empty(errors);
        Assert.NotNull(launch);
        Assert.Equal("http://127.0.0.1:7070", launch.Options.Urls);
        Assert.Equal(db, launch.Db);
        Assert.Equal([db], _located);
        Assert.Equal(config, launch.ConfigFile);
        Assert.Null(launch.Scheduler);
    }

    [Fact]
    public void Prepare_StoreThatCannotBeLocated_RefusedWithItsMessage()
    {
        // Given a store option the host cannot read as a location
        static StoreLocation Refuse(string? db) => throw new StoreLocationException($"`{db}` is not a store");

        // When the launch is prepared
        var launch = ServerLaunch.Prepare("ftp://nowhere", null, null, Refuse, NoEnv, out var errors);

        // Then it is refused with the location's message
        Assert.Null(launch);
        Assert.Equal(["error: `ftp://nowhere` is not a store"], errors.ToArray());
    }

    [Fact]
    public void WithJobs_OneSweepJob_ScheduledOnTheLaunchStore()
    {
        // Given a configuration with one sweep job
        var config = Config("jobs:\n  - {name: nightly, kind: sweep, schedule: '@daily'}\n");
        var launch = ServerLaunch.Prepare(Path.Combine(_folder, "s.db"), null, config, Locate, NoEnv, out _)!;

        // When its jobs are scheduled
        var scheduled = launch.WithJobs(Sweeps(), TimeProvider.System, null, out var diagnostics);

        // Then the scheduler runs that one job
        Assert.Empty(diagnostics);
        Assert.NotNull(scheduled?.Scheduler);
        Assert.Equal(1, scheduled.Jobs);
        Assert.Equal("nightly", Assert.Single(scheduled.Scheduler.Upcoming()).Job.Name);
    }

    [Fact]
    public void WithJobs_UnknownKind_RefusedWithALocatedDiagnostic()
    {
        // Given a job of a kind the host does not run, on line 3
        var config = Config("jobs:\n  - name: nightly\n    kind: sweeep\n    schedule: '@daily'\n");
        var launch = ServerLaunch.Prepare(Path.Combine(_folder, "s.db"), null, config, Locate, NoEnv, out _)!;

        // When its jobs are scheduled
        var scheduled = launch.WithJobs(Sweeps(), TimeProvider.System, null, out var diagnostics);

        // Then nothing is scheduled, and the error names the file and the line
        Assert.Null(scheduled);
        var error = Assert.Single(diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(config, error.Location?.File);
        Assert.Equal(3, error.Location?.Line);
    }

    [Fact]
    public void NoUsers_FreshStore_TrueUntilAUserIsAdded()
    {
        // Given a launch on a fresh embedded store
        var launch = ServerLaunch.Prepare(Path.Combine(_folder, "users.db"), null, null, Locate, NoEnv, out _)!;

        // When nobody has been added, then after one user is
        var before = launch.NoUsers;
        using (var store = launch.Location.Open())
        {
            ((IServerStore)store).AddUser(new ServerUser("ada", null, "admin", null, null, DateTimeOffset.UnixEpoch, false));
        }

        // Then the launch says so each time
        Assert.True(before);
        Assert.False(launch.NoUsers);
    }
}
