using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using Ciem.Core.Metrics;

namespace Ciem.Storage;

/// <summary>The web server's users and tokens (`server_user`, `server_token`) and its paged identity and run queries.</summary>
public abstract partial class RelationalStore : IServerStore
{
    private const string UserColumns = "name, email, role, owner, password_hash, created_at, disabled";
    private const string TokenColumns = "id, user_name, label, hash, created_at, expires_at, revoked_at";
    private static readonly string[] FacetColumns = ["provider", "kind", "environment", "account"];

    public bool AddUser(ServerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var write = Writing();
        using (var taken = Command(write.Transaction,
            "SELECT count(*) FROM server_user WHERE name = @n OR (email IS NOT NULL AND lower(email) = lower(@e))",
            ("@n", user.Name), ("@e", user.Email)))
        {
            if (Convert.ToInt64(taken.ExecuteScalar(), CultureInfo.InvariantCulture) > 0) { return false; }
        }
        using (var insert = Command(write.Transaction, $"INSERT INTO server_user ({UserColumns}) VALUES (@n, @e, @r, @o, @p, @c, @d)",
            ("@n", user.Name), ("@e", user.Email), ("@r", user.Role), ("@o", user.Owner), ("@p", user.PasswordHash),
            ("@c", FormatDate(user.CreatedAt)), ("@d", Flag(user.Disabled))))
        {
            insert.ExecuteNonQuery();
        }
        write.Commit();
        return true;
    }

    public bool UpdateUser(ServerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var write = Writing();
        int changed;
        using (var update = Command(write.Transaction,
            "UPDATE server_user SET role = @r, owner = @o, password_hash = @p, disabled = @d WHERE name = @n",
            ("@n", user.Name), ("@r", user.Role), ("@o", user.Owner), ("@p", user.PasswordHash), ("@d", Flag(user.Disabled))))
        {
            changed = update.ExecuteNonQuery();
        }
        write.Commit();
        return changed == 1;
    }

    public ServerUser? FindUser(string name) => Users("WHERE name = @k", name).FirstOrDefault();

    // Providers differ on the case of an address (`Bob@Example.com` from one, `bob@example.com` in the user list): the same mailbox.
    public ServerUser? FindUserByEmail(string email) => Users("WHERE lower(email) = lower(@k)", email).FirstOrDefault();

    public ImmutableArray<ServerUser> ListUsers() => Users("ORDER BY name", null);

    private ImmutableArray<ServerUser> Users(string where, string? key)
    {
        using var read = Reading();
        using var command = key is null ? Command(null, $"SELECT {UserColumns} FROM server_user {where}")
            : Command(null, $"SELECT {UserColumns} FROM server_user {where}", ("@k", key));
        using var r = command.ExecuteReader();
        var users = ImmutableArray.CreateBuilder<ServerUser>();
        while (r.Read())
        {
            users.Add(new ServerUser(r.GetString(0), Text(r, 1), r.GetString(2), Text(r, 3), Text(r, 4), ParseDate(r.GetString(5)),
                r.GetInt64(6) != 0));
        }
        return users.ToImmutable();
    }

    public long AddToken(string user, string label, string hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
    {
        using var write = Writing();
        long id;
        using (var insert = Command(write.Transaction,
            "INSERT INTO server_token (user_name, label, hash, created_at, expires_at, revoked_at) VALUES (@u, @l, @h, "
                + "@c, @x, NULL) RETURNING id",
            ("@u", user), ("@l", label), ("@h", hash), ("@c", FormatDate(createdAt)), ("@x", FormatDate(expiresAt))))
        {
            id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        write.Commit();
        return id;
    }

    public ServerToken? FindToken(string hash) => Tokens("WHERE hash = @k", hash).FirstOrDefault();

    public ImmutableArray<ServerToken> ListTokens(string? user) => user is null ? Tokens("ORDER BY id", null)
        : Tokens("WHERE user_name = @k ORDER BY id", user);

    private ImmutableArray<ServerToken> Tokens(string where, string? key)
    {
        using var read = Reading();
        using var command = key is null ? Command(null, $"SELECT {TokenColumns} FROM server_token {where}")
            : Command(null, $"SELECT {TokenColumns} FROM server_token {where}", ("@k", key));
        using var r = command.ExecuteReader();
        var tokens = ImmutableArray.CreateBuilder<ServerToken>();
        while (r.Read())
        {
            tokens.Add(new ServerToken(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), ParseDate(r.GetString(4)),
                Date(r, 5), Date(r, 6)));
        }
        return tokens.ToImmutable();
    }

    public bool RevokeToken(long id, string? user, DateTimeOffset at)
    {
        using var write = Writing();
        int changed;
        // Two statements rather than `@u IS NULL OR …`: PostgreSQL cannot type a parameter that is only compared with NULL.
        using (var revoke = user is null
            ? Command(write.Transaction, "UPDATE server_token SET revoked_at = @a WHERE id = @id AND revoked_at IS NULL",
                ("@a", FormatDate(at)), ("@id", id))
            : Command(write.Transaction, "UPDATE server_token SET revoked_at = @a WHERE id = @id AND revoked_at IS NULL AND user_name = @u",
                ("@a", FormatDate(at)), ("@id", id), ("@u", user)))
        {
            changed = revoke.ExecuteNonQuery();
        }
        write.Commit();
        return changed == 1;
    }

    public IdentityPage QueryIdentities(IdentityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var read = Reading();
        var day = LatestDay();
        if (day is null) { return new IdentityPage(null, 0, []); }
        var where = new List<string> { "day = @day" };
        var parameters = new List<(string, object?)> { ("@day", day) };
        void Equal(string column, string? value)
        {
            if (value is null) { return; }
            where.Add($"{column} = @{column}");
            parameters.Add(($"@{column}", value));
        }
        Equal("provider", query.Provider);
        Equal("kind", query.Kind);
        Equal("environment", query.Environment);
        Equal("account", query.Account);
        Equal("owner", query.Owner);
        if (query.AdministratorsOnly) { where.Add("administrator <> 0"); }
        if (query.InactiveOnly) { where.Add("inactive <> 0"); }
        if (!string.IsNullOrEmpty(query.Search))
        {
            where.Add("(lower(name) LIKE @q ESCAPE '\\' OR lower(identity) LIKE @q ESCAPE '\\')");
            parameters.Add(("@q", "%" + EscapeLike(query.Search.ToLowerInvariant()) + "%"));
        }
        var filter = string.Join(" AND ", where);
        int total;
        using (var count = Command(null, $"SELECT count(*) FROM metric_identity WHERE {filter}", [.. parameters]))
        {
            total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var size = Math.Clamp(query.PageSize, 1, 500);
        var offset = (long)(Math.Max(query.Page, 1) - 1) * size;
        // A page in the second half is read from the other end (the order reversed, then the rows): the last page costs
        // what the first does, an index scan of one page, instead of skipping every row before it (OFFSET).
        var fromEnd = offset > 0 && offset >= total / 2;
        var limit = (long)size;
        if (fromEnd)
        {
            var end = Math.Min(offset + size, total);
            (limit, offset) = (Math.Max(end - offset, 0), Math.Max(total - end, 0));
        }
        string Dir(bool descending) => descending != fromEnd ? "DESC" : "ASC";
        var (sorted, then) = (Dir(query.Descending), Dir(false));
        var order = query.Sort switch
        {
            IdentitySort.Provider => $"provider {sorted}, name {then}",
            IdentitySort.Account => $"account {sorted}, name {then}",
            IdentitySort.Kind => $"kind {sorted}, name {then}",
            IdentitySort.Granted => $"granted {sorted}, name {then}",
            IdentitySort.Used => $"used {sorted}, name {then}",
            IdentitySort.Unused => $"unused {sorted}, name {then}",
            _ => $"name {sorted}",
        };
        var rows = new List<IdentityMeasure>();
        using (var page = Command(null,
            $"SELECT {IdentityColumns} FROM metric_identity WHERE {filter} ORDER BY {order}, provider {then}, identity {then} "
            + "LIMIT @limit OFFSET @offset",
            [.. parameters, ("@limit", limit), ("@offset", offset)]))
        using (var r = page.ExecuteReader())
        {
            while (r.Read()) { rows.Add(ReadIdentity(r)); }
        }
        if (fromEnd) { rows.Reverse(); }
        return new IdentityPage(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), total, [.. rows]);
    }

    public IdentityMeasure? FindIdentity(string provider, string identity)
    {
        using var read = Reading();
        var day = LatestDay();
        if (day is null) { return null; }
        using var command = Command(null,
            $"SELECT {IdentityColumns} FROM metric_identity WHERE day = @d AND provider = @p AND identity = @i",
            ("@d", day), ("@p", provider), ("@i", identity));
        using var r = command.ExecuteReader();
        return r.Read() ? ReadIdentity(r) : null;
    }

    public ImmutableArray<string> IdentityFacet(string column)
    {
        if (!FacetColumns.Contains(column, StringComparer.Ordinal))
            { throw new ArgumentOutOfRangeException(nameof(column), column, "not a facet column"); }
        using var read = Reading();
        var day = LatestDay();
        if (day is null) { return []; }
        using var command = Command(null, $"SELECT DISTINCT {column} FROM metric_identity WHERE day = @d ORDER BY {column}", ("@d", day));
        using var r = command.ExecuteReader();
        var values = ImmutableArray.CreateBuilder<string>();
        while (r.Read()) { values.Add(r.GetString(0)); }
        return values.ToImmutable();
    }

    public string MeasurementStamp()
    {
        using var read = Reading();
        using var command = Command(null, "SELECT count(*), max(recorded_at), sum(is_baseline * length(day)) FROM metric_measurement");
        using var r = command.ExecuteReader();
        r.Read();
        return string.Create(CultureInfo.InvariantCulture, $"{r.GetInt64(0)}|{Text(r, 1)}|{(r.IsDBNull(2) ? 0 : r.GetInt64(2))}");
    }

    public ImmutableArray<IngestRunInfo> LoadIngestRuns()
    {
        using var read = Reading();
        using var command = Command(null,
            "SELECT id, provider, finished_at, files, files_skipped, events, usage_events, attempts, duplicates, "
            + "no_action, unmapped, malformed FROM ingest_run ORDER BY id");
        using var r = command.ExecuteReader();
        var runs = ImmutableArray.CreateBuilder<IngestRunInfo>();
        while (r.Read())
        {
            runs.Add(new IngestRunInfo(r.GetInt64(0), r.GetString(1), ParseDate(r.GetString(2)), r.GetInt64(3),
                r.GetInt64(4), r.GetInt64(5),
                r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11)));
        }
        return runs.ToImmutable();
    }

    private string? LatestDay()
    {
        using var command = Command(null, "SELECT max(day) FROM metric_measurement");
        return command.ExecuteScalar() is string day ? day : null;
    }

    private static IdentityMeasure ReadIdentity(DbDataReader r) =>
        new(r.GetString(1), r.GetString(3), r.GetString(2), r.GetString(4), r.GetString(5), r.GetString(6), Text(r, 7),
            r.GetInt64(8) != 0, r.GetInt64(9) != 0, r.GetInt64(10) != 0, r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(14),
            Int(r, 15), Int(r, 16), Int(r, 17), r.IsDBNull(18) ? null : Int(r, 18), FromJson<ImmutableArray<string>>(r.GetString(19)));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
