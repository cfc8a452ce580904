using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

public sealed class SimulateCommandTests
{
    [Fact]
    public void Simulate_JsonLines_OneResultPerRequest()
    {
        // Given the README's example requests
        using var cli = new CliRunner();

        // When simulated
        var (code, output, _) = cli.Run("aws", "simulate", "--input", TestPaths.Repo("samples", "simulate", "requests.jsonl"));

        // Then one compact JSON object per line with the documented fields
        Assert.Equal(0, code);
        var lines = Results(output);
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("same-account-allow", first.RootElement.GetProperty("id").GetString());
        Assert.Equal("Allow", first.RootElement.GetProperty("decision").GetString());
        Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("blockedBy").ValueKind);
        var statement = first.RootElement.GetProperty("statements")[0];
        Assert.Equal("identityPolicies[0]", statement.GetProperty("policy").GetString());
        Assert.Equal(0, statement.GetProperty("statement").GetInt32());
        Assert.Equal("ReadReports", statement.GetProperty("sid").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("ExplicitDeny", second.RootElement.GetProperty("decision").GetString());
        Assert.Equal("scp", second.RootElement.GetProperty("blockedBy").GetString());
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal("resource", third.RootElement.GetProperty("blockedBy").GetString());
    }

    [Fact]
    public void Simulate_BadLines_ReportedWithLocationAndExit3_OthersStillEvaluated()
    {
        // Given JSON Lines with a broken line, a request without a principal, and a good request
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Home, "requests.jsonl");
        File.WriteAllLines(file,
        [
            """{"id":"good","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}""",
            """{"id":"broken", "request": """,
            "",
            """{"id":"noprincipal","request":{"action":"s3:GetObject"}}""",
        ]);

        // When simulated
        var (code, output, error) = cli.Run("aws", "simulate", "--input", file);

        // Then the good one is answered, the bad ones are errors with file and line, and the exit code is 3
        Assert.Equal(3, code);
        var lines = Results(output);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"decision\":\"Allow\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"Error\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("requests.jsonl:2", error, StringComparison.Ordinal);
        Assert.Contains("requests.jsonl:4", error, StringComparison.Ordinal);
        Assert.Contains("`principal`", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_TextFormat_RendersTable()
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("aws", "simulate", "--input", TestPaths.Repo("samples", "simulate", "requests.jsonl"), "--format", "text");
        Assert.Equal(0, code);
        Snapshot.Match(output, "simulate-readme-examples", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Run_UnknownOption_Exit3WithUsageHint()
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("identities", "--no-such-option");
        Assert.Equal(3, code);
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_ResourcePattern_RefusedUnlessLiteral()
    {
        // Given a request whose resource is a pattern
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Home, "pattern.jsonl");
        File.WriteAllText(file, """{"id":"p","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/*"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}]}""" + "\n");

        // When simulated by default, then with --resource-pattern literal
        var (refused, refusedOut, error) = cli.Run("aws", "simulate", "--input", file);
        var (literal, literalOut, _) = cli.Run("aws", "simulate", "--input", file, "--resource-pattern", "literal");

        // Then the default refuses it with a located error, and the literal reading evaluates it
        Assert.Equal(3, refused);
        Assert.Contains("\"decision\":\"Error\"", refusedOut, StringComparison.Ordinal);
        Assert.Contains("CIEM2103", error, StringComparison.Ordinal);
        Assert.Contains("pattern.jsonl:1", error, StringComparison.Ordinal);
        Assert.Equal(0, literal);
        Assert.Contains("\"decision\":\"Allow\"", literalOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_AlwaysAllowedAction_NamesTheRule()
    {
        // Given sts:GetCallerIdentity under an explicit deny
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Home, "gci.jsonl");
        File.WriteAllText(file, """{"id":"g","request":{"principal":"arn:aws:iam::111111111111:user/a","action":"sts:GetCallerIdentity","resource":"*"},"identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:*","Resource":"*"}}]}""" + "\n");

        // When simulated
        var (code, output, _) = cli.Run("aws", "simulate", "--input", file);

        // Then it is allowed and the rule is named with its source
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(Assert.Single(Results(output)));
        Assert.Equal("Allow", doc.RootElement.GetProperty("decision").GetString());
        Assert.Equal("get-caller-identity", doc.RootElement.GetProperty("rule").GetProperty("id").GetString());
        Assert.Contains("GetCallerIdentity", doc.RootElement.GetProperty("rule").GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The result lines after the envelope's line (docs/schemas: JSON Lines start with it).</summary>
    private static string[] Results(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var envelope = JsonDocument.Parse(lines[0]);
        Assert.Equal("envelope", envelope.RootElement.GetProperty("type").GetString());
        Assert.Equal("ciem.simulate/1", envelope.RootElement.GetProperty("schema").GetString());
        return lines[1..];
    }
}
