using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Person;

/// <summary>
/// `ciem person` over one small estate in three clouds (Person/Fixtures): Pat Lee reaches AWS through the Identity Center
/// group `Data Platform` → permission set `DataEngineer`, Azure through the nested Entra groups `Data Readers` ⊂
/// `Analytics` → a `Storage Blob Data Reader` assignment (and is PIM-eligible for `Contributor`), GCP through the nested
/// Google groups `data-eng` ⊂ `gcp-analysts` → a `roles/bigquery.dataViewer` binding, plus a direct token-creator
/// binding. CloudTrail, Activity Log and Cloud Audit Logs record Pat, Sam (same SSO role), a service account Pat
/// impersonated and the shared `ops@` address.
/// </summary>
public sealed class PersonAcrossCloudsTests
{
    private const string Role = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataEngineer_5f2c8a1b9d3e7a46";
    private const string Pat = "7d1e0c3a-5b2f-4c8e-9a61-2f4b8d0e1c37";
    private const string Project = "//cloudresourcemanager.googleapis.com/projects/975310864201";
    private const string ResourceGroup = "/subscriptions/3c8f5a10-0000-4000-8000-000000005b01/resourceGroups/rg-data";

    private static string Fixture(string name) => TestPaths.Repo("tests", "Ciem.Cli.Tests", "Person", "Fixtures", name);

    internal static void ImportEstate(CliRunner cli)
    {
        string[][] imports =
        [
            ["aws", Fixture("authorization-details.json")],
            ["directory", "identity-center", Fixture("identity-center.json")],
            ["directory", "entra", Fixture("entra.json")],
            ["directory", "google", Fixture("google.json")],
            ["azure", Fixture("azure")],
            ["gcp", Fixture("gcp")],
            ["cloudtrail", Fixture("cloudtrail.json")],
            ["azure-activity", Fixture("azure-activity.json")],
            ["gcp-audit", Fixture("gcp-audit.json")],
        ];
        foreach (var args in imports)
        {
            var (code, _, err) = cli.Run(["import", .. args, "--db", cli.Db]);
            Assert.True(code == 0, $"import {string.Join(' ', args)}: {err}");
        }
    }

    private static JsonElement Person(CliRunner cli, string address, params string[] extra)
    {
        var (code, output, err) = cli.Run(["person", address, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json", .. extra]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Clouds(JsonElement person) =>
        person.GetProperty("clouds").EnumerateArray().ToDictionary(c => c.GetProperty("cloud").GetString()!);

    private static (int Granted, int Used, int Unused, int UsedNotGranted, long Events, string? Last) Counts(JsonElement cloud) =>
        (cloud.GetProperty("granted").GetInt32(), cloud.GetProperty("used").GetInt32(), cloud.GetProperty("unused").GetInt32(), cloud.GetProperty("usedNotGranted").GetInt32(),
         cloud.GetProperty("events").GetInt64(), cloud.GetProperty("lastActivity").ValueKind == JsonValueKind.Null ? null : cloud.GetProperty("lastActivity").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The chains of the paths that grant <paramref name="permission"/> in <paramref name="cloud"/>.</summary>
    private static string[] Provenance(JsonElement cloud, string permission)
    {
        var paths = cloud.GetProperty("paths").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetInt32(), p => p.GetProperty("chain").GetString()!);
        var right = cloud.GetProperty("rights").EnumerateArray().Single(r => r.GetProperty("permission").GetString() == permission);
        return [.. right.GetProperty("paths").EnumerateArray().Select(id => paths[id.GetInt32()])];
    }

    [Fact]
    public void Person_AccessInAllThreeClouds_UnionWithProvenanceAndUsagePerCloud()
    {
        // Given the three-cloud estate with its directories and a month of audit logs
        using var cli = new CliRunner();
        ImportEstate(cli);

        // When Pat is looked up over the 90 days to 2026-11-28
        var result = Person(cli, "Pat.Lee@example.org");

        // Then one person, joined across Identity Center, Entra (SCIM external id) and Google (email)
        Assert.False(result.GetProperty("ambiguous").GetBoolean());
        var pat = Assert.Single(result.GetProperty("people").EnumerateArray().ToArray());
        Assert.Equal(["identity-center", "entra", "google"], pat.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("source").GetString()));
        var clouds = Clouds(pat);
        Assert.Equal(["aws", "azure", "gcp"], clouds.Keys);

        // And AWS: the permission set's five actions through the group; Pat's two actions used, not Sam's call on the same role
        Assert.Equal((5, 2, 3, 0, 3L, "2026-11-26"), Counts(clouds["aws"]));
        Assert.Equal([$"identity-center user pat.lee@example.org → group Data Platform → permission set DataEngineer → account 123456789012 → role AWSReservedSSO_DataEngineer_5f2c8a1b9d3e7a46 at 123456789012"],
            Provenance(clouds["aws"], "s3:GetObject"));
        Assert.Equal(["athena:GetQueryResults", "athena:StartQueryExecution", "s3:GetObject", "s3:ListBucket", "s3:PutObject"],
            clouds["aws"].GetProperty("rights").EnumerateArray().Select(r => r.GetProperty("permission").GetString()));
        Assert.Contains(clouds["aws"].GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("1 call(s) on the same roles by other sessions", StringComparison.Ordinal));
        var getObject = clouds["aws"].GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "s3:GetObject");
        Assert.Equal((2L, Role), (getObject.GetProperty("count").GetInt64(), getObject.GetProperty("as")[0].GetString()));

        // And Azure: the role assignment to the outer group of the nested pair, three operations; the PIM role apart
        Assert.Equal((3, 1, 2, 0, 2L, "2026-11-25"), Counts(clouds["azure"]));
        Assert.Equal([$"entra user pat.lee@example.org → group Data Readers → group Analytics → role assignment `Storage Blob Data Reader` at {ResourceGroup}"],
            Provenance(clouds["azure"], "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"));
        var eligible = Assert.Single(clouds["azure"].GetProperty("eligible").EnumerateArray().ToArray());
        Assert.Equal(("eligible role `Contributor` (PIM)", ResourceGroup, true), (eligible.GetProperty("grant").GetString(), eligible.GetProperty("scope").GetString(), eligible.GetProperty("eligible").GetBoolean()));
        Assert.True(eligible.GetProperty("granted").GetInt32() > 10_000);
        Assert.DoesNotContain(clouds["azure"].GetProperty("rights").EnumerateArray(), r => r.GetProperty("permission").GetString() == "Microsoft.Compute/virtualMachines/write");

        // And GCP: the dataViewer binding through both Google groups and the direct token-creator binding; a call made
        // as a service account Pat impersonated is Pat's (not granted to Pat: the service account's role grants it),
        // the service account's own call without a delegation chain is nobody's and is said so
        var gcp = clouds["gcp"];
        Assert.Equal([$"google user pat.lee@example.org → group Data Engineering → group GCP Analysts → binding `roles/bigquery.dataViewer` at {Project}"],
            Provenance(gcp, "bigquery.tables.getData"));
        Assert.Equal(2, gcp.GetProperty("paths").GetArrayLength());
        var (granted, used, unused, notGranted, events, last) = Counts(gcp);
        Assert.Equal((1, granted - 1, 1, 2L, "2026-11-27"), (used, unused, notGranted, events, last));
        // (the union counts a permission both bindings grant once, and lists both paths for it)
        var rights = gcp.GetProperty("rights").EnumerateArray().ToArray();
        Assert.Equal(granted, rights.Length);
        Assert.Equal(gcp.GetProperty("paths").EnumerateArray().Sum(p => p.GetProperty("granted").GetInt32()), rights.Sum(r => r.GetProperty("paths").GetArrayLength()));
        Assert.Equal(2, Provenance(gcp, "resourcemanager.projects.get").Length);
        var impersonated = gcp.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "bigquery.jobs.create");
        Assert.Equal((1L, "serviceAccount:etl-runner@data-prod.iam.gserviceaccount.com", false),
            (impersonated.GetProperty("count").GetInt64(), impersonated.GetProperty("as")[0].GetString(), impersonated.GetProperty("granted").GetBoolean()));
        Assert.Contains(gcp.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("1 call(s) by service accounts carry no delegation chain", StringComparison.Ordinal));
    }

    [Fact]
    public void Person_ShorterWindow_OlderUsageLeftOut()
    {
        // Given the estate, and Pat's last Athena query on 2026-11-26 and GetObject calls on 11-20 and 11-26
        using var cli = new CliRunner();
        ImportEstate(cli);

        // When the window is the 3 days to 2026-11-28, the 2 days to 2026-11-25, and the 200 days to 2026-11-28 (which reaches the August call)
        var shortWindow = Clouds(Person(cli, "pat.lee@example.org", "--window", "3").GetProperty("people")[0]);
        var narrow = Clouds(JsonDocument.Parse(cli.Run("person", "pat.lee@example.org", "--db", cli.Db, "--as-of", "2026-11-25", "--window-days", "2", "--format", "json").Out).RootElement.GetProperty("people")[0]);
        var wide = Clouds(Person(cli, "pat.lee@example.org", "--window", "200").GetProperty("people")[0]);

        // Then only the days in each window count
        Assert.Equal((5, 2, 3, 0, 2L, "2026-11-26"), Counts(shortWindow["aws"]));
        Assert.Equal((5, 0, 5, 0, 0L, null), Counts(narrow["aws"]));
        Assert.Equal((5, 3, 2, 0, 4L, "2026-11-26"), Counts(wide["aws"]));
        Assert.Equal(3, cli.Run("person", "pat.lee@example.org", "--db", cli.Db, "--window", "0").Code);
    }

    [Fact]
    public void Person_OldWindowSpelling_SameResultAndNotListed()
    {
        // Given the estate
        using var cli = new CliRunner();
        ImportEstate(cli);

        // When the window is given as `--window 3` and as the old `--window-days 3`, and the help is read
        var current = cli.Run("person", "pat.lee@example.org", "--db", cli.Db, "--as-of", "2026-11-28", "--window", "3", "--format", "json");
        var old = cli.Run("person", "pat.lee@example.org", "--db", cli.Db, "--as-of", "2026-11-28", "--window-days", "3", "--format", "json");
        var help = cli.Run("person", "--help").Out;

        // Then both spellings give the same report, the old one refuses 0 too, and only `--window` is listed
        Assert.Equal((0, 0, current.Out), (current.Code, old.Code, old.Out));
        Assert.Equal(3, cli.Run("person", "pat.lee@example.org", "--db", cli.Db, "--window-days", "0").Code);
        Assert.Contains("--window", help, StringComparison.Ordinal);
        Assert.DoesNotContain("--window-days", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Person_SharedAddress_AmbiguousNothingAttributed()
    {
        // Given two Entra accounts with the mail `ops@example.org`, a GCP binding and an audit entry naming it
        using var cli = new CliRunner();
        ImportEstate(cli);

        // When `ops@example.org` is looked up
        var result = Person(cli, "ops@example.org");

        // Then both people are shown, flagged ambiguous; the GCP member is linked to neither, and its usage to no one
        Assert.True(result.GetProperty("ambiguous").GetBoolean());
        var people = result.GetProperty("people").EnumerateArray().ToArray();
        Assert.Equal(["adm-ops@example.org", "ops-team@example.org"], people.Select(p => p.GetProperty("accounts")[0].GetProperty("userName").GetString()).Order(StringComparer.Ordinal));
        Assert.All(people, p =>
        {
            Assert.Contains(p.GetProperty("problems").EnumerateArray(), x => x.GetProperty("kind").GetString() == "ambiguous" && x.GetProperty("subject").GetString() == "user:ops@example.org");
            Assert.Empty(p.GetProperty("clouds").EnumerateArray());
        });
    }

    [Fact]
    public void Person_Text_Snapshot()
    {
        // Given the three-cloud estate
        using var cli = new CliRunner();
        ImportEstate(cli);

        // When Pat is shown as text
        var (code, output, err) = cli.Run("person", "pat.lee@example.org", "--db", cli.Db, "--as-of", "2026-11-28", "--window-days", "30");

        // Then the tables are as reviewed
        Assert.True(code == 0, err);
        Snapshot.Match(output, "person-three-clouds", "Ciem.Cli.Tests");
    }
}
