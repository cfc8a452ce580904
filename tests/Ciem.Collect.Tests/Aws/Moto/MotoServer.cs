using System.Diagnostics;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Aws.Moto;

/// <summary>
/// A real moto server (`moto_server`, the AWS mock of the `moto` Python package) on a free loopback port, started by
/// the tests and stopped when they end. Outside CI a machine without it skips the moto tests with the reason; under
/// `CI=true` (where `.ci/run` installs it) a missing moto fails them with a clear message instead.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private readonly Process _process;

    public MotoServer()
        : this(null)
    {
    }

    /// <param name="environment">extra variables for the server (`INITIAL_NO_AUTH_ACTION_COUNT=0` turns IAM authentication on).</param>
    public MotoServer(IReadOnlyDictionary<string, string>? environment)
    {
        var executable = Find() ?? throw new InvalidOperationException(
            "moto_server is not on PATH: the AWS collector tests need a local moto server (`pip install \"moto[server]\"`, or run .ci/run)");
        Port = LoopbackHttpServer.FreePort();
        var start = new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) { start.Environment[name] = value; }
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitReady();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Why the moto tests are skipped here, or null when they run (moto present, or CI, where its absence fails).</summary>
    public static string? SkipReason =>
        Find() is not null || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : "moto_server is not on PATH (pip install \"moto[server]\"); required under CI=true";

    /// <summary>Forgets everything the server holds.</summary>
    public void Reset()
    {
        using var http = new HttpClient();
        using var response = http.PostAsync(new Uri($"{Url}/moto-api/reset"), null).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    private void WaitReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) { throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} on port {Port}"); }
            try
            {
                using var response = http.GetAsync(new Uri($"{Url}/moto-api/")).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) { return; }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            Thread.Sleep(200);
        }
        Dispose();
        throw new InvalidOperationException($"moto_server did not answer on port {Port} within 60 s");
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CIEM_MOTO_SERVER") is { Length: > 0 } configured && File.Exists(configured)) { return configured; }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "moto_server")).FirstOrDefault(File.Exists);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}

/// <summary>A fact that needs moto: skipped with the reason when moto is absent outside CI (see <see cref="MotoServer.SkipReason"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoFactAttribute : FactAttribute
{
    public MotoFactAttribute()
    {
        if (MotoServer.SkipReason is { } reason) { Skip = reason; }
    }
}

/// <summary>The moto tests share one server and run one after the other (each resets it first).</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}

/// <summary>The shared server, started on first use so that a skipped run never starts it.</summary>
public sealed class MotoFixture : IDisposable
{
    private readonly Lazy<MotoServer> _server = new(() => new MotoServer());

    public MotoServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated) { _server.Value.Dispose(); }
    }
}
