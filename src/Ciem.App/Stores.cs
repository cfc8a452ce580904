using Ciem.Storage;

namespace Ciem.App;

/// <summary>
/// Opening a store by the text that names it (a SQLite file path, `postgres://…` or `Host=…`): every host reaches the
/// store through <see cref="CiemSession"/> or here, and both go through <see cref="StoreLocation"/>.
/// </summary>
public static class Stores
{
    /// <summary>Opens (creating its file or schema when needed) the store <paramref name="location"/> names.</summary>
    public static ICiemStore Open(string location) => StoreFactory.Open(location);

    /// <summary>Whether the store already exists (opening a file creates it; a PostgreSQL database always exists).</summary>
    public static bool Exists(string location) => StoreLocation.Parse(location).Exists;
}
