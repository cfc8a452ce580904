using System.Text.Json;
using Microsoft.VisualBasic.FileIO;

namespace Ciem.Cli.Tests.Gate;

/// <summary>Issue #19: `ciem check --format csv`, one row per finding, read back by an independent RFC 4180 reader.</summary>
public sealed class CheckCsvTests : IDisposable
{
    private static readonly string[] Header =
        ["severity", "rule", "principal", "message", "evidence", "location", "indeterminate", "status", "exceptionReason", "exceptionExpires"];

    private const string Wildcards = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","iam:*"],"Resource":"*"}]}""";

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Check_Csv_OneRowPerFindingNamesIntactNoCellAFormula()
    {
        // Given a new policy of wildcards in a file whose name starts with `=` and holds a quote, a comma and a line break
        var after = Path.Combine(_cli.Home, "=HYPERLINK(\"x\"),evil\nname.json");
        File.WriteAllText(after, Wildcards);

        // When it is checked as CSV and as JSON
        var (code, csv, err) = _cli.Run("check", "--after", after, "--format", "csv");
        var (_, json, _) = _cli.Run("check", "--after", after, "--format", "json");

        // Then the gate's exit code stands, and a CSV reader gets the header and one row per finding of the JSON, in its order
        Assert.True(code == ExitCodes.Findings, err);
        var rows = Read(csv);
        Assert.Equal(Header, rows[0]);
        using var doc = JsonDocument.Parse(json);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.True(findings.Count >= 2, json);
        Assert.Equal(findings.Count + 1, rows.Count);
        for (var i = 0; i < findings.Count; i++)
        {
            var (row, finding) = (rows[i + 1], findings[i]);
            Assert.Equal(finding.GetProperty("severity").GetString(), row[0]);
            Assert.Equal(finding.GetProperty("rule").GetString(), row[1]);
            // The principal holds the quote, the comma and the line break, unchanged
            Assert.Equal(finding.GetProperty("principal").GetString(), row[2]);
            Assert.Contains("\"x\"),evil\nname", row[2], StringComparison.Ordinal);
            // The evidence names the file's statements: its leading `=` is shown as text
            var evidence = string.Join("; ", finding.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(evidence.StartsWith('=') ? "'" + evidence : evidence, row[4]);
            Assert.Equal("open", row[7]);
        }
        // And no cell would run as a formula in a spreadsheet: a leading `=` is shown as text
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '@', cell));
        Assert.Contains(rows.Skip(1).SelectMany(r => r), cell => cell.StartsWith("'=HYPERLINK", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_Csv_AcceptedFindingRowCarriesTheException()
    {
        // Given a wildcard policy and an unexpired exception for its wildcard finding
        var after = Path.Combine(_cli.Home, "s3.json");
        File.WriteAllText(after, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
        var rules = Path.Combine(_cli.Home, "ciem-rules.yml");
        File.WriteAllText(rules, "exceptions:\n  - { rule: sensitive-wildcard, principal: \"policy/s3\", reason: \"data lake, Q3\", expires: 2027-01-31 }\n");

        // When checked as CSV
        var (code, csv, err) = _cli.Run("check", "--after", after, "--rules", rules, "--format", "csv");

        // Then the accepted finding is a row of its own with the reason and the expiry, and the gate passes
        Assert.True(code == ExitCodes.Ok, err);
        var accepted = Assert.Single(Read(csv), r => r[7] == "accepted");
        Assert.Equal(("sensitive-wildcard", "policy/s3", "data lake, Q3", "2027-01-31"), (accepted[1], accepted[2], accepted[8], accepted[9]));
    }

    private static List<string[]> Read(string csv)
    {
        using var parser = new TextFieldParser(new StringReader(csv))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) { rows.Add(parser.ReadFields()!); }
        return rows;
    }
}
