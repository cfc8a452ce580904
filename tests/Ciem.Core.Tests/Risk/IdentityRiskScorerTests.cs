using Ciem.Core.Paths;
using Ciem.Core.Risk;
using Ciem.Core.Tests.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Risk;

public sealed class IdentityRiskScorerTests
{
    private static readonly DateTimeOffset AsOf = TakenAt.AddDays(10);

    [Fact]
    public void Score_AdministratorTrustedByAnyone_SumsTheFixedPoints()
    {
        // Given an admin role anyone may assume, a user with a path to it, and a harmless role trusted by an outside account
        var paths = new PathScenario()
            .Role("open-admin", Trust("\"*\""), AdminPolicy)
            .User("dev", Policy(Allow("sts:AssumeRole")))
            .Role("partner", TrustAws("arn:aws:iam::999988887777:root"), Policy(Allow("s3:GetObject")))
            .Paths();

        // When the estate is scored
        var risks = IdentityRiskScorer.Score(paths.Graph.Estate, paths.Standings, AsOf).ToDictionary(r => r.Identity.Identity.Name);

        // Then each score is the plain sum of its factors, ranked highest first
        var admin = risks["open-admin"];
        Assert.Equal(["administrator", "trusted-by-anyone", "inactive", "unused-administrator"], admin.Factors.Select(f => f.Id));
        Assert.Equal(40 + 30 + 10 + 15, admin.Score);
        Assert.Equal(["path-to-administrator", "inactive", "unused-administrator"], risks["dev"].Factors.Select(f => f.Id));
        Assert.Contains("sts-assume-role", risks["dev"].Factors[0].Detail, StringComparison.Ordinal);
        // The partner role holds no sts:AssumeRole grant, yet the open role's trust (`*`) alone lets it in: a path
        var partner = risks["partner"];
        Assert.Equal("path-to-administrator", partner.Factors[0].Id);
        var outside = Assert.Single(partner.Factors, f => f.Id == "trusted-by-outside-account");
        Assert.Contains("999988887777", outside.Detail, StringComparison.Ordinal);
        Assert.Equal(risks.Values.Max(r => r.Score), IdentityRiskScorer.Score(paths.Graph.Estate, paths.Standings, AsOf)[0].Score);
    }

    [Fact]
    public void Score_TrustWithinTheEstate_IsNotOutside()
    {
        // Given a role of account B trusting account A, both in the estate
        var paths = new PathScenario()
            .User("a-user", Policy(Allow("s3:GetObject")))
            .Role("b-role", TrustAws(A), Policy(Allow("s3:GetObject")), account: B)
            .Paths();

        // When scored / Then the trust from A is not counted as outside
        var risk = IdentityRiskScorer.Score(paths.Graph.Estate, paths.Standings, AsOf).Single(r => r.Identity.Identity.Name == "b-role");
        Assert.DoesNotContain(risk.Factors, f => f.Id == "trusted-by-outside-account");
        Assert.Equal(AdminCategory.None, paths.Standing("b-role").Category);
    }
}
