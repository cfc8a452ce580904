using System.Text.Json;
using Ciem.Demo;

namespace Ciem.Cli.Tests.Demo;

/// <summary>A small multi-cloud estate, generated once and imported into one store by the CLI.</summary>
public sealed class SmallMultiCloudEstate : IDisposable
{
    public static readonly DemoOptions Options = new()
    {
        Seed = 5,
        Identities = 300,
        Days = 14,
        AsOf = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private readonly CliRunner _cli = new();

    public SmallMultiCloudEstate()
    {
        Folder = Directory.CreateTempSubdirectory("ciem-demo-multi-").FullName;
        Manifest = DemoEstateGenerator.Generate(Folder, Options);
        Outputs["aws"] = Run("import", "aws", Manifest.AwsFolder, "--db", Db, "--format", "json");
        Outputs["azure"] = Run("import", "azure", Manifest.AzureFolder, "--db", Db, "--format", "json");
        Outputs["gcp"] = Run("import", "gcp", Manifest.GcpFolder, "--db", Db, "--format", "json");
        foreach (var source in new[] { "identity-center", "entra", "google" })
        {
            Outputs[source] = Run("import", "directory", source, Path.Combine(Manifest.DirectoryFolder, source + ".json"), "--db", Db, "--format", "json");
        }
        Outputs["azure-activity"] = Run("import", "azure-activity", Manifest.AzureLogsFolder, "--db", Db, "--format", "json");
        Outputs["gcp-audit"] = Run("import", "gcp-audit", Manifest.GcpLogsFolder, "--db", Db, "--format", "json");
    }

    public string Folder { get; }

    public DemoManifest Manifest { get; }

    public string Db => _cli.Db;

    /// <summary>Each import's JSON output, by input.</summary>
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    public string Run(params string[] args)
    {
        var (code, output, error) = _cli.Run(args);
        Assert.True(code == 0, $"{string.Join(' ', args)}: {error}");
        return output;
    }

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class MultiCloudDemoTests(SmallMultiCloudEstate estate) : IClassFixture<SmallMultiCloudEstate>
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static void AssertNoDiagnostics(JsonElement import)
    {
        Assert.Equal(0, import.GetProperty("skipped").GetInt32());
        Assert.Equal(0, import.GetProperty("quarantined").GetInt32());
        Assert.Equal(0, import.GetProperty("diagnostics").GetArrayLength());
    }

    [Fact]
    public void Generate_SmallAzure_ImportsEveryRecordWithoutDiagnostics()
    {
        // Given the small estate / When `ciem import azure` read its az / ARM files
        var import = Parse(estate.Outputs["azure"]);
        var azure = estate.Manifest.Azure!;

        // Then nothing is skipped, quarantined or questioned, and the store holds what the generator wrote
        AssertNoDiagnostics(import);
        var contents = import.GetProperty("contents");
        Assert.Equal(4, contents.GetProperty("subscriptions").GetInt32());
        Assert.Equal(7, contents.GetProperty("management groups").GetInt32());
        Assert.Equal(azure.ResourceGroups, contents.GetProperty("resource groups").GetInt32());
        Assert.Equal(AzureRoles.All.Count, contents.GetProperty("role definitions").GetInt32());
        Assert.Equal(azure.RoleAssignments, contents.GetProperty("role assignments").GetInt32());
        Assert.Equal(azure.EligibleAssignments, contents.GetProperty("eligible assignments").GetInt32());
        Assert.Equal(1, contents.GetProperty("deny assignments").GetInt32());
        Assert.True(azure.ServiceIdentities > 2 * azure.Users, $"{azure.ServiceIdentities} service identities, {azure.Users} people");
    }

    [Fact]
    public void Generate_SmallGcp_ImportsEveryRecordWithoutDiagnostics()
    {
        // Given the small estate / When `ciem import gcp` read its asset exports, deny policy, custom roles and groups
        var import = Parse(estate.Outputs["gcp"]);
        var gcp = estate.Manifest.Gcp!;

        // Then nothing is skipped, quarantined or questioned
        AssertNoDiagnostics(import);
        var contents = import.GetProperty("contents");
        Assert.Equal(1 + gcp.Folders + gcp.Projects + gcp.Projects + 1, contents.GetProperty("resources").GetInt32()); // organisation, folders, projects, a bucket each, the public bucket
        Assert.Equal(1, contents.GetProperty("deny policies").GetInt32());
        Assert.Equal(2, contents.GetProperty("custom roles").GetInt32());
        Assert.Equal(gcp.Groups, contents.GetProperty("groups").GetInt32());
        Assert.True(gcp.ServiceAccounts > 2 * gcp.Users, $"{gcp.ServiceAccounts} service accounts, {gcp.Users} people");
    }

    [Theory]
    [InlineData("identity-center")]
    [InlineData("entra")]
    [InlineData("google")]
    public void Generate_SmallDirectories_ImportWithoutDiagnostics(string source)
    {
        // Given the small estate / When the directory bundle is imported
        var import = Parse(estate.Outputs[source]);

        // Then every record is imported and nothing is questioned
        AssertNoDiagnostics(import);
        Assert.True(import.GetProperty("imported").GetInt32() > 0);
    }

    [Fact]
    public void Generate_SmallLogs_IngestEveryRecordAsUsageOrAttemptWithoutUnmapped()
    {
        // Given the small estate / When the Azure and GCP logs were ingested
        var azure = Parse(estate.Outputs["azure-activity"]);
        var gcp = Parse(estate.Outputs["gcp-audit"]);
        var a = estate.Manifest.Azure!;
        var g = estate.Manifest.Gcp!;

        // Then every record counts: Activity Log records and sign-ins as uses or failed attempts (the `Started` halves of
        // deployments as in progress), audit entries one permission check each; nothing unmapped or malformed
        Assert.Equal(a.ActivityRecords + a.SignIns, azure.GetProperty("records").GetInt64());
        Assert.Equal(azure.GetProperty("records").GetInt64(), azure.GetProperty("usageEvents").GetInt64() + azure.GetProperty("attempts").GetInt64() + azure.GetProperty("inProgress").GetInt64());
        Assert.True(azure.GetProperty("attempts").GetInt64() >= a.FailedCalls);
        Assert.Equal(a.LogFiles, azure.GetProperty("files").GetInt32());
        Assert.Equal(g.Entries, gcp.GetProperty("records").GetInt64());
        Assert.Equal(g.Entries - g.Denied, gcp.GetProperty("usageEvents").GetInt64());
        Assert.Equal(g.Denied, gcp.GetProperty("attempts").GetInt64());
        Assert.True(g.Impersonated > 0);
        foreach (var log in new[] { azure, gcp })
        {
            Assert.Equal(0, log.GetProperty("unmapped").GetInt64());
            Assert.Equal(0, log.GetProperty("malformed").GetInt64());
            Assert.Equal(0, log.GetProperty("noIdentityOrAction").GetInt64());
            Assert.Equal(0, log.GetProperty("diagnostics").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("gcp")]
    public void Generate_SmallLogs_EveryUseIsGrantedByTheInventory(string provider)
    {
        // Given the small estate imported with its logs
        // When the gap analysis compares grants with uses
        var gap = Parse(estate.Run("gap", "--provider", provider, "--db", estate.Db, "--as-of", "2026-10-31", "--window", "30", "--format", "json"));

        // Then no principal used a permission its roles do not grant, and some principals are inactive on purpose
        var identities = gap.GetProperty("identities").EnumerateArray().ToList();
        Assert.All(identities, i => Assert.True(i.GetProperty("usedNotGranted").GetInt32() == 0, i.GetProperty("identity").GetString()));
        Assert.Contains(identities, i => i.GetProperty("used").GetInt32() > 0);
        Assert.Contains(identities, i => i.GetProperty("lastActivity").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public void Person_FederatedPerson_LinksToIdentitiesInAllThreeClouds()
    {
        // Given the small estate and its three directories imported
        var star = estate.Manifest.Directories!.Star;

        // When the demo's federated person is looked up
        var person = Parse(estate.Run("person", star, "--db", estate.Db, "--format", "json"));

        // Then one person, joined across Identity Center, Entra and Google, linked to AWS roles, Azure principals and GCP members
        Assert.False(person.GetProperty("ambiguous").GetBoolean());
        var p = Assert.Single(person.GetProperty("people").EnumerateArray().ToArray());
        Assert.Equal(star, p.GetProperty("key").GetString());
        Assert.Equal(["identity-center", "entra", "google"], p.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("source").GetString()));
        var clouds = p.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("cloud").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "aws", "azure", "gcp" }, clouds);
        Assert.Contains(p.GetProperty("links").EnumerateArray(), l => l.GetProperty("identity").GetString() == "user:" + star);
        Assert.Contains(p.GetProperty("links").EnumerateArray(), l => l.GetProperty("cloud").GetString() == "azure" && l.GetProperty("chain").GetString()!.Contains("group Cloud-Platform-Team → group Azure-Platform-Admins", StringComparison.Ordinal));

        // And the never-provisioned BreakGlass permission set is reported, not guessed
        Assert.Contains(p.GetProperty("problems").EnumerateArray(), x => x.GetProperty("kind").GetString() == "unmatched" && x.GetProperty("message").GetString()!.Contains("BreakGlass", StringComparison.Ordinal));
    }

    [Fact]
    public void Person_AdminAccountSharingAMail_IsAmbiguousNotGuessed()
    {
        // Given the small estate, where an Entra admin account carries a person's mail
        var address = estate.Manifest.Directories!.Ambiguous[0];

        // When that person is looked up
        var person = Parse(estate.Run("person", address, "--db", estate.Db, "--format", "json"));

        // Then the ambiguity is reported with both Entra accounts as candidates
        var problems = person.GetProperty("people").EnumerateArray().SelectMany(p => p.GetProperty("problems").EnumerateArray()).ToList();
        Assert.Contains(problems, x => x.GetProperty("kind").GetString() == "ambiguous" && x.GetProperty("candidates").GetArrayLength() >= 2);
    }

    [Fact]
    public void Generate_AzureAndGcpTwice_WritesByteIdenticalFiles()
    {
        // Given two folders and the Azure and GCP clouds only
        var options = SmallMultiCloudEstate.Options with { Clouds = DemoClouds.Azure | DemoClouds.Gcp, Seed = 9 };
        var first = Directory.CreateTempSubdirectory("ciem-demo-multi-a-").FullName;
        var second = Directory.CreateTempSubdirectory("ciem-demo-multi-b-").FullName;
        try
        {
            // When the same options are generated into each
            var a = DemoEstateGenerator.Generate(first, options);
            var b = DemoEstateGenerator.Generate(second, options);

            // Then every file is the same, AWS is left out, and the manifests agree
            var hashes = DemoEstateGeneratorTests.Hashes(first);
            Assert.Equal(hashes, DemoEstateGeneratorTests.Hashes(second));
            Assert.Contains("azure/role-assignments.json", hashes.Keys);
            Assert.Contains("gcp/iam-policies.json", hashes.Keys);
            Assert.Contains("directory/entra.json", hashes.Keys);
            Assert.Contains("directory/google.json", hashes.Keys);
            Assert.DoesNotContain("directory/identity-center.json", hashes.Keys);
            Assert.DoesNotContain(hashes.Keys, k => k.StartsWith("cloudtrail/", StringComparison.Ordinal) || k.StartsWith("aws/", StringComparison.Ordinal));
            Assert.Equal(0, a.Events);
            Assert.Equal(JsonSerializer.Serialize(a with { OutputFolder = "", Elapsed = default }), JsonSerializer.Serialize(b with { OutputFolder = "", Elapsed = default }));

            // And another seed gives another tenant and organisation
            var c = DemoEstateGenerator.Generate(second, options with { Seed = 10 });
            Assert.NotEqual(a.Azure!.TenantId, c.Azure!.TenantId);
            Assert.NotEqual(a.Gcp!.OrganizationId, c.Gcp!.OrganizationId);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void Demo_SmallMultiCloud_ReportsEveryCloudAndTheFederatedPerson()
    {
        // Given a small estate in all three clouds
        using var cli = new CliRunner();
        var report = Path.Combine(cli.Home, "demo.html");

        // When the demo runs it end to end as JSON
        var (code, output, error) = cli.Run("demo", "--identities", "200", "--days", "14", "--as-of", "2026-11-01", "--db", cli.Db, "--report", report, "--format", "json");

        // Then the AWS sweep is there as before, with the demo's multi-cloud part beside it
        Assert.True(code == 0, error);
        var root = Parse(output);
        var demo = root.GetProperty("demo");
        var aws = demo.GetProperty("generated").GetProperty("aws");
        Assert.Equal(200, aws.GetProperty("identities").GetInt32());
        Assert.Equal(aws.GetProperty("iamUsers").GetInt32() + aws.GetProperty("iamRoles").GetInt32(), root.GetProperty("aws").GetProperty("summary").GetProperty("identities").GetInt32());
        var generated = demo.GetProperty("generated");
        var azure = generated.GetProperty("azure");
        var gcp = generated.GetProperty("gcp");

        // And every Azure principal with an assignment (people, service identities and the deleted user) is swept
        var azureSwept = root.GetProperty("azure").GetProperty("identities").EnumerateArray().ToList();
        Assert.Equal(azure.GetProperty("users").GetInt32() + azure.GetProperty("servicePrincipals").GetInt32() + azure.GetProperty("managedIdentities").GetInt32() + 1, azureSwept.Count);
        Assert.Equal(azure.GetProperty("servicePrincipals").GetInt32() + azure.GetProperty("managedIdentities").GetInt32(), azureSwept.Count(i => i.GetProperty("kind").GetString() == "service"));
        Assert.All(azureSwept, i => Assert.Equal(0, i.GetProperty("usedNotGranted").GetInt32()));
        Assert.True(azureSwept.Sum(i => i.GetProperty("used").GetInt64()) > 0);
        Assert.Contains(azureSwept, i => i.GetProperty("administrator").GetBoolean() && i.GetProperty("inactive").GetBoolean());
        // Azure reads are not in the Activity Log: unknown, never unused
        Assert.True(azureSwept.Sum(i => i.GetProperty("unknown").GetInt64()) > 0);

        // And every GCP member (people, service accounts and the external contractor)
        var gcpSwept = root.GetProperty("gcp").GetProperty("identities").EnumerateArray().ToList();
        Assert.Equal(gcp.GetProperty("users").GetInt32() + gcp.GetProperty("serviceAccounts").GetInt32() + 1, gcpSwept.Count);
        Assert.All(gcpSwept, i => Assert.Equal(0, i.GetProperty("usedNotGranted").GetInt32()));
        Assert.True(gcpSwept.Sum(i => i.GetProperty("used").GetInt64()) > 0);

        // And the totals hold one row per provider, with proposals in all three
        Assert.Equal(["provider:aws", "provider:azure", "provider:gcp"], root.GetProperty("byProvider").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray());
        var proposals = root.GetProperty("proposals").EnumerateArray().Select(p => p.GetProperty("provider").GetString()!).ToHashSet();
        Assert.Equal(["aws", "azure", "gcp"], proposals.Order().ToArray());

        // And the logs were ingested completely, and the federated person is named
        var ingested = demo.GetProperty("ingested");
        Assert.Equal(azure.GetProperty("activityRecords").GetInt64() + azure.GetProperty("signIns").GetInt64(), ingested.GetProperty("azure-activity").GetProperty("events").GetInt64());
        Assert.Equal(gcp.GetProperty("entries").GetInt64(), ingested.GetProperty("gcp-audit").GetProperty("events").GetInt64());
        Assert.Equal(0, ingested.GetProperty("gcp-audit").GetProperty("unmapped").GetInt64());
        Assert.Equal(generated.GetProperty("directories").GetProperty("federated")[0].GetString(), demo.GetProperty("person").GetString());
        Assert.Contains("<svg", File.ReadAllText(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_AzureOnlyText_SkipsAwsAndNamesTheSteps()
    {
        // Given an Azure-only demo
        using var cli = new CliRunner();

        // When it runs with the text output and a single sweep (--single: no story)
        var (code, output, error) = cli.Run("demo", "--identities", "100", "--days", "7", "--as-of", "2026-11-01", "--db", cli.Db, "--clouds", "azure", "--single");

        // Then there are four steps, no CloudTrail, an Azure-only sweep and report, no story, and the person hint is printed
        Assert.True(code == 0, error);
        Assert.Contains("1/4 generating 100 identities and 7 days of logs in Azure (seed 42)", output, StringComparison.Ordinal);
        Assert.Contains("4/4 sweeping every cloud: effective permissions, gap and verified proposals", output, StringComparison.Ordinal);
        Assert.DoesNotContain("week 3", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CloudTrail", output, StringComparison.Ordinal);
        Assert.Contains("azure", output, StringComparison.Ordinal);
        Assert.Contains("report: ", output, StringComparison.Ordinal);
        Assert.Contains("ciem person ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_AzureOnlyStory_RunsTheWeeksWithAnAzureCampaign()
    {
        // Given an Azure-only demo (the review story is the default)
        using var cli = new CliRunner();

        // When it runs with the text output
        var (code, output, error) = cli.Run("demo", "--identities", "100", "--days", "7", "--as-of", "2026-11-01", "--db", cli.Db, "--clouds", "azure");

        // Then there are seven steps (generate, import, ingest, four weeks), no CloudTrail, an Azure-only sweep and report,
        // a campaign planned (the simulated organisation runs the Azure change scripts; seven days of logs leave this small
        // estate no verified Azure proposal, so it holds none and no cloud is listed), and the person hint
        Assert.True(code == 0, error);
        Assert.Contains("1/7 generating 100 identities and 7 days of logs in Azure (seed 42)", output, StringComparison.Ordinal);
        Assert.Contains("7/7 week 3 (2026-11-01): snapshot, sweep and measurement", output, StringComparison.Ordinal);
        Assert.Contains("campaign `demo-2026-10-11` planned: 0 identities (none) in 0 batches", output, StringComparison.Ordinal);
        Assert.Contains("campaign demo-2026-10-11: 0 of 0 identities reduced", output, StringComparison.Ordinal);
        Assert.DoesNotContain("reduced by cloud", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no campaign", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CloudTrail", output, StringComparison.Ordinal);
        Assert.Contains("azure", output, StringComparison.Ordinal);
        Assert.Contains("report: ", output, StringComparison.Ordinal);
        Assert.Contains("ciem person ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws,oracle")]
    [InlineData(",")]
    public void Demo_UnknownCloud_IsInvalidInput(string clouds)
    {
        // Given a cloud list naming nothing or something unknown
        using var cli = new CliRunner();

        // When the demo is asked for it
        var (code, _, error) = cli.Run("demo", "--clouds", clouds, "--db", cli.Db);

        // Then it refuses with exit code 3 and says what is accepted
        Assert.Equal(3, code);
        Assert.Contains("must list one or more of aws, azure, gcp", error, StringComparison.Ordinal);
    }
}
