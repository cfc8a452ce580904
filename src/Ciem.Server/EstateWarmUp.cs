using Ciem.Server.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ciem.Server;

/// <summary>
/// Prepares, in the background as the server starts, the estates the identity pages evaluate (<see cref="EstateCache"/>)
/// and what the overview and the identities page keep per measurement (<see cref="OverviewCache"/>), so the first
/// request does not pay for them; a request that comes before it is done waits on the same build.
/// </summary>
public sealed class EstateWarmUp(EstateCache estates, IServiceScopeFactory scopes, ILogger<EstateWarmUp> log) : BackgroundService
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done when the warm-up has finished (built, or failed and logged).</summary>
    public Task Finished => _finished.Task;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            estates.Warm();
            using (var scope = scopes.CreateScope()) { scope.ServiceProvider.GetRequiredService<ServerQueries>().Warm(); }
            if (log.IsEnabled(LogLevel.Information))
            {
                log.LogInformation("estates prepared for the identity pages in {Seconds:0.0} s, the overview's charts drawn",
                    estates.LastLoad.TotalSeconds);
            }
        }
#pragma warning disable CA1031 // The warm-up is an optimisation: a failure is logged and the first request retries.
        catch (Exception e)
        {
            log.LogWarning(e, "the estates could not be prepared at start; the first identity page will try again");
        }
#pragma warning restore CA1031
        finally
        {
            _finished.TrySetResult();
        }
    }, CancellationToken.None);
}
