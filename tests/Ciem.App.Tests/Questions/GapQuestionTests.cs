using Ciem.App.Questions;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.App.Tests.Questions;

/// <summary>`ciem gap`'s question as an App call: granted versus used per identity, for AWS and for Azure and GCP.</summary>
public sealed class GapQuestionTests(QuestionEstate estate) : IClassFixture<QuestionEstate>
{
    private const string BreakGlass = "arn:aws:iam::111111111111:user/break-glass";
    private const string CiDeploySa = "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com";

    [Fact]
    public void Aws_EveryIdentityWithoutUsage_NothingUsedAndOneUsedListEach()
    {
        // Given the AWS sample and no audit log imported
        using var session = new CiemSession(estate.Db);

        // When the gap of every identity is asked over 90 days
        var result = GapQuestion.Aws(session, null, QuestionEstate.Now, new SweepOptions { WindowDays = 90 });

        // Then every identity of the estate has a gap, none used anything, and the used lists run parallel to the gaps
        var answer = result.Answer!;
        Assert.Null(result.Problem);
        Assert.Equal(session.Aws.Value!.Identities.Length, answer.Gaps.Length);
        Assert.Equal(answer.Gaps.Length, answer.Used.Length);
        Assert.All(answer.Gaps, g => Assert.Equal(0, g.Used));
        Assert.All(answer.Used, u => Assert.Empty(u));
        Assert.Contains(answer.Gaps, g => g.Identity.Id == BreakGlass && g.Granted > 0 && g.IsAdministrator);
        Assert.Equal(answer.Gaps.Length, answer.Summary().Identities);
        Assert.Equal(answer.Gaps.Sum(g => (long)g.Granted), answer.Summary().GrantedTotal);
    }

    [Fact]
    public void Aws_OneIdentityByNameVersusAnUnknownName_OneGapOrInvalid()
    {
        // Given the AWS sample
        using var session = new CiemSession(estate.Db);

        // When one user is asked by name, and a near-miss of that name
        var one = GapQuestion.Aws(session, "break-glass", QuestionEstate.Now, new SweepOptions());
        var miss = GapQuestion.Aws(session, "break-glas", QuestionEstate.Now, new SweepOptions());

        // Then the name gives exactly that user's gap; the near miss is invalid input, not an empty answer
        Assert.Equal(BreakGlass, Assert.Single(one.Answer!.Gaps).Identity.Id);
        Assert.Null(miss.Answer);
        Assert.Equal(QuestionFailure.InvalidInput, miss.Problem!.Kind);
        Assert.Contains("break-glas", miss.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cloud_GcpMemberVersusUnknownMember_OneGapOrCodedProblem()
    {
        // Given the GCP sample
        using var session = new CiemSession(estate.Db);

        // When every member, one service account and an unknown one are asked
        var all = GapQuestion.Cloud(session, Provider.Gcp, null, QuestionEstate.Now, 30);
        var one = GapQuestion.Cloud(session, Provider.Gcp, CiDeploySa, QuestionEstate.Now, 30);
        const string nobody = "serviceAccount:nobody@acme-dev.iam.gserviceaccount.com";
        var unknown = GapQuestion.Cloud(session, Provider.Gcp, nobody, QuestionEstate.Now, 30);

        // Then the service account is one of all the members, alone when asked; the unknown one is refused with its code
        Assert.True(all.Answer!.Gaps.Count > 1);
        Assert.Contains(all.Answer.Gaps, g => g.Identity.Id == CiDeploySa);
        var gap = Assert.Single(one.Answer!.Gaps);
        Assert.Equal(CiDeploySa, gap.Identity.Id);
        Assert.Equal(0, gap.Used);
        Assert.Equal(30, one.Answer.WindowDays);
        Assert.Equal(QuestionFailure.InvalidInput, unknown.Problem!.Kind);
        Assert.Equal(DiagnosticCodes.CliUnknownIdentity, unknown.Problem.Code);
    }

    [Fact]
    public void Cloud_AzureAgainstAStoreWithoutIt_Unavailable()
    {
        // Given a store that holds nothing
        using var session = new CiemSession(estate.Missing("gap-azure"));

        // When the Azure gap is asked
        var result = GapQuestion.Cloud(session, Provider.Azure, null, QuestionEstate.Now, 30);

        // Then there is no answer, and the problem is the store, not the question
        Assert.Null(result.Answer);
        Assert.Equal(QuestionFailure.Unavailable, result.Problem!.Kind);
    }

    [Fact]
    public void Cloud_AzurePrincipals_TheSamplePrincipalsWithTheirGrants()
    {
        // Given the Azure sample
        using var session = new CiemSession(estate.Db);

        // When every principal's gap is asked
        var result = GapQuestion.Cloud(session, Provider.Azure, null, QuestionEstate.Now, 30);

        // Then alice (Owner) is among them with grants and no use
        var alice = Assert.Single(result.Answer!.Gaps, g => g.Identity.Id == QuestionEstate.Alice);
        Assert.True(alice.Granted > 0);
        Assert.Equal(0, alice.Used);
        Assert.Null(alice.LastActivity);
    }
}
