using System.Diagnostics;

namespace Ciem.Cli.Demo;

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
        var aws = Path.Combine(outputFolder, "aws");
        var cloudtrail = Path.Combine(outputFolder, "cloudtrail");
        if (Directory.Exists(cloudtrail)) { Directory.Delete(cloudtrail, recursive: true); }
        Directory.CreateDirectory(aws);
        Directory.CreateDirectory(cloudtrail);

        var population = new DemoPopulation(options);
        // CloudTrail first: the exports' RoleLastUsed come from the calls written.
        var trail = new CloudTrailWriter(population, options, cloudtrail);
        trail.Write();

        long inventoryBytes = 0;
        var awsManaged = InventoryWriter.AwsManagedAttachments(population);
        foreach (var account in population.Accounts)
        {
            inventoryBytes += InventoryWriter.WriteAuthorizationDetails(Path.Combine(aws, $"authorization-details-{account.Id}.json"), population, account, awsManaged);
        }
        inventoryBytes += OrganizationWriter.Write(Path.Combine(aws, "organization.json"), population, options.Seed);
        inventoryBytes += OrganizationWriter.WriteResourcePolicies(Path.Combine(aws, "resource-policies.json"), population);

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
            Elapsed: clock.Elapsed);
    }
}
