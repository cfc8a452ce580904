using System.Text.Json;
using static Ciem.Cli.Tests.Usage.UsageCommandsTests;

namespace Ciem.Cli.Tests.Usage;

/// <summary>
/// A JSON Lines log whose last line is cut (a file still being appended to, or copied in part): the cut line is one
/// located bad record, the file is not recorded as read, and once the line is completed every record counts once.
/// </summary>
public sealed class JsonLinesCutTests
{
    private static string Line(int n) => Event(n, AsOf.AddHours(-3), AppWorker(), "dynamodb.amazonaws.com", "GetItem",
        "arn:aws:dynamodb:eu-west-1:222222222222:table/appended", "AWS::DynamoDB::Table").ToJsonString();

    private static long Appended(CliRunner cli)
    {
        using var store = Ciem.Storage.SqliteStore.Open(cli.Db);
        return store.LoadUsage("aws", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1))
            .Where(u => u.Resource.EndsWith("table/appended", StringComparison.Ordinal)).Sum(u => u.Count);
    }

    [Fact]
    public void ImportCloudTrail_JsonLinesLastLineCutThenCompleted_EachRecordCountedOnce()
    {
        // Given the trail and a JSON Lines file of three events whose third line is cut (no line break, the JSON open)
        using var cli = new CliRunner();
        WriteTrail(Path.Combine(cli.Home, "trail"));
        var file = Path.Combine(cli.Home, "trail", "appended.jsonl");
        var whole = string.Join("\n", Line(801), Line(802), Line(803)) + "\n";
        File.WriteAllText(file, whole[..(whole.LastIndexOf("\"eventSource\"", StringComparison.Ordinal))]);

        // When imported, the line then completed, and imported twice more
        var first = cli.Run("import", "cloudtrail", Path.Combine(cli.Home, "trail"), "--db", cli.Db, "--format", "json");
        var afterFirst = Appended(cli);
        File.WriteAllText(file, whole);
        var second = cli.Run("import", "cloudtrail", Path.Combine(cli.Home, "trail"), "--db", cli.Db, "--format", "json");
        var third = cli.Run("import", "cloudtrail", Path.Combine(cli.Home, "trail"), "--db", cli.Db, "--format", "json");

        // Then the first run counts the cut line once as malformed, located at line 3 of the file, and stores neither
        // the file's whole lines nor its record; the second reads the three events once; the third skips everything
        Assert.Equal((0, 0, 0), (first.Code, second.Code, third.Code));
        using var a = JsonDocument.Parse(first.Out);
        Assert.Equal((30, 1L), (a.RootElement.GetProperty("files").GetInt32(), a.RootElement.GetProperty("malformed").GetInt64()));
        var cut = Assert.Single(a.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!),
            d => d.Contains("appended.jsonl", StringComparison.Ordinal));
        Assert.Contains("appended.jsonl:3", cut, StringComparison.Ordinal);
        Assert.Contains("the last line is cut", cut, StringComparison.Ordinal);
        Assert.Equal(0, afterFirst);
        using var b = JsonDocument.Parse(second.Out);
        Assert.Equal((1, 30, 3L, 0L), (b.RootElement.GetProperty("files").GetInt32(), b.RootElement.GetProperty("filesSkipped").GetInt32(),
            b.RootElement.GetProperty("events").GetInt64(), b.RootElement.GetProperty("malformed").GetInt64()));
        using var c = JsonDocument.Parse(third.Out);
        Assert.Equal((0, 31), (c.RootElement.GetProperty("files").GetInt32(), c.RootElement.GetProperty("filesSkipped").GetInt32()));
        Assert.Equal(3, Appended(cli));
    }

    [Fact]
    public void ImportCloudTrail_JsonLinesLastLineWholeWithoutLineBreak_ReadAndRecordedOnce()
    {
        // Given the near-miss twin: the last line is whole JSON, only its line break is missing (a finished file)
        using var cli = new CliRunner();
        WriteTrail(Path.Combine(cli.Home, "trail"));
        File.WriteAllText(Path.Combine(cli.Home, "trail", "appended.jsonl"), string.Join("\n", Line(801), Line(802), Line(803)));

        // When imported twice
        var first = cli.Run("import", "cloudtrail", Path.Combine(cli.Home, "trail"), "--db", cli.Db, "--format", "json");
        var second = cli.Run("import", "cloudtrail", Path.Combine(cli.Home, "trail"), "--db", cli.Db, "--format", "json");

        // Then the file is complete: its three events are counted in the first run and it is skipped in the second
        using var a = JsonDocument.Parse(first.Out);
        Assert.Equal((31, 0L), (a.RootElement.GetProperty("files").GetInt32(), a.RootElement.GetProperty("malformed").GetInt64()));
        using var b = JsonDocument.Parse(second.Out);
        Assert.Equal((0, 31), (b.RootElement.GetProperty("files").GetInt32(), b.RootElement.GetProperty("filesSkipped").GetInt32()));
        Assert.Equal(3, Appended(cli));
    }
}
