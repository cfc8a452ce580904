using System.Text.Json;
using Ciem.Cli.Commands;

namespace Ciem.Cli.Tests;

/// <summary>Issue #19 defects 5 and 6: the demo's store is easy to find and never wipes real data; cut lists say so.</summary>
public sealed class StoreAndSignalsTests
{
    [Fact]
    public void Demo_OverStoreWithImportedData_RefusesWithoutForce()
    {
        // Given a store holding imported (non-demo) data
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When the demo is pointed at it without --force
        var (code, _, err) = cli.Run("demo", "--identities", "50", "--days", "7", "--clouds", "aws", "--db", cli.Db, "--format", "json");

        // Then it refuses, says why and how, and the data is still there
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("error CIEM6606", err, StringComparison.Ordinal);
        Assert.Contains("it holds data `ciem demo` did not write", err, StringComparison.Ordinal);
        Assert.Contains("--force", err, StringComparison.Ordinal);
        var (listed, output, _) = cli.Run("identities", "--db", cli.Db, "--format", "json");
        Assert.Equal(0, listed);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(14, doc.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Demo_OverItsOwnStore_Recreates_ButNotOnceDataWasImportedIntoIt()
    {
        // Given a store the demo wrote
        using var cli = new CliRunner();
        string[] demo = ["demo", "--identities", "50", "--days", "7", "--clouds", "aws", "--as-of", "2026-11-01", "--db", cli.Db, "--format", "json",
            "--report", Path.Combine(cli.Home, "r.html"), "--single"];
        Assert.Equal(0, cli.Run(demo).Code);

        // When the demo runs again over it, then again after a real import into it
        var again = cli.Run(demo);
        cli.ImportSamples();
        var (afterImport, _, err) = cli.Run(demo);

        // Then the second run recreates it; the third refuses (data was imported after the demo) unless forced
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(ExitCodes.InvalidInput, afterImport);
        Assert.Contains("data was imported into it after the demo", err, StringComparison.Ordinal);
        Assert.Equal(0, cli.Run([.. demo, "--force"]).Code);
    }

    [Fact]
    public void ExploreHints_RunnableAsPrinted_ExportFirstNoPlaceholders()
    {
        // When the hints are made for a store path with a space
        var hints = Ciem.App.Demo.DemoHints.ExploreHints("/home/a b/demo.db", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            new Core.Sweep.EstateSweepResult(default, 90, 400, null, null, null, [], null!, [], [], [], []));

        // Then the store is exported (quoted for the shell) and the commands need nothing filled in
        Assert.Contains("  export CIEM_DB='/home/a b/demo.db'", hints);
        Assert.Contains("  ciem gap --as-of 2026-11-01", hints);
        Assert.DoesNotContain(hints, h => h.Contains("IDENTITY", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plain/path-1.db", "plain/path-1.db")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("a;rm -rf", "'a;rm -rf'")]
    public void ShellQuote_Word_PassedAsIs(string text, string expected) => Assert.Equal(expected, Ciem.App.Demo.DemoHints.ShellQuote(text));

    [Fact]
    public void Gap_TopCut_SaysWhatIsLeftOut_AllShowsEvery()
    {
        // Given the sample estate (14 identities)
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When gap shows the top 5, then all
        var (_, top, _) = cli.Run("gap", "--db", cli.Db, "--top", "5", "--as-of", "2026-11-28");
        var (_, all, _) = cli.Run("gap", "--db", cli.Db, "--top", "5", "--all", "--as-of", "2026-11-28");

        // Then the cut is said, and --all shows every identity with no cut line
        Assert.Contains("showing 5 of 14 identities, most unused permissions first (`--top N` for more, `--all` for every one)", top, StringComparison.Ordinal);
        Assert.DoesNotContain("showing", all, StringComparison.Ordinal);
        Assert.Contains("ci-deploy", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_LastUsed_NamesBothSources()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (_, text, _) = cli.Run("gap", "--db", cli.Db, "--as-of", "2026-11-28");
        var (_, ids, _) = cli.Run("identities", "--db", cli.Db);
        Assert.Contains("last activity (logs)", text, StringComparison.Ordinal);
        Assert.Contains("last used (IAM)", text, StringComparison.Ordinal);
        Assert.Contains("last used (IAM)", ids, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_TopZero_IsAnArgumentError()
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("gap", "--top", "0");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("`--top` must be at least 1, not `0`", err, StringComparison.Ordinal);
    }
}
