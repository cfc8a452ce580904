using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Jobs;

public sealed class JobsCommandTests
{
    private static string Config(CliRunner cli, string jobs)
    {
        var path = Path.Combine(cli.Home, "ciem-server.yml");
        File.WriteAllText(path, "jobs:\n" + jobs);
        return path;
    }

    [Fact]
    public void Run_ImportFolderTwice_NewFilesImportedOnceThenNone()
    {
        // Given an inbox holding the sample AWS export and a job importing it
        using var cli = new CliRunner();
        var inbox = Directory.CreateDirectory(Path.Combine(cli.Home, "inbox")).FullName;
        foreach (var file in Directory.GetFiles(TestPaths.Repo("samples", "aws"), "*.json")) { File.Copy(file, Path.Combine(inbox, Path.GetFileName(file))); }
        var config = Config(cli, "  - {name: inbox, kind: import-folder, schedule: '*/15 * * * *', folder: inbox, format: aws}\n");

        // When the job is run by hand twice, then its history is listed
        var first = cli.Run("jobs", "run", "inbox", "--config", config, "--db", cli.Db, "--format", "json");
        var second = cli.Run("jobs", "run", "inbox", "--config", config, "--db", cli.Db, "--format", "json");
        var history = cli.Run("jobs", "history", "--db", cli.Db, "--format", "json");
        var list = cli.Run("jobs", "list", "--config", config, "--db", cli.Db, "--format", "csv");

        // Then the first run imports the three files, the second finds nothing new, and both are recorded
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal("3 new file(s) given to `ciem import aws`: exit code 0", Json(first.Out).GetProperty("summary").GetString());
        Assert.Equal(("succeeded", "no new files"), (Json(second.Out).GetProperty("outcome").GetString(), Json(second.Out).GetProperty("summary").GetString()));
        var runs = Json(history.Out).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["manual", "manual"], runs.Select(r => r.GetProperty("cause").GetString()));
        Assert.Equal(["inbox", "inbox"], runs.Select(r => r.GetProperty("job").GetString()));
        Assert.NotEmpty(cli.Run("identities", "--db", cli.Db, "--format", "json").Out);
        Assert.StartsWith("job,kind,schedule,timeZone,nextDue,lastRun,outcome,runningOn\ninbox,import-folder,*/15 * * * *,UTC,2026-11-28 12:15:00Z,",
            list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ConfigWithUnknownKey_InvalidInputNamingFileAndLine()
    {
        // Given a job with a misspelt setting on line 4
        using var cli = new CliRunner();
        var config = Config(cli, "  - name: nightly\n    kind: sweep\n    window-dais: 30\n    schedule: '@daily'\n");

        // When any jobs command reads it
        var (code, _, err) = cli.Run("jobs", "list", "--config", config, "--db", cli.Db);

        // Then it stops with the located error and the closest key
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("CIEM7302", err, StringComparison.Ordinal);
        Assert.Contains("unknown key `window-dais` in job `nightly` (kind `sweep`) (did you mean `window-days`?)", err, StringComparison.Ordinal);
        Assert.Contains(":4", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownJob_InvalidInputListingTheJobs()
    {
        using var cli = new CliRunner();
        var config = Config(cli, "  - {name: nightly, kind: sweep, schedule: '@daily'}\n");

        var (code, _, err) = cli.Run("jobs", "run", "nighty", "--config", config, "--db", cli.Db);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("error CIEM7305: no job `nighty` in", err, StringComparison.Ordinal);
        Assert.Contains("jobs: nightly", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("window: 0", "`window` is `0`: a whole number of days, at least 1")]
    [InlineData("window-days: 0", "`window-days` is `0`: a whole number of days, at least 1")]
    [InlineData("window: 30, window-days: 30", "both `window` and its old spelling `window-days` are set: keep `window`")]
    public void Run_SweepJobWindow_ReadUnderBothSpellingsAndNamedAsWritten(string setting, string summary)
    {
        // Given a sweep job whose window is set as the verbs spell it (`window`), under its old spelling, or both
        using var cli = new CliRunner();
        var config = Config(cli, $"  - {{name: nightly, kind: sweep, schedule: '@daily', {setting}}}\n");

        // When it is run by hand
        var (_, output, err) = cli.Run("jobs", "run", "nightly", "--config", config, "--db", cli.Db, "--format", "json");

        // Then the setting is read under the spelling written, and a bad value is named as written
        Assert.Equal(summary, Json(output).GetProperty("summary").GetString());
        Assert.DoesNotContain("unknown key", err, StringComparison.Ordinal);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
