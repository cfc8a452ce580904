using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Iac;

/// <summary>Plan findings moved to the `.tf` line of their resource, given the folder's place in its repository.</summary>
public sealed class PlanSourceMapTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ciem-plan-map-" + Guid.NewGuid().ToString("N"));

    private const string MainTf = """
        resource "aws_iam_role" "app" {
          name = "app"
        }

        module "readers" {
          source = "./modules/reader"
        }

        module "remote" {
          source = "terraform-aws-modules/iam/aws"
        }

        """;

    private const string ReaderTf = """
        variable "users" { default = ["bob"] }

        resource "aws_iam_user_policy" "this" {
          user = "bob"
        }

        """;

    private const string Plan = """
        {"resource_changes":[
          {"address":"aws_iam_role.app"},
          {"address":"module.readers.aws_iam_user_policy.this[\"bob\"]"},
          {"address":"aws_iam_role.elsewhere"}]}
        """;

    public PlanSourceMapTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "modules", "reader"));
        File.WriteAllText(Path.Combine(_folder, "main.tf"), MainTf);
        File.WriteAllText(Path.Combine(_folder, "modules", "reader", "main.tf"), ReaderTf);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static GateFinding Finding(string jsonPath, string file = "plan.json") =>
        new("CIEM-G001", FindingSeverity.High, "p", "m", [], new SourceLocation(file, null, jsonPath));

    [Fact]
    public void Map_RootAndLocalModuleResources_TfLinesUnderThePrefix()
    {
        // Given the folder mapped as `infra/` of its repository (a remote module is not read)
        var map = PlanSourceMap.Build(new DirectoryInfo(_folder), "infra/");

        // When findings of the plan's first two resources are mapped
        var mapped = map.Map(
            [Finding("$.resource_changes[0].change.after"), Finding("$.resource_changes[1].change.after.policy")], Plan, "plan.json");

        // Then each points at its block's line, the plan's JSON path kept; the instance key is dropped from the address
        Assert.Equal(new SourceLocation("infra/main.tf", 1, "$.resource_changes[0].change.after"), mapped[0].Location);
        var module = new SourceLocation("infra/modules/reader/main.tf", 3, "$.resource_changes[1].change.after.policy");
        Assert.Equal(module, mapped[1].Location);
    }

    [Fact]
    public void Map_UnknownResourceOtherFileOrOutOfRange_LocationKept()
    {
        // Given the folder outside any repository
        var map = PlanSourceMap.Build(new DirectoryInfo(_folder), "");
        var elsewhere = Finding("$.resource_changes[2].change");
        var otherFile = Finding("$.resource_changes[0].change", "other.json");
        var beyond = Finding("$.resource_changes[7].change");

        // When findings of a resource not in the source, of another file and past the plan's changes are mapped
        var mapped = map.Map([elsewhere, otherFile, beyond], Plan, "plan.json");

        // Then each keeps its place in the plan
        Assert.Equal(3, mapped.Count);
        Assert.Equal(elsewhere.Location, mapped[0].Location);
        Assert.Equal(otherFile.Location, mapped[1].Location);
        Assert.Equal(beyond.Location, mapped[2].Location);
    }

    [Theory]
    [InlineData("", "./modules/reader", "modules/reader/")]
    [InlineData("infra/", "../shared", "shared/")]
    [InlineData("infra/", ".", "infra/")]
    [InlineData("", "..", "../")]
    [InlineData("a/b/", "../../..", "../")]
    public void Combine_PrefixAndSource_NormalisedFolder(string prefix, string source, string expected) =>
        Assert.Equal(expected, WorkTreeFiles.Combine(prefix, source));
}
