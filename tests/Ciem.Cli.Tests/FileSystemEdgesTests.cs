using System.Diagnostics;
using System.Text.Json;

namespace Ciem.Cli.Tests;

/// <summary>
/// The commands on what a file system can hand them besides regular files: devices, named pipes, link loops, links
/// that point nowhere or out of the way, folders where a file is expected. Each ends, bounded, with the path named.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileSystemEdgesTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private (int Code, string Out, string Err) RunBounded(params string[] args)
    {
        var run = Task.Run(() => _cli.Run(args));
        Assert.True(run.Wait(TimeSpan.FromSeconds(120)), $"`ciem {string.Join(' ', args)}` did not end");
        return run.Result;
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("azure")]
    [InlineData("gcp")]
    public void Import_DevZeroAndAFifo_RefusedBeforeReadingNamingWhatTheyAre(string cloud)
    {
        // Given /dev/zero (endless) and a named pipe nobody writes to (an open would block for ever)
        var fifo = Path.Combine(_cli.Home, "export.json");
        using (var mkfifo = Process.Start("mkfifo", fifo)) { mkfifo.WaitForExit(); }

        // When each is imported
        var zero = RunBounded("import", cloud, "/dev/zero", "--db", _cli.Db);
        var pipe = RunBounded("import", cloud, fifo, "--db", _cli.Db);

        // Then both fail without reading, each naming the path and what it is, and nothing was stored
        Assert.NotEqual(0, zero.Code);
        Assert.Contains("`/dev/zero` is a character device, not a regular file", zero.Err, StringComparison.Ordinal);
        Assert.NotEqual(0, pipe.Code);
        Assert.Contains($"`{fifo}` is a named pipe (fifo), not a regular file", pipe.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportCloudTrail_FolderWithLoopFifoAndDanglingLinks_ReadsTheLogsAndNamesTheRest()
    {
        // Given a trail folder holding a month of logs, a link back to itself, a named pipe, a link to nowhere and a
        // link to itself (ELOOP)
        var root = Path.Combine(_cli.Home, "trail");
        var trail = Usage.UsageCommandsTests.WriteTrail(root);
        Directory.CreateSymbolicLink(Path.Combine(trail, "again"), trail);
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(trail, "pipe.json"))) { mkfifo.WaitForExit(); }
        File.CreateSymbolicLink(Path.Combine(trail, "nowhere.json"), Path.Combine(_cli.Home, "missing.json"));
        File.CreateSymbolicLink(Path.Combine(trail, "self.json"), Path.Combine(trail, "self.json"));

        // When the folder is imported
        var (code, output, err) = RunBounded("import", "cloudtrail", root, "--db", _cli.Db, "--format", "json");

        // Then the 30 logs are read once each (not again through the loop), and the pipe and the loop are named
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal((30, 120L), (doc.RootElement.GetProperty("files").GetInt32(), doc.RootElement.GetProperty("events").GetInt64()));
        var said = string.Join("\n", doc.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString())) + err;
        Assert.Contains("pipe.json", said, StringComparison.Ordinal);
        Assert.Contains("CIEM1302", said, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepReport_LinkToAFileElsewhere_LinkReplacedTargetUntouched()
    {
        // Given a report path that is a symbolic link to a file outside the output folder
        _cli.ImportSamples();
        var elsewhere = Path.Combine(_cli.Home, "precious.txt");
        File.WriteAllText(elsewhere, "keep me");
        var report = Path.Combine(_cli.Home, "report.html");
        File.CreateSymbolicLink(report, elsewhere);

        // When the sweep writes its report there
        var (code, _, err) = RunBounded("sweep", "--report", report, "--db", _cli.Db, "--as-of", "2026-11-28");

        // Then the report is a regular owner-only file where the link was, and the link's target is as it was
        Assert.True(code == 0, err);
        Assert.Null(new FileInfo(report).LinkTarget);
        Assert.Contains("<html", File.ReadAllText(report), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Ciem.Storage.OwnerOnly.FileMode, File.GetUnixFileMode(report));
        Assert.Equal("keep me", File.ReadAllText(elsewhere));
    }
}
