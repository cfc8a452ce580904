using System.Text.Json;
using Ciem.App.Questions;
using Ciem.App.Reports;
using Ciem.App.Tests.Questions;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.App.Tests.Reports;

/// <summary>The `--format json` documents the commands write, built by App so the server can serve the same ones.</summary>
public sealed class CommandJsonTests(QuestionEstate estate) : IClassFixture<QuestionEstate>
{
    private static JsonElement Serialize(object document) => JsonSerializer.SerializeToElement(document, ReportJson.Options);

    [Fact]
    public void GapAws_OneIdentityVersusAll_UsedActionsOnlyInDetail()
    {
        // Given the gap of one named user
        using var session = new CiemSession(estate.Db);
        var answer = GapQuestion.Aws(session, "break-glass", QuestionEstate.Now, new SweepOptions { WindowDays = 30 }).Answer!;

        // When its document is built in detail and as a list row
        var detail = Serialize(GapJson.Aws(answer, detail: true));
        var row = Serialize(GapJson.Aws(answer, detail: false));

        // Then both carry the identity and window; only the detail lists the used actions (none here)
        var identity = detail.GetProperty("identities")[0];
        Assert.Equal("arn:aws:iam::111111111111:user/break-glass", identity.GetProperty("identity").GetString());
        Assert.True(identity.GetProperty("admin").GetBoolean());
        Assert.Equal(30, detail.GetProperty("windowDays").GetInt32());
        Assert.Equal(0, identity.GetProperty("usedActions").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("identities")[0].GetProperty("usedActions").ValueKind);
    }

    [Fact]
    public void GapCloud_GcpMember_ProviderNameAndUnknownPermissionsInDetail()
    {
        // Given one GCP service account's gap
        using var session = new CiemSession(estate.Db);
        const string member = "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com";
        var answer = GapQuestion.Cloud(session, Provider.Gcp, member, QuestionEstate.Now, 30).Answer!;

        // When its document is built
        var document = Serialize(GapJson.Cloud(answer, detail: true));

        // Then the provider is named as the option spells it, and the detail fields are arrays
        Assert.Equal("gcp", document.GetProperty("provider").GetString());
        var identity = Assert.Single(document.GetProperty("identities").EnumerateArray());
        Assert.Equal(member, identity.GetProperty("identity").GetString());
        Assert.Equal(JsonValueKind.Array, identity.GetProperty("unknownPermissions").ValueKind);
    }

    [Theory]
    [InlineData(KeepReason.Used, "used")]
    [InlineData(KeepReason.Seasonal, "seasonal")]
    [InlineData(KeepReason.Exception, "exception")]
    [InlineData(KeepReason.NotRecorded, "unknown")]
    public void ReasonName_EachKeepReason_ItsWord(KeepReason reason, string expected) =>
        Assert.Equal(expected, ProposeJson.ReasonName(reason));
}
