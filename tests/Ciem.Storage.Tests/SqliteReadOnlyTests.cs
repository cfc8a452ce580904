using System.Diagnostics;
using Ciem.Tests;
using Microsoft.Data.Sqlite;

namespace Ciem.Storage.Tests;

/// <summary>
/// Owner-only modes of a new store, and a store that cannot be written: an immutable file (`chattr +i`) and a
/// read-only bind mount. The tests run as root, for whom permission bits stop nothing, so a read-only file is made
/// with the file system's own means; where those are missing (not root, no `chattr`, no mount), the test says so.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteReadOnlyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-ro-").FullName;
    private readonly List<Action> _cleanup = [];

    public void Dispose()
    {
        foreach (var undo in Enumerable.Reverse(_cleanup)) { undo(); }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Open_NewStoreInNewFolder_FolderAndFilesOwnerOnly()
    {
        // Given a store path in a folder that does not exist
        var path = Path.Combine(_folder, "data", "ciem", "ciem.db");

        // When the store is opened and written
        using (var store = SqliteStore.Open(path)) { Seed(store); Assert.True(File.Exists(path + "-wal")); }

        // Then the folders it created are 0700 and the database 0600, whatever the umask
        Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(Path.Combine(_folder, "data")));
        Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void OwnerOnlyWriteAllText_ExistingWorldReadableFile_NarrowedTo0600()
    {
        // Given a report written world-readable by an earlier version
        var path = Path.Combine(_folder, "report.html");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, OwnerOnly.FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // When it is written again
        OwnerOnly.WriteAllText(path, "new");

        // Then it holds the new content, owner-only
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(path));
    }

    [RootFact]
    public void Open_ImmutableFile_OpensReadOnlyListsAndRefusesWrites()
    {
        // Given a store with one reduction whose file is made immutable (chattr +i: even root cannot write it)
        var path = Seed();
        Assert.True(Run("chattr", "+i", path), "`chattr +i` failed: the file system does not support immutable files");
        _cleanup.Add(() => Run("chattr", "-i", path));

        // When a read-only command opens it
        using var store = (SqliteStore)SqliteStore.Open(path);

        // Then it is opened read-only, lists what it holds, and a write fails with the database's error
        Assert.True(store.IsReadOnly);
        Assert.Single(store.LoadJobRuns());
        Assert.Equal(0, store.Migration.Applied);
        Assert.Throws<SqliteException>(() => Seed(store));
    }

    [RootFact]
    public void Open_ReadOnlyMount_OpensImmutableAndLists()
    {
        // Given a store in a folder mounted read-only elsewhere (a bind mount: the usual read-only volume)
        var path = Seed();
        var mount = Path.Combine(_folder, "mounted");
        Directory.CreateDirectory(mount);
        Assert.True(Run("mount", "--bind", "-o", "ro", Path.GetDirectoryName(path)!, mount), "`mount --bind -o ro` failed");
        _cleanup.Add(() => Run("umount", mount));

        // When it is opened through the mount
        using var store = (SqliteStore)SqliteStore.Open(Path.Combine(mount, "ciem.db"));

        // Then it is read-only, its content is there, and nothing was created on the mount
        Assert.True(store.IsReadOnly);
        Assert.Single(store.LoadJobRuns());
        Assert.Throws<SqliteException>(() => Seed(store));
        Assert.Equal(["ciem.db"], Directory.GetFiles(mount).Select(Path.GetFileName));
    }

    [Fact]
    public void OpenReadOnly_WritableStore_ConnectionModeReadOnly()
    {
        // Given a writable store
        var path = Seed();

        // When it is opened read-only on purpose
        using var store = SqliteStore.OpenReadOnly(path);

        // Then reads work and the connection refuses writes
        Assert.True(store.IsReadOnly);
        Assert.Single(store.LoadJobRuns());
        var error = Assert.Throws<SqliteException>(() => Seed(store));
        Assert.Equal(8, error.SqliteErrorCode); // SQLITE_READONLY
    }

    /// <summary>A closed store holding one job run, in a folder of its own.</summary>
    private string Seed()
    {
        var path = Path.Combine(_folder, "store", "ciem.db");
        using (var store = SqliteStore.Open(path)) { Seed(store); }
        return path;
    }

    private static void Seed(ICiemStore store) =>
        store.TryClaimJob(new JobClaimRequest($"job-{Guid.NewGuid():N}", "sweep", "test", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), null));

    private static bool Run(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in arguments) { start.ArgumentList.Add(a); }
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
