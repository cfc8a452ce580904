using System.Text.Json;

namespace Ciem.Cli.Tests;

/// <summary>Issue #19: `ciem.yml` sets the default store and window; environment variables override it.</summary>
public sealed class SettingsTests
{
    private static void WriteUserConfig(CliRunner cli, string text)
    {
        var folder = Path.Combine(cli.Home, ".config", "ciem");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ciem.yml"), text);
    }

    [Fact]
    public void Store_FromUserConfig_UsedWithoutDb()
    {
        // Given the samples imported into a store that ciem.yml names
        using var cli = new CliRunner();
        cli.ImportSamples();
        WriteUserConfig(cli, $"store: {cli.Db}\n");

        // When identities are listed without --db
        var (code, output, err) = cli.Run("identities", "--format", "json");

        // Then the configured store is read
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(14, doc.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Store_EnvironmentOverridesConfig()
    {
        // Given ciem.yml naming a missing store and CIEM_DB naming the real one
        using var cli = new CliRunner();
        cli.ImportSamples();
        WriteUserConfig(cli, $"store: {Path.Combine(cli.Home, "other.db")}\n");
        cli.Environment["CIEM_DB"] = cli.Db;

        // When identities are listed without --db
        var (code, _, err) = cli.Run("identities", "--format", "json");

        // Then the environment wins
        Assert.True(code == 0, err);
    }

    [Fact]
    public void Window_FromConfigAndEnvironment_SetsGapDefault()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        WriteUserConfig(cli, "window: 30\n");
        var (_, fromConfig, _) = cli.Run("gap", "--db", cli.Db, "--format", "json", "--as-of", "2026-11-28");
        cli.Environment["CIEM_WINDOW"] = "7";
        var (_, fromEnv, _) = cli.Run("gap", "--db", cli.Db, "--format", "json", "--as-of", "2026-11-28");
        var (_, fromOption, _) = cli.Run("gap", "--db", cli.Db, "--format", "json", "--as-of", "2026-11-28", "--window", "45");
        Assert.Equal(30, JsonDocument.Parse(fromConfig).RootElement.GetProperty("windowDays").GetInt32());
        Assert.Equal(7, JsonDocument.Parse(fromEnv).RootElement.GetProperty("windowDays").GetInt32());
        Assert.Equal(45, JsonDocument.Parse(fromOption).RootElement.GetProperty("windowDays").GetInt32());
    }

    [Fact]
    public void Exclusions_FromUserConfig_SweepLeavesTheBreakGlassIdentityAlone()
    {
        // Given the samples, swept once without a configuration file
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (_, before, _) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // When ~/.config/ciem/ciem.yml names alice.admin as a break-glass identity and the sweep runs again
        WriteUserConfig(cli, "exclusions:\n  names: [alice.admin]\n");
        var (code, after, err) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // Then alice.admin is excluded by that file (as README says), and was not before
        Assert.True(code == 0, err);
        static IEnumerable<string?> Excluded(string json) =>
            JsonDocument.Parse(json).RootElement.GetProperty("excluded").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("alice.admin", Excluded(before));
        Assert.Contains("alice.admin", Excluded(after));
    }

    [Theory]
    [InlineData("window: ninety\n", "`window` must be a whole number of days (1 or more), not `ninety`")]
    [InlineData("window: [\n", "not valid yaml")]
    public void Config_BadValue_LocatedErrorExit3(string text, string expected)
    {
        using var cli = new CliRunner();
        WriteUserConfig(cli, text);
        var (code, _, err) = cli.Run("identities");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("CIEM6609", err, StringComparison.Ordinal);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Contains("ciem.yml", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_BadWindow_NamesTheVariable()
    {
        using var cli = new CliRunner();
        cli.Environment["CIEM_WINDOW"] = "-3";
        var (code, _, err) = cli.Run("identities");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("`CIEM_WINDOW` `-3` is not a whole number of days", err, StringComparison.Ordinal);
    }
}
