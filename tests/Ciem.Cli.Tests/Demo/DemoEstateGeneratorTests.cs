using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.Demo;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.Usage;
using Ciem.Import;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Import.Aws;
using Ciem.Import.Aws.CloudTrail;

namespace Ciem.Cli.Tests.Demo;

/// <summary>One small estate shared by the tests that only read it.</summary>
public sealed class SmallDemoEstate : IDisposable
{
    public static readonly DemoOptions Options = new()
    {
        Seed = 7,
        Identities = 400,
        Days = 20,
        AsOf = new DateTimeOffset(2026, 11, 20, 6, 30, 0, TimeSpan.Zero),
    };

    public SmallDemoEstate()
    {
        Folder = Directory.CreateTempSubdirectory("ciem-demo-test-").FullName;
        Manifest = DemoEstateGenerator.Generate(Folder, Options);
    }

    public string Folder { get; }

    public DemoManifest Manifest { get; }

    public string[] AuthorizationFiles => [.. Directory.GetFiles(Manifest.AwsFolder, "authorization-details-*.json").Order(StringComparer.Ordinal)];

    public string[] TrailFiles => [.. Directory.GetFiles(Manifest.CloudTrailFolder, "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>The three inventory exports read by our own readers.</summary>
    public (ImportResult<AuthorizationDetails> Iam, ImportResult<AwsOrganization?> Organization, ImportResult<ImmutableArray<ResourcePolicy>> ResourcePolicies) ReadExports()
    {
        var takenAt = Options.AsOf;
        return (
            AuthorizationDetailsReader.ReadFiles(AuthorizationFiles, takenAt),
            OrganizationsReader.ReadFile(Path.Combine(Manifest.AwsFolder, "organization.json"), takenAt),
            ResourcePoliciesReader.ReadFiles([Path.Combine(Manifest.AwsFolder, "resource-policies.json")]));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed partial class DemoEstateGeneratorTests(SmallDemoEstate estate) : IClassFixture<SmallDemoEstate>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] RecordFields =
    [
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent",
        "requestParameters", "responseElements", "requestID", "eventID", "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory",
    ];

    [Fact]
    public void Generate_SameOptionsTwice_WritesByteIdenticalFiles()
    {
        // Given two output folders
        var options = new DemoOptions { Seed = 11, Identities = 200, Days = 10, AsOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) };
        var first = Directory.CreateTempSubdirectory("ciem-demo-a-").FullName;
        var second = Directory.CreateTempSubdirectory("ciem-demo-b-").FullName;
        try
        {
            // When the same options are generated into each
            var a = DemoEstateGenerator.Generate(first, options);
            var b = DemoEstateGenerator.Generate(second, options);

            // Then every file has the same relative path and the same bytes, and the counts agree
            Assert.Equal(Hashes(first), Hashes(second));
            Assert.Equal(a.Events, b.Events);
            Assert.Equal(JsonSerializer.Serialize(a with { OutputFolder = "", Elapsed = default }), JsonSerializer.Serialize(b with { OutputFolder = "", Elapsed = default }));
            Assert.True(a.Events > 0);

            // And another seed gives another estate
            var third = DemoEstateGenerator.Generate(second, options with { Seed = 12 });
            Assert.NotEqual(a.OrganizationId, third.OrganizationId);
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void Generate_Small_ImportReadersAcceptEveryFileWithoutErrorsOrWarnings()
    {
        // Given the small estate
        // When our own readers read the exports
        var (iam, org, resources) = estate.ReadExports();

        // Then nothing is refused, quarantined or warned about
        AssertClean(iam.Diagnostics);
        AssertClean(org.Diagnostics);
        AssertClean(resources.Diagnostics);
        Assert.Empty(iam.Quarantine);
        Assert.Empty(org.Quarantine);
        Assert.Empty(resources.Quarantine);

        // And every account, user and role of the manifest is there, in the organisation tree
        Assert.Equal(estate.Manifest.AccountIds.Order(), iam.Value.Accounts.Select(a => a.AccountId).Order());
        Assert.Equal(estate.Manifest.IamUsers, iam.Value.Accounts.Sum(a => a.Users.Length));
        Assert.Equal(estate.Manifest.IamRoles, iam.Value.Accounts.Sum(a => a.Roles.Length));
        Assert.NotNull(org.Value);
        Assert.Equal(estate.Manifest.OrganizationId, org.Value.Id);
        Assert.True(resources.Value.Length >= 4);
    }

    [Fact]
    public void Generate_Small_EstateResolvesWithoutDiagnosticsAndFindsTheAdministrators()
    {
        // Given the small estate imported
        var (iam, org, resources) = estate.ReadExports();

        // When the estate is built (every policy parsed and every action name checked against the catalog)
        var built = AwsEstate.Build(iam.Value.ToInventory(org.Value, resources.Value, SmallDemoEstate.Options.AsOf));

        // Then no policy, action name or reference is questioned
        AssertClean(built.Diagnostics);

        // And the engine's kinds and administrators agree with the generator's population
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var results = built.Identities.Select(calculator.Compute).ToList();
        Assert.All(results, r => AssertClean(r.Diagnostics));
        var kinds = built.Identities.GroupBy(i => i.Identity.Kind).ToDictionary(g => g.Key, g => g.Count());
        var counts = estate.Manifest.Identities;
        Assert.Equal(counts.SsoRoles, kinds.GetValueOrDefault(IdentityKind.SsoRole));
        Assert.Equal(counts.ServiceLinkedRoles, kinds.GetValueOrDefault(IdentityKind.ServiceLinkedRole));
        Assert.Equal(counts.PeopleWithIamUser, kinds.GetValueOrDefault(IdentityKind.HumanUser));
        var workloadOnly = counts.LambdaRoles + counts.EcsTaskRoles + counts.Ec2Roles + counts.CiRoles + counts.IntegrationUsers + counts.JobRoles;
        Assert.Equal(workloadOnly, kinds.GetValueOrDefault(IdentityKind.ServiceIdentity));
        var adminRoles = results.Count(r => r.IsAdministrator);
        var generatorAdmins = results.Count(r => r.Context.Identity.Kind != IdentityKind.SsoRole && r.IsAdministrator);
        Assert.True(adminRoles > 0);
        Assert.InRange(generatorAdmins, 1, estate.Manifest.Administrators);
    }

    [Fact]
    public void Generate_Small_CloudTrailIsAnOrganizationTrailOfWellFormedRecords()
    {
        // Given the small estate's trail
        var manifest = estate.Manifest;
        var pattern = new Regex(
            $@"^AWSLogs/{manifest.OrganizationId}/(\d{{12}})/CloudTrail/([a-z0-9-]+)/(\d{{4}})/(\d{{2}})/(\d{{2}})/(\d{{12}})_CloudTrail_([a-z0-9-]+)_(\d{{4}})(\d{{2}})(\d{{2}})T\d{{4}}Z_[A-Za-z0-9]{{16}}\.json\.gz$");
        long records = 0;
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        var identityTypes = new HashSet<string>(StringComparer.Ordinal);
        var errors = 0;
        var crossAccount = 0;
        var earliest = DateTimeOffset.MaxValue;

        // When every file is read
        foreach (var file in estate.TrailFiles)
        {
            var relative = Path.GetRelativePath(manifest.CloudTrailFolder, file).Replace('\\', '/');
            var match = pattern.Match(relative);
            Assert.True(match.Success, relative);
            Assert.Equal(match.Groups[1].Value, match.Groups[6].Value);
            Assert.Equal(match.Groups[2].Value, match.Groups[7].Value);
            Assert.Contains(match.Groups[1].Value, manifest.AccountIds);
            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var doc = JsonDocument.Parse(gzip);
            var list = doc.RootElement.GetProperty("Records");
            Assert.InRange(list.GetArrayLength(), 1, SmallDemoEstate.Options.RecordsPerFile);
            foreach (var record in list.EnumerateArray())
            {
                // Then each record has CloudTrail's fields, in the folder of its account, region and day
                foreach (var field in RecordFields) { Assert.True(record.TryGetProperty(field, out _), $"{relative}: no {field}"); }
                Assert.Equal(match.Groups[1].Value, record.GetProperty("recipientAccountId").GetString());
                Assert.Equal(match.Groups[2].Value, record.GetProperty("awsRegion").GetString());
                var time = DateTimeOffset.Parse(record.GetProperty("eventTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal($"{match.Groups[3].Value}/{match.Groups[4].Value}/{match.Groups[5].Value}", time.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(time < manifest.AsOf);
                earliest = time < earliest ? time : earliest;
                Assert.Equal("AwsApiCall", record.GetProperty("eventType").GetString());
                Assert.EndsWith(".amazonaws.com", record.GetProperty("eventSource").GetString(), StringComparison.Ordinal);
                Assert.True(eventIds.Add(record.GetProperty("eventID").GetString()!));
                Assert.True(Guid.TryParse(record.GetProperty("eventID").GetString(), out _));
                var identity = record.GetProperty("userIdentity");
                var type = identity.GetProperty("type").GetString()!;
                identityTypes.Add(type);
                if (type == "AssumedRole")
                {
                    var issuer = identity.GetProperty("sessionContext").GetProperty("sessionIssuer");
                    Assert.StartsWith("arn:aws:iam::", issuer.GetProperty("arn").GetString(), StringComparison.Ordinal);
                    Assert.StartsWith("ASIA", identity.GetProperty("accessKeyId").GetString(), StringComparison.Ordinal);
                    if (identity.GetProperty("accountId").GetString() != record.GetProperty("recipientAccountId").GetString()) { crossAccount++; }
                }
                if (type == "IAMUser") { Assert.Matches("^A(K|S)IA[A-Z0-9]{16}$", identity.GetProperty("accessKeyId").GetString()); }
                if (record.TryGetProperty("errorCode", out _)) { errors++; }
                records++;
            }
        }

        // And the totals match the manifest, with every kind of caller, some errors and some cross-account calls
        Assert.Equal(manifest.Events, records);
        Assert.Equal(manifest.CloudTrailFiles, estate.TrailFiles.Length);
        Assert.Equal(manifest.EarliestEvent, earliest);
        Assert.Superset(new HashSet<string> { "AssumedRole", "IAMUser", "AWSService", "WebIdentityUser" }, identityTypes);
        Assert.InRange(errors, 1, records / 20);
        Assert.True(crossAccount > 0);
        Assert.True(manifest.EarliestEvent < manifest.AsOf.AddDays(-150), "quarterly and annual jobs leave events well before the window");
    }

    [Fact]
    public void Generate_Small_CloudTrailReaderReadsEveryEventAndMapsItToAnAction()
    {
        // Given the small estate's organization trail
        var rollup = new UsageRollup(EventActionMapper.Default);
        var kinds = new HashSet<EventPrincipalKind>();
        var crossAccount = 0;

        // When our CloudTrail reader reads it and every event is rolled up (one thread, so the rollup needs no lock)
        var result = CloudTrailReader.Read([estate.Manifest.CloudTrailFolder], e =>
        {
            rollup.Add(e);
            kinds.Add(e.Principal.Kind);
            if (e.Principal.IsCrossAccount) { crossAccount++; }
        }, new CloudTrailReadOptions { MaxParallelism = 1, HashFiles = false });

        // Then every file and event is read without a problem, none is a duplicate and every one maps to IAM actions
        AssertClean(result.Diagnostics);
        Assert.Empty(result.Quarantine);
        Assert.Equal(estate.Manifest.CloudTrailFiles, result.FilesRead);
        Assert.Equal(estate.Manifest.Events, result.EventsRead);
        Assert.Equal(0, result.RecordsMalformed);
        Assert.Equal(0, rollup.Duplicates);
        AssertClean(rollup.UnmappedDiagnostics());
        Assert.Empty(rollup.Unmapped);

        // And the callers are of every kind the generator writes, with denied attempts and cross-account calls
        Assert.Superset(new HashSet<EventPrincipalKind> { EventPrincipalKind.SsoRoleSession, EventPrincipalKind.AssumedRole, EventPrincipalKind.IamUser, EventPrincipalKind.AwsService, EventPrincipalKind.WebIdentityUser }, kinds);
        Assert.Contains(rollup.Attempts.Keys, k => k.IsDenied);
        Assert.True(crossAccount > 0);
        Assert.Contains(rollup.Usage.Keys, k => k.Person is not null && k.Person.EndsWith("@acme.example", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_Small_EveryWorkloadCallIsAllowedByTheIdentitysOwnPolicies()
    {
        // Given the small estate built by the engine and the successful calls of its workload identities
        var (iam, org, resources) = estate.ReadExports();
        var built = AwsEstate.Build(iam.Value.ToInventory(org.Value, resources.Value, SmallDemoEstate.Options.AsOf));
        var calls = new HashSet<(string Identity, string Action, string Resource, string Region)>();
        CloudTrailReader.Read([estate.Manifest.CloudTrailFolder], e =>
        {
            if (e.IsError || e.Principal.Arn is null || e.Region is null || e.Resources.IsDefaultOrEmpty) { return; }
            var mapping = EventActionMapper.Default.Map(e);
            // Calls whose record names no resource cannot be replayed (as in the sweep); the object, not its bucket,
            // is what an S3 object call acts on.
            var resource = e.Resources[0].Arn ?? "*";
            foreach (var action in mapping.Actions) { calls.Add((e.Principal.Arn, action, resource, e.Region)); }
        }, new CloudTrailReadOptions { MaxParallelism = 1, HashFiles = false, KeepRequestParameters = false });

        // When each distinct call is evaluated as the log recorded it (its region, over TLS)
        var denied = new List<string>();
        var evaluated = 0;
        foreach (var (identity, action, resource, region) in calls)
        {
            var who = built.Find(identity);
            if (who.Length != 1 || who[0].Identity.Kind != IdentityKind.ServiceIdentity) { continue; }
            var context = RequestContext.Create([new("aws:RequestedRegion", ContextValue.Single(region)), new("aws:SecureTransport", ContextValue.Single("true"))]);
            var request = built.CreateRequest(who[0], action, resource, null, context);
            evaluated++;
            var result = AwsAuthorizer.Evaluate(request, built.PolicySetFor(who[0], request));
            if (!result.IsAllowed) { denied.Add($"{identity} {action} {resource} {region}: {result.Decision} by {result.BlockedBy} {string.Join("; ", result.Statements.Select(st => st.Policy + "#" + st.Statement))} {string.Join("; ", result.Diagnostics)}"); }
        }

        // Then the engine allows every one: workloads only call what they are granted
        Assert.True(evaluated > 100, $"{evaluated} calls evaluated");
        Assert.True(denied.Count == 0, $"{denied.Count} of {evaluated} denied:\n" + string.Join("\n", denied.Take(15)));
    }

    [Fact]
    public void Generate_Small_PopulationFollowsTheOptions()
    {
        // Given the small estate's manifest
        var manifest = estate.Manifest;
        var counts = manifest.Identities;
        var total = (double)SmallDemoEstate.Options.Identities;

        // Then its size is the one asked for, mostly service identities, with some 8 % administrators of whom few use their rights
        Assert.Equal(SmallDemoEstate.Options.Identities, counts.Total);
        Assert.InRange(counts.ServiceIdentities / total, 0.75, 0.83);
        Assert.InRange(manifest.Administrators / total, 0.04, 0.14);
        Assert.InRange(manifest.AdministratorsUsingAdminRights, 1, manifest.Administrators / 3);
        Assert.InRange(manifest.InactiveIdentities / total, 0.08, 0.35);
        Assert.Equal(10, manifest.AccountIds.Count);
        Assert.True(counts.CiRoles > 0 && counts.LambdaRoles > 0 && counts.EcsTaskRoles > 0 && counts.Ec2Roles > 0 && counts.IntegrationUsers > 0 && counts.JobRoles > 0);
        Assert.Equal(SmallDemoEstate.Options.AsOf.AddDays(-SmallDemoEstate.Options.Days), manifest.WindowStart);
    }

    /// <summary>
    /// Generates the default-size estate and writes its manifest to the temp folder (`ciem-demo-measure.json`); off
    /// unless CIEM_DEMO_MEASURE=1. CIEM_DEMO_OUT keeps the estate in that folder.
    /// </summary>
    [Fact]
    public void Generate_DefaultSize_Measure()
    {
        if (Environment.GetEnvironmentVariable("CIEM_DEMO_MEASURE") != "1") { return; }
        var keep = Environment.GetEnvironmentVariable("CIEM_DEMO_OUT");
        var folder = keep ?? Directory.CreateTempSubdirectory("ciem-demo-measure-").FullName;
        try
        {
            var manifest = DemoEstateGenerator.Generate(folder, new DemoOptions());
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "ciem-demo-measure.json"), JsonSerializer.Serialize(manifest, Indented));
        }
        finally
        {
            if (keep is null) { Directory.Delete(folder, recursive: true); }
        }
    }

    private static void AssertClean(IEnumerable<Diagnostic> diagnostics)
    {
        var problems = diagnostics.Where(d => d.Severity is Severity.Error or Severity.Warning).Take(10).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    internal static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f).Replace('\\', '/'),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);
}
