using Ciem.App.Proposals;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Proposals;

/// <summary>
/// The exclusions of `ciem.yml` (<see cref="ProposalConfig"/>: `--config`, else `ciem.yml` in the current folder, else
/// the user's `~/.config/ciem/ciem.yml`, as <see cref="CliHost.Settings"/> finds it) added to a command's sweep options.
/// </summary>
public static class ProposalSettings
{
    /// <summary>Adds the configured exclusions; false (after printing the located errors) when the file is bad or missing.</summary>
    public static bool TryApplyConfig(CliHost host, string? configPath, ref SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        // The same file the store and window come from: `./ciem.yml`, else the user's `~/.config/ciem/ciem.yml`.
        var applied = ProposalConfig.Apply(configPath ?? host.Settings.File, options);
        foreach (var message in applied.Messages) { host.Error.WriteLine(message); }
        options = applied.Options;
        return applied.Ok;
    }
}
