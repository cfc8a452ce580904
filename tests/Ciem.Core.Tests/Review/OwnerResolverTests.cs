using System.Collections.Immutable;
using Ciem.Core.Model;
using Ciem.Core.Review;
using static Ciem.Core.Tests.Review.ReviewTestData;

namespace Ciem.Core.Tests.Review;

public sealed class OwnerResolverTests
{
    private const string Id = "arn:aws:iam::111111111111:role/deploy";

    [Fact]
    public void Resolve_TeamTag_TagSource()
    {
        // Given a role with no owner tag but a team tag (case differs)
        var c = Candidate(Id, tags: [("Team", "payments")]);

        // Then the team is the owner, from the tag
        Assert.Equal(new OwnerAssignment("payments", OwnerSource.Tag, "tag `Team`"), OwnerResolver.Resolve(c, new OwnerSources()));
    }

    [Fact]
    public void Resolve_OidcTrust_RepositorySource()
    {
        // Given no tag and a role trusted by a repository's OIDC subject
        var sources = new OwnerSources { OidcRepositories = ImmutableDictionary<string, string>.Empty.Add(Id, "github.com/acme/payments") };

        // Then the repository owns it
        var owner = OwnerResolver.Resolve(Candidate(Id, tags: []), sources)!;
        Assert.Equal(("github.com/acme/payments", OwnerSource.OidcRepository), (owner.Owner, owner.Source));
    }

    [Fact]
    public void Resolve_CodeOwnersLastMatchWins_CodeOwnersSource()
    {
        // Given a CODEOWNERS file whose later, more specific rule covers the file defining the role
        var codeOwners = CodeOwners.Parse("# owners\n*.tf @acme/platform\n/iam/payments/ @acme/payments @alice\ndocs/ @acme/docs\n");
        var sources = new OwnerSources
        {
            CodeOwners = codeOwners, IacFiles = ImmutableDictionary<string, string>.Empty.Add(Id, "iam/payments/roles.tf"),
        };

        // Then the later rule's owners own it, with the line recorded
        var owner = OwnerResolver.Resolve(Candidate(Id, tags: []), sources)!;
        Assert.Equal("@acme/payments @alice", owner.Owner);
        Assert.Equal(OwnerSource.CodeOwners, owner.Source);
        Assert.Equal("CODEOWNERS line 3 for `iam/payments/roles.tf`", owner.Evidence);
        Assert.Equal("@acme/platform", codeOwners.OwnersOf("iam/other/roles.tf")!.Owners.Single());
        Assert.Null(codeOwners.OwnersOf("README.md"));
        Assert.Equal(4, codeOwners.OwnersOf("sub/docs/a.md")!.Line);
    }

    [Fact]
    public void Resolve_EntraApplicationOwner_DirectorySource()
    {
        // Given an Azure service principal whose application has a directory owner
        var c = Candidate("sp-1", provider: "azure", kind: IdentityKind.ServiceIdentity, tags: [], directoryOwner: "alice@contoso.test");

        // Then the directory owner owns it
        var owner = OwnerResolver.Resolve(c, new OwnerSources())!;
        Assert.Equal(("alice@contoso.test", OwnerSource.DirectoryOwner), (owner.Owner, owner.Source));
    }

    [Fact]
    public void Resolve_GcpServiceAccountOwnersMap_DirectorySource()
    {
        // Given a GCP service account whose owners come from the directory map
        var id = "serviceAccount:etl@proj.iam.gserviceaccount.com";
        var sources = new OwnerSources { DirectoryOwners = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add(id, ["bob@acme.test"]) };

        // Then they own it
        Assert.Equal(OwnerSource.DirectoryOwner, OwnerResolver.Resolve(Candidate(id, provider: "gcp", tags: []), sources)!.Source);
    }

    [Fact]
    public void Resolve_Human_SelfOrManager()
    {
        // Given a person without and with a manager in the directory
        var person = Candidate("user/carol", kind: IdentityKind.HumanUser, tags: []);
        var withManager = new OwnerSources { Managers = ImmutableDictionary<string, string>.Empty.Add("user/carol", "dave@acme.test") };

        // Then they answer for themselves, or their manager does
        Assert.Equal(("carol", OwnerSource.Self), (OwnerResolver.Resolve(person, new OwnerSources())!.Owner, OwnerResolver.Resolve(person, new OwnerSources())!.Source));
        Assert.Equal(("dave@acme.test", OwnerSource.Manager), (OwnerResolver.Resolve(person, withManager)!.Owner, OwnerResolver.Resolve(person, withManager)!.Source));
    }

    [Fact]
    public void Resolve_NothingButFallback_FallbackThenUnowned()
    {
        // Given a service identity with nothing but a fallback for its account, and its twin in another account
        var sources = new OwnerSources { Fallback = ImmutableDictionary<string, string>.Empty.Add("111111111111", "cloud-team@acme.test") };

        // Then the first falls back, the second is unowned
        Assert.Equal(OwnerSource.Fallback, OwnerResolver.Resolve(Candidate(Id, tags: []), sources)!.Source);
        Assert.Null(OwnerResolver.Resolve(Candidate(Id, tags: [], scope: "222222222222"), sources));
    }
}
