using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Gate;

/// <summary>
/// Issue #19: `ciem check --format ocsf` from the command line, validated against the schema written from the OCSF 1.3.0
/// specification.
/// </summary>
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
        Assert.Empty(FindingSchemas.Validate(FindingSchemas.Ocsf, doc.RootElement));
        Assert.Contains(doc.RootElement.EnumerateArray(),
            e => e.GetProperty("finding_info").GetProperty("uid").GetString()!.StartsWith("openciem-", StringComparison.Ordinal));
    }
}
