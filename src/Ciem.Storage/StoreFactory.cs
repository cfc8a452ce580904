namespace Ciem.Storage;

/// <summary>The one way hosts open a store: from the text of `--db` or `CIEM_DB` (see <see cref="StoreLocation"/>).</summary>
public static class StoreFactory
{
    /// <exception cref="StoreLocationException">the text names no store this build can open (CIEM4101).</exception>
    /// <exception cref="StoreUnavailableException">the database cannot be reached or refuses the sign-in (CIEM4102).</exception>
    /// <exception cref="StoreSchemaException">the database was written by a newer ciem (CIEM4001).</exception>
    public static ICiemStore Open(string location) => StoreLocation.Parse(location).Open();
}
