using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Review;

/// <summary>The review settings as read from a file: null <see cref="Settings"/> when they cannot be used; every message to show
/// (errors and warnings, one line each) and the folder relative paths of the config start from.</summary>
public sealed record ReviewConfigLoad(ReviewSettings? Settings, string Directory, ImmutableArray<string> Messages);

/// <summary>The files of the review programme: the config (`--config` or ./ciem-review.yml), its CODEOWNERS, the state folder.</summary>
public static class ReviewConfigFiles
{
    /// <summary>The settings from <paramref name="configPath"/>, else ./ciem-review.yml when present, else the defaults.</summary>
    public static ReviewConfigLoad Read(string? configPath)
    {
        var path = configPath ?? (File.Exists(ReviewConfigReader.DefaultFileName) ? ReviewConfigReader.DefaultFileName : null);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path ?? ".")) ?? ".";
        if (path is null) { return new ReviewConfigLoad(ReviewSettings.Default, directory, []); }
        if (!File.Exists(path))
        {
            return new ReviewConfigLoad(null, directory,
                [$"error {DiagnosticCodes.ReviewConfigBadValue}: review config `{path}` not found (--config)"]);
        }
        var result = ReviewConfigReader.Read(File.ReadAllText(path), path);
        return new ReviewConfigLoad(result.HasErrors ? null : result.Settings, directory,
            [.. result.Diagnostics.Select(d => d.ToString())]);
    }

    /// <summary>The CODEOWNERS file `owners.codeowners` names (relative to the config's folder); null, with
    /// <paramref name="error"/> when it names a missing file, or without when the config names none.</summary>
    public static CodeOwners? CodeOwners(ReviewSettings settings, string directory, out string? error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        error = null;
        if (settings.CodeOwnersPath is not { } co) { return null; }
        var path = Path.IsPathRooted(co) ? co : Path.Combine(directory, co);
        if (!File.Exists(path))
        {
            error = $"error {DiagnosticCodes.ReviewConfigBadValue}: `owners.codeowners` names `{path}`, which does not exist";
            return null;
        }
        return Core.Review.CodeOwners.Parse(File.ReadAllText(path));
    }

    /// <summary>Notification state and outbox beside a SQLite store, else beside the default embedded store.</summary>
    public static string StateDirectory(StoreLocation location, string embeddedDatabasePath)
    {
        ArgumentNullException.ThrowIfNull(location);
        var dir = location.Backend == StoreBackend.Sqlite ? Path.GetDirectoryName(location.Display)
            : Path.GetDirectoryName(embeddedDatabasePath);
        return Path.Combine(dir ?? ".", "review");
    }
}
