using System.Globalization;
using System.Text.RegularExpressions;
using Ciem.Core.Diagnostics;
using Npgsql;

namespace Ciem.Storage;

public enum StoreBackend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where a store lives, as `--db` and `CIEM_DB` name it: a file path (the embedded SQLite store), a
/// <c>postgres://</c> or <c>postgresql://</c> URL, or an Npgsql connection string with <c>Host=</c> (PostgreSQL).
/// Any other <c>scheme://</c> is an error, never a file name. <see cref="Display"/> never holds a password.
/// </summary>
public sealed partial class StoreLocation
{
    private readonly string _target;

    private StoreLocation(StoreBackend backend, string target, string display)
    {
        Backend = backend;
        _target = target;
        Display = display;
    }

    public StoreBackend Backend { get; }

    /// <summary>The file's full path, or <c>postgresql://user@host:port/database</c>: safe to print.</summary>
    public string Display { get; }

    /// <summary>Whether opening reads an existing store: the file exists (a PostgreSQL database always does).</summary>
    public bool Exists => Backend == StoreBackend.Postgres || File.Exists(_target);

    public override string ToString() => Display;

    /// <summary>Reads a location; a relative file path is resolved against the current directory.</summary>
    /// <exception cref="StoreLocationException">the value names no store this build can open (CIEM4101).</exception>
    public static StoreLocation Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length == 0)
            { throw new StoreLocationException("the store location is empty: give a file path, `postgres://…` or `Host=…`"); }
        if (UrlScheme().Match(text) is { Success: true } url)
        {
            var scheme = url.Groups[1].Value.ToLowerInvariant();
            if (scheme is not ("postgres" or "postgresql"))
            {
                throw new StoreLocationException(
                    $"unsupported store `{Redact(text)}`: the scheme `{scheme}` is not a store; give a file path (SQLite), " +
                    "`postgres://user@host:port/database` or `Host=…;Database=…` (PostgreSQL)");
            }
            return Postgres(FromUrl(text));
        }
        if (ConnectionStringHost().IsMatch(text))
        {
            NpgsqlConnectionStringBuilder builder;
            try { builder = new NpgsqlConnectionStringBuilder(text); }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw new StoreLocationException($"invalid PostgreSQL connection string `{Redact(text)}`: {Redact(ex.Message)}");
            }
            return Postgres(builder);
        }
        return new StoreLocation(StoreBackend.Sqlite, Path.GetFullPath(text), Path.GetFullPath(text));
    }

    /// <summary>Opens (creating or migrating as needed) the store at this location.</summary>
    /// <exception cref="StoreUnavailableException">the database cannot be reached or refuses the sign-in (CIEM4102).</exception>
    /// <exception cref="StoreSchemaException">the database was written by a newer ciem (CIEM4001).</exception>
    public ICiemStore Open()
    {
        if (Backend == StoreBackend.Sqlite) { return SqliteStore.Open(_target); }
        try
        {
            return PostgresStore.Open(_target);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new StoreUnavailableException($"cannot open the store `{Display}`: {Redact(ex.Message)}", ex);
        }
    }

    /// <summary>
    /// Makes way for a new store here: a file is deleted with its WAL files; a PostgreSQL database is never emptied
    /// by ciem, so it must hold nothing yet.
    /// </summary>
    /// <exception cref="StoreLocationException">the PostgreSQL database already holds data (CIEM4101).</exception>
    public void Recreate()
    {
        if (Backend == StoreBackend.Sqlite)
        {
            foreach (var file in new[] { _target, _target + "-wal", _target + "-shm" }.Where(File.Exists)) { File.Delete(file); }
            return;
        }
        using var store = Open();
        if (!store.IsEmpty())
        {
            throw new StoreLocationException(
                $"the store `{Display}` already holds data: a new store needs a new file or an empty PostgreSQL database");
        }
    }

    /// <summary>Hides the password of a URL's user part and of a connection string's <c>Password=</c>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var url = UrlPassword().Replace(text, "$1***@");
        return PasswordPair().Replace(url, "$1***");
    }

    private static StoreLocation Postgres(NpgsqlConnectionStringBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Host))
            { throw new StoreLocationException($"the PostgreSQL store `{Redact(builder.ConnectionString)}` names no host"); }
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        var host = builder.Host.Contains(',', StringComparison.Ordinal)
            ? builder.Host
            : $"{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}";
        var display = $"postgresql://{user}{host}/{Uri.EscapeDataString(builder.Database ?? "")}";
        return new StoreLocation(StoreBackend.Postgres, builder.ConnectionString, display);
    }

    /// <summary><c>postgres://[user[:password]@]host[:port][,host2[:port]…][/database][?option=value&amp;…]</c>.</summary>
    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();
        var query = "";
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0) { (rest, query) = (rest[..q], rest[(q + 1)..]); }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        if (slash >= 0 && rest[(slash + 1)..] is { Length: > 0 } database) { builder.Database = Uri.UnescapeDataString(database); }
        if (authority.LastIndexOf('@') is var at and >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0) { builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]); }
        }
        if (authority.Length == 0)
            { throw new StoreLocationException($"the store `{Redact(url)}` names no host: write `postgres://user@host:5432/database`"); }
        SetHost(builder, Uri.UnescapeDataString(authority), url);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
            var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')) : "";
            SetOption(builder, key, value, url);
        }
        return builder;
    }

    private static void SetHost(NpgsqlConnectionStringBuilder builder, string authority, string url)
    {
        // One host may carry the port (`[::1]:5433`, `db:5433`); several are passed as they are (Npgsql reads `h1:p1,h2:p2`).
        if (authority.Contains(',', StringComparison.Ordinal)) { builder.Host = authority; return; }
        var portAt = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        var host = portAt > 0 ? authority[..portAt] : authority;
        builder.Host = host.Trim('[', ']');
        if (portAt > 0)
        {
            var port = authority[(portAt + 1)..];
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                throw new StoreLocationException($"invalid port `{port}` in the store `{Redact(url)}`: expected 1 to 65535");
            }
            builder.Port = number;
        }
    }

    /// <summary>libpq's option names (`sslmode`, `connect_timeout`, …) and Npgsql's own keywords are both accepted.</summary>
    private static void SetOption(NpgsqlConnectionStringBuilder builder, string key, string value, string url)
    {
        var keyword = key.ToLowerInvariant() switch
        {
            "sslmode" => "SSL Mode",
            "sslrootcert" => "Root Certificate",
            "sslcert" => "SSL Certificate",
            "sslkey" => "SSL Key",
            "application_name" => "Application Name",
            "connect_timeout" => "Timeout",
            "target_session_attrs" => "Target Session Attributes",
            "options" => "Options",
            "user" => "Username",
            "password" => "Password",
            "dbname" => "Database",
            "port" => "Port",
            "host" => "Host",
            _ => key,
        };
        // libpq writes `verify-full`; Npgsql's enum is `VerifyFull`.
        if (keyword == "SSL Mode") { value = value.Replace("-", "", StringComparison.Ordinal); }
        try
        {
            builder[keyword] = value;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var shown = keyword == "Password" ? "***" : value;
            throw new StoreLocationException($"invalid option `{key}={shown}` in the store `{Redact(url)}`: {Redact(ex.Message)}");
        }
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex UrlScheme();

    [GeneratedRegex(@"(?:^|;)\s*(?:host|server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringHost();

    [GeneratedRegex(@"(://[^/@:?#]*:)[^@]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"((?:^|;|\s)\s*(?:password|pwd)\s*=\s*)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();
}

/// <summary>A store location that names no store this build can open (CIEM4101): invalid input.</summary>
public sealed class StoreLocationException(string message) : StoreException(message)
{
    public override string Code => DiagnosticCodes.StoreLocationInvalid;
}

/// <summary>The database cannot be reached or refuses the connection (CIEM4102): an environment failure.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : StoreException(message, inner)
{
    public override string Code => DiagnosticCodes.StoreUnavailable;
}
