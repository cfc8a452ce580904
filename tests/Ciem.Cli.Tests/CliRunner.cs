using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>Runs `ciem` in-process with captured output, a fixed clock and an isolated environment.</summary>
internal sealed class CliRunner : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ciem-cli-test-");

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public string Db => Path.Combine(_home.FullName, "test.db");

    public string Home => _home.FullName;

    /// <summary>Environment variables the commands see besides HOME (tokens, for instance).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CiemApp.Run(args, Host(output, error));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A host like the one <see cref="Run"/> uses, for calling commands' methods directly.</summary>
    public CliHost Host(TextWriter output, TextWriter error) => new(output, error, new FixedClock(Now), name => name switch
    {
        "HOME" => _home.FullName,
        _ => Environment.GetValueOrDefault(name),
    });

    /// <summary>Imports the sample estate into <see cref="Db"/>.</summary>
    public void ImportSamples()
    {
        var (code, _, err) = Run("import", "aws", TestPaths.Repo("samples", "aws"), "--db", Db);
        Assert.True(code == 0, err);
    }

    public void Dispose() => _home.Delete(recursive: true);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
