using Ciem.App;
using Ciem.App.Settings;
using Ciem.Storage;
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
        Clock = clock;
        Environment = environment;
        // Untrusted values never reach a terminal with control characters or escape sequences (TerminalWriter).
        _error = error as TerminalWriter ?? new TerminalWriter(error);
        SetOutput(output, interactive);
    }

    private TextWriter _error;

    /// <summary>Where results go: stdout, or the temporary file behind `--output` (<see cref="SetOutput"/>).</summary>
    public TextWriter Out { get; private set; } = TextWriter.Null;

    /// <summary>Messages (errors, warnings, progress); with `--quiet`, errors only.</summary>
    public TextWriter Error => Verbosity == Verbosity.Quiet ? _quietError ??= new ErrorsOnlyWriter(_error) : _error;

    private TextWriter? _quietError;

    /// <summary>Human-readable rendering (tables, charts) goes through this console; tables are plain (no box drawing) unless stdout is a terminal.</summary>
    public IAnsiConsole Console { get; private set; } = null!;

    public TimeProvider Clock { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>True when stdout is a terminal: progress bars, colours and box-drawn tables are shown.</summary>
    public bool Interactive { get; private set; }

    /// <summary>`--quiet` (errors only), normal, or `--verbose` (a failure's details: the exception and where it was thrown).</summary>
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;

    /// <summary>Points the results (<see cref="Out"/> and <see cref="Console"/>) at <paramref name="output"/>.</summary>
    public void SetOutput(TextWriter output, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(output);
        Out = new TerminalWriter(output);
        Interactive = interactive;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) { console.Profile.Width = 160; }
        console.Pipeline.Attach(new TerminalRenderHook());
        Console = interactive ? console : new PlainConsole(console);
    }

    /// <summary>The same host writing its output elsewhere (a quiet step); it shares this host's sessions.</summary>
    public CliHost WithOutput(TextWriter output) => new(output, Error, Clock, Environment, interactive: false, _sessions) { Verbosity = Verbosity };

    /// <summary>
    /// The session of the store <paramref name="db"/> names (`--db`, else <see cref="DefaultDatabasePath"/>): one per
    /// store and command, so the store is opened once and each estate loaded once; <see cref="CloseSessions"/> ends them.
    /// </summary>
    public CiemSession Session(string? db)
    {
        var location = StoreLocation.Parse(db ?? DefaultDatabasePath());
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(location.Display, out var session)) { _sessions[location.Display] = session = new CiemSession(location); }
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

    /// <summary>The store used when `--db` is not given: `$CIEM_DB`, else `store:` of `ciem.yml`, else <see cref="EmbeddedDatabasePath"/>.</summary>
    public string DefaultDatabasePath() => Settings.Store ?? EmbeddedDatabasePath();

    /// <summary>The defaults of `ciem.yml` with their environment overrides (<see cref="CiemSettings"/>), read once.</summary>
    public CiemSettings Settings => _settings ??= CiemSettings.Load(Environment, Directory.GetCurrentDirectory());

    private CiemSettings? _settings;

    /// <summary>The embedded store's file in the user's data folder: `$XDG_DATA_HOME/ciem/ciem.db`, else `~/.local/share/ciem/ciem.db`.</summary>
    public string EmbeddedDatabasePath() => CiemSettings.EmbeddedDatabasePath(Environment);
}

/// <summary>How much a command says on stderr besides its results.</summary>
public enum Verbosity
{
    Quiet,
    Normal,
    Verbose,
}

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Findings = 2;
    public const int InvalidInput = 3;

    /// <summary>`ciem can --exit-code`: the request is denied.</summary>
    public const int Denied = 4;

    /// <summary>`ciem can --exit-code`: the answer is indeterminate (conditional, or policy content not evaluated).</summary>
    public const int Indeterminate = 5;
}
