using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>
/// Outputs written through a temporary file or folder and renamed: a full disk (a small tmpfs, filled) and a read-only
/// mount are real file systems here, mounted as root, since permission bits stop nothing for root.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-out-").FullName;
    private readonly List<SmallDisk> _disks = [];

    public void Dispose()
    {
        foreach (var disk in _disks) { disk.Dispose(); }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Commit_NewAndExistingTarget_WholeSetAppearsOtherFilesStay()
    {
        // Given a target that does not exist, and one that holds an older set and a file of the user's
        var fresh = Path.Combine(_folder, "fresh", "proposals");
        var existing = Path.Combine(_folder, "existing");
        Directory.CreateDirectory(Path.Combine(existing, "aws", "job"));
        File.WriteAllText(Path.Combine(existing, "aws", "job", "policy.json"), "old");
        File.WriteAllText(Path.Combine(existing, "notes.txt"), "mine");

        // When a set is written into each
        foreach (var target in new[] { fresh, existing })
        {
            using var set = OutputFolder.Begin(target);
            Directory.CreateDirectory(Path.Combine(set.Staging, "aws", "job"));
            File.WriteAllText(Path.Combine(set.Staging, "aws", "job", "policy.json"), "new");
            File.WriteAllText(Path.Combine(set.Staging, "summary.json"), "{}");
            Assert.False(File.Exists(Path.Combine(target, "summary.json")));
            set.Commit();
        }

        // Then both hold the new set, the user's file stays, the new folder is 0700, and no temporary folder is left
        Assert.Equal(["new", "new"], new[] { fresh, existing }.Select(t => File.ReadAllText(Path.Combine(t, "aws", "job", "policy.json"))));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(existing, "notes.txt")));
        Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(fresh));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder, "*.tmp", SearchOption.AllDirectories));
    }

    [RootFact]
    public void Begin_FullDiskWhileWriting_TargetUnchangedNothingLeft()
    {
        // Given a 64 KiB file system holding an earlier set, nearly filled
        var disk = Mount("size=64k");
        var target = Path.Combine(disk.Path, "proposals");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "policy.json"), "old");
        disk.Fill(leave: 8 * 1024);

        // When a set of eight 4 KiB files is written there
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var set = OutputFolder.Begin(target);
            for (var i = 0; i < 8; i++) { OwnerOnly.WriteAllText(Path.Combine(set.Staging, $"file-{i}.json"), new string('x', 4096)); }
            set.Commit();
        });

        // Then the disk was full, the earlier set is as it was, and neither new files nor temporary ones are left
        Assert.Contains("space", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["policy.json"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "policy.json")));
        Assert.Equal(["filler", "proposals"], Directory.EnumerateFileSystemEntries(disk.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [RootFact]
    public void WriteAllText_FullDisk_PreviousFileKeptNoTemporaryLeft()
    {
        // Given a report on a nearly full file system
        var disk = Mount("size=64k");
        var report = Path.Combine(disk.Path, "report.html");
        File.WriteAllText(report, "<p>the previous report</p>");
        disk.Fill(leave: 4 * 1024);

        // When a larger report is written over it, and a small one after space was freed
        Assert.ThrowsAny<IOException>(() => OwnerOnly.WriteAllText(report, new string('x', 32 * 1024)));
        var kept = File.ReadAllText(report);
        File.Delete(Path.Combine(disk.Path, "filler"));
        OwnerOnly.WriteAllText(report, "<p>new</p>");

        // Then the failed write left the previous report whole, and the next one replaced it
        Assert.Equal("<p>the previous report</p>", kept);
        Assert.Equal("<p>new</p>", File.ReadAllText(report));
        Assert.Equal(["report.html"], Directory.EnumerateFileSystemEntries(disk.Path).Select(Path.GetFileName));
    }

    [RootFact]
    public void Problem_ReadOnlyMountFileAndWritableFolder_RefusedBeforeAnyWork()
    {
        // Given a read-only file system, a regular file, and a writable folder
        var readOnly = Mount("ro,size=64k").Path;
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "x");

        // When each is checked as a folder output and as a file output
        var problems = new[]
        {
            OutputFolder.Problem(Path.Combine(readOnly, "proposals"), folder: true),
            OutputFolder.Problem(Path.Combine(readOnly, "report.html"), folder: false),
            OutputFolder.Problem(file, folder: true),
            OutputFolder.Problem(Path.Combine(file, "below"), folder: true),
            OutputFolder.Problem(_folder, folder: false),
            OutputFolder.Problem(Path.Combine(_folder, "missing", "report.html"), folder: false),
        };

        // Then each is refused, naming why; a new folder under a writable one, and a file in it, are accepted
        Assert.All(problems[..2], p => Assert.Contains("cannot be written", p, StringComparison.Ordinal));
        Assert.Equal("is a file: expected a folder", problems[2]);
        Assert.Contains("is a file, not a folder", problems[3], StringComparison.Ordinal);
        Assert.Equal("is a folder: expected a file name", problems[4]);
        Assert.Contains("does not exist", problems[5], StringComparison.Ordinal);
        Assert.Null(OutputFolder.Problem(Path.Combine(_folder, "new", "deeper"), folder: true));
        Assert.Null(OutputFolder.Problem(Path.Combine(_folder, "report.html"), folder: false));
        Assert.False(Directory.Exists(Path.Combine(_folder, "new")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_folder, "*", SearchOption.AllDirectories),
            e => Path.GetFileName(e).StartsWith(".ciem-probe", StringComparison.Ordinal));
    }

    private SmallDisk Mount(string options)
    {
        var disk = SmallDisk.Mount(_folder, options);
        _disks.Add(disk);
        return disk;
    }
}
