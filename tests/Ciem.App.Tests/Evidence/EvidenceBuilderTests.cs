using Ciem.App.Evidence;
using Ciem.App.Tests.Notify;
using Ciem.Core.Review;
using Ciem.Storage;
using Microsoft.Data.Sqlite;
using static Ciem.App.Tests.Metrics.AlertRunTests;

namespace Ciem.App.Tests.Evidence;

public sealed class EvidenceBuilderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DbPath => _temp.Sub("ciem.db");

    private void Campaign(ICiemStore store)
    {
        var plan = DecisionLog.Next(null, "q4", T0, "ciem", "plan", "campaign", null, "planned", "1 identity", null);
        var approve = DecisionLog.Next(plan, "q4", T0.AddDays(2), "owner@example.test", "approve", "role/a", "noticed", "approved", "not needed", "sha");
        store.CreateCampaign(new ReviewCampaignRecord("q4", "Q4 review", T0, T0.AddHours(-1), "{}", "{}"),
            new ReviewUpdate("q4", [new ReviewBatchRecord("q4", 1, "service-nonprod", T0, null, null)],
                [new ReviewItemRecord("q4", "role/a", 1, "aws", "a", "111111111111", "planned", "owner@example.test", "tag", "tag", "sha", "{}", null, T0)], [], [plan]));
        store.UpdateReview(new ReviewUpdate("q4", [], [], [], [approve]));
    }

    [Fact]
    public void Build_IntactLog_NoWarningAndDecisionsListed()
    {
        // Given a measured period with a review campaign
        using var store = SqliteStore.Open(DbPath);
        store.RecordMeasurement(Day(new DateOnly(2026, 11, 10), Id("a", admin: true)), T0);
        Campaign(store);

        // When the bundle of November is built for ISO 27001
        var report = EvidenceBuilder.Build(store, ControlMapping.Default, "iso27001", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), T0.AddDays(30));

        // Then the chain verifies, both decisions are listed, only ISO controls are mapped and the unevidenced one says so
        Assert.Empty(report.Warnings);
        var decisions = report.Sections.Single(s => s.Id == "reviews").Tables.Single(t => t.Id == "review-decisions");
        Assert.Equal(["plan", "approve"], decisions.Rows.Select(r => r[4]).ToArray());
        Assert.All(report.Controls, c => Assert.Equal("iso27001", c.Control.Framework));
        Assert.Equal(4, report.Controls.Length);
        Assert.True(report.Controls.Single(c => c.Control.Id == "A.8.2").Evidenced);
        Assert.Contains(report.Limits, l => l.StartsWith("azure: not covered", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_DecisionEditedInStore_FirstPageSaysTheChainIsBroken()
    {
        // Given a campaign whose second decision is edited directly in the database (the trigger dropped first)
        using (var store = SqliteStore.Open(DbPath))
        {
            store.RecordMeasurement(Day(new DateOnly(2026, 11, 10), Id("a")), T0);
            Campaign(store);
        }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER review_decision_no_update; UPDATE review_decision SET actor = 'mallory@example.test' WHERE seq = 2";
            command.ExecuteNonQuery();
        }

        // When the bundle is built and written
        using var reopened = SqliteStore.Open(DbPath);
        var report = EvidenceBuilder.Build(reopened, ControlMapping.Default, "all", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), T0.AddDays(30));
        var html = EvidenceWriter.Html(report);

        // Then a warning names the campaign and the entry, and it comes before the first section
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("review campaign `q4` does not verify", warning, StringComparison.Ordinal);
        Assert.Contains("entry 2", warning, StringComparison.Ordinal);
        Assert.True(html.IndexOf("class=\"warning\"", StringComparison.Ordinal) < html.IndexOf("<section", StringComparison.Ordinal));
        Assert.Equal("broken", report.Sections.Single(s => s.Id == "reviews").Tables[0].Rows[0][6]);
    }

    [Fact]
    public void Write_Bundle_ManifestHashesEveryFileAndNamesAreEscaped()
    {
        // Given a measurement with a hostile identity name
        using var store = SqliteStore.Open(DbPath);
        store.RecordMeasurement(Day(new DateOnly(2026, 11, 10), Id("<script>x</script>") with { Owner = "=HYPERLINK(\"http://evil\")" }), T0);
        var report = EvidenceBuilder.Build(store, ControlMapping.Default, "dora", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), T0);
        var folder = _temp.Sub("bundle");

        // When it is written with its manifest
        var files = EvidenceWriter.Write(report, folder);
        EvidenceWriter.ManifestOf(folder, files, T0);

        // Then every file is in the manifest with its real hash, the HTML escapes the name and the CSV neutralises the formula
        var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var entries = manifest.RootElement.GetProperty("files").EnumerateArray().ToDictionary(e => e.GetProperty("file").GetString()!, e => e.GetProperty("sha256").GetString());
        Assert.Equal(files.Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "inventory.csv")))), entries["inventory.csv"]);
        Assert.DoesNotContain("<script>x", File.ReadAllText(Path.Combine(folder, "evidence.html")), StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", File.ReadAllText(Path.Combine(folder, "inventory.csv")), StringComparison.Ordinal);
    }
}
