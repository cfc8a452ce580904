using System.Security.Cryptography;
using System.Text;
using Ciem.Demo;
using Ciem.Tests;

namespace Ciem.Bench.Tests;

/// <summary>
/// Ciem.Demo's simulate request generator against the bytes of the Python generator it replaced
/// (bench/SimulateRequests/gen_simulate_requests.py, removed after the port): the files under `SimulationRequests/`
/// and the hash below were written by it.
/// </summary>
public sealed class SimulationRequestGeneratorTests
{
    private static readonly string Folder = TestPaths.Repo("tests", "Ciem.Bench.Tests", "SimulationRequests");

    [Fact]
    public void Generate_EdgeCaseExport_SameBytesAsThePythonGenerator()
    {
        // Given an export with non-ASCII and control characters, quotes, a duplicate member name, floats and integers
        // of every form, a missing managed policy, a non-default version and a role without policies
        using var input = File.OpenRead(Path.Combine(Folder, "edge-cases-authz.json"));
        using var output = new MemoryStream();

        // When three requests are generated
        var result = SimulationRequestGenerator.Generate(input, "edge-cases-authz.json", 3, output);

        // Then the two roles with policies take turns and the bytes are the Python generator's
        Assert.Equal(new SimulationRequestsResult(3, 2), result);
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, "edge-cases.python.jsonl")), Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    [Trait("Category", "SharedData")]
    public void Generate_ExampleExport300_SameBytesAsThePythonGenerator()
    {
        // Given the cloudsplaining example export
        using var input = File.OpenRead(Inputs.ExampleExport);
        using var output = new MemoryStream();

        // When 300 requests are generated, twice
        var result = SimulationRequestGenerator.Generate(input, "example.json", 300, output);
        input.Position = 0;
        using var again = new MemoryStream();
        SimulationRequestGenerator.Generate(input, "example.json", 300, again);

        // Then 73 of the 78 roles make them, and the file is the Python generator's (977,998 bytes, same SHA-256)
        Assert.Equal(new SimulationRequestsResult(300, 73), result);
        Assert.Equal(977_998, output.Length);
        Assert.Equal("6bb3223af5e49544b2548c6720943cc6f9978a7188c423e528cd9270666bc261",
            Convert.ToHexStringLower(SHA256.HashData(output.ToArray())));
        Assert.Equal(output.ToArray(), again.ToArray());
    }

    [Fact]
    public void Generate_MoreRequestsThanRoles_RolesVisitedAgainInOrder()
    {
        // Given the edge-case export (two roles with policies)
        using var input = File.OpenRead(Path.Combine(Folder, "edge-cases-authz.json"));
        using var output = new MemoryStream();

        // When five requests are generated
        SimulationRequestGenerator.Generate(input, "edge-cases-authz.json", 5, output);

        // Then ids run on and the roles alternate
        var lines = Encoding.ASCII.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines.Select((l, i) => (l, i)), x => Assert.StartsWith($"{{\"id\":\"r{x.i}\",", x.l, StringComparison.Ordinal));
        Assert.Equal([true, false, true, false, true], lines.Select(l => l.Contains("assumed-role/r\\u00f4le/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"Policies":[]}""", "`RoleDetailList` array ($.RoleDetailList)")]
    [InlineData("""{"RoleDetailList":[{"RoleName":"r","RoleId":"A","Arn":"arn:aws:iam::1:role/r"}]}""", "no role with identity policies")]
    [InlineData("""{"RoleDetailList":[{"RoleName":"r","Arn":"arn:aws:iam::1:role/r","RolePolicyList":[{"PolicyDocument":{}}]}]}""",
        "($.RoleDetailList[0].RoleId)")]
    [InlineData("""{"RoleDetailList":[{"RoleName":"r","RoleId":"A","Arn":"bad","RolePolicyList":[{"PolicyDocument":{}}]}]}""",
        "($.RoleDetailList[0].Arn)")]
    [InlineData("{\"RoleDetailList\":\n[", "is not JSON (line 2)")]
    public void Generate_BadExport_LocatedErrorAndNothingWritten(string export, string expected)
    {
        // Given a broken export
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(export));
        using var output = new MemoryStream();

        // When / Then the error says where, and nothing is written
        var error = Assert.Throws<InvalidDataException>(() => SimulationRequestGenerator.Generate(input, "bad.json", 10, output));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("`bad.json`", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }
}
