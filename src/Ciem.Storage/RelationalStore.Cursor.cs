namespace Ciem.Storage;

public abstract partial class RelationalStore
{
    public DateTimeOffset? LatestIngestedTime(string provider, string path)
    {
        using var command = Command(null, "SELECT max(mtime_ms) FROM ingested_file WHERE provider = @p AND path = @path",
            ("@p", provider), ("@path", path));
        return command.ExecuteScalar() is { } value and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }
}
