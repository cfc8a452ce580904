using Ciem.App.Identities;
using Ciem.App.Questions;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.Tests.Questions;

/// <summary>The effective-permission questions as App calls: effective, can, who-can, identities and paths, per provider.</summary>
public sealed class QuestionsTests(QuestionEstate estate) : IClassFixture<QuestionEstate>
{
    private const string Vm = QuestionEstate.Prod + "/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1";
    private const string VmDelete = "Microsoft.Compute/virtualMachines/delete";
    private const string PublicBucket = "//storage.googleapis.com/projects/_/buckets/acme-public-assets";
    private const string S3Object = "arn:aws:s3:::reports/q1.csv";

    private static QuestionResult<CanAnswer> Can(CiemSession session, CanRequest request) =>
        CanQuestion.Ask(session, request, QuestionEstate.Now);

    private static QuestionResult<WhoCanAnswer> WhoCan(CiemSession session, WhoCanRequest request) =>
        WhoCanQuestion.Ask(session, request, QuestionEstate.Now);

    [Fact]
    public void Can_AzureDeleteByDisplayNameVersusByUpn_DenyAssignmentSparesOnlyAlice()
    {
        // Given the deny assignment on contoso-prod-1 that excludes alice, and bob with Contributor on rg-app through a group
        using var session = new CiemSession(estate.Db);

        // When each is asked, by UPN and by display name, whether they can delete the VM
        var alice = Can(session, new("sam.taylor@contoso.example", VmDelete, Vm, [], Provider: "azure"));
        var bob = Can(session, new("Bob Stone", VmDelete, Vm, [], Provider: "azure"));

        // Then alice (Owner, excluded) may; bob is denied by the deny assignment, which is named
        Assert.Equal(Decision.Allow, alice.Answer!.Decision);
        Assert.Equal(QuestionEstate.Alice, alice.Answer.Azure!.Principal.Id);
        Assert.Equal(Decision.ExplicitDeny, bob.Answer!.Decision);
        Assert.Equal(QuestionEstate.Bob, bob.Answer.Azure!.Principal.Id);
        Assert.Contains(bob.Answer.Azure.Result.Deciding, d => d.Kind == Core.Azure.Evaluation.AzureAssignmentKind.DenyAssignment);
    }

    [Fact]
    public void Can_AzureMalformedContext_InvalidBeforeTheStoreIsRead()
    {
        // Given a store that does not exist
        using var session = new CiemSession(estate.Missing("can-context"));

        // When the context is not KEY=VALUE
        var result = Can(session, new(QuestionEstate.Alice, "Microsoft.Storage/storageAccounts/read", QuestionEstate.Prod, ["tier"]));

        // Then the question is refused as malformed (not as a missing store)
        Assert.Equal(QuestionFailure.InvalidInput, result.Problem!.Kind);
        Assert.Equal("context `tier` is not KEY=VALUE", result.Problem.Message);
    }

    [Fact]
    public void Can_GcpBareEmailOfAGroupMember_DeniedByTheFolderDenyPolicy()
    {
        // Given bob, an editor on folder prod through group prod-devs, whose group the folder's deny policy denies projects.delete
        using var session = new CiemSession(estate.Db);

        // When bob is asked by bare e-mail whether he can delete acme-prod, and start its instances (editor allows that)
        var delete = Can(session, new("bob@acme.example", "resourcemanager.projects.delete", "projects/acme-prod", []));
        var start = Can(session, new("bob@acme.example", "compute.instances.start", "projects/acme-prod", []));

        // Then the bare e-mail is the user member, denied by the deny rule, allowed the start through the group's binding
        Assert.Equal("gcp", delete.Answer!.Provider);
        Assert.Equal("user:bob@acme.example", delete.Answer.Gcp!.Member);
        Assert.Equal(Decision.ExplicitDeny, delete.Answer.Decision);
        Assert.NotEmpty(delete.Answer.Gcp.Result.DenyRules);
        Assert.StartsWith("//cloudresourcemanager.googleapis.com/", delete.Answer.Gcp.Resource, StringComparison.Ordinal);
        Assert.Equal(Decision.Allow, start.Answer!.Decision);
        Assert.Equal("group:prod-devs@acme.example", Assert.Single(start.Answer.Gcp!.Result.Bindings).Member);
    }

    [Theory]
    [InlineData("request.time=2026-12-01T00:00:00Z", null)]
    [InlineData("resource.name=x", "context `resource.name` is not used for gcp: give `request.time=` with one ISO 8601 time")]
    [InlineData("request.time=yesterday", "context `request.time` is not used for gcp: give `request.time=` with one ISO 8601 time")]
    public void Can_GcpContext_OnlyAnIsoRequestTime(string pair, string? problem)
    {
        using var session = new CiemSession(estate.Db);

        var result = Can(session, new("carol@acme.example", "compute.instances.start", "projects/acme-prod", [pair]));

        Assert.Equal(problem, result.Problem?.Message);
    }

    [Fact]
    public void Can_AwsS3ObjectWithoutAccount_AssumesTheCallersAccountAndSaysSo()
    {
        // Given alice.admin in account 111111111111 and an S3 object ARN (which names no account)
        using var session = new CiemSession(estate.Db);

        // When she is asked whether she can read it
        var result = Can(session, new("alice.admin", "s3:GetObject", S3Object, []));

        // Then the answer assumes her own account and carries the note that says so
        var aws = result.Answer!.Aws!;
        Assert.Equal("111111111111", aws.AssumedResourceAccount);
        Assert.Equal(DiagnosticCodes.CliIncompleteQuestion, aws.Note!.Code);
        Assert.Contains("assumed the caller's own account `111111111111`", aws.Note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_AwsWithTheAccountGiven_NoAssumptionNoNote()
    {
        // Given the near-miss twin of the question above, with `--resource-account`
        using var session = new CiemSession(estate.Db);

        var result = Can(session, new("alice.admin", "s3:GetObject", S3Object, [], "111111111111"));

        Assert.Null(result.Answer!.Aws!.AssumedResourceAccount);
        Assert.Null(result.Answer.Aws.Note);
    }

    [Fact]
    public void Can_UnknownAction_WarnsAndStillAnswers()
    {
        using var session = new CiemSession(estate.Db);

        var result = Can(session, new("alice.admin", "s3:GetObjekt", "*", []));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(DiagnosticCodes.CliUnknownPermission, warning.Code);
        Assert.Contains("s3:GetObject", warning.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Answer);
    }

    [Fact]
    public void WhoCan_AwsS3AcrossTwoAccounts_RefusedUntilTheAccountIsGiven()
    {
        // Given two accounts and an S3 bucket ARN, which names neither
        using var session = new CiemSession(estate.Db);

        // When who-can is asked without, then with, the resource's account
        var without = WhoCan(session, new("s3:GetObject", S3Object, []));
        var with = WhoCan(session, new("s3:GetObject", S3Object, [], "111111111111"));

        // Then the first is an incomplete question naming both accounts; the second answers: break-glass allowed,
        // alice.admin (whose policy has a condition on the request) listed as conditional
        Assert.Equal(DiagnosticCodes.CliIncompleteQuestion, without.Problem!.Code);
        Assert.Contains("`111111111111`, `222222222222`", without.Problem.Message, StringComparison.Ordinal);
        Assert.Contains(with.Answer!.Aws, h => h.Who.Identity.Name == "break-glass" && h.Result.Decision == Decision.Allow);
        Assert.Contains(with.Answer.Aws, h => h.Who.Identity.Name == "alice.admin" && h.Result.IsConditional);
        Assert.Equal(Decision.Allow, with.Answer.Aws[0].Result.Decision);
        Assert.Equal(with.Answer.Asked, session.Aws.Value!.Identities.Length);
    }

    [Fact]
    public void WhoCan_GcpPublicBucket_AllUsersAmongTheAllowed()
    {
        using var session = new CiemSession(estate.Db);

        var result = WhoCan(session, new("storage.objects.get", PublicBucket, []));

        var hit = Assert.Single(result.Answer!.Gcp, h => h.Member == "allUsers");
        Assert.True(hit.Result.IsPublic);
        Assert.Contains(result.Answer.Gcp, h => h.Member == "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com");
    }

    [Fact]
    public void WhoCan_AzureTransitive_AliceDirectly_CarolsEligibleOwnerElsewhereDoesNotReach()
    {
        // Given alice, Owner spared by the deny assignment, and carol, PIM-eligible Owner of another subscription only
        using var session = new CiemSession(estate.Db);

        // When who reaches the VM's deletion is asked transitively
        var result = WhoCan(session, new(VmDelete, Vm, [], Transitive: true));

        // Then alice is a direct hit of no step, certain; carol's path leads to another subscription's administrator
        Assert.Null(result.Problem);
        var alice = Assert.Single(result.Answer!.CloudPaths, h => h.Identity.Id == QuestionEstate.Alice);
        Assert.Empty(alice.Path.Steps);
        Assert.Equal(EdgeCertainty.Certain, alice.Certainty);
        Assert.DoesNotContain(result.Answer.CloudPaths, h => h.Identity.Id == QuestionEstate.Carol);
        Assert.Single(result.Answer.Azure);
    }

    [Fact]
    public void WhoCan_AzureDelete_OnlyAliceAmongThePrincipalsNamedByTheDirectory()
    {
        using var session = new CiemSession(estate.Db);

        var result = WhoCan(session, new(VmDelete, Vm, []));

        var hit = Assert.Single(result.Answer!.Azure);
        Assert.Equal(QuestionEstate.Alice, hit.Principal.Id);
        Assert.Equal("Sam Taylor", hit.Principal.Name);
        Assert.Equal(4, result.Answer.Asked);
    }

    [Fact]
    public void Explain_AzureServiceFilterAndEligibleRole_OnlyThatProviderNamespace()
    {
        // Given carol: Reader on the root group and PIM-eligible Owner on contoso-dev
        using var session = new CiemSession(estate.Db);

        // When her effective access is asked for Microsoft.Compute only, by object id
        var result = EffectiveQuestion.Explain(session, QuestionEstate.Carol, "Microsoft.Compute", QuestionEstate.Now);

        // Then only Microsoft.Compute grants are shown, and the eligible Owner role is listed apart
        var answer = result.Answer!;
        Assert.NotEmpty(answer.Grants);
        Assert.All(answer.Grants, g => Assert.StartsWith("Microsoft.Compute/", g.Permission, StringComparison.OrdinalIgnoreCase));
        Assert.True(answer.Access.Grants.Length > answer.Grants.Length);
        Assert.Contains(answer.Eligible, e => e.RoleName == "Owner");
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Explain_UnknownService_WarnsWithTheClosestPrefix()
    {
        using var session = new CiemSession(estate.Db);

        var result = EffectiveQuestion.Explain(session, "alice.admin", "s4", QuestionEstate.Now);

        Assert.Equal(DiagnosticCodes.CliUnknownPermission, Assert.Single(result.Warnings).Code);
        Assert.Empty(result.Answer!.Grants);
    }

    [Fact]
    public void Explain_AwsAdministrator_StandingAndServiceSummary()
    {
        using var session = new CiemSession(estate.Db);

        var result = EffectiveQuestion.Explain(session, "alice.admin", "iam", QuestionEstate.Now);

        var aws = result.Answer!.Aws!;
        Assert.Equal(AdminCategory.Administrator, aws.Standing.Category);
        var iam = Assert.Single(aws.Services);
        Assert.Equal("iam", iam.Service);
        Assert.Equal(iam.Of, iam.Allowed);
        Assert.True(iam.PermissionsManagement > 0);
    }

    [Fact]
    public void Explain_GcpServiceAccountByBareEmail_ItsBindings()
    {
        using var session = new CiemSession(estate.Db);

        var result = EffectiveQuestion.Explain(session, "ci-deploy@acme-dev.iam.gserviceaccount.com", "storage", QuestionEstate.Now);

        Assert.Equal("serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com", result.Answer!.Access.Identity.Id);
        Assert.Contains(result.Answer.Grants, g => g.Permission == "storage.objects.get");
        Assert.Null(result.Answer.Aws);
    }

    [Fact]
    public void List_EveryProvider_OneSectionEachInOrder()
    {
        using var session = new CiemSession(estate.Db);

        var result = IdentityListing.List(session, null, new IdentityFilter(), QuestionEstate.Now);

        var sections = result.Answer!.Sections.Select(s => s.Answer!).ToArray();
        Assert.Equal(["aws", "azure", "gcp"], sections.Select(s => s.Provider));
        Assert.Contains(sections[0].Aws,
            r => r.Permissions.Context.Identity.Name == "alice.admin" && r.Standing.Category == AdminCategory.Administrator);
        // Azure identities are named by the directory first
        Assert.Contains(sections[1].Cloud, r => r.Access.Identity.Id == QuestionEstate.Bob && r.Access.Identity.Name == "Bob Stone");
        Assert.Contains(sections[1].Cloud, r => r.Access.Identity.Id == QuestionEstate.Carol && r.Eligible.Length == 1);
        Assert.Contains(sections[2].Cloud, r => r.Access.Identity.Id == "user:admin@acme.example" && r.Access.IsAdministrator);
    }

    [Fact]
    public void List_ServiceKindOfAzure_OnlyServicePrincipalsAndNoOwnersKnown()
    {
        using var session = new CiemSession(estate.Db);

        var result = IdentityListing.List(session, "azure", new IdentityFilter(Kind: "service"), QuestionEstate.Now);

        var azure = Assert.Single(result.Answer!.Sections).Answer!;
        var row = Assert.Single(azure.Cloud);
        Assert.Equal("ci-deploy-pipeline", row.Access.Identity.Name);
        Assert.Null(row.Owner?.Owner);
    }

    [Fact]
    public void List_NoOwnerWithHumanKind_Refused()
    {
        using var session = new CiemSession(estate.Db);

        var result = IdentityListing.List(session, null, new IdentityFilter(Kind: "human", NoOwner: true), QuestionEstate.Now);

        Assert.Equal("`--no-owner` lists service identities; it cannot be combined with `--kind human`", result.Problem!.Message);
    }

    [Fact]
    public void List_EmptyStore_TheAwsSectionSaysWhy()
    {
        using var session = new CiemSession(estate.Missing("list-empty"));

        var result = IdentityListing.List(session, null, new IdentityFilter(), QuestionEstate.Now);

        var section = Assert.Single(result.Answer!.Sections);
        Assert.Equal(QuestionFailure.Unavailable, section.Problem!.Kind);
        Assert.Contains("ciem import aws PATH", section.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 5, 20, "give an IDENTITY")]
    [InlineData("alice.admin", 0, 20, "`--max-hops 0` is out of range: give 1 to 20 hops")]
    [InlineData("alice.admin", 21, 20, "`--max-hops 21` is out of range: give 1 to 20 hops")]
    [InlineData("alice.admin", 5, 0, "`--limit 0` must be at least 1")]
    public void Paths_OutOfRangeRequest_Refused(string? identity, int maxHops, int limit, string problem)
    {
        using var session = new CiemSession(estate.Missing("paths-range"));

        var result = PathsQuestion.Ask(session, new PathsRequest(identity, [], maxHops, limit, null, []));

        Assert.StartsWith(problem, result.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(QuestionFailure.InvalidInput, result.Problem.Kind);
    }

    [Fact]
    public void Paths_ToARequestOfTwoWords_GoalNamedByTheRequest()
    {
        using var session = new CiemSession(estate.Db);

        var admin = PathsQuestion.Ask(session, new PathsRequest("alice.admin", [], 5, 20, null, []));
        var request = PathsQuestion.Ask(session, new PathsRequest("alice.admin", ["s3:GetObject", "*"], 5, 20, null, []));
        var three = PathsQuestion.Ask(session, new PathsRequest("alice.admin", ["a", "b", "c"], 5, 20, null, []));

        Assert.Equal("administrator", admin.Answer!.Goal);
        Assert.Equal(AdminCategory.Administrator, admin.Answer.Standing.Category);
        Assert.Equal("s3:GetObject on *", request.Answer!.Goal);
        Assert.Equal("`--to a b c` is neither `admin` nor ACTION RESOURCE", three.Problem!.Message);
    }

    [Fact]
    public void Administrators_OneAccount_OnlyItsRowsAdministratorsFirst()
    {
        using var session = new CiemSession(estate.Db);

        var rows = PathsQuestion.Administrators(session, "111111111111", []).Answer!.Administrators;

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("111111111111", r.Account));
        Assert.Contains(rows,
            r => r.Standing.Identity.Identity.Name == "alice.admin" && r.Standing.Category == AdminCategory.Administrator);
        var categories = rows.Select(r => r.Standing.Category).ToArray();
        Assert.Equal(categories.OrderByDescending(c => c), categories);
    }
}
