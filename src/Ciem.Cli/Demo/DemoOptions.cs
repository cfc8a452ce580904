namespace Ciem.Cli.Demo;

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

    /// <summary>Multiplies the number of daily events (1.0 gives about 3,500 a day at the default size, service-side sign-ins included).</summary>
    public double EventScale { get; init; } = 1.0;

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
    TimeSpan Elapsed)
{
    /// <summary>Folder with the IAM, Organizations and resource-policy exports.</summary>
    public string AwsFolder => Path.Combine(OutputFolder, "aws");

    /// <summary>Folder that holds `AWSLogs/` as an organization trail delivers it to S3.</summary>
    public string CloudTrailFolder => Path.Combine(OutputFolder, "cloudtrail");
}
