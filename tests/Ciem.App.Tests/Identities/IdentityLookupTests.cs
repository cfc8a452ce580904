using Ciem.App.Identities;
using Ciem.App.Questions;
using Ciem.App.Tests.Questions;
using Ciem.Core.Diagnostics;

namespace Ciem.App.Tests.Identities;

/// <summary>One identity named in any form, for every provider, over the samples of the three clouds and an Entra directory.</summary>
public sealed class IdentityLookupTests(QuestionEstate estate) : IClassFixture<QuestionEstate>
{
    [Theory]
    [InlineData(QuestionEstate.Alice)]
    [InlineData("A11CE000-0000-4000-8000-000000000001")]
    [InlineData("sam.taylor@contoso.example")]
    [InlineData("ALICE@contoso.example")]
    public void Resolve_AzureUserByGuidUpnOrMail_TheSamePrincipalNamedByTheDirectory(string query)
    {
        // Given the Azure sample and an Entra directory that names alice `Sam Taylor`
        using var session = new CiemSession(estate.Db);

        // When she is named by object id (any case), user principal name or e-mail
        var result = IdentityLookup.Resolve(session, "azure", query);

        // Then every form finds her, shown by the directory's name
        Assert.Null(result.Problem);
        Assert.Equal(QuestionEstate.Alice, result.Answer!.Id);
        Assert.Equal("Sam Taylor", result.Answer.Name);
        Assert.Equal("User", result.Answer.Type);
    }

    [Theory]
    [InlineData(QuestionEstate.CiDeployAppId)]
    [InlineData("ci-deploy-pipeline")]
    [InlineData("ci-deploy")]
    public void Resolve_AzureServicePrincipalByAppIdOrName_ItsObjectId(string query)
    {
        // Given a service principal whose app id differs from its object id
        using var session = new CiemSession(estate.Db);

        // When it is named by app id, directory display name or the name its role assignments carry
        var result = IdentityLookup.Resolve(session, "azure", query);

        // Then the object id comes back, never the app id
        Assert.Equal(QuestionEstate.CiDeploy, result.Answer?.Id);
        Assert.Equal("ServicePrincipal", result.Answer!.Type);
    }

    [Fact]
    public void Resolve_AzureDisplayNameOfTwoUsers_AmbiguousListingBoth()
    {
        // Given alice and carol, both `Sam Taylor` in the directory
        using var session = new CiemSession(estate.Db);

        // When the shared display name is asked
        var result = IdentityLookup.Resolve(session, "azure", "sam taylor");

        // Then no principal is guessed: the problem names both ids and asks for one
        Assert.Null(result.Answer);
        Assert.Equal(QuestionFailure.InvalidInput, result.Problem!.Kind);
        Assert.Equal(DiagnosticCodes.CliUnknownIdentity, result.Problem.Code);
        Assert.Contains($"`{QuestionEstate.Alice}` (Sam Taylor)", result.Problem.Message, StringComparison.Ordinal);
        Assert.Contains($"`{QuestionEstate.Carol}` (Sam Taylor)", result.Problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("give the id", result.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AzureNearMissOfAUpn_UnknownWithTheClosestName()
    {
        // Given the directory's `sam.taylor@contoso.example`
        using var session = new CiemSession(estate.Db);

        // When a one-letter typo of it is asked
        var result = IdentityLookup.Resolve(session, "azure", "sam.tailor@contoso.example");

        // Then nothing is found and the message suggests the real name
        Assert.Null(result.Answer);
        var message = result.Problem!.Message;
        Assert.StartsWith("no azure principal `sam.tailor@contoso.example` in the store", message, StringComparison.Ordinal);
        Assert.Contains("did you mean `sam.taylor@contoso.example`", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("carol@acme.example", "user:carol@acme.example")]
    [InlineData("ci-deploy@acme-dev.iam.gserviceaccount.com", "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com")]
    [InlineData("group:auditors@acme.example", "group:auditors@acme.example")]
    [InlineData("allUsers", "allUsers")]
    public void Resolve_GcpBareEmailOrMember_TheMemberAsIamWritesIt(string query, string member)
    {
        // Given the GCP sample
        using var session = new CiemSession(estate.Db);

        // When a bare e-mail (a user, or a service account by its domain) or a member is asked
        var result = IdentityLookup.Resolve(session, "gcp", query);

        // Then it is the member IAM bindings name
        Assert.Equal(member, result.Answer?.Id);
        Assert.Equal("gcp", result.Answer!.Provider);
    }

    [Theory]
    [InlineData("alice.admin", "arn:aws:iam::111111111111:user/alice.admin")]
    [InlineData("arn:aws:iam::111111111111:user/alice.admin", "arn:aws:iam::111111111111:user/alice.admin")]
    [InlineData("222222222222/OrganizationAccountAccessRole", "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")]
    public void Resolve_AwsNameArnOrAccountAndName_TheIdentity(string query, string arn)
    {
        using var session = new CiemSession(estate.Db);

        var result = IdentityLookup.Resolve(session, "aws", query);

        Assert.Equal(arn, result.Answer?.Id);
        Assert.Equal(arn, result.Answer!.Aws?.Identity.Id);
    }

    [Fact]
    public void Resolve_AwsRoleNameInTwoAccounts_AmbiguousListingBothArns()
    {
        // Given `OrganizationAccountAccessRole` in both sample accounts
        using var session = new CiemSession(estate.Db);

        // When the bare name is asked (its near-miss twin above gives the account)
        var result = IdentityLookup.Resolve(session, "aws", "OrganizationAccountAccessRole");

        // Then it is ambiguous, naming both ARNs
        Assert.Null(result.Answer);
        Assert.Equal(QuestionFailure.InvalidInput, result.Problem!.Kind);
        Assert.Contains("arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", result.Problem.Message, StringComparison.Ordinal);
        Assert.Contains("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", result.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("azure")]
    [InlineData("gcp")]
    public void Resolve_MissingStore_UnavailableNamingTheImport(string provider)
    {
        // Given a store path where nothing was imported
        using var session = new CiemSession(estate.Missing("resolve-" + provider));

        // When an identity is looked up
        var result = IdentityLookup.Resolve(session, provider, "anyone");

        // Then the store cannot answer, and says which import would fill it
        Assert.Equal(QuestionFailure.Unavailable, result.Problem!.Kind);
        Assert.Contains($"ciem import {provider} PATH", result.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::111111111111:user/x", "aws")]
    [InlineData("alice.admin", "aws")]
    [InlineData(QuestionEstate.Alice, "azure")]
    [InlineData("carol@acme.example", "gcp")]
    [InlineData("serviceAccount:a@p.iam.gserviceaccount.com", "gcp")]
    [InlineData("allAuthenticatedUsers", "gcp")]
    public void ProviderOfIdentity_ByForm(string identity, string provider) =>
        Assert.Equal(provider, PrincipalForms.ProviderOfIdentity(identity));

    [Theory]
    [InlineData("s3:GetObject", "aws")]
    [InlineData("Microsoft.Compute/virtualMachines/delete", "azure")]
    [InlineData("storage.objects.get", "gcp")]
    public void ProviderOfPermission_ByForm(string permission, string provider) =>
        Assert.Equal(provider, PrincipalForms.ProviderOfPermission(permission));
}
