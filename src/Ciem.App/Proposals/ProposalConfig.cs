using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Ciem.Import.Config;

namespace Ciem.App.Proposals;

/// <summary>
/// The options with the configured exclusions added, or (<see cref="Ok"/> false) the located messages that say why the
/// configuration cannot be used; <see cref="Messages"/> also carries the warnings of a usable file.
/// </summary>
public sealed record ProposalConfigResult(SweepOptions Options, ImmutableArray<string> Messages, bool Ok);

/// <summary>
/// What proposals need beyond the command line: the exclusions of `ciem.yml` (`--config`, else `ciem.yml` in the current
/// folder when present).
/// </summary>
public static class ProposalConfig
{
    /// <summary>Adds the exclusions of <paramref name="configPath"/> (else `ciem.yml` here, when present) to the options.</summary>
    public static ProposalConfigResult Apply(string? configPath, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = configPath ?? (File.Exists(CiemConfigReader.DefaultFileName) ? CiemConfigReader.DefaultFileName : null);
        if (path is null) { return new(options, [], true); }
        if (!File.Exists(path))
        {
            return new(options, [$"error {DiagnosticCodes.ConfigNotFound}: configuration file `{path}` not found (--config)"], false);
        }
        var result = CiemConfigReader.Read(File.ReadAllText(path), path);
        var messages = result.Diagnostics.Select(d => d.ToString()).ToImmutableArray();
        return result.HasErrors ? new(options, messages, false) : new(options with { Exclusions = result.Exclusions }, messages, true);
    }
}
