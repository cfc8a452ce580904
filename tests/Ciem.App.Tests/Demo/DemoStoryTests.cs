using System.Text.Json;
using Ciem.App.Demo;
using Ciem.App.Iac;
using Ciem.App.Imports;
using Ciem.App.Review;
using Ciem.App.Tests.Notify;
using Ciem.App.Usage;
using Ciem.Core.Directories;
using Ciem.Core.Review;
using Ciem.Demo;
using Ciem.Import.Aws;

namespace Ciem.App.Tests.Demo;

/// <summary>
/// The demo's story run once on a small generated estate of the three clouds (200 identities, 45 days): the inventories
/// and directories imported as of the story's first day, the logs ingested, then <see cref="DemoStory.Run"/> over its
/// weeks, as `ciem demo` runs it.
/// </summary>
public sealed class DemoStoryRun : IDisposable
{
    private readonly TempFolder _temp = new();

    public DemoStoryRun()
    {
        var options = new DemoOptions
        {
            Identities = 200, Days = 45, AsOf = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Clouds = DemoClouds.All,
        };
        Manifest = DemoEstateGenerator.Generate(_temp.Sub("estate"), options);
        var start = DemoStory.Start(options.AsOf);
        Session = new CiemSession(_temp.Sub("ciem.db"));
        var files = Directory.GetFiles(Manifest.AwsFolder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => (f, AwsImport.Detect(f))).Where(f => f.Item2 != AwsInputKind.Unknown).ToList();
        Assert.NotNull(AwsImport.Import(Session, files, start, start).Summary);
        var azure = AzureImport.Import(Session, [Manifest.AzureFolder], start, null, start);
        Assert.True(azure.Refusals.IsEmpty && !azure.Writes.IsEmpty);
        var gcp = GcpImport.Import(Session, [Manifest.GcpFolder], start, null, start);
        Assert.True(gcp.Refusals.IsEmpty && !gcp.Writes.IsEmpty);
        foreach (var (source, file) in new[]
        {
            (DirectorySource.IdentityCenter, "identity-center.json"), (DirectorySource.Entra, "entra.json"),
            (DirectorySource.Google, "google.json"),
        })
        {
            var read = DirectoryImport.Import(Session, source, [Path.Combine(Manifest.DirectoryFolder, file)], start, start).Result;
            Assert.True(read.Refusals.IsEmpty);
        }
        Assert.NotNull(UsageIngestion.Run(Session, CloudTrailLog.Default, [Manifest.CloudTrailFolder], start, out var problems));
        Assert.Empty(problems);
        Assert.NotNull(UsageIngestion.Run(Session, StreamedUsageLog.AzureActivity, [Manifest.AzureLogsFolder], start, out problems));
        Assert.Empty(problems);
        Assert.NotNull(UsageIngestion.Run(Session, StreamedUsageLog.GcpAudit, [Manifest.GcpLogsFolder], start, out problems));
        Assert.Empty(problems);
        Folder = _temp.Sub("programme");
        Outcome = DemoStory.Run(Session, Manifest, options, Folder, _ => null);
    }

    public DemoManifest Manifest { get; }

    public CiemSession Session { get; }

    public string Folder { get; }

    public DemoStoryOutcome Outcome { get; }

    public DemoProgrammeResult Result => Outcome.Result ?? throw new InvalidOperationException(Outcome.Error);

    public string Repository => Path.Combine(Folder, DemoStory.RepositoryFolder);

    public string Git(params string[] args) => new GitRepository(Repository).Run(args);

    public void Dispose()
    {
        Session.Dispose();
        _temp.Dispose();
    }
}

public sealed class DemoStoryTests(DemoStoryRun run) : IClassFixture<DemoStoryRun>
{
    private IEnumerable<ReviewItemStatus> Items => run.Result.Campaign!.Batches.SelectMany(b => b.Items);

    private static bool ThroughIac(ReviewItemStatus i) =>
        i.Change?.Channel is ReviewChange.BranchChannel or ReviewChange.PullRequestChannel;

    [Fact]
    public void Run_SmallEstate_RepositoryIsAGitRepositoryWithOneCommitDefiningTheRoles()
    {
        // Given the story's run
        Assert.True(run.Outcome.Result is not null, run.Outcome.Error);

        // Then the demo IaC repository's first commit (the root of main) holds one Terraform file per role it defines
        var root = run.Git("rev-list", "--max-parents=0", "main").Trim();
        Assert.Single(root.Split('\n'));
        var files = run.Git("ls-tree", "-r", "--name-only", root).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("README.md", files);
        var tf = files.Where(f => f.EndsWith(".tf", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tf);
        Assert.All(tf, f => Assert.Matches("^accounts/[0-9]{12}/[^/]+\\.tf$", f));
        // And no role the AWS export marks as AWS-managed is in it
        Assert.DoesNotContain(tf, f => f.Contains("AWSServiceRole", StringComparison.Ordinal) || f.Contains("AWSReservedSSO", StringComparison.Ordinal));
        var week0 = run.Result.Weeks[0].Events;
        Assert.Contains(week0, e => e.StartsWith($"IaC repository {DemoStory.RepositoryFolder}/ (git, branch main): {tf.Count:N0} AWS roles", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_SmallEstate_EachApplyBranchChangesExactlyItsIdentitiesFilesAndIsMergedIntoMain()
    {
        // Given the story's run: some identities applied through the IaC repository, the users by change script
        var iac = Items.Where(ThroughIac).ToList();
        Assert.NotEmpty(iac);
        Assert.Contains(Items, i => i.Change?.Channel == ReviewChange.ScriptChannel && i.Identity.Contains(":user/", StringComparison.Ordinal));
        Assert.All(iac, i => Assert.Contains(":role/", i.Identity, StringComparison.Ordinal));

        foreach (var branch in iac.GroupBy(i => i.Change!.Location))
        {
            // Then the branch exists in git, named for the campaign, the batch and the account
            var account = branch.First().Scope;
            Assert.Matches($"^ciem/review/demo-[0-9-]+/batch-{branch.First().Batch}/{account}$", branch.Key);
            Assert.Equal(branch.First().Change!.Commit, run.Git("rev-parse", branch.Key).Trim());
            // And its one commit changes exactly the files of its identities' roles, in their account's folder
            var changed = run.Git("diff", "--name-only", branch.Key + "^", branch.Key).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
            var expected = branch.SelectMany(i => i.Change!.Files).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(expected, changed);
            Assert.All(expected, f => Assert.Equal($"accounts/{account}/{f.Split('/')[^1]}", f));
            Assert.All(branch, i => Assert.Contains($"accounts/{account}/{i.Name}.tf", i.Change!.Files));
            // And the simulated organisation merged it into main
            Assert.Equal(0, new GitRepository(run.Repository).TryRun("merge-base", "--is-ancestor", branch.Key, "main").Code);
        }
    }

    [Fact]
    public void Run_SmallEstate_ReimportedEstateHasTheMergedPoliciesOfAVerifiedRole()
    {
        // Given the roles applied through the repository and verified after the next snapshot's import, but the one the
        // story then grants its old policies again by hand (the regrowth alert's)
        var regrown = run.Result.Weeks.SelectMany(w => w.Events).Select(e => e.Split(" is granted its old policies again by hand")).Where(p => p.Length == 2)
            .Select(p => p[0]).ToList();
        Assert.Single(regrown);
        var verified = Items.Where(i => ThroughIac(i) && i.State == ReviewState.Verified && i.Name != regrown[0])
            .OrderBy(i => i.Identity, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(verified);
        var estate = run.Session.Aws.Value!.Inventory;
        foreach (var item in verified)
        {
            // When its file on main is read as Terraform
            var file = $"accounts/{item.Scope}/{item.Name}.tf";
            var source = Ciem.Import.Iac.TerraformSource.Read([(file, run.Git("show", "main:" + file))]);
            var inline = source.InlinePolicies.Select(p => (
                Name: Ciem.Import.Iac.TerraformSource.Literal(p.Block.Attribute("name")!.Value)!,
                Json: Normal(Ciem.Import.Iac.TerraformSource.DecodeJsonEncode(p.Policy.Value)!))).Order().ToList();
            var attached = source.Attachments.Select(a => a.PolicyArn!).Order(StringComparer.Ordinal).ToList();

            // Then the imported role (the last week's snapshot) has exactly those inline policies and attachments
            var role = estate.Accounts.Single(a => a.AccountId == item.Scope).Roles.Single(r => r.Arn == item.Identity);
            Assert.Equal(inline, role.InlinePolicies.Select(p => (p.Name, Json: Normal(p.Document))).Order().ToList());
            Assert.Equal(attached, role.AttachedPolicyArns.Order(StringComparer.Ordinal).ToList());
            // And that is the proposal: fewer permissions granted than before
            Assert.True(item.GrantedAfter < item.GrantedBefore, $"{item.Name}: {item.GrantedBefore} -> {item.GrantedAfter}");
        }
    }

    [Fact]
    public void Run_SmallEstate_RollbackIsARevertBranchRestoringTheRoleFileAsFirstCommitted()
    {
        // Given the story's one rolled-back identity
        var rolledBack = Assert.Single(Items, i => i.State == ReviewState.RolledBack);
        Assert.True(ThroughIac(rolledBack), $"{rolledBack.Name} was applied by {rolledBack.Change?.Channel}");
        var file = $"accounts/{rolledBack.Scope}/{rolledBack.Name}.tf";

        // Then a revert branch exists, its commit changes that role's file alone, and it is merged into main
        var branches = run.Git("for-each-ref", "--format=%(refname:short)", "refs/heads/ciem/review/").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var revert = Assert.Single(branches, b => b.Contains("/rollback/", StringComparison.Ordinal));
        Assert.Equal([file], run.Git("diff", "--name-only", revert + "^", revert).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, new GitRepository(run.Repository).TryRun("merge-base", "--is-ancestor", revert, "main").Code);
        // And main holds the file exactly as the first commit defined it, which the apply branch had changed
        var root = run.Git("rev-list", "--max-parents=0", "main").Trim();
        Assert.Equal(run.Git("show", $"{root}:{file}"), run.Git("show", $"main:{file}"));
        Assert.NotEqual(run.Git("show", $"{root}:{file}"), run.Git("show", $"{rolledBack.Change!.Location}:{file}"));
        var events = run.Result.Weeks.SelectMany(w => w.Events).ToList();
        Assert.Contains(events, e => e.StartsWith($"rolled back {rolledBack.Name}: revert branch `{revert}`", StringComparison.Ordinal)
            && e.Contains("merged by the simulated organisation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("azure", "Azure")]
    [InlineData("gcp", "GCP")]
    public void Run_SmallEstate_AzureAndGcpIdentitiesArePlannedAppliedVerifiedAndReduced(string provider, string name)
    {
        // Given the story's campaign over the three clouds
        Assert.True(run.Outcome.Result is not null, run.Outcome.Error);
        var items = Items.Where(i => i.Provider == provider).ToList();

        // Then the cloud's identities are planned, and the planning event counts them per cloud
        Assert.NotEmpty(items);
        var week0 = run.Result.Weeks[0].Events;
        var counts = string.Join(", ", new[] { ("aws", "AWS"), ("azure", "Azure"), ("gcp", "GCP") }
            .Select(c => $"{c.Item2} {Items.Count(i => i.Provider == c.Item1):N0}"));
        var planned = $"campaign `{run.Result.Campaign!.Id}` planned: {Items.Count():N0} identities ({counts}) in ";
        Assert.Contains(week0, e => e.StartsWith(planned, StringComparison.Ordinal));
        // And some were applied by change script (the demo's repository defines AWS roles only), then verified after the
        // next snapshot of the cloud, which the simulated organisation exported with the changes
        var applied = items.Where(i => i.Change is not null).ToList();
        Assert.NotEmpty(applied);
        Assert.All(applied, i => Assert.Equal(ReviewChange.ScriptChannel, i.Change!.Channel));
        Assert.All(applied, i => Assert.True(File.Exists(Path.Combine(i.Change!.Location, "apply.sh")), i.Change!.Location));
        var verified = items.Where(i => i.State == ReviewState.Verified).ToList();
        Assert.NotEmpty(verified);
        var events = run.Result.Weeks.SelectMany(w => w.Events).ToList();
        Assert.Contains(events, e => e.StartsWith($"{name} snapshot with ", StringComparison.Ordinal)
            && e.EndsWith(" change(s) applied", StringComparison.Ordinal));
        // And the outcome counts them reduced, with the permissions removed from them, per batch and overall
        var cloud = Assert.Single(DemoCloudCounts.Of(Items), c => c.Provider == provider);
        Assert.Equal(name, cloud.Name);
        Assert.Equal(items.Count, cloud.Counts.Identities);
        var reduced = items.Where(i => i.State is ReviewState.Applied or ReviewState.Verified).ToList();
        Assert.True(reduced.Count >= verified.Count && verified.Count > 0);
        Assert.Equal(reduced.Count, cloud.Counts.Reduced);
        Assert.Equal(reduced.Sum(i => (long)(i.GrantedBefore - i.GrantedAfter)), cloud.Counts.GrantedRemoved);
        Assert.True(cloud.Counts.GrantedRemoved > 0);
        foreach (var batch in run.Result.Campaign!.Batches)
        {
            var inBatch = DemoCloudCounts.Of(batch.Items);
            Assert.Equal(batch.Counts.Reduced, inBatch.Sum(c => c.Counts.Reduced));
            Assert.Equal(batch.Items.Count(i => i.Provider == provider && i.State is ReviewState.Applied or ReviewState.Verified),
                inBatch.FirstOrDefault(c => c.Provider == provider)?.Counts.Reduced ?? 0);
        }
        Assert.Equal(run.Result.Campaign.Counts.Reduced, DemoCloudCounts.Of(Items).Sum(c => c.Counts.Reduced));
    }

    [Fact]
    public void Run_SmallEstate_ReimportedAzureEstateHasTheProposedRoleInPlaceOfTheOldAssignments()
    {
        // Given the Azure principals verified after the change script ran in the simulated organisation
        var (verified, entries) = VerifiedWithEntries("azure");
        var estate = run.Session.Store.LoadAzureInventory();
        foreach (var item in verified)
        {
            var entry = entries[item.Identity];
            var principal = entry.Target["principal"];
            var scope = entry.Target["scope"];
            var proposed = JsonDocument.Parse(entry.Documents[0].Content).RootElement;
            var roleName = proposed.GetProperty("Name").GetString()!;

            // Then the imported estate defines the proposed role with exactly the proposal's actions
            var role = Assert.Single(estate.RoleDefinitions, d => d.RoleName == roleName);
            Assert.Equal("CustomRole", role.RoleType);
            Assert.Equal(Strings(proposed.GetProperty("Actions")), role.Permissions[0].Actions.Order(StringComparer.Ordinal));
            Assert.Equal(Strings(proposed.GetProperty("DataActions")), role.Permissions[0].DataActions.Order(StringComparer.Ordinal));
            // And assigns it to the principal at the proposal's scope, and no other role at or below that scope
            var mine = estate.RoleAssignments
                .Where(a => string.Equals(a.PrincipalId, principal, StringComparison.OrdinalIgnoreCase)).ToList();
            var assigned = Assert.Single(mine, a => a.RoleDefinitionId.EndsWith("/" + role.Name, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(scope, assigned.Scope);
            Assert.DoesNotContain(mine, a => a != assigned && a.Scope.StartsWith(scope, StringComparison.OrdinalIgnoreCase));
            Assert.True(item.GrantedAfter < item.GrantedBefore, $"{item.Name}: {item.GrantedBefore} -> {item.GrantedAfter}");
        }
    }

    [Fact]
    public void Run_SmallEstate_ReimportedGcpPoliciesBindTheMemberToTheProposedRoleAlone()
    {
        // Given the GCP members verified after the change script ran in the simulated organisation
        var (verified, entries) = VerifiedWithEntries("gcp");
        var inventory = run.Session.Store.LoadGcpInventory();
        foreach (var item in verified)
        {
            var entry = entries[item.Identity];
            var member = Ciem.Core.Gcp.Evaluation.GcpMembers.Canonical(entry.Target["member"]);
            var role = entry.Target["role"];
            var resource = entry.Target["resource"];
            bool Mine(string m) => Ciem.Core.Gcp.Evaluation.GcpMembers.Canonical(m) == member;

            // Then the project's policy binds the member to the proposed role, by the very name the proposal gave it (a
            // custom role named as GCP reports it once created, under the project's id, not the number the export uses)
            // and to no other role
            var policy = Assert.Single(inventory.Policies, p => Short(p.Resource) == Short(resource));
            var bound = Assert.Single(policy.Bindings.Where(b => b.Members.Any(Mine)).Select(b => b.Role).Distinct());
            var predefined = entry.Target["predefined"] == "true";
            Assert.Equal(role, bound);
            // And a custom role is defined (imported, not quarantined) with exactly the proposal's permissions
            if (!predefined)
            {
                Assert.Matches("^projects/[a-z][a-z0-9-]+/roles/", bound);
                var proposed = JsonDocument.Parse(entry.Documents[0].Content).RootElement;
                var custom = Assert.Single(inventory.CustomRoles, r => r.Name == bound);
                var permissions = custom.IncludedPermissions.Order(StringComparer.Ordinal);
                Assert.Equal(Strings(proposed.GetProperty("includedPermissions")), permissions);
            }
            Assert.True(item.GrantedAfter < item.GrantedBefore, $"{item.Name}: {item.GrantedBefore} -> {item.GrantedAfter}");
        }
    }

    /// <summary>The provider's verified items (at least one) and the campaign's entries by identity.</summary>
    private (List<ReviewItemStatus> Verified, Dictionary<string, ReviewEntry> Entries) VerifiedWithEntries(string provider)
    {
        var verified = Items.Where(i => i.Provider == provider && i.State == ReviewState.Verified).ToList();
        Assert.NotEmpty(verified);
        var entries = new ReviewProgramme(run.Session.Store, TimeProvider.System).Entries(null);
        return (verified, entries.ToDictionary(e => e.Candidate.IdentityId));
    }

    /// <summary>A Resource Manager name without its service prefix: `projects/123`.</summary>
    private static string Short(string resource) =>
        resource.Replace("//cloudresourcemanager.googleapis.com/", "", StringComparison.Ordinal);

    private static List<string> Strings(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    private static string Normal(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
