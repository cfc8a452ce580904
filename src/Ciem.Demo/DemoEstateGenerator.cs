using System.Diagnostics;

namespace Ciem.Demo;

/// <summary>
/// Generates a realistic, deterministic synthetic AWS organisation for `ciem demo` and the benchmarks:
/// <list type="bullet">
/// <item>`aws/authorization-details-&lt;account&gt;.json`: `aws iam get-account-authorization-details` per account;</item>
/// <item>`aws/organization.json`: the Organizations bundle (OUs, SCPs, RCPs);</item>
/// <item>`aws/resource-policies.json`: bucket, key, queue and secret policies;</item>
/// <item>`cloudtrail/AWSLogs/&lt;org&gt;/&lt;account&gt;/CloudTrail/&lt;region&gt;/YYYY/MM/DD/*.json.gz`: an organization trail.</item>
/// </list>
/// Same options → byte-identical files. The population (about 79 % service identities, about 8 % administrators of
/// whom most never use their rights, about 15 % inactive) is described in docs/demo-estate.md.
/// </summary>
public static class DemoEstateGenerator
{
    public static DemoManifest Generate(string outputFolder, DemoOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var awsFolder = Path.Combine(outputFolder, "aws");
        var cloudtrail = Path.Combine(outputFolder, "cloudtrail");
        if (Directory.Exists(cloudtrail)) { Directory.Delete(cloudtrail, recursive: true); }
        Directory.CreateDirectory(awsFolder);
        Directory.CreateDirectory(cloudtrail);

        var population = new DemoPopulation(options);
        var aws = options.Clouds.HasFlag(DemoClouds.Aws);
        // CloudTrail first: the exports' RoleLastUsed come from the calls written.
        var trail = new CloudTrailWriter(population, options, cloudtrail);
        if (aws) { trail.Write(); }

        long inventoryBytes = 0;
        var awsManaged = InventoryWriter.AwsManagedAttachments(population);
        foreach (var account in aws ? population.Accounts : [])
        {
            inventoryBytes += InventoryWriter.WriteAuthorizationDetails(Path.Combine(awsFolder, $"authorization-details-{account.Id}.json"), population, account, awsManaged);
        }
        if (aws)
        {
            inventoryBytes += OrganizationWriter.Write(Path.Combine(awsFolder, "organization.json"), population, options.Seed);
            inventoryBytes += OrganizationWriter.WriteResourcePolicies(Path.Combine(awsFolder, "resource-policies.json"), population);
        }
        var (azure, gcp, directories) = GenerateOtherClouds(outputFolder, options, population, ref inventoryBytes);

        var principals = population.Principals;
        int Count(Archetype kind) => principals.Count(p => p.Archetype == kind);
        var identities = new DemoIdentityCounts(
            People: population.People,
            PeopleWithIamUser: population.PeopleWithIamUser,
            SsoRoles: Count(Archetype.Sso),
            LambdaRoles: Count(Archetype.Lambda),
            EcsTaskRoles: Count(Archetype.EcsTask),
            Ec2Roles: Count(Archetype.Ec2),
            CiRoles: Count(Archetype.Ci),
            IntegrationUsers: Count(Archetype.Integration),
            CrossAccountRoles: Count(Archetype.CrossAccount) + Count(Archetype.OrganizationAccess) + Count(Archetype.Terraform),
            JobRoles: Count(Archetype.Job),
            ServiceLinkedRoles: Count(Archetype.ServiceLinked));
        var people = population.Actors.Where(a => a.Human).ToList();
        var workloadActors = population.Actors.Where(a => !a.Human).ToList();
        var serviceAdmins = principals.Count(p => p.IsService && p.IsAdmin);
        var serviceAdminsUsing = workloadActors.Count(a => a.IsAdmin && a.UsesAdminRights && a.Events > 0);
        var inactiveService = principals.Count(p => p.IsService && (p.IsUser ? workloadActors.All(a => a.Slots[0].Principal != p || a.Events == 0) : p.LastUsedTicks == 0));
        return new DemoManifest(
            OutputFolder: outputFolder,
            Seed: options.Seed,
            OrganizationId: population.OrganizationId,
            AccountIds: [.. population.Accounts.Select(a => a.Id)],
            Identities: identities,
            IamUsers: principals.Count(p => p.IsUser),
            IamRoles: principals.Count(p => !p.IsUser),
            Administrators: people.Count(a => a.IsAdmin) + serviceAdmins,
            AdministratorsUsingAdminRights: people.Count(a => a.IsAdmin && a.UsesAdminRights && a.Events > 0) + serviceAdminsUsing,
            InactiveIdentities: people.Count(a => a.Events == 0) + inactiveService,
            Events: trail.Events,
            CloudTrailFiles: trail.Files,
            CloudTrailBytes: trail.Bytes,
            InventoryBytes: inventoryBytes,
            AsOf: options.AsOf,
            WindowStart: options.AsOf.AddDays(-options.Days),
            EarliestEvent: trail.Earliest,
            Elapsed: clock.Elapsed,
            Azure: azure,
            Gcp: gcp,
            Directories: directories);
    }

    /// <summary>The Azure tenant, the GCP organisation and the directories, with their logs (docs/demo-estate.md).</summary>
    private static (DemoAzureManifest?, DemoGcpManifest?, DemoDirectoryManifest) GenerateOtherClouds(string outputFolder, DemoOptions options, DemoPopulation population, ref long inventoryBytes)
    {
        var people = new DemoPeople(population, options);
        var directory = Path.Combine(outputFolder, "directory");
        if (Directory.Exists(directory)) { Directory.Delete(directory, recursive: true); }
        DemoAzureManifest? azureManifest = null;
        DemoGcpManifest? gcpManifest = null;
        DemoAzure? azure = null;
        if (options.Clouds.HasFlag(DemoClouds.Azure))
        {
            azure = new DemoAzure(options, people);
            inventoryBytes += AzureWriter.WriteInventory(Path.Combine(outputFolder, "azure"), azure);
            var logs = AzureWriter.WriteLogs(Path.Combine(outputFolder, "azure-logs"), azure, options);
            azureManifest = new DemoAzureManifest(azure.TenantId, azure.Subscriptions.Count, azure.ResourceGroups.Count, azure.Users.Count(), azure.Groups.Count(),
                azure.ServicePrincipals.Count(p => !p.ManagedIdentity), azure.ServicePrincipals.Count(p => p.ManagedIdentity), azure.Assignments.Count, azure.Eligible.Count,
                logs.ActivityRecords, logs.SignIns, logs.Failed, logs.Files, logs.Bytes);
        }
        if (options.Clouds.HasFlag(DemoClouds.Gcp))
        {
            var gcp = new DemoGcp(options, people);
            inventoryBytes += GcpWriter.WriteInventory(Path.Combine(outputFolder, "gcp"), gcp);
            inventoryBytes += DirectoryWriter.WriteGoogle(Path.Combine(directory, "google.json"), gcp, people, options.Seed);
            var logs = GcpWriter.WriteLogs(Path.Combine(outputFolder, "gcp-logs"), gcp, options);
            gcpManifest = new DemoGcpManifest(gcp.OrganizationId, gcp.Folders.Count, gcp.Projects.Count, people.Gcp.Count, gcp.ServiceAccounts.Count(), gcp.Groups.Count,
                gcp.Bindings.Count, logs.Entries, logs.Denied, logs.Impersonated, logs.Files, logs.Bytes);
        }
        if (options.Clouds.HasFlag(DemoClouds.Aws))
        {
            inventoryBytes += DirectoryWriter.WriteIdentityCenter(Path.Combine(directory, "identity-center.json"), population, people, options.Seed);
        }
        inventoryBytes += DirectoryWriter.WriteEntra(Path.Combine(directory, "entra.json"), azure, people, options.Seed);
        var directories = new DemoDirectoryManifest(people.All.Count, azureManifest is null ? 0 : people.Azure.Count, gcpManifest is null ? 0 : people.Gcp.Count,
            [.. people.Federated.Select(p => p.Email)], [.. DirectoryWriter.AmbiguousPeople(people).Select(p => p.Email)],
            options.Clouds.HasFlag(DemoClouds.Aws) ? DirectoryWriter.BreakGlassPerson(people).Email : null,
            azure?.OrphanObjectId, gcpManifest is null ? null : DemoGcp.Contractor);
        return (azureManifest, gcpManifest, directories);
    }
}
