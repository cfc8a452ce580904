using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>
/// Output folders and files are checked before the work and written whole or not at all: on a read-only file system
/// (refused when the command line is read) and on a full one (a real tmpfs, filled) nothing partial is left.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputsTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly List<SmallDisk> _disks = [];

    public void Dispose()
    {
        foreach (var disk in _disks) { disk.Dispose(); }
        _cli.Dispose();
    }

    private SmallDisk Mount(string options)
    {
        var disk = SmallDisk.Mount(_cli.Home, options);
        _disks.Add(disk);
        return disk;
    }

    /// <summary>The samples and a month of CloudTrail: `propose` has proposals to write.</summary>
    private void Estate()
    {
        _cli.ImportSamples();
        var trail = Usage.UsageCommandsTests.WriteTrail(Path.Combine(_cli.Home, "trail"));
        Assert.Equal(0, _cli.Run("import", "cloudtrail", trail, "--db", _cli.Db).Code);
    }

    [RootFact]
    public void Outputs_OnReadOnlyFileSystemOrAFile_RefusedAsArgumentsBeforeAnyWork()
    {
        // Given a read-only file system and a regular file
        var readOnly = Mount("ro,size=64k").Path;
        var file = Path.Combine(_cli.Home, "a-file");
        File.WriteAllText(file, "x");

        // When proposals, evidence and a report are asked for there (the store does not even exist)
        var propose = _cli.Run("propose", "--out", Path.Combine(readOnly, "proposals"), "--db", _cli.Db);
        var evidence = _cli.Run("evidence", "--framework", "all", "--from", "2026-11-01", "--to", "2026-11-30", "--out", file, "--db", _cli.Db);
        var sweep = _cli.Run("sweep", "--report", Path.Combine(readOnly, "report.html"), "--db", _cli.Db);

        // Then each is an argument error (exit 3) naming the option and why, and no store was created
        Assert.Equal((3, 3, 3), (propose.Code, evidence.Code, sweep.Code));
        Assert.Contains("`--out` `" + Path.Combine(readOnly, "proposals") + "` cannot be written", propose.Err, StringComparison.Ordinal);
        Assert.Contains("`--out` `" + file + "` is a file: expected a folder", evidence.Err, StringComparison.Ordinal);
        Assert.Contains("`--report` `" + Path.Combine(readOnly, "report.html") + "` cannot be written", sweep.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Db));
    }

    [RootFact]
    public void Propose_DiskFullWhileWriting_NoPartialSetAndTheEarlierSetKept()
    {
        // Given the estate, and an earlier proposal set on a nearly full file system
        Estate();
        var disk = Mount("size=128k");
        var output = Path.Combine(disk.Path, "proposals");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "earlier.json"), "{}");
        disk.Fill(leave: 8 * 1024);

        // When proposals are written there, then again once there is room
        var full = _cli.Run("propose", "app-worker", "--out", output, "--db", _cli.Db, "--as-of", "2026-11-28");
        var entries = Directory.EnumerateFileSystemEntries(disk.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        File.Delete(Path.Combine(disk.Path, "filler"));
        var room = _cli.Run("propose", "app-worker", "--out", output, "--db", _cli.Db, "--as-of", "2026-11-28");

        // Then the first run fails, naming the cause, and leaves only what was there; the second writes the whole set
        Assert.Equal(1, full.Code);
        Assert.Contains("No space left on device", full.Err, StringComparison.Ordinal);
        Assert.Equal(["earlier.json", "filler", "proposals"], entries);
        Assert.True(room.Code == 0, room.Err);
        var written = Directory.GetFiles(output, "*", SearchOption.AllDirectories);
        Assert.Contains(written, f => f.EndsWith(Path.Combine("app-worker", "proposal.tf"), StringComparison.Ordinal));
        Assert.Contains(Path.Combine(output, "earlier.json"), written);
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [RootFact]
    public void Evidence_DiskFullWhileWriting_NoBundleFolderLeft()
    {
        // Given the estate and a nearly full file system
        Estate();
        var disk = Mount("size=64k");
        disk.Fill(leave: 8 * 1024);
        var output = Path.Combine(disk.Path, "bundle");

        // When the evidence bundle is written there
        var (code, _, err) = _cli.Run("evidence", "--framework", "all", "--from", "2026-11-01", "--to", "2026-11-30", "--out", output, "--db", _cli.Db);

        // Then it fails with the cause and leaves neither the bundle folder nor a temporary one
        Assert.Equal(1, code);
        Assert.Contains("No space left on device", err, StringComparison.Ordinal);
        Assert.Equal(["filler"], Directory.EnumerateFileSystemEntries(disk.Path).Select(Path.GetFileName));
    }
}
