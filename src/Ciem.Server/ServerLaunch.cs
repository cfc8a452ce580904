using System.Collections.Immutable;
using Ciem.App.Jobs;
using Ciem.Core.Diagnostics;
using Ciem.Server.Data;
using Ciem.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ciem.Server;

/// <summary>
/// The server as a host starts it (`ciem serve`): its settings read from the configuration file (`--config`, else
/// `ciem-server.yml` in the working folder when it exists), the store's location, the scheduler of the `jobs:` section,
/// and the web application built over them. A setting that cannot be used stops it before anything listens.
/// </summary>
public sealed class ServerLaunch
{
    private ServerLaunch(ServerOptions options, string? configFile, string? db, StoreLocation location, JobScheduler? scheduler, int jobs)
    {
        Options = options;
        ConfigFile = configFile;
        Db = db;
        Location = location;
        Scheduler = scheduler;
        Jobs = jobs;
    }

    public ServerOptions Options { get; }

    /// <summary>The configuration file read; null when there is none.</summary>
    public string? ConfigFile { get; }

    /// <summary>The store as the host's option or the configuration names it (null: the host's default).</summary>
    public string? Db { get; }

    public StoreLocation Location { get; }

    /// <summary>The scheduler of the configuration's `jobs:` section; null when it has none.</summary>
    public JobScheduler? Scheduler { get; }

    /// <summary>How many jobs <see cref="Scheduler"/> runs.</summary>
    public int Jobs { get; }

    /// <summary>Whether no user can sign in yet (the first admin is made with `ciem users add`).</summary>
    public bool NoUsers
    {
        get
        {
            using var store = Location.Open();
            return ((IServerStore)store).ListUsers().IsEmpty;
        }
    }

    /// <summary>The configuration file a launch reads: the one named, else `ciem-server.yml` when it exists, else none.</summary>
    public static string? FindConfigFile(string? path) =>
        path ?? (File.Exists(JobsConfigReader.DefaultFileName) ? JobsConfigReader.DefaultFileName : null);

    /// <summary>
    /// Reads the settings (<paramref name="urls"/> and <paramref name="db"/>, when given, over the file's) and locates
    /// the store (<paramref name="locate"/>, the host's reading of a store option); opens nothing yet. The errors are
    /// lines to show (the configuration's problems); null when a setting cannot be used.
    /// </summary>
    public static ServerLaunch? Prepare(string? db, string? urls, string? configPath, Func<string?, StoreLocation> locate,
        Func<string, string?> environment, out ImmutableArray<string> errors)
    {
        ArgumentNullException.ThrowIfNull(locate);
        ArgumentNullException.ThrowIfNull(environment);
        var file = FindConfigFile(configPath);
        var options = new ServerOptions();
        errors = [];
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                errors = [$"error {ServerCodes.BadConfig}: --config `{file}` does not exist"];
                return null;
            }
            (var read, errors) = ServerOptions.Parse(File.ReadAllText(file), file, environment);
            if (read is null) { return null; }
            options = read;
        }
        options = options with { Urls = urls ?? options.Urls };
        db ??= options.Db;
        try { return new ServerLaunch(options, file, db, locate(db), null, 0); }
        catch (StoreLocationException ex)
        {
            errors = [.. errors, $"error: {ex.Message}"];
            return null;
        }
    }

    /// <summary>
    /// The launch with the scheduler of the configuration's `jobs:` section (<paramref name="handlers"/>: the job kinds
    /// the host runs); this launch when there is no configuration or no job; null when the section has errors (in
    /// <paramref name="diagnostics"/>).
    /// </summary>
    public ServerLaunch? WithJobs(JobHandlers handlers, TimeProvider clock, Action<JobRunOutcome>? finished,
        out ImmutableArray<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(clock);
        diagnostics = [];
        if (ConfigFile is null || !File.Exists(ConfigFile)) { return this; }
        var read = JobsConfigReader.ReadFile(ConfigFile, handlers);
        diagnostics = read.Diagnostics;
        if (read.HasErrors) { return null; }
        if (read.Config.Jobs.IsDefaultOrEmpty) { return this; }
        var location = Location;
        // The location itself, not its display form: that one hides a connection string's password (found by TwoProcessesTests).
        var scheduler = new JobScheduler(read.Config, handlers, location.Open, clock, finished: finished);
        return new ServerLaunch(Options, ConfigFile, Db, Location, scheduler, read.Config.Jobs.Length);
    }

    /// <summary>The web application over the store, with the scheduler as a hosted service when there is one.</summary>
    public WebApplication Build(TimeProvider clock, IProposalReverifier? reverifier) =>
        CiemServer.Build(Options, Location, clock, reverifier,
            Scheduler is { } jobs ? services => services.AddHostedService(_ => new JobsHostedService(jobs)) : null);
}
