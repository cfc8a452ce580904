using Ciem.App;
using Spectre.Console;

namespace Ciem.Cli;

/// <summary>
/// Everything the CLI touches outside the process: output streams, the clock, the environment and the default
/// store location. Tests build one around string writers; <see cref="System"/> is the real one.
/// </summary>
public sealed class CliHost
{
    private readonly Dictionary<string, CiemSession> _sessions;

    public CliHost(TextWriter output, TextWriter error, TimeProvider clock, Func<string, string?> environment, bool interactive = false)
        : this(output, error, clock, environment, interactive, new Dictionary<string, CiemSession>(StringComparer.Ordinal))
    {
    }

    private CliHost(TextWriter output, TextWriter error, TimeProvider clock, Func<string, string?> environment, bool interactive,
        Dictionary<string, CiemSession> sessions)
    {
        _sessions = sessions;
        Out = output;
        Error = error;
        Clock = clock;
        Environment = environment;
        Interactive = interactive;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) { Console.Profile.Width = 160; }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Human-readable rendering (tables, charts) goes through this console.</summary>
    public IAnsiConsole Console { get; }

    public TimeProvider Clock { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>True when stdout is a terminal: progress bars and colours are shown.</summary>
    public bool Interactive { get; }

    /// <summary>The same host writing its output elsewhere (a quiet step); it shares this host's sessions.</summary>
    public CliHost WithOutput(TextWriter output) => new(output, Error, Clock, Environment, interactive: false, _sessions);

    /// <summary>
    /// The session of the store <paramref name="db"/> names (`--db`, else <see cref="DefaultDatabasePath"/>): one per
    /// store and command, so the store is opened once and each estate loaded once; <see cref="CloseSessions"/> ends them.
    /// </summary>
    public CiemSession Session(string? db)
    {
        var path = Path.GetFullPath(db ?? DefaultDatabasePath());
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(path, out var session)) { _sessions[path] = session = new CiemSession(path); }
            return session;
        }
    }

    /// <summary>Closes every store this command opened.</summary>
    public void CloseSessions()
    {
        lock (_sessions)
        {
            foreach (var session in _sessions.Values) { session.Dispose(); }
            _sessions.Clear();
        }
    }

    public static CliHost System() => new(
        global::System.Console.Out,
        global::System.Console.Error,
        TimeProvider.System,
        global::System.Environment.GetEnvironmentVariable,
        interactive: !global::System.Console.IsOutputRedirected);

    /// <summary>The embedded store used when `--db` is not given: `$CIEM_DB`, else `$XDG_DATA_HOME/ciem/ciem.db`, else `~/.local/share/ciem/ciem.db`.</summary>
    public string DefaultDatabasePath()
    {
        if (Environment("CIEM_DB") is { Length: > 0 } db) { return db; }
        var dataHome = Environment("XDG_DATA_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment("HOME") ?? global::System.Environment.GetFolderPath(global::System.Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "ciem", "ciem.db");
    }
}

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Findings = 2;
    public const int InvalidInput = 3;
}
