using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Usage;

/// <summary>
/// `import azure-activity` / `import gcp-audit` then `gap --provider azure|gcp` on the sample estates, with the
/// activity and audit logs in Usage/Fixtures (principals of samples/azure and samples/gcp).
/// </summary>
public sealed class CloudUsageCommandsTests
{
    private static string Fixture(string name) => TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", name);

    private static Dictionary<string, JsonElement> Gap(CliRunner cli, string provider)
    {
        var (code, output, err) = cli.Run("gap", "--provider", provider, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("identities").EnumerateArray().ToDictionary(i => i.GetProperty("identity").GetString()!, i => i.Clone());
    }

    private static (int Granted, int Used, int Unused, long Calls, string? Last) Row(JsonElement e) =>
        (e.GetProperty("granted").GetInt32(), e.GetProperty("used").GetInt32(), e.GetProperty("unused").GetInt32(), e.GetProperty("calls").GetInt64(),
         e.GetProperty("lastActivity").ValueKind == JsonValueKind.Null ? null : e.GetProperty("lastActivity").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private static int Unknown(JsonElement e) => e.GetProperty("unknown").GetInt32();

    [Fact]
    public void ImportAzureActivity_ThenGap_UsedUnusedAndLastActivityPerPrincipal()
    {
        // Given the Azure sample tenant and a week of activity plus Entra sign-ins
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);

        // When the logs are imported twice
        var (code, output, err) = cli.Run("import", "azure-activity", Fixture("azure-activity.json"), Fixture("entra-signins.jsonl"), "--db", cli.Db, "--format", "json");
        var again = cli.Run("import", "azure-activity", Fixture("azure-activity.json"), Fixture("entra-signins.jsonl"), "--db", cli.Db, "--format", "json");

        // Then 10 records: 7 uses (6 operations, 1 sign-in), 2 failures (a denied delete, a bad password), 1 `Started`; the re-run skips both files
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output))
        {
            var r = doc.RootElement;
            Assert.Equal((2, 0, 10L, 7L, 2L, 1L, 0L, 0L), (r.GetProperty("files").GetInt32(), r.GetProperty("filesSkipped").GetInt32(), r.GetProperty("records").GetInt64(),
                r.GetProperty("usageEvents").GetInt64(), r.GetProperty("attempts").GetInt64(), r.GetProperty("inProgress").GetInt64(), r.GetProperty("unmapped").GetInt64(), r.GetProperty("malformed").GetInt64()));
        }
        using (var doc = JsonDocument.Parse(again.Out))
        {
            Assert.Equal((0, 2, 0L), (doc.RootElement.GetProperty("files").GetInt32(), doc.RootElement.GetProperty("filesSkipped").GetInt32(), doc.RootElement.GetProperty("usageEvents").GetInt64()));
        }

        // And the gap over 90 days to 2026-11-28 counts distinct granted operations used
        var gap = Gap(cli, "azure");
        Assert.Equal(4, gap.Count);
        var alice = Row(gap["a11ce000-0000-4000-8000-000000000001"]);
        Assert.Equal((2, 2L, "2026-11-21"), (alice.Used, alice.Calls, alice.Last));
        // reads and data actions are not in the Activity Log: unknown, not unused (Alice holds Owner: every read is granted)
        Assert.Equal(7691, Unknown(gap["a11ce000-0000-4000-8000-000000000001"]));
        Assert.Equal(alice.Granted - 2 - 7691, alice.Unused);
        var bob = Row(gap["b0b00000-0000-4000-8000-000000000002"]);
        Assert.Equal((1, 1L, "2026-11-22"), (bob.Used, bob.Calls, bob.Last));
        // ci-deploy: VM Operator (4 operations) and Storage Blob Data Reader; started VMs on two days; the VM read,
        // the container read and the blob read data action are unknown, the other 3 unused
        Assert.Equal((7, 1, 3, 2L, "2026-11-26"), Row(gap["c1de9107-0000-4000-8000-000000000003"]));
        Assert.Equal(3, Unknown(gap["c1de9107-0000-4000-8000-000000000003"]));
        // carol: her only operation (July) is outside the window; her sign-in is her last activity
        var carol = Row(gap["ca201000-0000-4000-8000-000000000004"]);
        Assert.Equal((0, 0L, "2026-11-27"), (carol.Used, carol.Calls, carol.Last));
    }

    [Fact]
    public void ImportGcpAudit_ThenGap_UsedUnusedAndInactiveMembers()
    {
        // Given the GCP sample organisation and a `gcloud logging read --format=json` export with one broken record
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);

        // When the audit log is imported
        var (code, output, err) = cli.Run("import", "gcp-audit", Fixture("gcp-audit.json"), "--db", cli.Db, "--format", "json");

        // Then 6 records: 4 granted checks, 1 denied, 1 entry without a permission, 1 malformed (located)
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output))
        {
            var r = doc.RootElement;
            Assert.Equal((1, 6L, 4L, 1L, 1L, 1L), (r.GetProperty("files").GetInt32(), r.GetProperty("records").GetInt64(), r.GetProperty("usageEvents").GetInt64(),
                r.GetProperty("attempts").GetInt64(), r.GetProperty("noIdentityOrAction").GetInt64(), r.GetProperty("malformed").GetInt64()));
            Assert.Contains("CIEM8010", Assert.Single(r.GetProperty("diagnostics").EnumerateArray()).GetString(), StringComparison.Ordinal);
        }

        // And the gap: ci-deploy used 2 of its 10 permissions (3 calls); the other 8 are reads (get, list) that only
        // Data Access logs record, and the export holds none: unknown, not unused; carol 1; bob, admin and dev-lead inactive
        var gap = Gap(cli, "gcp");
        Assert.Equal(5, gap.Count);
        Assert.Equal((10, 2, 0, 3L, "2026-11-26"), Row(gap["serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com"]));
        Assert.Equal(8, Unknown(gap["serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com"]));
        var carol = Row(gap["user:carol@acme.example"]);
        Assert.Equal((1, 1L, "2026-11-20"), (carol.Used, carol.Calls, carol.Last));
        Assert.Equal(carol.Granted - 1 - Unknown(gap["user:carol@acme.example"]), carol.Unused);
        foreach (var idle in new[] { "user:bob@acme.example", "user:admin@acme.example", "user:dev-lead@acme.example" })
        {
            Assert.Equal((0, 0L, (string?)null), (Row(gap[idle]).Used, Row(gap[idle]).Calls, Row(gap[idle]).Last));
        }

        // And the text table names the principals
        var (textCode, text, _) = cli.Run("gap", "--provider", "gcp", "--db", cli.Db, "--as-of", "2026-11-28");
        Assert.Equal(0, textCode);
        Assert.Contains("5 gcp principals, 90 days to 2026-11-28: granted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportGcpAudit_MissingPath_InvalidInput()
    {
        // Given a path that does not exist / When imported / Then exit code 3 with a located message
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("import", "gcp-audit", Path.Combine(cli.Home, "nope.json"), "--db", cli.Db);
        Assert.Equal(3, code);
        Assert.Contains("CIEM8010", err, StringComparison.Ordinal);
    }
}
