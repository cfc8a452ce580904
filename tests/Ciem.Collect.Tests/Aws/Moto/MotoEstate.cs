using System.Diagnostics;
using System.Text.Json;

namespace Ciem.Collect.Tests.Aws.Moto;

/// <summary>
/// Runs estate.py (boto3, which parses AWS answers exactly as the `aws` CLI does): populates moto with an organization
/// and exports it as the CLI prints it, so the collector's result can be compared with `ciem import aws` of the exports.
/// </summary>
public static class MotoEstate
{
    public sealed record Populated(string Management, IReadOnlyList<string> Members);

    public static Populated Populate(MotoServer server, int accounts = 2, int users = 3, int trailObjects = 3)
    {
        ArgumentNullException.ThrowIfNull(server);
        var output = Run(server, "populate", server.Url, "--accounts", $"{accounts}", "--users", $"{users}", "--trail-objects", $"{trailObjects}");
        using var json = JsonDocument.Parse(output);
        return new Populated(json.RootElement.GetProperty("management").GetString()!,
            [.. json.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetString()!)]);
    }

    public static void Export(MotoServer server, string folder)
    {
        ArgumentNullException.ThrowIfNull(server);
        Run(server, "export", server.Url, folder);
    }

    /// <summary>A user allowed only the collector's read calls, and its access key (on a server that authenticates after three calls).</summary>
    public static (string AccessKeyId, string SecretAccessKey) CollectorUser(MotoServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var json = JsonDocument.Parse(Run(server, "collector-user", server.Url));
        return (json.RootElement.GetProperty("AccessKeyId").GetString()!, json.RootElement.GetProperty("SecretAccessKey").GetString()!);
    }

    public static void PutTrailObject(MotoServer server, string name)
    {
        ArgumentNullException.ThrowIfNull(server);
        Run(server, "put-trail-object", server.Url, name);
    }

    private static string Run(MotoServer server, params string[] arguments)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Aws", "Moto", "estate.py");
        var start = new ProcessStartInfo("python3", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL" }) { start.Environment.Remove(name); }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000)) { process.Kill(entireProcessTree: true); }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"estate.py {arguments[0]} failed against moto on port {server.Port}: {stderr.Result}");
        }
        return stdout.Result;
    }
}
