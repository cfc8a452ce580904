using Ciem.App.Jobs;
using Microsoft.Extensions.Hosting;

namespace Ciem.Server;

/// <summary>
/// Runs the `jobs:` section of `ciem-server.yml` inside the server: the scheduler claims each due occurrence through the
/// store's job lease, so two server instances on one database never run a job twice (docs/jobs.md).
/// </summary>
public sealed class JobsHostedService(JobScheduler scheduler) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => scheduler.RunAsync(stoppingToken);
}
