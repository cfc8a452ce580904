using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Gate;

/// <summary>Issue #19: `ciem check --format ocsf` from the command line, validated against the published format's required fields.</summary>
public sealed class FindingExportCommandTests
{
    [Fact]
    public void Check_FormatOcsf_FromTheCommandLine()
    {
        using var cli = new CliRunner();
        var dir = Path.Combine(cli.Home, "tf");
        TerraformSamples.WriteOpenTrust(dir);
        var (code, output, err) = cli.Run("check", "--hcl", dir, "--format", "ocsf");
        Assert.True(code == 2, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Empty(SchemaSubset.Validate(Schema("ocsf-1.3.0-detection-finding.subset.json"), doc.RootElement));
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("finding_info").GetProperty("uid").GetString()!.StartsWith("openciem-", StringComparison.Ordinal));
    }

    private static JsonElement Schema(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "Ciem.App.Tests", "Reports", "Schemas", name)));
        return doc.RootElement.Clone();
    }
}
