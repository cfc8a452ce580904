using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Demo;

/// <summary>One run of `ciem demo` with its review programme over three simulated weeks, shared by the tests below.</summary>
public sealed class DemoProgrammeRun : IDisposable
{
    private readonly CliRunner _cli = new();

    public DemoProgrammeRun()
    {
        Report = Path.Combine(_cli.Home, "demo.html");
        Out = Path.Combine(_cli.Home, "estate");
        (Code, Output, Error) = _cli.Run("demo", "--identities", "250", "--days", "60", "--as-of", "2026-11-01", "--db", _cli.Db,
            "--report", Report, "--out", Out, "--format", "json");
    }

    public int Code { get; }
    public string Output { get; }
    public string Error { get; }
    public string Report { get; }
    public string Out { get; }
    internal CliRunner Cli => _cli;
    public void Dispose() => _cli.Dispose();
}

public sealed partial class DemoProgrammeTests(DemoProgrammeRun run) : IClassFixture<DemoProgrammeRun>
{
    private JsonElement Programme()
    {
        Assert.True(run.Code == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement.GetProperty("demo").GetProperty("programme");
    }

    [Fact]
    public void Demo_ThreeWeeks_WeeklyMeasurementsShowTheReductionAgainstTheBaseline()
    {
        // Given the demo's run / Then there are four weekly measurements, from three weeks before the as-of to it
        var weeks = Programme().GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(["2026-10-11", "2026-10-18", "2026-10-25", "2026-11-01"],
            weeks.Select(w => w.GetProperty("asOf").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        // And the baseline has no reduction, the first week nothing applied yet, then the applied batch shows in the estate
        Assert.Equal(0, weeks[0].GetProperty("grantedReductionPercent").GetDouble());
        Assert.Equal(0, weeks[1].GetProperty("grantedReductionPercent").GetDouble());
        var granted = weeks.Select(w => w.GetProperty("granted").GetInt64()).ToList();
        Assert.True(granted[2] < granted[1], $"granted did not fall after the first batch: {string.Join(", ", granted)}");
        var reduction = weeks[3].GetProperty("grantedReductionPercent").GetDouble();
        Assert.Equal(Math.Round(100.0 * (granted[0] - granted[3]) / granted[0], 1), reduction);
        Assert.True(reduction > 5, $"reduction {reduction} %");
    }

    [Fact]
    public void Demo_Campaign_ObjectionsApprovalsRollbackAndRegrowthAlert()
    {
        // Given the demo's run
        var programme = Programme();
        var campaign = programme.GetProperty("campaign");
        var batches = campaign.GetProperty("batches").EnumerateArray().ToList();

        // Then the campaign's batches follow the default stages' order (a small estate may have no identity for one),
        // every batch was noticed a week after the previous one, and the first was verified but one, rolled back
        string[] order = ["service-nonprod", "service-prod-low-impact", "service-remaining", "human"];
        var stages = batches.Select(b => b.GetProperty("stage").GetString()!).ToList();
        Assert.Equal("service-nonprod", stages[0]);
        Assert.Equal(stages.OrderBy(st => Array.IndexOf(order, st)), stages);
        Assert.All(stages, st => Assert.Contains(st, order));
        var noticed = batches.Select(b => b.GetProperty("noticedAt").GetDateTimeOffset()).ToList();
        Assert.All(noticed.Zip(noticed.Skip(1)), p => Assert.Equal(TimeSpan.FromDays(7), p.Second - p.First));
        Assert.Equal(2, campaign.GetProperty("objections").GetInt32());
        var first = batches[0].GetProperty("states");
        Assert.Equal(1, first.GetProperty("rolled-back").GetInt32());
        Assert.True(first.GetProperty("verified").GetInt32() > 0);
        Assert.True(campaign.GetProperty("reduced").GetInt32() > 0);

        // And the rolled-back identity is not reported as regrown; the one granted its rights again by hand is
        var events = programme.GetProperty("weeks").EnumerateArray().SelectMany(w => w.GetProperty("events").EnumerateArray()).Select(e => e.GetString()!).ToList();
        var rolledBack = RolledBack().Match(string.Join("\n", events)).Groups[1].Value;
        var regrown = Regrown().Match(string.Join("\n", events)).Groups[1].Value;
        Assert.NotEqual("", rolledBack);
        Assert.NotEqual("", regrown);
        Assert.NotEqual(rolledBack, regrown);
        var alerts = programme.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("rule").GetString() == "regrowth").ToList();
        Assert.Single(alerts);
        Assert.Contains($"`{regrown}`", alerts[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(programme.GetProperty("decisionLogIntact").GetBoolean());

        // And the notices are in the outbox, the change scripts in the programme folder
        var folder = programme.GetProperty("folder").GetString()!;
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "outbox"), "*.eml"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "changes"), "apply.sh", SearchOption.AllDirectories));
    }

    [Fact]
    public void Demo_Campaign_RolesGoThroughTheDemoIacRepositoryAndTheRollbackIsAMergedRevertBranch()
    {
        // Given the demo's run and its IaC repository
        var programme = Programme();
        var git = new Ciem.App.Iac.GitRepository(Path.Combine(programme.GetProperty("folder").GetString()!, "iac-repo"));
        var events = programme.GetProperty("weeks").EnumerateArray().SelectMany(w => w.GetProperty("events").EnumerateArray())
            .Select(e => e.GetString()!).ToList();

        // Then batch 1 was applied through branches of the repository (the rest by change script), each merged into main
        var applied = Assert.Single(events, e => e.StartsWith("batch 1 approved", StringComparison.Ordinal));
        Assert.Matches("through [0-9]+ pull request branch\\(es\\) of the IaC repository \\(`ciem/review/demo-2026-10-11/batch-1/[0-9]{12}`", applied);
        var branches = git.Run("for-each-ref", "--format=%(refname:short)", "refs/heads/ciem/review/")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(branches, b => b.StartsWith("ciem/review/demo-2026-10-11/batch-1/", StringComparison.Ordinal));
        Assert.All(branches, b => Assert.Equal(0, git.TryRun("merge-base", "--is-ancestor", b, "main").Code));
        // And the rollback is one revert branch whose commit changes one role's file only
        var revert = Assert.Single(branches, b => b.Contains("/rollback/", StringComparison.Ordinal));
        Assert.Matches("^accounts/[0-9]{12}/[^/]+\\.tf$", git.Run("diff", "--name-only", revert + "^", revert).Trim());
        Assert.Contains(events, e => e.Contains($"revert branch `{revert}`", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_Store_TrendAlertsAndEvidenceReadWhatTheWeeksRecorded()
    {
        // Given the demo's store after its three simulated weeks (the story is the default demo)
        Assert.True(run.Code == 0, run.Error);
        var cli = run.Cli;

        // When `ciem trend`, `ciem alerts list` and `ciem evidence --framework all` run on it, as the demo's hints print them
        var trend = cli.Run("trend", "--db", cli.Db, "--format", "json");
        var alerts = cli.Run("alerts", "list", "--open", "--db", cli.Db, "--format", "json");
        var bundle = Path.Combine(cli.Home, "evidence");
        var evidence = cli.Run("evidence", "--framework", "all", "--from", "2026-10-11", "--to", "2026-11-01", "--out", bundle, "--db", cli.Db);

        // Then the trend is a real series: one point a week, the granted permissions falling after the first batch
        Assert.True(trend.Code == 0, trend.Err);
        var points = JsonDocument.Parse(trend.Out).RootElement.GetProperty("series")[0].GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(4, points.Count);
        // And the regrown reduction's alert is open
        Assert.True(alerts.Code == 0, alerts.Err);
        Assert.Contains(JsonDocument.Parse(alerts.Out).RootElement.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("rule").GetString() == "regrowth");
        // And the evidence bundle is written with its manifest, the campaign's decisions in it and an intact chain
        Assert.True(evidence.Code == 0, evidence.Err);
        foreach (var file in new[] { "evidence.html", "evidence.json", "manifest.json" }) { Assert.True(File.Exists(Path.Combine(bundle, file)), file); }
        var html = File.ReadAllText(Path.Combine(bundle, "evidence.html"));
        Assert.Contains("demo-2026-10-11", html, StringComparison.Ordinal);
        Assert.DoesNotContain("does not verify", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_Report_HasTheCampaignSectionAndThreeTrendCharts()
    {
        // Given the demo's report
        Assert.True(run.Code == 0, run.Error);
        var html = File.ReadAllText(run.Report);

        // Then it shows the campaign (a row per batch) and the trend charts, and loads nothing from outside
        Assert.Contains("<section id=\"campaign\"", html, StringComparison.Ordinal);
        var batches = JsonDocument.Parse(run.Output).RootElement.GetProperty("demo").GetProperty("programme").GetProperty("campaign").GetProperty("batches");
        Assert.Equal(batches.GetArrayLength(), BatchRow().Count(html));
        Assert.Contains("data-state=\"rolled-back\"", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "<svg id=\"trend-"));
        Assert.DoesNotMatch(External(), html);
    }

    [ChromiumFact]
    public void Chromium_DemoReport_TrendChartsRenderOfflineWithEveryWeekAndLabelledSeries()
    {
        // Given the demo's report / When headless chromium loads it (no network: the charts are in the file)
        Assert.True(run.Code == 0, run.Error);
        var dom = HeadlessChromium.DumpDom(new Uri(run.Report).AbsoluteUri);

        // Then the page's script ran and the three charts are in the DOM, each series a line through the four weeks
        Assert.Contains("data-ready=\"1\"", dom, StringComparison.Ordinal);
        foreach (var (chart, series) in new[]
        {
            ("trend-gap", new[] { "unused", "unknown", "used" }),
            ("trend-reduction", new[] { "all", "aws", "azure", "gcp" }),
            ("trend-admins", new[] { "unused administrators", "administrators" }),
        })
        {
            var svg = Regex.Match(dom, $"<svg id=\"{chart}\".*?</svg>", RegexOptions.Singleline);
            Assert.True(svg.Success, $"no chart `{chart}` in the DOM");
            var lines = Line().Matches(svg.Value).ToList();
            Assert.Equal(series, lines.Select(l => l.Groups[1].Value).ToArray());
            Assert.All(lines, l => Assert.Equal(4, l.Groups[2].Value.Split(' ').Length));
            Assert.Equal(4, Regex.Count(svg.Value, "<text [^>]*>2026-1[01]-[0-9]{2}</text>"));
        }
        Assert.Contains("<h2 id=\"h-campaign\">Review campaign</h2>", dom, StringComparison.Ordinal);
    }

    [GeneratedRegex("rolled back ([^:]+):")]
    private static partial Regex RolledBack();

    [GeneratedRegex("\n?([^\n]+) is granted its old policies again by hand")]
    private static partial Regex Regrown();

    [GeneratedRegex("<tr data-batch=\"[0-9]+\">")]
    private static partial Regex BatchRow();

    [GeneratedRegex("(src|href)=\"(https?:)?//")]
    private static partial Regex External();

    [GeneratedRegex("<polyline class=\"trend-line\" data-series=\"([^\"]+)\"[^>]* points=\"([^\"]+)\"")]
    private static partial Regex Line();
}
