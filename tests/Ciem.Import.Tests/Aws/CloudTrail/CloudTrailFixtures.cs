using System.IO.Compression;
using System.Text;

namespace Ciem.Import.Tests.Aws.CloudTrail;

/// <summary>Small CloudTrail inputs of our own, in the exact shapes CloudTrail and the AWS CLI write, in a temp folder.</summary>
internal sealed class CloudTrailFixtures : IDisposable
{
    public const string Account = "111122223333";

    public CloudTrailFixtures()
    {
        Root = Path.Combine(Path.GetTempPath(), "ciem-ct-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A management event by an IAM user, as in a delivered log file.</summary>
    public static string Event(string id, string name = "DescribeInstances", string source = "ec2.amazonaws.com", string? recipient = Account,
        string time = "2026-11-01T10:00:00Z", string? extra = null) =>
        "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::" + Account +
        ":user/alice\",\"accountId\":\"" + Account + "\",\"accessKeyId\":\"AKIAEXAMPLE\",\"userName\":\"alice\"},\"eventTime\":\"" + time +
        "\",\"eventSource\":\"" + source + "\",\"eventName\":\"" + name + "\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"192.0.2.10\"," +
        "\"userAgent\":\"aws-cli/2.15.0\",\"requestParameters\":{\"instancesSet\":{}},\"responseElements\":null,\"requestID\":\"r-" + id +
        "\",\"eventID\":\"" + id + "\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true" +
        (recipient is null ? "" : ",\"recipientAccountId\":\"" + recipient + "\"") + ",\"eventCategory\":\"Management\"" + (extra ?? "") + "}";

    public static string Records(params string[] events) => "{\"Records\":[" + string.Join(",", events) + "]}";

    /// <summary>`aws cloudtrail lookup-events` output: each item carries the event as a JSON string.</summary>
    public static string LookupEvents(params string[] events)
    {
        var items = events.Select((e, i) => "{\"EventId\":\"x" + i + "\",\"EventName\":\"DescribeInstances\",\"ReadOnly\":\"true\"," +
            "\"EventTime\":\"2026-11-01T10:00:00+00:00\",\"EventSource\":\"ec2.amazonaws.com\",\"Username\":\"alice\",\"Resources\":[]," +
            "\"CloudTrailEvent\":" + System.Text.Json.JsonSerializer.Serialize(e) + "}");
        return "{\n    \"Events\": [\n" + string.Join(",\n", items) + "\n    ],\n    \"NextToken\": \"abc\"\n}\n";
    }

    public string Write(string relative, string text) => WriteBytes(relative, Encoding.UTF8.GetBytes(text));

    public string WriteGz(string relative, string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        return WriteBytes(relative, buffer.ToArray());
    }

    public string WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Reports progress synchronously, so a test sees every report.</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports { get { lock (_reports) { return [.. _reports]; } } }

    public void Report(T value) { lock (_reports) { _reports.Add(value); } }
}
