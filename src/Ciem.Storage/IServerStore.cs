using System.Collections.Immutable;
using Ciem.Core.Metrics;

namespace Ciem.Storage;

/// <summary>A person who signs in to `ciem serve`: a role, the owner name their identities carry, a password hash or none (OIDC
/// only).</summary>
public sealed record ServerUser(string Name, string? Email, string Role, string? Owner, string? PasswordHash,
    DateTimeOffset CreatedAt, bool Disabled);

/// <summary>An API token: only the SHA-256 of its secret is stored; the secret is shown once when it is made.</summary>
public sealed record ServerToken(long Id, string User, string Label, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>The columns the identities list sorts by.</summary>
public enum IdentitySort
{
    Name,
    Provider,
    Account,
    Kind,
    Granted,
    Used,
    Unused,
}

/// <summary>
/// A filtered, sorted page of the latest measurement's identities. Null filters match everything; <see cref="Owner"/>
/// matches the owner exactly; <see cref="Search"/> is a case-insensitive substring of the name or id.
/// </summary>
public sealed record IdentityQuery(
    string? Provider = null, string? Kind = null, string? Environment = null, string? Account = null, string? Owner = null,
    bool AdministratorsOnly = false, bool InactiveOnly = false, string? Search = null,
    IdentitySort Sort = IdentitySort.Name, bool Descending = false, int Page = 1, int PageSize = 50);

/// <summary>One page of identities of the measurement of <see cref="Day"/> (null when nothing was measured) and the total that
/// matched.</summary>
public sealed record IdentityPage(DateOnly? Day, int Total, ImmutableArray<IdentityMeasure> Identities);

/// <summary>One usage-ingestion run as recorded: files read and skipped, events and what could not be used.</summary>
public sealed record IngestRunInfo(
    long Id, string Provider, DateTimeOffset FinishedAt, long Files, long FilesSkipped, long Events, long UsageEvents, long Attempts,
    long Duplicates, long NoAction, long Unmapped, long Malformed);

/// <summary>
/// What the web server keeps in the store beside the estate: its users and API tokens, and the queries its pages need
/// that the CLI does not (a page of identities at a time, the import runs). Both stores implement it.
/// </summary>
public interface IServerStore
{
    /// <summary>Adds a user; false (nothing written) when the name or the e-mail is taken.</summary>
    bool AddUser(ServerUser user);

    /// <summary>Replaces a user's role, owner, password hash and disabled flag; false when there is no such user.</summary>
    bool UpdateUser(ServerUser user);

    ServerUser? FindUser(string name);

    ServerUser? FindUserByEmail(string email);

    ImmutableArray<ServerUser> ListUsers();

    /// <summary>Records a token by its hash and returns its id.</summary>
    long AddToken(string user, string label, string hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt);

    /// <summary>The token with this hash, revoked or not (the caller checks), or null.</summary>
    ServerToken? FindToken(string hash);

    ImmutableArray<ServerToken> ListTokens(string? user);

    /// <summary>Revokes a token of <paramref name="user"/> (any user's when null); false when none was live.</summary>
    bool RevokeToken(long id, string? user, DateTimeOffset at);

    /// <summary>A page of the latest measurement's identities.</summary>
    IdentityPage QueryIdentities(IdentityQuery query);

    /// <summary>One identity of the latest measurement, or null when it was not measured.</summary>
    IdentityMeasure? FindIdentity(string provider, string identity);

    /// <summary>The latest measurement's distinct values of one column (`provider`, `kind`, `environment`, `account`), sorted.</summary>
    ImmutableArray<string> IdentityFacet(string column);

    /// <summary>A key that changes whenever a measurement is recorded (for caching what is drawn from them).</summary>
    string MeasurementStamp();

    ImmutableArray<IngestRunInfo> LoadIngestRuns();
}
