namespace Ciem.Demo;

/// <summary>The clouds a demo estate spans.</summary>
[Flags]
public enum DemoClouds
{
    None = 0,
    Aws = 1,
    Azure = 2,
    Gcp = 4,
    All = Aws | Azure | Gcp,
}

/// <summary>
/// What <see cref="DemoEstateGenerator"/> builds. The same options give byte-identical files.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>The default end of the generated history; hosts normally pass their clock's time instead.</summary>
    public static readonly DateTimeOffset DefaultAsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public int Seed { get; init; } = 42;

    /// <summary>People plus service identities (about 79 % of them are service identities).</summary>
    public int Identities { get; init; } = 3400;

    /// <summary>The end of the CloudTrail history (exclusive).</summary>
    public DateTimeOffset AsOf { get; init; } = DefaultAsOf;

    /// <summary>Days of daily CloudTrail before <see cref="AsOf"/>; quarterly and annual jobs also leave a few older events.</summary>
    public int Days { get; init; } = 120;

    /// <summary>
    /// Multiplies the number of daily events (1.0 gives about 3,500 CloudTrail events a day at the default size, service-side
    /// sign-ins included), and of the Azure and GCP actors' calls.
    /// </summary>
    public double EventScale { get; init; } = 1.0;

    /// <summary>Which clouds to generate (the directories follow: Identity Center with AWS, Entra always, Google Workspace with GCP).</summary>
    public DemoClouds Clouds { get; init; } = DemoClouds.All;

    /// <summary>Records per CloudTrail file at most (CloudTrail delivers roughly every five minutes; busy trails fill files).</summary>
    public int RecordsPerFile { get; init; } = 500;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Identities, 50);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Identities, 200_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, 400);
        ArgumentOutOfRangeException.ThrowIfNegative(EventScale);
        ArgumentOutOfRangeException.ThrowIfLessThan(RecordsPerFile, 1);
        if (Clouds == DemoClouds.None || (Clouds & ~DemoClouds.All) != 0) { throw new ArgumentOutOfRangeException(nameof(Clouds), Clouds, "at least one of aws, azure, gcp"); }
    }
}

/// <summary>Identity counts of a generated estate, by the generator's own archetypes.</summary>
public sealed record DemoIdentityCounts(
    int People,
    int PeopleWithIamUser,
    int SsoRoles,
    int LambdaRoles,
    int EcsTaskRoles,
    int Ec2Roles,
    int CiRoles,
    int IntegrationUsers,
    int CrossAccountRoles,
    int JobRoles,
    int ServiceLinkedRoles)
{
    /// <summary>Workload identities, including service-linked roles and cross-account automation roles.</summary>
    public int ServiceIdentities => LambdaRoles + EcsTaskRoles + Ec2Roles + CiRoles + IntegrationUsers + CrossAccountRoles + JobRoles + ServiceLinkedRoles;

    /// <summary>People plus service identities: the size asked for in <see cref="DemoOptions.Identities"/>.</summary>
    public int Total => People + ServiceIdentities;
}

/// <summary>What <see cref="DemoEstateGenerator.Generate"/> wrote.</summary>
public sealed record DemoManifest(
    string OutputFolder,
    int Seed,
    string OrganizationId,
    IReadOnlyList<string> AccountIds,
    DemoIdentityCounts Identities,
    int IamUsers,
    int IamRoles,
    int Administrators,
    int AdministratorsUsingAdminRights,
    int InactiveIdentities,
    long Events,
    int CloudTrailFiles,
    long CloudTrailBytes,
    long InventoryBytes,
    DateTimeOffset AsOf,
    DateTimeOffset WindowStart,
    DateTimeOffset EarliestEvent,
    TimeSpan Elapsed,
    DemoAzureManifest? Azure = null,
    DemoGcpManifest? Gcp = null,
    DemoDirectoryManifest? Directories = null)
{
    /// <summary>Folder with the IAM, Organizations and resource-policy exports.</summary>
    public string AwsFolder => Path.Combine(OutputFolder, "aws");

    /// <summary>Folder that holds `AWSLogs/` as an organization trail delivers it to S3.</summary>
    public string CloudTrailFolder => Path.Combine(OutputFolder, "cloudtrail");

    /// <summary>Folder with the `az` / ARM exports (`ciem import azure`).</summary>
    public string AzureFolder => Path.Combine(OutputFolder, "azure");

    /// <summary>Folder with the Activity Log and Entra sign-in files (`ciem import azure-activity`).</summary>
    public string AzureLogsFolder => Path.Combine(OutputFolder, "azure-logs");

    /// <summary>Folder with the Cloud Asset Inventory exports, deny policies, custom roles and groups (`ciem import gcp`).</summary>
    public string GcpFolder => Path.Combine(OutputFolder, "gcp");

    /// <summary>Folder with the Cloud Audit Logs (`ciem import gcp-audit`).</summary>
    public string GcpLogsFolder => Path.Combine(OutputFolder, "gcp-logs");

    /// <summary>Folder with the directory bundles (`identity-center.json`, `entra.json`, `google.json`).</summary>
    public string DirectoryFolder => Path.Combine(OutputFolder, "directory");
}

/// <summary>What the Azure part of a demo estate holds and logged.</summary>
public sealed record DemoAzureManifest(
    string TenantId,
    int Subscriptions,
    int ResourceGroups,
    int Users,
    int Groups,
    int ServicePrincipals,
    int ManagedIdentities,
    int RoleAssignments,
    int EligibleAssignments,
    long ActivityRecords,
    long SignIns,
    long FailedCalls,
    int LogFiles,
    long LogBytes)
{
    /// <summary>Service principals and managed identities.</summary>
    public int ServiceIdentities => ServicePrincipals + ManagedIdentities;
}

/// <summary>What the GCP part of a demo estate holds and logged.</summary>
public sealed record DemoGcpManifest(
    string OrganizationId,
    int Folders,
    int Projects,
    int Users,
    int ServiceAccounts,
    int Groups,
    int Bindings,
    long Entries,
    long Denied,
    long Impersonated,
    int LogFiles,
    long LogBytes);

/// <summary>The directories and the people's stories: who is federated, who is ambiguous or unmatched on purpose.</summary>
public sealed record DemoDirectoryManifest(
    int People,
    int AzurePeople,
    int GcpPeople,
    IReadOnlyList<string> Federated,
    IReadOnlyList<string> Ambiguous,
    string? BreakGlass,
    string? UnmatchedAzurePrincipal,
    string? UnmatchedGcpMember)
{
    /// <summary>The person whose story the demo tells: in all three clouds, acting in each.</summary>
    public string Star => Federated[0];
}
