using System.Collections.Immutable;
using Ciem.App.Jobs;
using Ciem.App.Tests.Notify;
using Ciem.Core.Sweep;
using Ciem.Tests;

namespace Ciem.App.Tests.Jobs;

/// <summary>
/// The job kinds every host runs (<see cref="StandardJobs"/>), called directly: the settings of a job read from a real
/// `jobs:` section, the imports on a real store, the host's calls recorded.
/// </summary>
public sealed class StandardJobsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();
    private readonly List<SweepOptions> _sweeps = [];
    private readonly List<(string Source, ImmutableArray<string> Options)> _collects = [];

    public void Dispose() => _temp.Dispose();

    private JobHostCalls Calls(int sweepCode = 0, (int Code, string Errors)? collect = null) => new(
        options =>
        {
            _sweeps.Add(options);
            return sweepCode;
        },
        (source, options) =>
        {
            _collects.Add((source, options));
            return collect ?? (0, "");
        },
        _ => null);

    private JobDefinition Job(string yaml)
    {
        var handlers = StandardJobs.Handlers(() => new CiemSession(_temp.Sub("ciem.db")), TimeProvider.System, _ => null, Calls());
        var read = JobsConfigReader.Read("jobs:\n" + yaml, "ciem-server.yml", handlers);
        Assert.False(read.HasErrors, string.Join("\n", read.Diagnostics));
        return Assert.Single(read.Config.Jobs);
    }

    [Theory]
    [InlineData("    window: 30\n", 30, "sweep (window 30 days): exit code 0")]
    [InlineData("    window-days: 7\n", 7, "sweep (window 7 days): exit code 0")]
    [InlineData("", 90, "sweep (window 90 days): exit code 0")]
    public void Sweep_WindowUnderEitherSpelling_PassedToTheHostAndNamed(string setting, int days, string summary)
    {
        // Given a sweep job with its window under the current spelling, the old one, or none
        var job = Job("  - name: nightly\n    kind: sweep\n    schedule: '@daily'\n" + setting);

        // When it runs
        var result = StandardJobs.Sweep(job, Calls().Sweep);

        // Then the host sweeps once with that window, and the summary names it and the exit code
        Assert.True(result.Succeeded);
        Assert.Equal(summary, result.Summary);
        Assert.Equal(days, Assert.Single(_sweeps).WindowDays);
    }

    [Theory]
    [InlineData("    window: 30\n    window-days: 30\n", "both `window` and its old spelling `window-days` are set: keep `window`")]
    [InlineData("    window: 0\n", "`window` is `0`: a whole number of days, at least 1")]
    [InlineData("    window-days: 7d\n", "`window-days` is `7d`: a whole number of days, at least 1")]
    public void Sweep_UnusableWindow_FailsWithoutSweeping(string setting, string summary)
    {
        // Given a sweep job whose window cannot be used
        var job = Job("  - name: nightly\n    kind: sweep\n    schedule: '@daily'\n" + setting);

        // When it runs
        var result = StandardJobs.Sweep(job, Calls().Sweep);

        // Then it fails saying why, and the host never sweeps
        Assert.False(result.Succeeded);
        Assert.Equal(summary, result.Summary);
        Assert.Empty(_sweeps);
    }

    [Fact]
    public void Sweep_HostSweepFails_SummaryNamesItsExitCode()
    {
        // Given a sweep job whose sweep exits with 2 (findings above the threshold)
        var job = Job("  - name: nightly\n    kind: sweep\n    schedule: '@daily'\n");

        // When it runs
        var result = StandardJobs.Sweep(job, Calls(sweepCode: 2).Sweep);

        // Then the run failed, with the exit code in its summary
        Assert.False(result.Succeeded);
        Assert.Equal("sweep (window 90 days): exit code 2", result.Summary);
    }

    [Theory]
    [InlineData("--db=/tmp/other.db", "--db")]
    [InlineData("--dry-run", "--dry-run")]
    [InlineData("-f json", "-f")]
    public void Collect_OptionTheJobOwns_RefusedBeforeAnyCall(string options, string owned)
    {
        // Given a collect job whose options set one the job sets itself
        var job = Job($"  - name: okta\n    kind: collect\n    schedule: '@daily'\n    source: okta\n    options: '--timeout 10 {options}'\n");

        // When it runs
        var result = StandardJobs.Collect(job, Calls().Collect);

        // Then it is refused naming the option, and the collector is never started
        Assert.False(result.Succeeded);
        Assert.Equal($"`options` sets `{owned}`, which the job sets itself: remove it", result.Summary);
        Assert.Empty(_collects);
    }

    [Fact]
    public void Collect_Options_SplitOnSpacesAndPassedWithTheSource()
    {
        // Given a collect job with two options
        var job = Job("  - name: okta\n    kind: collect\n    schedule: '@daily'\n    source: okta\n"
            + "    options: '--org-url https://example.okta.com  --timeout 10'\n");

        // When it runs and the collector succeeds
        var result = StandardJobs.Collect(job, Calls().Collect);

        // Then the collector got the source and each word, and the run succeeded
        Assert.True(result.Succeeded);
        Assert.Equal("`ciem collect okta`: exit code 0", result.Summary);
        var (source, options) = Assert.Single(_collects);
        Assert.Equal("okta", source);
        Assert.Equal(["--org-url", "https://example.okta.com", "--timeout", "10"], options.ToArray());
    }

    [Fact]
    public void Collect_FailedRun_SummaryNamesTheFirstErrorLineEscaped()
    {
        // Given a collector that fails after a warning, its error line carrying a terminal escape
        var job = Job("  - name: okta\n    kind: collect\n    schedule: '@daily'\n    source: okta\n");
        var errors = "warning: slow\nerror CIEM6904: no okta api token \u001b[31mred\n";

        // When it runs
        var result = StandardJobs.Collect(job, Calls(collect: (1, errors)).Collect);

        // Then the summary names the exit code and the first error line, without the escape character
        Assert.False(result.Succeeded);
        Assert.StartsWith("`ciem collect okta`: exit code 1 (error CIEM6904: no okta api token ", result.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Summary);
        Assert.DoesNotContain("warning", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_AwsSamples_ImportedIntoTheStoreWithExitCodeZero()
    {
        // Given the AWS sample exports and an empty store
        var files = Directory.GetFiles(TestPaths.Repo("samples", "aws"), "*.json").Order(StringComparer.Ordinal).ToList();
        using var session = new CiemSession(_temp.Sub("ciem.db"));

        // When an import-folder run hands them to the AWS import
        var result = StandardJobs.Import(session, "aws", files, Now);

        // Then they are imported: the summary counts them, and the store holds the estate
        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal($"{files.Count} new file(s) given to `ciem import aws`: exit code 0", result.Summary);
        Assert.NotNull(session.Aws.Value);
    }

    [Fact]
    public void Import_FileOfNoKnownKind_FailsWithExitCodeThreeAndTheFirstError()
    {
        // Given a JSON file that is no AWS export
        var odd = _temp.Sub("odd.json");
        File.WriteAllText(odd, """{"colour": "blue"}""");
        using var session = new CiemSession(_temp.Sub("ciem.db"));

        // When an import-folder run hands it to the AWS import
        var result = StandardJobs.Import(session, "aws", [odd], Now);

        // Then the run fails as `ciem import aws` would (exit code 3), naming the file in the first error
        Assert.False(result.Succeeded);
        Assert.StartsWith("1 new file(s) given to `ciem import aws`: exit code 3 (", result.Summary, StringComparison.Ordinal);
        Assert.Contains("odd.json", result.Summary, StringComparison.Ordinal);
    }
}
