using System.Collections.Immutable;
using System.Diagnostics;
using Ciem.App.Review;
using Ciem.Core.Diagnostics;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Tests.Review;

public sealed class ReviewChangesTests
{
    private static async Task<ReviewFixture> ApprovedBatchOne()
    {
        var f = new ReviewFixture();
        f.Programme.Plan(ReviewFixture.Estate(), ReviewSettings.Default with { Config = new ReviewConfig { BatchSize = 2 } }, ReviewFixture.T0, "q4");
        await f.Programme.NotifyAsync("q4", f.Outbox());
        f.Clock.Now = ReviewFixture.T0.AddDays(8);
        Assert.True(f.Programme.Approve("q4", "1", "admin@example.test").Ok);
        return f;
    }

    [Fact]
    public async Task Apply_ApprovedBatch_ScriptsPerIdentityAndReductionsRecorded()
    {
        // Given an approved batch with an AWS role and an Azure principal
        using var f = await ApprovedBatchOne();

        // When it is applied
        var result = f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test");

        // Then each identity has its documents, an apply and a rollback script, is applied and its reduction recorded
        Assert.True(result.Ok, string.Join("; ", result.Diagnostics));
        Assert.Equal(2, result.Value!.Applied.Length);
        foreach (var item in result.Value.Applied)
        {
            Assert.Equal(ReviewState.Applied, item.State);
            Assert.Equal(["apply.sh", "policy.json", "rollback.sh"], Directory.GetFiles(item.Change!.Location).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.True(SyntaxOk(Path.Combine(item.Change.Location, "apply.sh")));
            Assert.True(SyntaxOk(Path.Combine(item.Change.Location, "rollback.sh")));
        }
        var aws = await File.ReadAllTextAsync(Path.Combine(result.Value.Applied.Single(i => i.Provider == "aws").Change!.Location, "apply.sh"));
        Assert.Contains("aws iam put-role-policy --role-name \"$P\" --policy-name ciem-least-privilege-1 --policy-document file://policy.json", aws, StringComparison.Ordinal);
        Assert.Contains("aws iam list-attached-role-policies --role-name \"$P\" --output json > previous/attached.json", aws, StringComparison.Ordinal);
        var azure = await File.ReadAllTextAsync(Path.Combine(result.Value.Applied.Single(i => i.Provider == "azure").Change!.Location, "apply.sh"));
        Assert.Contains("ROLE='ciem sp-web'", azure, StringComparison.Ordinal);
        Assert.Contains("az role definition update --role-definition @policy.json", azure, StringComparison.Ordinal);
        var recorded = f.Store.LoadReductions();
        Assert.Equal(2, recorded.Length);
        Assert.All(recorded, r => Assert.Equal("script", r.Channel));
        Assert.Equal(["s3:DeleteBucket", "s3:PutBucketPolicy", "sqs:DeleteQueue"], recorded.Single(r => r.Provider == "aws").Removed.ToArray());

        // And applying again finds nothing approved
        Assert.False(f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test").Ok);
    }

    [Fact]
    public void ReviewScripts_HostileName_QuotedAndValidShell()
    {
        // Given an AWS role whose name and replaced policy carry shell metacharacters
        var entry = ReviewFixture.Entry("arn:aws:iam::111111111111:role/x") with
        {
            Target = ImmutableDictionary<string, string>.Empty.Add("principal", "role").Add("name", "a'b;$(touch pwned)`x`")
                .Add("replaced", "arn:aws:iam::111111111111:role/x#p'1;rm -rf /|arn:aws:iam::aws:policy/x'y"),
        };

        // When the scripts are generated
        var scripts = ReviewScripts.For(entry, "q4\nrm -rf /")!;

        // Then every value is single-quoted (quotes escaped), the campaign's new line stays in the comment, and sh parses it
        Assert.Contains("P='a'\\''b;$(touch pwned)`x`'", scripts.Apply, StringComparison.Ordinal);
        Assert.Contains("--arg n 'p'\\''1;rm -rf /'", scripts.Apply, StringComparison.Ordinal);
        Assert.Contains("--policy-arn 'arn:aws:iam::aws:policy/x'\\''y'", scripts.Apply, StringComparison.Ordinal);
        Assert.DoesNotContain("\nrm -rf /", scripts.Apply, StringComparison.Ordinal);
        using var temp = new Notify.TempFolder();
        File.WriteAllText(temp.Sub("apply.sh"), scripts.Apply);
        Assert.True(SyntaxOk(temp.Sub("apply.sh")));
    }

    [Fact]
    public void ReviewScripts_ReplacedPolicyIds_DetachManagedDeleteOwnInlineAndLeaveTheGroups()
    {
        // Given a user whose proposal replaces a managed policy (by ARN), its own inline policy and a group's inline policy
        var user = "arn:aws:iam::111111111111:user/carol";
        var entry = ReviewFixture.Entry(user) with
        {
            Target = ImmutableDictionary<string, string>.Empty.Add("principal", "user").Add("name", "carol")
                .Add("replaced", $"arn:aws:iam::aws:policy/PowerUserAccess|{user}#carol-extra|arn:aws:iam::111111111111:group/ops#ops-inline"),
        };

        // When the scripts are generated
        var apply = ReviewScripts.For(entry, "q4")!.Apply;

        // Then the managed policy is detached by its ARN, the inline one deleted by its name, and the group's is left with a message
        Assert.Contains("aws iam detach-user-policy --user-name \"$P\" --policy-arn arn:aws:iam::aws:policy/PowerUserAccess", apply, StringComparison.Ordinal);
        Assert.Contains("aws iam delete-user-policy --user-name \"$P\" --policy-name carol-extra", apply, StringComparison.Ordinal);
        Assert.DoesNotContain("--policy-name 'arn:", apply, StringComparison.Ordinal);
        Assert.DoesNotContain("ops-inline; fi", apply, StringComparison.Ordinal);
        Assert.Contains("not changed here: arn:aws:iam::111111111111:group/ops#ops-inline", apply, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewScripts_GcpBucketBinding_NoScript()
    {
        // Given a GCP proposal bound on a bucket (not a project)
        var entry = ReviewFixture.Entry("serviceAccount:etl@proj.iam.gserviceaccount.com", provider: "gcp") with
        {
            Target = ImmutableDictionary<string, string>.Empty.Add("member", "serviceAccount:etl@proj.iam.gserviceaccount.com").Add("role", "roles/storage.objectViewer")
                .Add("resource", "//storage.googleapis.com/projects/_/buckets/b1").Add("predefined", "true"),
        };

        // Then no script is offered (it goes through IaC or by hand)
        Assert.Null(ReviewScripts.For(entry, "q4"));
    }

    [Theory]
    [InlineData("projects/123456789012", "projects/acme-dev/roles/ciem_etl", "acme-dev", "123456789012")]
    [InlineData("//cloudresourcemanager.googleapis.com/projects/acme-dev", "projects/acme-dev/roles/ciem_etl", "acme-dev", "acme-dev")]
    public void ReviewScripts_GcpCustomRole_CreatedInTheProjectItsNameCarries(string resource, string role, string roleProject, string project)
    {
        // Given a GCP proposal of a custom role bound on a project, the project named by number or by id
        var entry = ReviewFixture.Entry("serviceAccount:etl@acme-dev.iam.gserviceaccount.com", provider: "gcp") with
        {
            Target = ImmutableDictionary<string, string>.Empty.Add("member", "serviceAccount:etl@acme-dev.iam.gserviceaccount.com")
                .Add("role", role).Add("resource", resource),
        };

        // When the scripts are generated
        var apply = ReviewScripts.For(entry, "q4")!.Apply;

        // Then the role is created or updated in the project of its name (the one the binding's ROLE names), and the binding
        // goes on the bound project, whichever way it is named
        Assert.Contains($"\nROLE_PROJECT={ReviewNotices.ShellWord(roleProject)}\n", apply, StringComparison.Ordinal);
        Assert.Contains("gcloud iam roles create ciem_etl --project \"$ROLE_PROJECT\"", apply, StringComparison.Ordinal);
        Assert.DoesNotContain("--project \"$PROJECT\"", apply, StringComparison.Ordinal);
        Assert.Contains($"\nPROJECT={ReviewNotices.ShellWord(project)}\n", apply, StringComparison.Ordinal);
        Assert.Contains("gcloud projects add-iam-policy-binding \"$PROJECT\" --member \"$MEMBER\" --role \"$ROLE\"", apply,
            StringComparison.Ordinal);
        using var temp = new Notify.TempFolder();
        File.WriteAllText(temp.Sub("apply.sh"), apply);
        Assert.True(SyntaxOk(temp.Sub("apply.sh")));
    }

    [Fact]
    public async Task Verify_InPlaceOrDenied_VerifiedOrFailed_ThenRollback()
    {
        // Given an applied batch
        using var f = await ApprovedBatchOne();
        f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test");
        var reductions = f.Store.LoadReductions();
        // And, after the change, the logs show the Azure principal denied a removed operation
        f.Store.IngestUsage(new UsageIngestRequest("azure", f.Clock.Now.AddDays(1), [],
            [new AttemptRow("sp-web", "", "Microsoft.Compute/virtualMachines/delete", "/subscriptions/sub-1/vm1", DateOnly.FromDateTime(f.Clock.Now.AddDays(1).UtcDateTime),
                "AuthorizationFailed", 4, f.Clock.Now.AddDays(1), f.Clock.Now.AddDays(1).AddHours(2))],
            [], [], new IngestCounts(0, 0, 4, 0, 4, 0, 0, 0, 0)));
        f.Clock.Now = f.Clock.Now.AddDays(2);

        // When verified with the tracking saying both policies are in place
        var inPlace = reductions.Select(r => new ReductionStatus(r, ReductionState.Applied, [], [], null, r.DeliveredAt.AddHours(6), 1, false)).ToList();
        var verified = f.Programme.Verify("q4", inPlace).Value!;

        // Then the AWS role is verified and the Azure principal failed, naming the denied operation
        Assert.Equal(ReviewState.Verified, verified.Items.Single(i => i.Name == "etl").State);
        var failed = verified.Items.Single(i => i.Identity == "sp-web");
        Assert.Equal(ReviewState.Failed, failed.State);
        Assert.Contains("Microsoft.Compute/virtualMachines/delete (4× AuthorizationFailed", failed.Reason, StringComparison.Ordinal);

        // When the failed one is rolled back
        var rolled = f.Programme.Rollback("q4", "sp-web", "ops@example.test", "vm cleanup job broke");

        // Then it is rolled back with its script, and a second rollback is refused
        Assert.Equal(ReviewState.RolledBack, rolled.Value!.Item.State);
        Assert.EndsWith("rollback.sh", rolled.Value.Revert, StringComparison.Ordinal);
        Assert.True(File.Exists(rolled.Value.Revert));
        Assert.Equal(DiagnosticCodes.ReviewTransitionRefused, Assert.Single(f.Programme.Rollback("q4", "sp-web", "ops", "again").Diagnostics).Code);
        var status = f.Programme.Status("q4").Value!;
        Assert.Equal(1, status.Counts.Reduced);
        Assert.True(f.Programme.Log("q4").Value!.Intact);
    }

    [Fact]
    public async Task Verify_NoImportYet_StaysApplied()
    {
        // Given an applied batch and no import since
        using var f = await ApprovedBatchOne();
        f.Programme.Apply("q4", 1, f.Temp.Sub("changes"), "ops@example.test");

        // When verified without tracking results
        var result = f.Programme.Verify("q4", []).Value!;

        // Then both stay applied, saying why
        Assert.All(result.Items, i => Assert.Equal(ReviewState.Applied, i.State));
        Assert.All(result.Items, i => Assert.StartsWith("no import since the change", i.Reason, StringComparison.Ordinal));
    }

    private static bool SyntaxOk(string script)
    {
        var start = new ProcessStartInfo("sh", ["-n", script]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
