using Ciem.Storage;

namespace Ciem.App;

/// <summary>
/// The one place a store is opened: every host reaches the store through <see cref="CiemSession"/>, which calls
/// <see cref="Open"/>, so a second backend is chosen here and nowhere else.
/// </summary>
public static class Stores
{
    /// <summary>Opens (creating its folder and schema when needed) the store at <paramref name="path"/>.</summary>
    public static ICiemStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return SqliteStore.Open(full);
    }

    /// <summary>Whether a store already exists at <paramref name="path"/> (opening one creates it).</summary>
    public static bool Exists(string path) => File.Exists(Path.GetFullPath(path));
}
