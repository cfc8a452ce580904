using System.Diagnostics;
using System.Text.Json;

namespace Ciem.Cli.Tests.Gate;

/// <summary>
/// `ciem check` on pull-request content built to hurt the runner: `file()` out of the work tree or on a device, files
/// past the size bound, nesting past any template, alias bombs. Each ends quickly with a located diagnostic, and what
/// could not be read is rated by what it could grant, so the gate fails at its default threshold.
/// </summary>
public sealed class GateBoundsTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Folder(string policy, params (string Name, string Text)[] files)
    {
        var dir = Path.Combine(_cli.Home, $"infra-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "iam.tf"), $$"""
            resource "aws_iam_policy" "deploy" {
              name   = "deploy"
              policy = {{policy}}
            }
            """);
        foreach (var (name, text) in files) { File.WriteAllText(Path.Combine(dir, name), text); }
        return dir;
    }

    private (int Code, JsonElement Findings, string Err, TimeSpan Took) Check(params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var (code, output, err) = _cli.Run(["check", .. args, "--format", "json"]);
        watch.Stop();
        if (code == 3) { return (code, default, err, watch.Elapsed); }
        using var doc = JsonDocument.Parse(output);
        return (code, doc.RootElement.GetProperty("findings").Clone(), err, watch.Elapsed);
    }

    [Theory]
    [InlineData("file(\"/dev/zero\")", "/dev/zero")]
    [InlineData("file(\"/etc/hostname\")", "/etc/hostname")]
    [InlineData("file(\"../../../../../../etc/hostname\")", "../../../../../../etc/hostname")]
    [InlineData("file(\"big.json\")", "big.json")]
    public void Check_FileOutsideTheTreeDeviceOrTooLarge_NotReadRatedCriticalGateFails(string policy, string named)
    {
        // Given a pull request whose policy is `file()` of a device, of a file outside the checkout, or of a file
        // inside it past the 1 MiB bound (a valid policy padded with spaces)
        var big = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""" + new string(' ', 1_100_000);
        var dir = Folder(policy, ("big.json", big));

        // When the gate runs with its default threshold
        var (code, findings, err, took) = Check("--hcl", dir);

        // Then nothing was read (at once, not after filling memory with zeros), the policy is unknown content named at
        // its line, rated critical as it could grant anything, and the gate fails
        Assert.True(code == 2, err);
        Assert.True(took < TimeSpan.FromSeconds(60), took.ToString());
        Assert.Contains($"`{named}` cannot be read: only regular files inside the work tree", err, StringComparison.Ordinal);
        Assert.Contains("iam.tf:3", err, StringComparison.Ordinal);
        var finding = Assert.Single(findings.EnumerateArray(), f => f.GetProperty("rule").GetString() == "indeterminate-change");
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
    }

    [Fact]
    public void Check_FileInsideTheTreeWithinTheBound_ReadAndPasses()
    {
        // Given the near-miss twin: `file()` of a small read-only policy beside the module
        var dir = Folder("file(\"policy.json\")",
            ("policy.json", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"""));

        // When the gate runs, Then the policy is read and nothing is indeterminate
        var (code, findings, err, _) = Check("--hcl", dir);
        Assert.True(code == 0, err);
        Assert.DoesNotContain(findings.EnumerateArray(), f => f.GetProperty("rule").GetString() == "indeterminate-change");
    }

    [Fact]
    public void Check_DeeplyNestedCloudFormationJson_LocatedErrorNotStackOverflow()
    {
        // Given a JSON template whose policy document nests 100,000 arrays
        var path = Path.Combine(_cli.Home, "deep.json");
        File.WriteAllText(path, """{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"Policies":""" + new string('[', 100_000) + new string(']', 100_000) + "}}}}");

        // When the gate reads it
        var (code, _, err, _) = Check("--template", path);

        // Then it is unreadable input (exit 3) with the file and the depth named, not a crashed process
        Assert.Equal(3, code);
        Assert.Contains("deep.json", err, StringComparison.Ordinal);
        Assert.Contains("depth", err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Check_DeeplyNestedHclBlocks_LocatedDiagnosticNotStackOverflow()
    {
        // Given a module whose policy document nests 100,000 blocks
        var dir = Path.Combine(_cli.Home, "blocks");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "iam.tf"), "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n"
            + string.Concat(Enumerable.Repeat("x {\n", 100_000)) + new string('}', 100_000) + "\n  }\n}\n"
            + "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = data.aws_iam_policy_document.d.json\n}\n");

        // When the gate reads it, Then it ends (no stack overflow kills the process) and says where the nesting is
        var (code, _, err, _) = Check("--hcl", dir);
        Assert.True(code is 2 or 3, err);
        Assert.Contains("iam.tf", err, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 64", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_YamlAliasBomb_RefusedQuicklyWithTheLine()
    {
        // Given the 481-byte kind of template whose aliases expand to hundreds of millions of values
        var path = Path.Combine(_cli.Home, "bomb.yaml");
        File.WriteAllText(path, """
            a: &a ["x","x","x","x","x","x","x","x","x"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            Resources: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """);

        // When the gate reads it, Then it is refused as unreadable input, naming the file
        var (code, _, err, took) = Check("--template", path);
        Assert.Equal(3, code);
        Assert.Contains("bomb.yaml", err, StringComparison.Ordinal);
        Assert.Contains("expands to more than", err, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(60), took.ToString());
    }
}
