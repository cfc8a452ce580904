using System.Collections.Immutable;
using Ciem.App.Iac;
using Ciem.Core.Diagnostics;
using Ciem.Core.Metrics;
using Ciem.Import;
using Ciem.Import.Config;
using Ciem.Storage;

namespace Ciem.App.Metrics;

/// <summary>
/// The run of an alert rules file: <see cref="Run"/>, or null when an IaC folder a rule names cannot be read
/// (<see cref="Unreadable"/> says which and why).
/// </summary>
public sealed record AlertRulesEvaluation(AlertRunResult? Run, TerraformFolderRead? Unreadable);

/// <summary>The alert rules file read and evaluated, for `ciem alerts evaluate`, `ciem sweep --alerts` and the jobs.</summary>
public static class AlertRulesFile
{
    /// <summary>The rules file read and validated (with its located diagnostics); null with the error when it cannot be read.</summary>
    public static AlertRulesReadResult? Read(string path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        error = null;
        try { return AlertRulesReader.Read(InputFiles.ReadAllText(path), path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"error {DiagnosticCodes.AlertBadRules}: cannot read the rules file `{path}`: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// Evaluates the rules on the store's measurements and sends new alerts (<see cref="AlertRun"/>); the senders keep their
    /// ledger in <paramref name="stateDirectory"/>, else `.ciem-alerts` beside the rules file.
    /// </summary>
    public static AlertRulesEvaluation Evaluate(ICiemStore store, AlertConfig config, string rulesPath, string? stateDirectory,
        DateTimeOffset now, Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(config);
        var names = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        foreach (var repo in config.Rules.Select(r => r.IacRepository).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var iac = TerraformFolder.Read(new DirectoryInfo(repo), null);
            if (iac.Error is not null || iac.Result is null) { return new(null, iac); }
            names[repo] = [.. iac.Result.Changes.Select(c => c.Name)];
        }
        var state = stateDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(rulesPath)) ?? ".", ".ciem-alerts");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var run = AlertRun.EvaluateAsync(store, config, new IacDeclarations(names.ToImmutable()), now, state, http, environment, time)
            .GetAwaiter().GetResult();
        return new(run, null);
    }
}
