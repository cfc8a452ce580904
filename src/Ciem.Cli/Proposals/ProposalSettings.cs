using Ciem.App.Proposals;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Proposals;

/// <summary>The exclusions of `ciem.yml` (<see cref="ProposalConfig"/>) added to a command's sweep options.</summary>
public static class ProposalSettings
{
    /// <summary>Adds the configured exclusions; false (after printing the located errors) when the file is bad or missing.</summary>
    public static bool TryApplyConfig(CliHost host, string? configPath, ref SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        var applied = ProposalConfig.Apply(configPath, options);
        foreach (var message in applied.Messages) { host.Error.WriteLine(message); }
        options = applied.Options;
        return applied.Ok;
    }
}
