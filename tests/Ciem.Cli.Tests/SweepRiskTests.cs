using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>
/// The sweep's risk view and `identities --risk` for Azure and GCP, on the samples (samples/azure, samples/gcp and their
/// week of usage): alice Owner of a management group, carol Reader and PIM-eligible Owner of `contoso-dev`, bob a
/// Contributor of a resource group (the Azure near-miss); dev-lead Owner of `acme-dev`, admin Organization Administrator,
/// carol a Viewer (the GCP near-miss).
/// </summary>
public sealed class SweepRiskTests
{
    private const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string Bob = "b0b00000-0000-4000-8000-000000000002";
    private const string Carol = "ca201000-0000-4000-8000-000000000004";

    private static Dictionary<string, JsonElement> RiskRows(JsonElement root) => root.GetProperty("risk").GetProperty("identities")
        .EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.Clone());

    private static string[] Techniques(JsonElement row) => [.. row.GetProperty("pathToAdministrator").GetProperty("steps").EnumerateArray()
        .Select(s => s.GetProperty("technique").GetString()!)];

    [Fact]
    public void Sweep_AzureAndGcpSamplesAsJson_CategoriesPathsAndPointsOfEveryProvider()
    {
        // Given the Azure and GCP samples with a week of usage
        using var cli = SweepCommandTests.AzureAndGcp();

        // When swept as JSON
        var (code, output, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // Then each provider's categories are counted apart
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var categories = doc.RootElement.GetProperty("risk").GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("provider").GetString()!, c => (c.GetProperty("administrators").GetInt32(),
                c.GetProperty("canBecomeAdministrator").GetInt32(), c.GetProperty("privilegeAdministrators").GetInt32(),
                c.GetProperty("grantsNeedActivation").GetInt32()));
        Assert.Equal((1, 1, 2, 1), categories["azure"]);
        Assert.Equal((1, 1, 2, 0), categories["gcp"]);
        Assert.Equal((2, 2, 4, 1), categories["all"]);
        var rows = RiskRows(doc.RootElement);

        // And alice is an administrator (40); carol can become one by activating her eligible Owner (possible path, 15), and
        // can make others administrators once she activates it (20), both unused in the window (10 + 15)
        Assert.Equal(("administrator", 40), (rows[Alice].GetProperty("adminCategory").GetString(), rows[Alice].GetProperty("score").GetInt32()));
        var carol = rows[Carol];
        Assert.Equal("can-become-administrator", carol.GetProperty("adminCategory").GetString());
        Assert.Equal(["azure-pim-activation"], Techniques(carol));
        Assert.Equal("indeterminate", carol.GetProperty("pathToAdministrator").GetProperty("certainty").GetString());
        Assert.True(carol.GetProperty("grantsNeedActivation").GetBoolean());
        Assert.Equal(["possible-path-to-administrator", "grants-administrator", "inactive", "unused-administrator"],
            carol.GetProperty("factors").EnumerateArray().Select(f => f.GetProperty("factor").GetString()));
        Assert.Equal(60, carol.GetProperty("score").GetInt32());

        // And on GCP dev-lead is an administrator of acme-dev, admin can become one by setting a folder's policy; the twins
        // (bob on Azure, carol the GCP viewer) carry no category, and bob no row at all
        Assert.Equal("administrator", rows["user:dev-lead@acme.example"].GetProperty("adminCategory").GetString());
        Assert.Equal(["gcp-set-iam-policy"], Techniques(rows["user:admin@acme.example"]));
        Assert.Equal(75, rows["user:admin@acme.example"].GetProperty("score").GetInt32());
        Assert.False(rows.ContainsKey(Bob));
        Assert.False(rows.ContainsKey("user:carol@acme.example"));
        Assert.Equal("none", rows["user:bob@acme.example"].GetProperty("adminCategory").GetString());

        // And the rows are ranked by score
        var scores = rows.Values.Select(r => r.GetProperty("score").GetInt32()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public void Sweep_AzureAndGcpSamplesAsJson_RowsAndSlicesShowTheRiskViewsCategories()
    {
        // Given the Azure and GCP samples with a week of usage
        using var cli = SweepCommandTests.AzureAndGcp();

        // When swept as JSON
        var (code, output, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;

        // Then every identity row carries the category the risk view decided (none for those without a risk row), and the
        // administrator flag is exactly "category is administrator"
        var risk = RiskRows(root);
        var rows = root.GetProperty("identities").EnumerateArray().ToList();
        Assert.Equal(9, rows.Count);
        foreach (var row in rows)
        {
            var id = row.GetProperty("id").GetString()!;
            var expected = risk.TryGetValue(id, out var r) ? r.GetProperty("adminCategory").GetString() : "none";
            Assert.Equal((id, expected), (id, row.GetProperty("adminCategory").GetString()));
            Assert.Equal(expected == "administrator", row.GetProperty("administrator").GetBoolean());
        }
        // the GCP admin the grants once flagged is a path away from administrator: no longer counted as one
        var admin = rows.Single(x => x.GetProperty("id").GetString() == "user:admin@acme.example");
        Assert.Equal(("can-become-administrator", false), (admin.GetProperty("adminCategory").GetString(),
            admin.GetProperty("administrator").GetBoolean()));

        // And the totals and the provider slices count the categories as the risk view does
        var summary = root.GetProperty("summary");
        Assert.Equal((2, 2, 4), (summary.GetProperty("administrators").GetInt32(), summary.GetProperty("canBecomeAdministrators").GetInt32(),
            summary.GetProperty("privilegeAdministrators").GetInt32()));
        var providers = root.GetProperty("byProvider").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => (p.GetProperty("administrators").GetInt32(),
                p.GetProperty("canBecomeAdministrators").GetInt32(), p.GetProperty("privilegeAdministrators").GetInt32()));
        Assert.Equal((1, 1, 2), providers["provider:azure"]);
        Assert.Equal((1, 1, 2), providers["provider:gcp"]);
    }

    [Fact]
    public void Sweep_AzureAndGcpSamples_TextAndJsonLinesShowTheRiskView()
    {
        // Given the Azure and GCP samples
        using var cli = SweepCommandTests.AzureAndGcp();

        // When swept as text and as JSON Lines
        var (code, text, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28");
        var (linesCode, jsonl, _) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "jsonl");

        // Then the summary counts each provider's categories, and lists the riskiest identities with their paths
        Assert.True(code == 0, error);
        Assert.Contains("azure: 1 administrator(s), 1 can become one through a path, 2 can make others administrators "
            + "(1 once a PIM-eligible role is activated)", text, StringComparison.Ordinal);
        Assert.Contains("gcp: 1 administrator(s), 1 can become one through a path, 2 can make others administrators\n", text,
            StringComparison.Ordinal);
        Assert.Contains("azure-pim-activation (1 hop(s), indeterminate)", text, StringComparison.Ordinal);

        // And the JSON Lines carry one `risk` line per identity with a factor, the highest score first
        Assert.Equal(0, linesCode);
        var risk = jsonl.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(l => l.GetProperty("type").GetString() == "risk").ToList();
        Assert.Equal(5, risk.Count);
        Assert.Equal("user:admin@acme.example", risk[0].GetProperty("id").GetString());
    }

    [Fact]
    public void IdentitiesRisk_Azure_EligibleGrantorMarkedAndTwinUnflagged()
    {
        // Given the Azure and GCP samples
        using var cli = SweepCommandTests.AzureAndGcp();

        // When Azure identities are ranked by risk
        var (code, output, error) = cli.Run("identities", "--risk", "--provider", "azure", "--db", cli.Db, "--format", "json");

        // Then carol is a privilege administrator once she activates her eligible Owner, bob has no category and no point
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("identities").EnumerateArray().ToDictionary(i => i.GetProperty("identity").GetString()!,
            i => i.Clone());
        Assert.All(rows.Values, r => Assert.Equal("azure", r.GetProperty("provider").GetString()));
        Assert.Equal(("can-become-administrator", true, true), (rows[Carol].GetProperty("adminCategory").GetString(),
            rows[Carol].GetProperty("grantsNeedActivation").GetBoolean(), rows[Carol].GetProperty("privilegeAdministrator").GetBoolean()));
        Assert.Equal(("none", 0), (rows[Bob].GetProperty("adminCategory").GetString(), rows[Bob].GetProperty("score").GetInt32()));
        Assert.Equal(("administrator", 40), (rows[Alice].GetProperty("adminCategory").GetString(), rows[Alice].GetProperty("score").GetInt32()));
    }

    [Fact]
    public void IdentitiesRisk_AccountWithAzure_InvalidInput()
    {
        // Given the samples / When an AWS account is asked of the Azure estate
        using var cli = SweepCommandTests.AzureAndGcp();
        var (code, _, error) = cli.Run("identities", "--risk", "--provider", "azure", "--account", "111111111111", "--db", cli.Db);

        // Then the error says why
        Assert.Equal(3, code);
        Assert.Contains("`--account` names an AWS account; it cannot be combined with `--provider azure`", error, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void Chromium_Report_RiskSectionFirstWithThePathGraph()
    {
        // Given the report of a sweep over Azure and GCP
        using var cli = SweepCommandTests.AzureAndGcp();
        var report = Path.Combine(cli.Home, "report.html");
        Assert.Equal(0, cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--report", report, "--format", "json").Code);

        // When chromium loads it
        var dom = HeadlessChromium.DumpDom(new Uri(report).AbsoluteUri);

        // Then the risk section comes before the estate, with each provider's counts, the graph and the ranked table
        var risk = dom.IndexOf("<section id=\"risk\"", StringComparison.Ordinal);
        Assert.InRange(risk, 0, dom.IndexOf("<section id=\"estate\"", StringComparison.Ordinal));
        Assert.Equal("1", HeadlessChromium.Kpi(dom, "risk-azure-administrators"));
        Assert.Equal("1", HeadlessChromium.Kpi(dom, "risk-gcp-can-become"));
        Assert.Contains("id=\"c-risk-paths\"", dom, StringComparison.Ordinal);
        Assert.Contains("<table class=\"sortable\" id=\"t-risk\"", dom, StringComparison.Ordinal);
        Assert.Contains("(on PIM activation)", dom, StringComparison.Ordinal);
    }
}
