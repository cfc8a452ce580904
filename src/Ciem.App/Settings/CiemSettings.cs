using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ciem.App.Settings;

/// <summary>
/// The defaults every command starts from, from the top level of `ciem.yml` (the file of `--config`, else `./ciem.yml`,
/// else `$XDG_CONFIG_HOME/ciem/ciem.yml` or `~/.config/ciem/ciem.yml`), each overridden by an environment variable:
/// <code>
/// store: ~/.local/share/ciem/team.db   # or postgres://…   ($CIEM_DB)
/// window: 90                            # usage window in days ($CIEM_WINDOW)
/// exclusions: …                         # identities proposals never touch, break-glass names (docs/least-privilege.md)
/// </code>
/// Other sections (`exclusions`, those of later features) are read where they are used. Never throws on content:
/// a bad value is a located diagnostic and the built-in default stays.
/// </summary>
public sealed record CiemSettings(string? Store, int WindowDays, string? File, ImmutableArray<Diagnostic> Diagnostics)
{
    public const int DefaultWindowDays = 90;

    /// <summary>The embedded store's file in the user's data folder: `$XDG_DATA_HOME/ciem/ciem.db`, else
    /// `~/.local/share/ciem/ciem.db`.</summary>
    public static string EmbeddedDatabasePath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var dataHome = environment("XDG_DATA_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "ciem", "ciem.db");
    }

    public static CiemSettings Load(Func<string, string?> environment, string currentFolder)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var file = Locate(environment, currentFolder);
        var diags = new DiagnosticBag();
        string? store = null;
        int? window = null;
        if (file is not null)
        {
            try { (store, window) = Read(System.IO.File.ReadAllText(file), file, diags); }
            catch (IOException ex) { diags.Error(DiagnosticCodes.CliConfig, $"cannot read `{file}`: {ex.Message.TrimEnd('.')}"); }
        }
        if (environment("CIEM_DB") is { Length: > 0 } db) { store = db; }
        if (environment("CIEM_WINDOW") is { Length: > 0 } text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1) { window = days; }
            else { diags.Error(DiagnosticCodes.CliConfig, $"`CIEM_WINDOW` `{text}` is not a whole number of days (1 or more)"); }
        }
        return new CiemSettings(store is null ? null : ExpandHome(store, environment), window ?? DefaultWindowDays, file, diags.ToImmutable());
    }

    private static string? Locate(Func<string, string?> environment, string currentFolder)
    {
        var local = Path.Combine(currentFolder, "ciem.yml");
        if (System.IO.File.Exists(local)) { return local; }
        var configHome = environment("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : environment("HOME") is { Length: > 0 } h ? Path.Combine(h, ".config") : null;
        var user = configHome is null ? null : Path.Combine(configHome, "ciem", "ciem.yml");
        return user is not null && System.IO.File.Exists(user) ? user : null;
    }

    private static (string? Store, int? Window) Read(string text, string file, DiagnosticBag diags)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException ex)
        {
            diags.Error(DiagnosticCodes.CliConfig, $"not valid yaml: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.Start.Line));
            return (null, null);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) { return (null, null); }
        string? store = null;
        int? window = null;
        foreach (var (key, value) in root.Children)
        {
            var at = new SourceLocation(File: file, Line: key.Start.Line);
            switch ((key as YamlScalarNode)?.Value)
            {
                case "store" when value is YamlScalarNode { Value: { Length: > 0 } s }:
                    store = s;
                    break;
                case "store":
                    diags.Error(DiagnosticCodes.CliConfig, "`store` must be a file path or a PostgreSQL location", at);
                    break;
                case "window" when value is YamlScalarNode { Value: { } w } && int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1:
                    window = days;
                    break;
                case "window":
                    diags.Error(DiagnosticCodes.CliConfig, $"`window` must be a whole number of days (1 or more), not `{(value as YamlScalarNode)?.Value}`", at);
                    break;
                default:
                    break;
            }
        }
        return (store, window);
    }

    private static string ExpandHome(string path, Func<string, string?> environment) =>
        path.StartsWith("~/", StringComparison.Ordinal) && environment("HOME") is { Length: > 0 } home ? Path.Combine(home, path[2..]) : path;
}
