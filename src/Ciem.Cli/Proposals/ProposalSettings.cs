using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Ciem.Import.Config;

namespace Ciem.Cli.Proposals;

/// <summary>
/// What proposals need beyond the command line: the exclusions of `ciem.yml` (`--config`, else `ciem.yml` in the
/// current folder, else the user's `~/.config/ciem/ciem.yml`, as <see cref="CliHost.Settings"/> finds it) and the Identity Center permission sets and assignments of the stored directories.
/// </summary>
public static class ProposalSettings
{
    /// <summary>Adds the configured exclusions; false (after printing the located errors) when the file is bad or missing.</summary>
    public static bool TryApplyConfig(CliHost host, string? configPath, ref SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        // The same file the store and window come from: `./ciem.yml`, else the user's `~/.config/ciem/ciem.yml`.
        var path = configPath ?? host.Settings.File;
        if (path is null) { return true; }
        if (!File.Exists(path))
        {
            host.Error.WriteLine($"error {DiagnosticCodes.ConfigNotFound}: configuration file `{path}` not found (--config)");
            return false;
        }
        var result = CiemConfigReader.Read(File.ReadAllText(path), path);
        foreach (var d in result.Diagnostics) { host.Error.WriteLine(d.ToString()); }
        if (result.HasErrors) { return false; }
        options = options with { Exclusions = result.Exclusions };
        return true;
    }
}
