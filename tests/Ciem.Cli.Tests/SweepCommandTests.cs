using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>
/// `ciem sweep` over every provider: the samples of samples/azure and samples/gcp with the activity and audit logs of
/// Usage/Fixtures (and samples/aws without CloudTrail where AWS is part of the estate).
/// </summary>
public sealed class SweepCommandTests
{
    private static string Fixture(string name) => TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", name);

    /// <summary>The Azure and GCP samples with a week of usage (also the review programme's tests' estate).</summary>
    internal static CliRunner AzureAndGcp()
    {
        var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "azure-activity", Fixture("azure-activity.json"), Fixture("entra-signins.jsonl"), "--db", cli.Db).Code);
        // gcp-audit.json holds one malformed record on purpose: the import reports it and keeps the rest
        cli.Run("import", "gcp-audit", Fixture("gcp-audit.json"), "--db", cli.Db);
        return cli;
    }

    [Fact]
    public void Sweep_JsonToOutputFile_TheStreamedDocumentWholeNothingOnStdout()
    {
        // Given the Azure and GCP samples with a week of usage
        using var cli = AzureAndGcp();
        var target = Path.Combine(cli.Home, "sweep.json");

        // When the sweep's JSON goes to --output, and to stdout
        var (code, output, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json", "--output", target);
        var (_, stdout, _) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // Then the file holds the same document (streamed through the staged file, renamed whole) and stdout nothing
        Assert.True(code == 0, error);
        Assert.Equal("", output);
        Assert.Equal(stdout, File.ReadAllText(target));
        Assert.DoesNotContain(Directory.GetFiles(cli.Home), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("jsonl")]
    public void Sweep_DocumentAlone_StreamedFromTheSweepSameBytesAsTheWholeSweep(string format)
    {
        // Given every provider's samples with usage: AWS with a month of CloudTrail, Azure and GCP with a week of logs
        using var cli = AzureAndGcp();
        cli.ImportSamples();
        var trail = Usage.UsageCommandsTests.WriteTrail(Path.Combine(cli.Home, "trail"));
        Assert.Equal(0, cli.Run("import", "cloudtrail", trail, "--db", cli.Db).Code);

        // When the document is the only output (each AWS identity's rows spooled as the sweep computes them), and when an
        // HTML report is written too (the sweep kept whole)
        var streamed = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", format);
        var report = Path.Combine(cli.Home, "r.html");
        var whole = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", format, "--report", report);

        // Then both succeed with the same bytes but for the time of writing, AWS proposals among them
        Assert.True(streamed.Code == 0, streamed.Err);
        Assert.True(whole.Code == 0, whole.Err);
        static string Timeless(string s) => System.Text.RegularExpressions.Regex.Replace(s, "\"generatedAt\": ?\"[^\"]+\"", "");
        Assert.Equal(Timeless(whole.Out), Timeless(streamed.Out));
        Assert.Contains("\"provider\":" + (format == "json" ? " " : "") + "\"aws\"", streamed.Out, StringComparison.Ordinal);
        Assert.Contains("role/app-worker", streamed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_AzureAndGcpSamples_TextSummaryByProviderAndKindTimesEnvironment()
    {
        // Given the Azure and GCP samples with a week of usage
        using var cli = AzureAndGcp();

        // When swept as of 2026-11-28
        var (code, output, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28");

        // Then both providers are summarised, the kind × environment table is in review order, and the snapshot holds
        Assert.True(code == 0, error);
        Assert.Contains("providers: azure, gcp", output, StringComparison.Ordinal);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        var service = lines.FindIndex(l => l.StartsWith("service ", StringComparison.Ordinal) && l.Contains(" prod ", StringComparison.Ordinal));
        var human = lines.FindIndex(l => l.StartsWith("human ", StringComparison.Ordinal) && l.Contains(" prod ", StringComparison.Ordinal));
        Assert.True(service >= 0 && service < human, output);
        Snapshot.Match(output, "sweep-multicloud", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Sweep_AzureAndGcpSamplesAsJson_StableDocumentWithTotalsEnvironmentsAndProposals()
    {
        // Given the Azure and GCP samples with a week of usage
        using var cli = AzureAndGcp();

        // When swept as JSON
        var (code, output, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // Then the ciem.sweep/2 document has combined totals equal to the sum of the providers
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("ciem.sweep/2", root.GetProperty("schema").GetString());
        Assert.Equal(["azure", "gcp"], root.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        var summary = root.GetProperty("summary");
        var providers = root.GetProperty("byProvider").EnumerateArray().ToList();
        Assert.Equal(providers.Sum(p => p.GetProperty("granted").GetInt64()), summary.GetProperty("granted").GetInt64());
        Assert.Equal(providers.Sum(p => p.GetProperty("grantedAfter").GetInt64()), summary.GetProperty("grantedAfter").GetInt64());
        Assert.Equal(9, summary.GetProperty("identities").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("aws").ValueKind);

        // And bob's environment comes from the `env=prod` tag of rg-app, carol's from nowhere
        var identities = root.GetProperty("identities").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        var bob = identities["b0b00000-0000-4000-8000-000000000002"];
        Assert.Equal(("prod", "tag", "env=prod on resource group rg-app"),
            (bob.GetProperty("environment").GetString(), bob.GetProperty("environmentSource").GetString(), bob.GetProperty("environmentEvidence").GetString()));

        // And every Azure proposal carries its role as a JSON object and its Terraform
        var proposal = root.GetProperty("azure").GetProperty("proposals").EnumerateArray().First();
        Assert.StartsWith("ciem-least-privilege-", proposal.GetProperty("document").GetProperty("Name").GetString(), StringComparison.Ordinal);
        Assert.Contains("azurerm_role_definition", proposal.GetProperty("terraform").GetString(), StringComparison.Ordinal);
        Snapshot.Match(output, "sweep-multicloud.json", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Sweep_ProviderOptionAndOut_OnlyThatProviderAndItsProposalFiles()
    {
        // Given AWS, Azure and GCP in the store
        using var cli = AzureAndGcp();
        cli.ImportSamples();
        var outDir = Path.Combine(cli.Home, "proposals");

        // When only Azure is swept, with --out
        var (code, output, error) = cli.Run("sweep", "--provider", "azure", "--db", cli.Db, "--as-of", "2026-11-28", "--out", outDir, "--format", "json");

        // Then only Azure is in the document, and each proposal is written as the role and its Terraform
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["azure"], doc.RootElement.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        var proposals = doc.RootElement.GetProperty("proposals").EnumerateArray().ToList();
        Assert.NotEmpty(proposals);
        Assert.All(proposals, p => Assert.Equal("azure", p.GetProperty("provider").GetString()));
        var files = Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(proposals.Count * 2, files.Count);
        Assert.Contains("azure/c1de9107-0000-4000-8000-000000000003/role.json", files);
        Assert.Contains("azure/c1de9107-0000-4000-8000-000000000003/proposal.tf", files);
        // And each is recorded as a delivered reduction into that folder, for `ciem reductions`
        using var store = Ciem.Storage.SqliteStore.Open(cli.Db);
        var recorded = store.LoadReductions();
        Assert.Equal(proposals.Count, recorded.Length);
        Assert.All(recorded, r => Assert.Equal(("azure", "files", Path.GetFullPath(outDir)), (r.Provider, r.Channel, r.Location)));
    }

    [Fact]
    public void Sweep_EveryProviderWithAwsSamples_AwsSectionAndTagEnvironment()
    {
        // Given AWS (whose organization tags acme-prod env=prod), Azure and GCP
        using var cli = AzureAndGcp();
        cli.ImportSamples();

        // When swept as JSON
        var (code, output, error) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // Then the AWS sweep is embedded as its ciem.sweep/1 document, and its identities carry the tag's environment
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["aws", "azure", "gcp"], root.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("ciem.sweep/1", root.GetProperty("aws").GetProperty("schema").GetString());
        var prod = root.GetProperty("identities").EnumerateArray().First(i => i.GetProperty("id").GetString()!.StartsWith("arn:aws:iam::222222222222:", StringComparison.Ordinal));
        Assert.Equal(("prod", "tag"), (prod.GetProperty("environment").GetString(), prod.GetProperty("environmentSource").GetString()));
        var management = root.GetProperty("identities").EnumerateArray().First(i => i.GetProperty("id").GetString()!.StartsWith("arn:aws:iam::111111111111:", StringComparison.Ordinal));
        Assert.Equal(("other", "none"), (management.GetProperty("environment").GetString(), management.GetProperty("environmentSource").GetString()));
        Assert.Equal(root.GetProperty("byProvider").EnumerateArray().Sum(p => p.GetProperty("identities").GetInt32()), root.GetProperty("summary").GetProperty("identities").GetInt32());
    }

    [Fact]
    public void Sweep_ProviderNotInTheStore_FailsWithTheImportToRun()
    {
        // Given only AWS in the store
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When GCP is asked for / Then the command fails and says what to import
        var (code, _, error) = cli.Run("sweep", "--provider", "gcp", "--db", cli.Db, "--as-of", "2026-11-28");
        Assert.Equal(1, code);
        Assert.Contains("ciem import gcp PATH", error, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void Chromium_MulticloudReport_EstateMatrixAndProviderSections()
    {
        // Given the report of a sweep over AWS, Azure and GCP
        using var cli = AzureAndGcp();
        cli.ImportSamples();
        var report = Path.Combine(cli.Home, "report.html");
        Assert.Equal(0, cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--report", report, "--format", "json").Code);

        // When chromium loads it and runs its script
        var dom = HeadlessChromium.DumpDom(new Uri(report).AbsoluteUri + "#sort=-granted");

        // Then the estate figures, the kind × environment table and chart, and a section per provider are there
        Assert.Contains("data-ready=\"1\"", dom, StringComparison.Ordinal);
        Assert.Equal("23", HeadlessChromium.Kpi(dom, "estate-identities"));
        Assert.Contains("<table class=\"sortable\" id=\"t-matrix\"", dom, StringComparison.Ordinal);
        Assert.Contains("aria-labelledby=\"c-matrix-t c-matrix-d\"", dom, StringComparison.Ordinal);
        foreach (var section in new[] { "estate", "matrix", "aws", "summary", "azure", "gcp" })
        {
            Assert.Contains($"<section id=\"{section}\"", dom, StringComparison.Ordinal);
        }
        Assert.Contains("OpenCIEM · AWS · Azure · GCP", dom, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_JsonLines_OneLinePerIdentityProposalAndFailure_MatchingTheDocument()
    {
        // Given the Azure and GCP samples
        using var cli = AzureAndGcp();

        // When swept as one document and as JSON Lines
        var (code, json, err) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        var (linesCode, jsonl, linesErr) = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "jsonl");

        // Then every line is one JSON object with a type, and the counts match the document's lists
        Assert.True(code == 0, err);
        Assert.True(linesCode == 0, linesErr);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var lines = jsonl.TrimEnd('\n').Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var types = lines.Select(l => l.GetProperty("type").GetString()).ToList();
        // (the first line is the envelope every JSON output shares, the second the summary)
        Assert.Equal(["envelope", "summary"], types.Take(2));
        Assert.Equal("ciem.sweep-lines/2", lines[0].GetProperty("schema").GetString());
        Assert.Equal(doc.RootElement.GetProperty("identities").GetArrayLength(), types.Count(t => t == "identity"));
        Assert.Equal(doc.RootElement.GetProperty("proposals").GetArrayLength(), types.Count(t => t == "proposal"));
        Assert.Equal(doc.RootElement.GetProperty("failures").GetArrayLength(), types.Count(t => t == "failure"));
        Assert.Equal(doc.RootElement.GetProperty("summary").GetProperty("identities").GetInt32(), lines[1].GetProperty("summary").GetProperty("identities").GetInt32());
    }
}
