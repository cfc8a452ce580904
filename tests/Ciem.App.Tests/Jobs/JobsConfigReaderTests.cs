using Ciem.App.Jobs;
using Ciem.Core.Diagnostics;

namespace Ciem.App.Tests.Jobs;

public sealed class JobsConfigReaderTests
{
    private static readonly JobHandlers Handlers = new(
    [
        new ImportFolderJobHandler((_, _, _) => Task.FromResult(JobResult.Success(""))),
        DelegateJobHandler.Sweep((_, _) => Task.FromResult(JobResult.Success(""))),
    ]);

    private const string File = "/etc/ciem/ciem-server.yml";

    [Fact]
    public void Read_ValidJobsAndOtherSections_JobsOnlyWithPathsBesideTheFile()
    {
        // Given a server configuration with a sign-in section and two jobs
        var text = """
            sign-in:
              whatever: the server reads this
            jobs:
              - name: inbox
                kind: import-folder
                schedule: "*/30 * * * *"
                folder: inbox
                format: cloudtrail
                lease-minutes: 20
              - name: nightly.sweep
                kind: sweep
                schedule: "0 2 * * 1-5"
                time-zone: Europe/Paris
            """;

        // When it is read
        var result = JobsConfigReader.Read(text, File, Handlers);

        // Then both jobs come back as written, the folder made absolute beside the file, the other section ignored
        Assert.Empty(result.Diagnostics);
        var inbox = result.Config.Find("inbox")!;
        Assert.Equal(("import-folder", "*/30 * * * *", TimeSpan.FromMinutes(20), "/etc/ciem/inbox", 4),
            (inbox.Kind, inbox.ScheduleText, inbox.Lease, inbox.Setting("folder"), inbox.Line));
        var sweep = result.Config.Find("nightly.sweep")!;
        Assert.Equal("Europe/Paris", sweep.TimeZone.Id);
        Assert.Equal(JobDefinition.DefaultLease, sweep.Lease);
        // 02:00 in Paris on Monday 1 March 2027 is 01:00 UTC
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.Zero), sweep.NextAfter(new DateTimeOffset(2027, 2, 27, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("  - name: a\n    kind: sweep\n    schedule: \"0 2 * *\"\n", 4, "CIEM7303", "is `0 2 * *`, which is not a cron expression")]
    [InlineData("  - name: a\n    kind: swep\n    schedule: \"@daily\"\n", 3, "CIEM7304", "kind `swep` (did you mean `sweep`?)")]
    [InlineData("  - name: a\n    kind: import-folder\n    schedule: \"@daily\"\n    folder: x\n    format: aws\n    foldr: y\n", 7, "CIEM7302",
        "unknown key `foldr` in job `a` (kind `import-folder`) (did you mean `folder`?)")]
    [InlineData("  - name: a\n    kind: import-folder\n    schedule: \"@daily\"\n    format: aws\n", 2, "CIEM7303", "job `a` (kind `import-folder`) needs `folder`")]
    [InlineData("  - name: a\n    kind: import-folder\n    schedule: \"@daily\"\n    folder: x\n    format: cloudtrial\n", 6, "CIEM7303", "`cloudtrial` (did you mean `cloudtrail`?)")]
    [InlineData("  - name: a\n    kind: sweep\n    schedule: \"@daily\"\n    time-zone: Mars/Olympus\n", 5, "CIEM7303", "`Mars/Olympus`, which is not a known time zone")]
    [InlineData("  - name: a\n    kind: sweep\n    schedule: \"@daily\"\n    lease-minutes: 0\n", 5, "CIEM7303", "from 1 to 1440, not `0`")]
    [InlineData("  - name: \"a b\"\n    kind: sweep\n    schedule: \"@daily\"\n", 2, "CIEM7303", "job name `a b` must be")]
    [InlineData("  - name: a\n    kind: sweep\n    schedule: \"@daily\"\n  - name: a\n    kind: sweep\n    schedule: \"@hourly\"\n", 5, "CIEM7303",
        "job `a` is defined twice (first on line 2)")]
    [InlineData("  nightly: {}\n", 2, "CIEM7303", "`jobs` must be a list")]
    public void Read_BadJob_LocatedErrorAndNoJobKept(string jobs, int line, string code, string message)
    {
        // Given a `jobs:` section with one mistake
        var text = "jobs:\n" + jobs;

        // When it is read
        var result = JobsConfigReader.Read(text, File, Handlers);

        // Then the error names the file, the line and what is wrong, and no job is kept
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((File, (long?)line), (error.Location!.File, error.Location.Line));
        Assert.Empty(result.Config.Jobs);
    }

    [Fact]
    public void Read_NotYaml_LocatedError()
    {
        var result = JobsConfigReader.Read("jobs:\n  - name: [unclosed\n", File, Handlers);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.JobsConfigNotYaml, error.Code);
        Assert.Equal(File, error.Location!.File);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Read_NoJobsSection_Empty()
    {
        var result = JobsConfigReader.Read("sign-in: {}\n", File, Handlers);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Config.Jobs);
    }

    [Fact]
    public void LatestDue_ThreeMissedOccurrences_OnlyTheLatest()
    {
        // Given an hourly job last run at 09:00, and the host back at 12:30
        var job = JobsConfigReader.Read("jobs:\n  - {name: a, kind: sweep, schedule: '0 * * * *'}\n", File, Handlers).Config.Jobs[0];
        var nine = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

        // When the due occurrence is computed
        // Then 10:00, 11:00 and 12:00 collapse into 12:00; nothing is due before 10:00
        Assert.Equal(nine.AddHours(3), job.LatestDue(nine, nine.AddHours(3.5)));
        Assert.Null(job.LatestDue(nine, nine.AddMinutes(59)));
        Assert.Equal(nine.AddHours(1), job.LatestDue(nine, nine.AddHours(1)));
    }
}
