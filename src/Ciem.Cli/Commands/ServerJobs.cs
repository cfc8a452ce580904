using System.Collections.Immutable;
using Ciem.App;
using Ciem.App.Gate;
using Ciem.App.Jobs;
using Ciem.Import.Iac;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>The handlers of the background job kinds (App's <see cref="StandardJobs"/>), shared by `ciem jobs` and `ciem serve`.</summary>
public static class ServerJobs
{
    /// <summary>
    /// App's job kinds with what only the command line runs: the sweep with its outputs, `ciem collect` itself, the
    /// IaC folder's changes. A run's console output is dropped: its outcome and summary are what is recorded.
    /// </summary>
    public static JobHandlers Handlers(CliHost host, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Each run gets a host of its own, with its own store sessions, closed when it ends (StandardJobs says why).
        T Fresh<T>(Func<CliHost, T> run, TextWriter? errors = null)
        {
            var quiet = new CliHost(TextWriter.Null, errors ?? host.Error, host.Clock, host.Environment);
            try { return run(quiet); }
            finally { quiet.CloseSessions(); }
        }
        (int, string) Collect(string source, ImmutableArray<string> options)
        {
            var errors = new StringWriter();
            string[] store = db is null ? [] : ["--db", db];
            var code = Fresh(h => CiemApp.Run(["collect", source, .. options, .. store], h), errors);
            return (code, errors.ToString());
        }
        return StandardJobs.Handlers(() => new CiemSession(StoreLocation.Parse(db ?? host.DefaultDatabasePath())), host.Clock,
            host.Environment, new JobHostCalls(
                options => Fresh(h => SweepCommand.Run(h, [], [], options, null, null, null, db, "text")),
                Collect,
                repo => Changed(GateCheck.ReadFolder(new DirectoryInfo(repo), null))));
        // The files an IaC folder changes; null after printing why it cannot be read.
        ImmutableHashSet<string>? Changed(GateRead<IacReadResult> read)
        {
            StoreAccess.WriteDiagnostics(host, read.Diagnostics);
            if (read.Error is not null) { host.Error.WriteLine($"error: {read.Error}"); }
            return read.Value is { } iac ? ImmutableHashSet.CreateRange(iac.Changes.Select(c => c.Name)) : null;
        }
    }
}
